package document

import (
	mathbits "math/bits"
	"sync"
)

// The QR code's modules: function patterns, data placement, masks and the
// penalty that chooses among them (ISO/IEC 18004 §7.7–7.9).

func (q *qrSymbol) drawFunctionPatterns(version int) {
	n := q.size
	for i := 0; i < n; i++ {
		q.setFn(6, i, i%2 == 0)
		q.setFn(i, 6, i%2 == 0)
	}
	for _, c := range [][2]int{{3, 3}, {n - 4, 3}, {3, n - 4}} {
		for dy := -4; dy <= 4; dy++ {
			for dx := -4; dx <= 4; dx++ {
				x, y := c[0]+dx, c[1]+dy
				if x >= 0 && x < n && y >= 0 && y < n {
					d := max(abs(dx), abs(dy))
					q.setFn(x, y, d != 2 && d != 4)
				}
			}
		}
	}
	pos := qrAlign[version-1]
	last := len(pos) - 1
	for i, y := range pos {
		for j, x := range pos {
			if i == 0 && j == 0 || i == 0 && j == last || i == last && j == 0 {
				continue // a finder is there
			}
			for dy := -2; dy <= 2; dy++ {
				for dx := -2; dx <= 2; dx++ {
					q.setFn(x+dx, y+dy, max(abs(dx), abs(dy)) != 1)
				}
			}
		}
	}
	q.drawFormatBits(0) // reserves the area; drawn again with the mask
	if version >= 7 {
		rem := version
		for range 12 {
			rem = rem<<1 ^ (rem>>11)*0x1F25
		}
		bits := version<<12 | rem
		for i := 0; i < 18; i++ {
			a, b := n-11+i%3, i/3
			q.setFn(a, b, bits>>i&1 == 1)
			q.setFn(b, a, bits>>i&1 == 1)
		}
	}
}

// drawFormatBits writes level M and the mask, twice, and the dark module.
func (q *qrSymbol) drawFormatBits(mask int) {
	formatModules(mask, q.size, q.setFn)
}

// formatModules calls set with every module of the format information of
// level M and mask, twice, and the dark module, in a symbol of n modules.
func formatModules(mask, n int, set func(x, y int, dark bool)) {
	data := 0<<3 | mask // level M is 00
	rem := data
	for range 10 {
		rem = rem<<1 ^ (rem>>9)*0x537
	}
	bits := (data<<10 | rem) ^ 0x5412
	bit := func(i int) bool { return bits>>i&1 == 1 }
	for i := 0; i <= 5; i++ {
		set(8, i, bit(i))
	}
	set(8, 7, bit(6))
	set(8, 8, bit(7))
	set(7, 8, bit(8))
	for i := 9; i < 15; i++ {
		set(14-i, 8, bit(i))
	}
	for i := 0; i < 8; i++ {
		set(n-1-i, 8, bit(i))
	}
	for i := 8; i < 15; i++ {
		set(8, n-15+i, bit(i))
	}
	set(8, n-8, true)
}

// drawCodewords places the codewords in the two-module-wide zigzag from the
// bottom right, skipping the vertical timing pattern.
func (q *qrSymbol) drawCodewords(cw []byte) {
	n, i := q.size, 0
	for right := n - 1; right >= 1; right -= 2 {
		if right == 6 {
			right = 5
		}
		for vert := 0; vert < n; vert++ {
			for j := 0; j < 2; j++ {
				x, y := right-j, vert
				if (right+1)&2 == 0 {
					y = n - 1 - vert
				}
				if !q.fn[y*n+x] && i < len(cw)*8 {
					q.dark[y*n+x] = cw[i>>3]>>(7-i&7)&1 == 1
					i++
				}
			}
		}
	}
}

// masked reports whether mask inverts the module at (x, y).
func masked(mask, x, y int) bool {
	switch mask {
	case 0:
		return (x+y)%2 == 0
	case 1:
		return y%2 == 0
	case 2:
		return x%3 == 0
	case 3:
		return (x+y)%3 == 0
	case 4:
		return (x/3+y/2)%2 == 0
	case 5:
		return x*y%2+x*y%3 == 0
	case 6:
		return (x*y%2+x*y%3)%2 == 0
	}
	return ((x+y)%2+x*y%3)%2 == 0
}

// applyMask inverts the data modules the mask selects.
func (q *qrSymbol) applyMask(mask int) {
	n, flips := q.size, &maskBits(q).rows[mask]
	for y := 0; y < n; y++ {
		for f := flips[y]; f != 0; f &= f - 1 {
			i := y*n + mathbits.TrailingZeros64(f)
			q.dark[i] = !q.dark[i]
		}
	}
}

