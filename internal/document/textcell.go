package document

import (
	"strconv"
	"strings"
)

// textCell writes one line of cp1252 text s in a w×h cell at the current
// position, aligned L, C or R, then moves as fpdf's CellFormat does with ln
// (0: to the cell's right, 1: to the next line at the left margin, 2: below
// the cell). It writes the same bytes CellFormat(w, h, s, "", ln, align,
// false, 0, "") writes for the documents' cells — no border, no fill, no
// link — (TestTextCellAsFpdf), without CellFormat's fmt.Sprintf and three
// string replacements per cell: those were most of the time the tables of
// a tanda terima took to draw, and a tanda terima is rendered at every
// submission on deadline day.
//
// Cases CellFormat handles differently go to CellFormat: a cell that would
// cross the page break, a text colour other than black, a width of 0, any
// other alignment.
func (d *doc) textCell(w, h float64, s string, ln int, align string) {
	pdf := d.pdf
	if pdf.Err() {
		return
	}
	x, y := pdf.GetXY()
	_, pageH := pdf.GetPageSize()
	auto, bottom := pdf.GetAutoPageBreak()
	_, fontSize := pdf.GetFontSize()
	tr, tg, tb := pdf.GetTextColor()
	fr, fg, fb := pdf.GetFillColor()
	// fpdf sets the text's colour around it when the fill colour differs
	// (the non-stroking colour is both); the documents' text is black.
	coloured := tr != fr || tg != fg || tb != fb
	if d.r.cellsViaFpdf || w == 0 || fontSize == 0 || (auto && y+h > pageH-bottom) || (coloured && tr+tg+tb != 0) ||
		(align != "L" && align != "C" && align != "R") {
		pdf.CellFormat(w, h, s, "", ln, align, false, 0, "")
		return
	}
	if s != "" {
		k := pdf.GetConversionRatio()
		var dx float64
		switch align {
		case "R":
			dx = w - pdf.GetCellMargin() - pdf.GetStringWidth(s)
		case "C":
			dx = (w - pdf.GetStringWidth(s)) / 2
		default:
			dx = pdf.GetCellMargin()
		}
		b := d.cellBuf[:0]
		if coloured {
			b = append(b, "q 0.000 g "...)
		}
		b = append(b, "BT "...)
		b = strconv.AppendFloat(b, (x+dx)*k, 'f', 2, 64)
		b = append(b, ' ')
		b = strconv.AppendFloat(b, (pageH-(y+.5*h+.3*fontSize))*k, 'f', 2, 64)
		b = append(b, " Td ("...)
		b = appendEscaped(b, s)
		b = append(b, ")Tj ET"...)
		if coloured {
			b = append(b, " Q"...)
		}
		pdf.RawWriteStr(string(b))
		d.cellBuf = b
	}
	switch {
	case ln <= 0:
		pdf.SetXY(x+w, y)
	case ln == 1:
		pdf.SetY(y + h) // and x at the left margin
	default:
		pdf.SetXY(x, y+h)
	}
}

// appendEscaped appends s as the inside of a PDF literal string, as fpdf
// escapes a core font's text: \, ( and ) behind a backslash.
func appendEscaped(b []byte, s string) []byte {
	for {
		i := strings.IndexAny(s, `\()`)
		if i < 0 {
			return append(b, s...)
		}
		b = append(b, s[:i]...)
		b = append(b, '\\', s[i])
		s = s[i+1:]
	}
}
