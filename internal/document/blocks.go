package document

// Layout of the text blocks of a document: paragraphs, numbered points,
// key–value lines and the tembusan.

import (
	"strconv"
	"strings"
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
// Every block calls it before it draws its first line, so the headings
// waiting for their block are drawn here, on the page of the block's first
// lines: a heading never stays alone at the foot of a page (DOCUMENTS.md).
func (d *doc) need(h float64) {
	if h == 0 && len(d.headings) == 0 { // need(0) only draws the headings
		return
	}
	// A hair below fpdf's own trigger, so that fpdf never breaks a page on
	// its own in the middle of a line we are drawing.
	if d.pdf.GetY()+h+d.headingH > bodyBottom-0.01 {
		d.pdf.AddPage()
	}
	if len(d.headings) > 0 {
		hs := d.headings
		d.headings, d.headingH = nil, 0
		size, _ := d.pdf.GetFontSize()
		d.setFont("B", bodyPt)
		for _, s := range hs {
			d.flow(d.left, d.width, bodyLine, s, "L")
			d.pdf.Ln(1)
		}
		d.setFont("", size) // blocks start in the regular style
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
func (d *doc) text(x, w float64, s, align string) { d.textKeep(x, w, s, align, 0) }

// textKeep is text whose last lines keep keep millimetres under them on
// their page (see keepFrom).
func (d *doc) textKeep(x, w float64, s, align string, keep float64) {
	d.need(float64(min(2, d.lines(s, w))) * bodyLine)
	d.flowKeep(x, w, bodyLine, s, align, keep)
}

// keepFrom is the first of n lines of height h that go to a new page
// together with keep millimetres after them, rather than leave what
// follows alone at the top of a page: all of them for up to four lines
// (no line left behind alone), else the last two, else the last one. It
// is n, no line, when keep is 0 or cannot fit on a page with them.
func keepFrom(n int, h, keep float64) int {
	if keep <= 0 {
		return n
	}
	from := n - 2
	if n <= 4 {
		from = 0
	}
	for ; from < n; from++ {
		if from >= 0 && float64(n-from)*h+keep <= bodyBottom-marginT {
			return from
		}
	}
	return n
}

// flow writes s at x in width w with line height h, breaking pages line by
// line. Justified lines (align J, all but the last) get their word spacing
// here: fpdf's MultiCell rounds it down to whole ems, so most lines would
// come out ragged.
func (d *doc) flow(x, w, h float64, s, align string) { d.flowKeep(x, w, h, s, align, 0) }

// flowKeep is flow whose last lines keep keep millimetres under them on
// their page (see keepFrom).
func (d *doc) flowKeep(x, w, h float64, s, align string, keep float64) {
	pdf := d.pdf
	lines := pdf.SplitLines([]byte(s), w)
	from := keepFrom(len(lines), h, keep)
	for i, l := range lines {
		if i == from {
			d.need(float64(len(lines)-from)*h + keep)
		} else {
			d.need(h)
		}
		pdf.SetX(x)
		line := strings.TrimRight(string(l), " ")
		if align == "J" && i < len(lines)-1 {
			if n := strings.Count(line, " "); n > 0 {
				ws := (w - pdf.GetStringWidth(line)) / float64(n)
				pdf.RawWriteStr(strconv.FormatFloat(ws*pt, 'f', 3, 64) + " Tw")
				d.textCell(w, h, line, 2, "L")
				pdf.RawWriteStr("0 Tw")
				continue
			}
		}
		if align == "J" {
			align = "L"
		}
		d.textCell(w, h, line, 2, align)
	}
}

// pair writes "key : value" with the value wrapping in its own column,
// with keep millimetres under it on its page when the page can hold both.
func (d *doc) pair(x, keyW, valW float64, key, value, align string, keep float64) {
	pdf := d.pdf
	h := float64(max(d.lines(key, keyW), d.lines(value, valW), 1)) * bodyLine
	switch {
	case h+keep <= bodyBottom-marginT:
		d.need(h + keep)
	case h <= bodyBottom-marginT:
		d.need(h)
	default:
		d.need(0)
	}
	y := pdf.GetY()
	pdf.SetY(y)
	d.flow(x, keyW, bodyLine, key, "L")
	yKey, pageKey := pdf.GetY(), pdf.PageNo()
	pdf.SetXY(x+keyW, y)
	d.textCell(colon, bodyLine, ":", 0, "L")
	pdf.SetY(y)
	d.flow(x+keyW+colon, valW, bodyLine, value, align)
	if pdf.PageNo() == pageKey && yKey > pdf.GetY() {
		pdf.SetY(yKey)
	}
}

// points writes a numbered list with hanging indents and lettered sub-items,
// the last item keeping keep millimetres under it on its page. Numbering
// goes on across points blocks separated only by tables or kv lines (which
// are then indented under the point), and starts again after a paragraph or
// a heading.
func (d *doc) points(ps []point, keep float64) {
	type item struct {
		x       float64
		mark, s string
	}
	var items []item
	for _, p := range ps {
		s := d.exec(p.text, d.d)
		if s == "" {
			continue
		}
		d.pointNo++
		items = append(items, item{d.left, itoa(d.pointNo) + ".", s})
		sub := 0
		for _, t := range p.sub {
			if s := d.exec(t, d.d); s != "" {
				items = append(items, item{d.left + pointIndent, string(rune('a'+sub%26)) + ".", s})
				sub++
			}
		}
	}
	for i, it := range items {
		k := 0.0
		if i == len(items)-1 {
			k = keep
		}
		d.marker(it.x, it.mark, it.s, d.left+d.width-it.x, k)
	}
}

// marker writes one list item: its marker at x, the text indented after it,
// its last lines keeping keep millimetres under them on their page.
func (d *doc) marker(x float64, mark, s string, w, keep float64) {
	in := pointIndent
	if x > d.left {
		in = subIndent
	}
	n := d.lines(s, w-in)
	if keepFrom(n, bodyLine, keep) == 0 { // the marker goes with its lines
		d.need(float64(n)*bodyLine + keep)
	}
	d.need(float64(min(2, n)) * bodyLine)
	y := d.pdf.GetY()
	d.pdf.SetX(x)
	d.textCell(in, bodyLine, mark, 0, "L")
	d.pdf.SetY(y)
	d.flowKeep(x+in, w-in, bodyLine, s, "J", keep)
}

// kv writes key–value lines with the keys in a column as wide as the
// longest key (at most 45% of the width), the last keeping keep
// millimetres under it on its page.
func (d *doc) kv(rows [][2]*tpl, keep float64) {
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
		k := 0.0
		if i == len(keys)-1 {
			k = keep
		}
		d.pair(x, keyW, w-keyW-colon, keys[i], vals[i], "L", k)
	}
}

// copies are the tembusan's items in the font's code page: the kind's own,
// then Input.Tembusan, executed once per document.
func (d *doc) copies() []string {
	if d.copyItems == nil {
		d.copyItems = []string{}
		for _, t := range d.k.tembusan {
			if s := d.exec(t, d.d); s != "" {
				d.copyItems = append(d.copyItems, s)
			}
		}
		for _, s := range d.d.Tembusan {
			if s = squeeze(s); s != "" {
				d.copyItems = append(d.copyItems, d.tr(s))
			}
		}
	}
	return d.copyItems
}

// tembusan writes "Tembusan:" and the numbered copies, kept together as
// copiesKeep says. Nothing when there are none.
func (d *doc) tembusan() {
	items := d.copies()
	if len(items) == 0 {
		return
	}
	pdf := d.pdf
	d.need(d.copiesKeep(true) - 2*gap)
	d.setFont("", copiesPt)
	pdf.SetX(d.left)
	d.textCell(d.width, bodyLine, d.exec(d.r.common.tembusan, d.d), 1, "L")
	for i, s := range items {
		d.need(copiesLine)
		y := pdf.GetY()
		pdf.SetX(d.left)
		d.textCell(pointIndent, copiesLine, itoa(i+1)+".", 0, "L")
		pdf.SetY(y)
		d.flow(d.left+pointIndent, d.width-pointIndent, copiesLine, s, "L")
	}
	d.setFont("", bodyPt)
}