// qrRows is a symbol packed by rows, which the largest version (57 modules
// a side) fits: bit x of element y is the module (x, y), set when dark. The
// mask penalty works on these words, eight times per code, with no
// allocation.
type qrRows [64]uint64

// bestMask is the mask with the lowest penalty (the first of equals).
// Masking is an exclusive or, so the columns of a masked symbol are those
// of the plain one and of the mask, both transposed once.
func (q *qrSymbol) bestMask() int {
	n := q.size
	var plain, plainT, rows, cols qrRows
	for y := 0; y < n; y++ {
		for x, d := range q.dark[y*n : y*n+n] {
			if d {
				plain[y] |= 1 << x
				plainT[x] |= 1 << y
			}
		}
	}
	flips := maskBits(q)
	set := func(x, y int, dark bool) {
		if dark {
			rows[y] |= 1 << x
			cols[x] |= 1 << y
		} else {
			rows[y] &^= 1 << x
			cols[x] &^= 1 << y
		}
	}
	best, score := 0, -1
	for m := 0; m < 8; m++ {
		for i := 0; i < n; i++ {
			rows[i] = plain[i] ^ flips.rows[m][i]
			cols[i] = plainT[i] ^ flips.cols[m][i]
		}
		formatModules(m, n, set)
		if p := penalty(&rows, &cols, n); score < 0 || p < score {
			best, score = m, p
		}
	}
	return best
}

// qrMasks are the modules each mask inverts, by rows and by columns: the
// modules it selects that are not function patterns, which depend on the
// size (the version) alone.
type qrMasks struct{ rows, cols [8]qrRows }

// maskCache holds the qrMasks of each symbol size.
var maskCache sync.Map // int → *qrMasks

func maskBits(q *qrSymbol) *qrMasks {
	n := q.size
	if f, ok := maskCache.Load(n); ok {
		return f.(*qrMasks)
	}
	f := new(qrMasks)
	for m := range 8 {
		for y := 0; y < n; y++ {
			for x := 0; x < n; x++ {
				if masked(m, x, y) && !q.fn[y*n+x] {
					f.rows[m][y] |= 1 << x
					f.cols[m][x] |= 1 << y
				}
			}
		}
	}
	f2, _ := maskCache.LoadOrStore(n, f)
	return f2.(*qrMasks)
}

// penalty scores a symbol of n modules a side, given by rows and by
// columns, by the four rules of the standard: runs of five or more, 2×2
// blocks, finder-like patterns, and dark/light balance.
func penalty(rows, cols *qrRows, n int) int {
	p, darks := 0, 0
	inner := uint64(1)<<(n-1) - 1 // modules 0…n-2: those with a right neighbour
	for y := 0; y < n; y++ {
		row := rows[y]
		darks += mathbits.OnesCount64(row)
		p += linePenalty(row, n) + linePenalty(cols[y], n)
		if y+1 < n {
			next := rows[y+1]
			same := ^(row ^ row>>1) & ^(row ^ next) & ^(next ^ next>>1) & inner
			p += 3 * mathbits.OnesCount64(same)
		}
	}
	total := n * n
	k := (abs(darks*20-total*10)+total-1)/total - 1
	return p + k*10
}

// linePenalty is rules 1 and 3 on a row or column of n modules, bit i the
// module i. Rule 3 looks, at every module i of the line and of the light
// quiet zone after it, at the 11 modules ending there (module i-k as bit k
// of the window, light before the line), for 1:1:3:1:1 with four light
// modules before (0x05D) or after (0x5D0).
func linePenalty(line uint64, n int) int {
	p, start := 0, 0
	for t := (line ^ line>>1) & (uint64(1)<<(n-1) - 1); t != 0; t &= t - 1 {
		end := mathbits.TrailingZeros64(t) + 1 // the next run starts here
		if run := end - start; run >= 5 {
			p += run - 2
		}
		start = end
	}
	if run := n - start; run >= 5 {
		p += run - 2
	}
	// sk has bit i set when module i-k is dark.
	s0, s1, s2, s3, s4, s5 := line, line<<1, line<<2, line<<3, line<<4, line<<5
	s6, s7, s8, s9, s10 := line<<6, line<<7, line<<8, line<<9, line<<10
	before := s0 & s2 & s3 & s4 & s6 &^ (s1 | s5 | s7 | s8 | s9 | s10) // 0x05D
	after := s4 & s6 & s7 & s8 & s10 &^ (s0 | s1 | s2 | s3 | s5 | s9)  // 0x5D0
	ends := uint64(1)<<(n+4) - 1                                       // the line and four modules after it
	return p + 40*mathbits.OnesCount64((before|after)&ends)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
