package web

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"dakflow/internal/dak"
)

// Dependency-free SVG charts for the dashboards (page_dashboard.go). Each
// chart is one <svg> drawn on the server: role="img" with an aria-label,
// a <title> and a <desc>, a text label on every bar and slice, a viewBox
// and width="100%" so that it fits a 1366×768 laptop and shrinks on a
// phone. Colours are presentation attributes, never style attributes (the
// pages' Content-Security-Policy refuses inline styles). The numbers are
// also in a table beside each chart, for screen readers and tests; the
// charts only draw them.

// chartWidth is the width of every chart's viewBox: a card of the
// dashboard's two columns on a 1366-pixel screen, drawn at about 1:1.
const chartWidth = 560

// chartSeries is one series of a chart: its legend's label and colour.
type chartSeries struct {
	Label, Colour string
}

// chartRow is one category of a bar chart: a bar per series, each with the
// value that sets its length (rupiah, a count or basis points) and the
// text written beside it.
type chartRow struct {
	Label  string
	Values []int64
	Texts  []string
}

// barChart is a horizontal bar chart; several series make grouped bars.
// Max is the value of a full-length bar (0: the largest value), so that
// percentages can be drawn against 100%.
type barChart struct {
	ID, Title, Desc string
	Series          []chartSeries
	Rows            []chartRow
	Max             int64
}

// Bar chart geometry, in viewBox units.
const (
	barLabelWidth = 190 // the category labels, right-aligned
	barTextWidth  = 110 // the value written after the longest bar
	barHeight     = 14
	barGap        = 2
	barRowGap     = 10
)

