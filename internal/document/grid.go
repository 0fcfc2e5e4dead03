package document

// Drawing of tables: cells wrap, a row is never split across pages (unless
// it is taller than a page), the header row is repeated on every page the
// table reaches, figures are right-aligned, and the total row never starts
// a page alone: the last row goes with it.

const (
	cellPadX = 1.5
	cellPadY = 1.1
)

// cell is a run of one or more columns of a row.
type cell struct {
	x, w  float64
	align string
	lines []string
}

// grid is a table being drawn.
type grid struct {
	d      *doc
	x      []float64 // left edge of each column, and the right edge last
	header []cell
	bold   bool // the row being drawn is the total row
}

// table lays out a table block; keep is the height that must follow its
// last row and total on their page.
func (d *doc) table(t *table, keep float64) {
	rows, sum := rowSources[t.rows](d.d.Input)
	if len(rows) == 0 && t.empty == nil {
		return
	}
	g := &grid{d: d, x: make([]float64, len(t.cols)+1)}
	weight := 0.0
	for _, c := range t.cols {
		weight += c.width
	}
	left, width := d.left+d.indent(), d.width-d.indent()
	g.x[0] = left
	for i, c := range t.cols {
		g.x[i+1] = g.x[i] + width*c.width/weight
	}
	d.setFont("B", tablePt)
	for i, c := range t.cols {
		g.header = append(g.header, g.cell(i, i+1, "C", d.exec(c.head, d.d)))
	}
	first := g.height(g.header)
	d.setFont("", tablePt)
	var body [][]cell
	for i, row := range rows {
		data := &cellData{No: i + 1, Row: row, Sum: sum, Count: len(rows), Doc: d.d}
		var r []cell
		for j, c := range t.cols {
			r = append(r, g.cell(j, j+1, c.align, d.exec(c.cell, data)))
		}
		body = append(body, r)
	}
	if len(rows) == 0 {
		body = append(body, []cell{g.cell(0, len(t.cols), "C", d.exec(t.empty, &cellData{Doc: d.d}))})
	}
	var sumRow []cell
	if t.total != nil {
		data := &cellData{Sum: sum, Count: len(rows), Doc: d.d}
		d.setFont("B", tablePt)
		if t.total.col > 0 {
			sumRow = append(sumRow, g.cell(0, t.total.col, "C", d.exec(t.total.label, data)))
		}
		sumRow = append(sumRow, g.cell(t.total.col, t.total.col+1, "R", d.exec(t.total.value, data)))
		for j := t.total.col + 1; j < len(t.cols); j++ {
			sumRow = append(sumRow, g.cell(j, j+1, "L", ""))
		}
		keep += g.height(sumRow)
	}
	// What the last row takes with it to a new page: the total and keep,
	// or only the total when both do not fit on a page with the row.
	last := body[len(body)-1]
	fresh := bodyBottom - marginT - g.height(g.header) - g.height(last)
	if keep > fresh && sumRow != nil {
		keep = g.height(sumRow)
	}
	if keep > fresh {
		keep = 0
	}
	if len(body) == 1 {
		first += keep
	}
	first += g.height(body[0])
	if first < bodyBottom-marginT {
		d.need(first)
	} else {
		d.need(0) // a row taller than a page starts where it is
	}
	g.draw(g.header, true, 0)
	for i, r := range body {
		reserve := 0.0
		if i == len(body)-1 {
			reserve = keep
		}
		g.draw(r, false, reserve)
	}
	if sumRow != nil {
		g.bold = true
		g.draw(sumRow, false, 0)
	}
	d.setFont("", bodyPt)
}

// cell wraps s in columns [from, to) with the current font.
func (g *grid) cell(from, to int, align, s string) cell {
	c := cell{x: g.x[from], w: g.x[to] - g.x[from], align: align}
	if s != "" {
		for _, l := range g.d.pdf.SplitLines([]byte(s), c.w-2*cellPadX) {
			c.lines = append(c.lines, string(l))
		}
	}
	return c
}

// height is the height of a row of cells.
func (g *grid) height(r []cell) float64 {
	n := 1
	for _, c := range r {
		n = max(n, len(c.lines))
	}
	return float64(n)*tableLine + 2*cellPadY
}

// draw draws a row at the current position, first moving to a new page
// (with the header repeated) when the row and reserve millimetres under it
// do not fit. A row taller than a whole page is continued on the next page.
func (g *grid) draw(r []cell, header bool, reserve float64) {
	pdf := g.d.pdf
	from := 0
	for {
		h := 0
		for _, c := range r {
			h = max(h, len(c.lines)-from)
		}
		h = max(h, 1)
		room := int((bodyBottom - reserve - pdf.GetY() - 2*cellPadY) / tableLine)
		if h > room {
			fresh := int((bodyBottom - marginT - g.height(g.header) - 2*cellPadY) / tableLine)
			if room > 0 && h > fresh {
				g.part(r, from, room, header)
				from += room
			}
			pdf.AddPage()
			if !header {
				g.draw(g.header, true, 0)
			}
			continue
		}
		g.part(r, from, h, header)
		return
	}
}

// part draws lines [from, from+n) of a row's cells, framed.
func (g *grid) part(r []cell, from, n int, header bool) {
	pdf := g.d.pdf
	y := pdf.GetY()
	h := float64(n)*tableLine + 2*cellPadY
	style, font := "D", ""
	if header {
		style, font = "FD", "B"
		pdf.SetFillColor(230, 230, 230)
	}
	if g.bold {
		font = "B"
	}
	g.d.setFont(font, tablePt)
	pdf.SetLineWidth(0.2)
	for _, c := range r {
		pdf.Rect(c.x, y, c.w, h, style)
		for i := from; i < min(from+n, len(c.lines)); i++ {
			pdf.SetXY(c.x+cellPadX, y+cellPadY+float64(i-from)*tableLine)
			g.d.textCell(c.w-2*cellPadX, tableLine, c.lines[i], 0, c.align)
		}
	}
	if header && !g.d.r.plainFpdf {
		// Black again, the text's colour: under a grey fill every later
		// cell's text would be set black and back around it (q … Q).
		pdf.SetFillColor(0, 0, 0)
	}
	pdf.SetXY(g.x[0], y+h)
}
