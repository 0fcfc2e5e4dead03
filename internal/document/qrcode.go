package document

import (
	"errors"
	"fmt"
)

// A small QR code encoder (ISO/IEC 18004) for the verification link in the
// footer: byte mode, error correction level M, versions 1–10 (up to 213
// bytes). It follows Project Nayuki's reference design. It exists because
// boombuler/barcode's encoder spends about 2 ms choosing a mask — the whole
// budget of a two-page letter — while this one takes tens of microseconds;
// qrcode_test.go checks that both draw the same symbol.

// qrBlocks is the block structure of one version at level M.
type qrBlocks struct {
	ec             int // EC codewords per block
	blocks1, data1 int // blocks of group 1 and their data codewords
	blocks2, data2 int // blocks of group 2 (one more data codeword each)
}

var qrVersions = [...]qrBlocks{
	{10, 1, 16, 0, 0}, {16, 1, 28, 0, 0}, {26, 1, 44, 0, 0}, {18, 2, 32, 0, 0}, {24, 2, 43, 0, 0},
	{16, 4, 27, 0, 0}, {18, 4, 31, 0, 0}, {22, 2, 38, 2, 39}, {22, 3, 36, 2, 37}, {26, 4, 43, 1, 44},
}

// qrAlign are the centres of the alignment patterns of versions 1–10.
var qrAlign = [...][]int{
	nil, {6, 18}, {6, 22}, {6, 26}, {6, 30}, {6, 34}, {6, 22, 38}, {6, 24, 42}, {6, 26, 46}, {6, 28, 50},
}

// qrSymbol is a QR code: size×size modules, row-major, true = dark.
type qrSymbol struct {
	size     int
	dark, fn []bool // fn marks function patterns, which masks leave alone
}

func (q *qrSymbol) at(x, y int) bool { return q.dark[y*q.size+x] }

func (q *qrSymbol) setFn(x, y int, dark bool) {
	q.dark[y*q.size+x] = dark
	q.fn[y*q.size+x] = true
}

var errQRTooLong = errors.New("too long for a QR code of version 10")

// encodeQR encodes data as a QR code; mask is 0–7, or -1 to choose the mask
// with the lowest penalty, as the standard asks.
func encodeQR(data []byte, mask int) (*qrSymbol, error) {
	version := 0
	for v := 1; v <= len(qrVersions); v++ {
		b := qrVersions[v-1]
		count := 8
		if v >= 10 {
			count = 16
		}
		if 4+count+8*len(data) <= 8*(b.blocks1*b.data1+b.blocks2*b.data2) {
			version = v
			break
		}
	}
	if version == 0 {
		return nil, fmt.Errorf("%d bytes: %w", len(data), errQRTooLong)
	}
	q := &qrSymbol{size: 17 + 4*version}
	q.dark = make([]bool, q.size*q.size)
	q.fn = make([]bool, q.size*q.size)
	q.drawFunctionPatterns(version)
	q.drawCodewords(codewords(data, version))
	if mask < 0 {
		mask = q.bestMask()
	}
	q.applyMask(mask)
	q.drawFormatBits(mask)
	return q, nil
}

// codewords are data's codewords with padding and error correction,
// interleaved by blocks.
func codewords(data []byte, version int) []byte {
	b := qrVersions[version-1]
	capacity := b.blocks1*b.data1 + b.blocks2*b.data2
	var bits qrBits
	bits.add(4, 4) // byte mode
	if version >= 10 {
		bits.add(len(data), 16)
	} else {
		bits.add(len(data), 8)
	}
	for _, c := range data {
		bits.add(int(c), 8)
	}
	bits.add(0, min(4, 8*capacity-bits.n))
	bits.add(0, (8-bits.n%8)%8)
	for pad := 0xEC; len(bits.b) < capacity; pad ^= 0xEC ^ 0x11 {
		bits.add(pad, 8)
	}
	var blocks, ecs [][]byte
	gen := rsGenerators[b.ec]
	rest := bits.b
	for i := 0; i < b.blocks1+b.blocks2; i++ {
		n := b.data1
		if i >= b.blocks1 {
			n = b.data2
		}
		blocks = append(blocks, rest[:n])
		ecs = append(ecs, rsRemainder(rest[:n], gen))
		rest = rest[n:]
	}
	out := make([]byte, 0, capacity+b.ec*len(blocks))
	for i := 0; i < max(b.data1, b.data2); i++ {
		for _, blk := range blocks {
			if i < len(blk) {
				out = append(out, blk[i])
			}
		}
	}
	for i := 0; i < b.ec; i++ {
		for _, ec := range ecs {
			out = append(out, ec[i])
		}
	}
	return out
}

// qrBits is a bit buffer, most significant bit first.
type qrBits struct {
	b []byte
	n int // bits used
}

func (q *qrBits) add(v, bits int) {
	for i := bits - 1; i >= 0; i-- {
		if q.n%8 == 0 {
			q.b = append(q.b, 0)
		}
		if v>>i&1 == 1 {
			q.b[q.n/8] |= 0x80 >> (q.n % 8)
		}
		q.n++
	}
}

// gfMul multiplies in GF(2⁸) modulo x⁸ + x⁴ + x³ + x² + 1.
func gfMul(x, y byte) byte {
	z := 0
	for i := 7; i >= 0; i-- {
		z = z<<1 ^ (z>>7)*0x11D
		z ^= int(y>>i&1) * int(x)
	}
	return byte(z)
}

// rsGenerator is the Reed–Solomon generator polynomial of the given degree,
// highest coefficient first, without the leading 1.
func rsGenerator(degree int) []byte {
	g := make([]byte, degree)
	g[degree-1] = 1
	root := byte(1)
	for range degree {
		for j := range g {
			g[j] = gfMul(g[j], root)
			if j+1 < len(g) {
				g[j] ^= g[j+1]
			}
		}
		root = gfMul(root, 2)
	}
	return g
}

// rsGenerators are the generator polynomials of the degrees versions 1–10
// use, built once.
var rsGenerators = func() (g [27][]byte) {
	for _, b := range qrVersions {
		if g[b.ec] == nil {
			g[b.ec] = rsGenerator(b.ec)
		}
	}
	return g
}()

// gfExp and gfLog are powers of 2 in GF(2⁸) and their logarithms; gfExp
// runs over two periods, so that a sum of two logarithms indexes it.
var gfExp, gfLog = func() (exp [510]byte, log [256]int) {
	x := byte(1)
	for i := range 255 {
		exp[i], exp[i+255] = x, x
		log[x] = i
		x = gfMul(x, 2)
	}
	return exp, log
}()

// rsRemainder is the error correction of data: its remainder by gen.
func rsRemainder(data, gen []byte) []byte {
	var logGen [32]int // the largest degree is 26
	for i, c := range gen {
		logGen[i] = gfLog[c] // no coefficient of a generator is 0
	}
	r := make([]byte, len(gen))
	for _, b := range data {
		f := b ^ r[0]
		copy(r, r[1:])
		r[len(r)-1] = 0
		if f == 0 {
			continue
		}
		lf := gfLog[f]
		for i := range r {
			r[i] ^= gfExp[logGen[i]+lf]
		}
	}
	return r
}