// SVG draws the chart.
func (c barChart) SVG() template.HTML {
	full := c.Max
	for _, r := range c.Rows {
		for _, v := range r.Values {
			if c.Max == 0 && v > full {
				full = v
			}
		}
	}
	n := max(1, len(c.Series))
	rowH := n*barHeight + (n-1)*barGap + barRowGap
	legendH := 0
	if len(c.Series) > 1 {
		legendH = 22
	}
	h := legendH + len(c.Rows)*rowH + 4
	var b strings.Builder
	c.open(&b, h)
	if legendH > 0 {
		chartLegend(&b, c.Series, 4)
	}
	span := chartWidth - barLabelWidth - barTextWidth
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#94a3b8" stroke-width="1"/>`, barLabelWidth, legendH, barLabelWidth, h-2)
	for i, r := range c.Rows {
		y := legendH + i*rowH + barRowGap/2
		mid := y + (n*barHeight+(n-1)*barGap)/2
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" dominant-baseline="middle" font-size="12" fill="#1f2937">%s</text>`,
			barLabelWidth-6, mid, svgText(clip(r.Label, 30)))
		for s, v := range r.Values {
			w := chartScaled(v, full, span)
			by := y + s*(barHeight+barGap)
			colour := "#0f4c81"
			if s < len(c.Series) {
				colour = c.Series[s].Colour
			}
			text := ""
			if s < len(r.Texts) {
				text = r.Texts[s]
			}
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"><title>%s</title></rect>`,
				barLabelWidth, by, w, barHeight, colour, svgText(r.Label+": "+text))
			fmt.Fprintf(&b, `<text x="%d" y="%d" dominant-baseline="middle" font-size="11" fill="#1f2937">%s</text>`,
				barLabelWidth+w+4, by+barHeight/2, svgText(text))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// stackRow is one stacked bar: its parts (one per series) fill the bar in
// proportion to their sum; Note is written under it.
type stackRow struct {
	Label  string
	Values []int64
	Note   string
}

// stackedChart draws each row as one full-width bar split into its parts,
// such as a ceiling's used and left.
type stackedChart struct {
	ID, Title, Desc string
	Series          []chartSeries
	Rows            []stackRow
}

// SVG draws the chart.
func (c stackedChart) SVG() template.HTML {
	const rowH, barH = 52, 18
	h := 22 + len(c.Rows)*rowH
	var b strings.Builder
	c.open(&b, h)
	chartLegend(&b, c.Series, 4)
	span := chartWidth - 2
	for i, r := range c.Rows {
		y := 22 + i*rowH
		fmt.Fprintf(&b, `<text x="0" y="%d" font-size="12" font-weight="600" fill="#1f2937">%s</text>`, y+12, svgText(clip(r.Label, 80)))
		var total int64
		for _, v := range r.Values {
			total += max(0, v)
		}
		x, acc := 0, int64(0)
		for s, v := range r.Values {
			acc += max(0, v)
			end := chartScaled(acc, total, span) // cumulative, so rounding never leaves a gap
			colour := "#94a3b8"
			if s < len(c.Series) {
				colour = c.Series[s].Colour
			}
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>`, x, y+17, end-x, barH, colour)
			x = end
		}
		if total == 0 {
			fmt.Fprintf(&b, `<rect x="0" y="%d" width="%d" height="%d" fill="none" stroke="#94a3b8"/>`, y+17, span, barH)
		}
		fmt.Fprintf(&b, `<text x="0" y="%d" font-size="11" fill="#5b6472">%s</text>`, y+48, svgText(r.Note))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// donutSlice is one part of a donut.
type donutSlice struct {
	Label, Text, Colour string
	Value               int64
}

// donutChart is a ring split into slices, with a short text in its centre
// (such as the share of a ceiling used) and a legend naming each slice.
type donutChart struct {
	ID, Title, Desc, Centre string
	Slices                  []donutSlice
}

// SVG draws the chart: each slice is an arc of one circle whose
// circumference is 100 units, so that a slice's dash length is its share.
func (c donutChart) SVG() template.HTML {
	const h = 150
	var total int64
	for _, s := range c.Slices {
		total += max(0, s.Value)
	}
	var b strings.Builder
	c.open(&b, h)
	const r = 100 / (2 * math.Pi) // circumference 100
	fmt.Fprintf(&b, `<g transform="translate(75 75) scale(3.6)">`)
	fmt.Fprintf(&b, `<circle r="%s" fill="none" stroke="#e5e7eb" stroke-width="6"/>`, svgNum(r))
	offset := 25.0 // start at twelve o'clock
	for _, s := range c.Slices {
		if s.Value <= 0 || total == 0 {
			continue
		}
		share := 100 * float64(s.Value) / float64(total) // drawing only: the figures are the table's
		fmt.Fprintf(&b, `<circle r="%s" fill="none" stroke="%s" stroke-width="6" stroke-dasharray="%s %s" stroke-dashoffset="%s"><title>%s</title></circle>`,
			svgNum(r), s.Colour, svgNum(share), svgNum(100-share), svgNum(offset), svgText(s.Label+": "+s.Text))
		offset -= share
	}
	b.WriteString(`</g>`)
	fmt.Fprintf(&b, `<text x="75" y="75" text-anchor="middle" dominant-baseline="middle" font-size="16" font-weight="700" fill="#1f2937">%s</text>`, svgText(c.Centre))
	for i, s := range c.Slices {
		y := 40 + i*36
		fmt.Fprintf(&b, `<rect x="170" y="%d" width="12" height="12" fill="%s"/>`, y, s.Colour)
		fmt.Fprintf(&b, `<text x="188" y="%d" font-size="12" fill="#1f2937">%s</text>`, y+10, svgText(s.Label))
		fmt.Fprintf(&b, `<text x="188" y="%d" font-size="12" font-weight="600" fill="#1f2937">%s</text>`, y+26, svgText(s.Text))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// open writes the <svg> element with its accessible name and description.
func (c barChart) open(b *strings.Builder, h int)     { openSVG(b, c.ID, c.Title, c.Desc, h) }
func (c stackedChart) open(b *strings.Builder, h int) { openSVG(b, c.ID, c.Title, c.Desc, h) }
func (c donutChart) open(b *strings.Builder, h int)   { openSVG(b, c.ID, c.Title, c.Desc, h) }

func openSVG(b *strings.Builder, id, title, desc string, h int) {
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" role="img" aria-label="%s" aria-labelledby="%s-t %s-d" data-chart="%s" font-family="system-ui, sans-serif">`,
		chartWidth, h, svgText(title), svgText(id), svgText(id), svgText(id))
	fmt.Fprintf(b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, svgText(id), svgText(title), svgText(id), svgText(desc))
}

// chartLegend writes the series' colours and labels in one line at y.
func chartLegend(b *strings.Builder, series []chartSeries, y int) {
	x := 0
	for _, s := range series {
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="12" height="12" fill="%s"/>`, x, y, s.Colour)
		fmt.Fprintf(b, `<text x="%d" y="%d" font-size="12" fill="#1f2937">%s</text>`, x+16, y+10, svgText(s.Label))
		x += 16 + 7*utf8.RuneCountInString(s.Label) + 18
	}
}

// chartScaled is v's share of full as a length of span units, at most span.
// A float is fine here: it only draws; every figure is written exactly.
func chartScaled(v, full int64, span int) int {
	if full <= 0 || v <= 0 {
		return 0
	}
	return int(float64(min(v, full)) / float64(full) * float64(span))
}

// svgText escapes text for SVG: the character references of
// html.EscapeString are valid XML too, and the control characters XML
// forbids become "?", so that a stored name never breaks the document.
func svgText(s string) string {
	return html.EscapeString(strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\t' && r != '\n') || r == 0xfffe || r == 0xffff {
			return '?'
		}
		return r
	}, s))
}

// svgNum writes a coordinate with at most two decimals.
func svgNum(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }

// shortRupiah writes an amount for a chart's label, in the words of
// Indonesian reports: "Rp3,2 M" (miliar), "Rp815 jt" (juta), "Rp1,2 T"
// (triliun), in the largest unit the amount reaches, one decimal rounded
// half up; below a million the amount in full. Tables write the exact
// amount ("Rp3.215.000.000").
func shortRupiah(m dak.Money) string {
	sign, n := "", int64(m)
	if n < 0 {
		sign, n = "-", -n
	}
	for _, u := range []struct {
		div  int64
		name string
	}{{1_000_000_000_000, "T"}, {1_000_000_000, "M"}, {1_000_000, "jt"}} {
		if n < u.div {
			continue
		}
		tenths := (n + u.div/20) / (u.div / 10) // n/div in tenths, rounded half up, without overflow
		s := dak.Money(tenths / 10).Figures()
		if d := tenths % 10; d != 0 {
			s += "," + strconv.FormatInt(d, 10)
		}
		return sign + "Rp" + s + " " + u.name
	}
	return sign + "Rp" + dak.Money(n).Figures()
}
