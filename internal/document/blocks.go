package document

// Layout of the text blocks of a document: letter head, addressee, record
// title, paragraphs, numbered points and key–value lines.

import (
	"strconv"
	"strings"

	"dakflow/internal/dak"
)

func itoa(n int) string { return strconv.Itoa(n) }

const (
	pointIndent = 7.0  // hanging indent of "1."
	subIndent   = 6.0  // further indent of "a."
	gap         = 2.0  // space between blocks
	headLabel   = 22.0 // width of "Nomor", "Sifat", "Lampiran", "Hal"
	colon       = 4.0  // width of the ":" column
)

// indent is how far a table or kv block is indented: under the point
// before it, if any.
func (d *doc) indent() float64 {
	if d.pointNo > 0 {
		return pointIndent
	}
	return 0
}

// need starts a new page unless h millimetres are left above the footer.
func (d *doc) need(h float64) {
	// A hair below fpdf's own trigger, so that fpdf never breaks a page on
	// its own in the middle of a line we are drawing.
	if d.pdf.GetY()+h > bodyBottom-0.01 {
		d.pdf.AddPage()
	}
}

// lines is the number of lines s takes in width w with the current font.
func (d *doc) lines(s string, w float64) int {
	if s == "" {
		return 0
	}
	return len(d.pdf.SplitLines([]byte(s), w))
}

// text writes s at x in width w, wrapping, keeping its first two lines
// together; align is L or J.
func (d *doc) text(x, w float64, s, align string) {
	d.need(float64(min(2, d.lines(s, w))) * bodyLine)
	d.flow(x, w, bodyLine, s, align)
}

// flow writes s at x in width w with line height h, breaking pages line by
// line. Justified lines (align J, all but the last) get their word spacing
// here: fpdf's MultiCell rounds it down to whole ems, so most lines would
// come out ragged.
func (d *doc) flow(x, w, h float64, s, align string) {
	pdf := d.pdf
	lines := pdf.SplitLines([]byte(s), w)
	for i, l := range lines {
		d.need(h)
		pdf.SetX(x)
		line := strings.TrimRight(string(l), " ")
		if align == "J" && i < len(lines)-1 {
			if n := strings.Count(line, " "); n > 0 {
				ws := (w - pdf.GetStringWidth(line)) / float64(n)
				pdf.RawWriteStr(strconv.FormatFloat(ws*pt, 'f', 3, 64) + " Tw")
				pdf.CellFormat(w, h, line, "", 2, "L", false, 0, "")
				pdf.RawWriteStr("0 Tw")
				continue
			}
		}
		if align == "J" {
			align = "L"
		}
		pdf.CellFormat(w, h, line, "", 2, align, false, 0, "")
	}
}

// letterHead writes Nomor, Sifat, Lampiran and Hal, with the date on the
// right of the Nomor line.
func (d *doc) letterHead() {
	c, pdf := d.r.common, d.pdf
	pdf.SetFont(fontFamily, "", bodyPt)
	y := pdf.GetY()
	date := d.tr(orDash(d.d.IssuedAt, dak.FormatDate))
	pdf.SetXY(d.left, y)
	pdf.CellFormat(d.width, bodyLine, date, "", 0, "R", false, 0, "")
	rows := [][2]string{
		{d.exec(c.nomor, d.d), d.tr(dash(d.d.Number))},
		{d.exec(c.sifat, d.d), d.tr(d.d.Sifat)},
		{d.exec(c.lampiran, d.d), d.exec(d.k.lampiran, d.d)},
		{d.exec(c.hal, d.d), d.exec(d.k.title, d.d)},
	}
	pdf.SetY(y)
	for i, r := range rows {
		w := d.width - headLabel - colon
		if i == 0 {
			w -= pdf.GetStringWidth(date) + 4
		} else if i == len(rows)-1 {
			w = min(w, 95)
		}
		d.pair(d.left, headLabel, w, r[0], dash(r[1]), "L")
	}
	pdf.Ln(bodyLine)
}

// pair writes "key : value" with the value wrapping in its own column.
func (d *doc) pair(x, keyW, valW float64, key, value, align string) {
	pdf := d.pdf
	h := float64(max(d.lines(key, keyW), d.lines(value, valW), 1)) * bodyLine
	if h <= bodyBottom-marginT {
		d.need(h)
	}
	y := pdf.GetY()
	pdf.SetY(y)
	d.flow(x, keyW, bodyLine, key, "L")
	yKey, pageKey := pdf.GetY(), pdf.PageNo()
	pdf.SetXY(x+keyW, y)
	pdf.CellFormat(colon, bodyLine, ":", "", 0, "L", false, 0, "")
	pdf.SetY(y)
	d.flow(x+keyW+colon, valW, bodyLine, value, align)
	if pdf.PageNo() == pageKey && yKey > pdf.GetY() {
		pdf.SetY(yKey)
	}
}

// addressee writes the "Yth." block of a letter.
func (d *doc) addressee() {
	for _, t := range d.k.to {
		if s := d.exec(t, d.d); s != "" {
			d.text(d.left, 100, s, "L")
		}
	}
	d.pdf.Ln(bodyLine)
}

// recordTitle writes a record's centred bold title and its number.
func (d *doc) recordTitle() {
	pdf := d.pdf
	pdf.SetFont(fontFamily, "B", 12)
	d.flow(d.left, d.width, 6, d.exec(d.k.title, d.d), "C")
	pdf.SetFont(fontFamily, "", bodyPt)
	d.flow(d.left, d.width, bodyLine, d.exec(d.r.common.recordNumber, d.d), "C")
	pdf.Ln(bodyLine)
}

// points writes a numbered list with hanging indents and lettered sub-items.
// Numbering goes on across points blocks separated only by tables or kv
// lines (which are then indented under the point), and starts again after a
// paragraph or a heading.
func (d *doc) points(ps []point) {
	for _, p := range ps {
		s := d.exec(p.text, d.d)
		if s == "" {
			continue
		}
		d.pointNo++
		d.marker(d.left, itoa(d.pointNo)+".", s, d.width)
		sub := 0
		for _, t := range p.sub {
			if s := d.exec(t, d.d); s != "" {
				d.marker(d.left+pointIndent, string(rune('a'+sub%26))+".", s, d.width-pointIndent)
				sub++
			}
		}
	}
}

// marker writes one list item: its marker at x, the text indented after it.
func (d *doc) marker(x float64, mark, s string, w float64) {
	in := pointIndent
	if x > d.left {
		in = subIndent
	}
	d.need(float64(min(2, d.lines(s, w-in))) * bodyLine)
	y := d.pdf.GetY()
	d.pdf.SetX(x)
	d.pdf.CellFormat(in, bodyLine, mark, "", 0, "L", false, 0, "")
	d.pdf.SetY(y)
	d.flow(x+in, w-in, bodyLine, s, "J")
}

// kv writes key–value lines with the keys in a column as wide as the
// longest key (at most 45% of the width).
func (d *doc) kv(rows [][2]*tpl) {
	var keys, vals []string
	keyW := 0.0
	for _, r := range rows {
		v := d.exec(r[1], d.d)
		if v == "" {
			continue
		}
		k := d.exec(r[0], d.d)
		keys, vals = append(keys, k), append(vals, v)
		keyW = max(keyW, d.pdf.GetStringWidth(k)+2)
	}
	x, w := d.left+d.indent(), d.width-d.indent()
	keyW = min(keyW, 0.45*w)
	for i := range keys {
		d.pair(x, keyW, w-keyW-colon, keys[i], vals[i], "L")
	}
}
