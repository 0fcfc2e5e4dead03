package document

import (
	"fmt"
	"strconv"
	"strings"
)

// pt is the number of PDF points in a millimetre.
const pt = 72.0 / 25.4

// qrOperators draws the QR code of content as vector squares: crisp at any
// zoom and in print, deterministic, and with no image to encode or cache.
// (fpdf's contrib/barcode rasterises to a JPEG of one pixel per module,
// keeps every code ever registered in a package-level map that grows for
// the life of a server, needs a PDF417 module go.mod does not have, and its
// boombuler/barcode encoder takes about 2 ms per code; see qrcode.go.)
//
// The result is a self-contained group of raw PDF operators placing a
// size×size square with its top-left corner at (x, y) mm: the current
// transformation is scaled so that one unit is one module and y runs
// downwards, and every run of dark modules in a row is one rectangle.
func qrOperators(content string, x, y, size float64) (string, error) {
	code, err := encodeQR([]byte(content), -1)
	if err != nil {
		return "", fmt.Errorf("QR code of %q: %w", content, err)
	}
	n := code.size
	unit := size / float64(n) * pt
	var b strings.Builder
	b.Grow(16 * n * n / 4)
	b.WriteString("q 0 g ")
	for _, v := range []float64{unit, 0, 0, -unit, x * pt, (pageH - y) * pt} {
		b.WriteString(strconv.FormatFloat(v, 'f', 4, 64))
		b.WriteByte(' ')
	}
	b.WriteString("cm\n")
	var buf []byte
	for row := 0; row < n; row++ {
		dark := code.dark[row*n : row*n+n]
		for col := 0; col < n; {
			if !dark[col] {
				col++
				continue
			}
			start := col
			for col < n && dark[col] {
				col++
			}
			buf = strconv.AppendInt(buf[:0], int64(start), 10)
			buf = append(buf, ' ')
			buf = strconv.AppendInt(buf, int64(row), 10)
			buf = append(buf, ' ')
			buf = strconv.AppendInt(buf, int64(col-start), 10)
			buf = append(buf, " 1 re\n"...)
			b.Write(buf)
		}
	}
	b.WriteString("f Q")
	return b.String(), nil
}
