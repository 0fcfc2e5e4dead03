package document

import "sync"

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
	data := 0<<3 | mask // level M is 00
	rem := data
	for range 10 {
		rem = rem<<1 ^ (rem>>9)*0x537
	}
	bits := (data<<10 | rem) ^ 0x5412
	bit := func(i int) bool { return bits>>i&1 == 1 }
	n := q.size
	for i := 0; i <= 5; i++ {
		q.setFn(8, i, bit(i))
	}
	q.setFn(8, 7, bit(6))
	q.setFn(8, 8, bit(7))
	q.setFn(7, 8, bit(8))
	for i := 9; i < 15; i++ {
		q.setFn(14-i, 8, bit(i))
	}
	for i := 0; i < 8; i++ {
		q.setFn(n-1-i, 8, bit(i))
	}
	for i := 8; i < 15; i++ {
		q.setFn(8, n-15+i, bit(i))
	}
	q.setFn(8, n-8, true)
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
	for i, flip := range maskFlips(q.size)[mask] {
		if flip && !q.fn[i] {
			q.dark[i] = !q.dark[i]
		}
	}
}

// bestMask is the mask with the lowest penalty (the first of equals).
func (q *qrSymbol) bestMask() int {
	plain := q.dark
	defer func() { q.dark = plain }()
	flips := maskFlips(q.size)
	q.dark = make([]bool, len(plain))
	best, score := 0, -1
	for m := 0; m < 8; m++ {
		for i, d := range plain {
			q.dark[i] = d != (flips[m][i] && !q.fn[i])
		}
		q.drawFormatBits(m)
		if p := q.penalty(); score < 0 || p < score {
			best, score = m, p
		}
	}
	return best
}

// maskCache holds, per symbol size, which modules each mask inverts.
var maskCache sync.Map // int → *[8][]bool

func maskFlips(n int) *[8][]bool {
	if f, ok := maskCache.Load(n); ok {
		return f.(*[8][]bool)
	}
	var f [8][]bool
	for m := range f {
		f[m] = make([]bool, n*n)
		for y := 0; y < n; y++ {
			for x := 0; x < n; x++ {
				f[m][y*n+x] = masked(m, x, y)
			}
		}
	}
	maskCache.Store(n, &f)
	return &f
}

// penalty scores the symbol by the four rules of the standard: runs of
// five or more, 2×2 blocks, finder-like patterns, and dark/light balance.
func (q *qrSymbol) penalty() int {
	n, g := q.size, q.dark
	p, darks := 0, 0
	for a := 0; a < n; a++ {
		p += linePenalty(g, a*n, 1, n) + linePenalty(g, a, n, n)
	}
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			c := g[y*n+x]
			if c {
				darks++
			}
			if x+1 < n && y+1 < n && c == g[y*n+x+1] && c == g[(y+1)*n+x] && c == g[(y+1)*n+x+1] {
				p += 3
			}
		}
	}
	total := n * n
	k := (abs(darks*20-total*10)+total-1)/total - 1
	return p + k*10
}

// linePenalty is rules 1 and 3 on the row or column of n modules of g
// from start by step. Rule 3 slides an 11-module window over the line and
// the light quiet zone around it, looking for 1:1:3:1:1 with four light
// modules before (0x05D) or after (0x5D0).
func linePenalty(g []bool, start, step, n int) int {
	p, run, win := 0, 0, 0
	prev := false
	for i := 0; i < n; i++ {
		c := g[start+i*step]
		if i > 0 && c == prev {
			run++
		} else {
			if run >= 5 {
				p += run - 2
			}
			run, prev = 1, c
		}
		win = win << 1 & 0x7FF
		if c {
			win |= 1
		}
		if win == 0x05D || win == 0x5D0 {
			p += 40
		}
	}
	if run >= 5 {
		p += run - 2
	}
	for range 4 {
		if win = win << 1 & 0x7FF; win == 0x5D0 {
			p += 40
		}
	}
	return p
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
