package document

import "strings"

// body lays out the kind's blocks in order, then the signature and the
// tembusan unless the blocks placed them already. Neither the signature nor
// the tembusan starts a page alone (DOCUMENTS.md): the block before them
// keeps its last lines, or a table its last row and total, on their page.
func (d *doc) body() {
	d.pre = make([]prepared, len(d.k.body))
	for i := range d.k.body {
		if d.err != nil {
			return
		}
		d.block(i, d.keepAfter(i))
	}
	if !d.k.signed {
		d.signature(d.copiesKeep(!d.k.copied))
	}
	if !d.k.copied {
		d.tembusan()
	}
	d.need(0) // a heading nothing followed
}

// prepared is a body block's condition and, for a paragraph, its text,
// executed once: keepAfter looks ahead at them before the block is laid out.
type prepared struct {
	done, holds bool
	text        string
}

// prepare executes block i's condition and paragraph text, once.
func (d *doc) prepare(i int) *prepared {
	p, b := &d.pre[i], &d.k.body[i]
	if !p.done {
		p.done, p.holds = true, d.holds(b.cond)
		if p.holds && b.kind == blockP {
			p.text = d.exec(b.text, d.d)
		}
	}
	return p
}

// prints reports whether block i puts anything on the page.
func (d *doc) prints(i int) bool {
	p, b := d.prepare(i), &d.k.body[i]
	switch {
	case !p.holds:
		return false
	case b.kind == blockP:
		return p.text != ""
	case b.kind == blockTable:
		// Only whether rows exist matters here, not their sum.
		rows, _ := rowSources[b.table.rows](d.d.Input)
		return len(rows) > 0 || b.table.empty != nil
	case b.kind == blockTembusan:
		return len(d.copies()) > 0
	}
	return true
}

// keepAfter is the height that must follow block i on its page: the
// signature (with the tembusan after it) or the tembusan, when one of them
// is what prints next, and before them the closing line, a paragraph of at
// most two lines, which never starts a page alone either. It is 0 for any
// other block.
func (d *doc) keepAfter(i int) float64 {
	switch d.k.body[i].kind {
	case blockSignature, blockTembusan, blockPageBreak:
		return 0
	}
	if !d.prints(i) {
		return 0
	}
	for j := i + 1; j < len(d.k.body); j++ {
		switch {
		case !d.prints(j):
		case d.k.body[j].kind == blockP:
			d.setFont("", bodyPt)
			n := d.lines(d.pre[j].text, d.width)
			if keep := d.keepAfter(j); n <= 2 && keep > 0 {
				return float64(n)*bodyLine + gap + keep
			}
			return 0
		case d.k.body[j].kind == blockSignature:
			return d.signatureHeight() + d.copiesKeep(d.copiesFollow(j))
		case d.k.body[j].kind == blockTembusan:
			return d.copiesKeep(true) - 2*gap
		default:
			return 0
		}
	}
	switch {
	case !d.k.signed:
		return d.signatureHeight() + d.copiesKeep(!d.k.copied)
	case !d.k.copied:
		return d.copiesKeep(true) - 2*gap
	}
	return 0
}

// copiesFollow reports whether the tembusan is what prints after the
// signature block i.
func (d *doc) copiesFollow(i int) bool {
	for j := i + 1; j < len(d.k.body); j++ {
		if d.prints(j) {
			return d.k.body[j].kind == blockTembusan
		}
	}
	return !d.k.copied
}

// holds reports whether a block's condition lets it print.
func (d *doc) holds(cond *tpl) bool {
	if cond == nil {
		return true
	}
	s := d.exec(cond, d.d)
	return s != "" && s != "false"
}

// block lays out body block i; keep is the height that must follow its
// last lines on their page.
func (d *doc) block(i int, keep float64) {
	b, p := &d.k.body[i], d.prepare(i)
	if !p.holds {
		return
	}
	pdf := d.pdf
	d.setFont("", bodyPt)
	if b.kind != blockPoints && b.kind != blockTable && b.kind != blockKV {
		d.pointNo = 0
	}
	// with adds the space a block leaves under itself to what it keeps.
	with := func(space float64) float64 {
		if keep > 0 {
			return keep + space
		}
		return 0
	}
	switch b.kind {
	case blockP:
		if s := p.text; s != "" {
			d.textKeep(d.left, d.width, s, "J", with(gap))
			pdf.Ln(gap)
		}
	case blockHeading: // drawn by need, with the first lines of what follows
		if s := d.exec(b.text, d.d); s != "" {
			d.setFont("B", bodyPt)
			d.headings = append(d.headings, s)
			d.headingH += float64(d.lines(s, d.width))*bodyLine + 1
		}
	case blockPoints:
		if d.pointsEnd == [2]float64{float64(pdf.PageNo()), pdf.GetY()} {
			pdf.SetY(pdf.GetY() - gap) // one list, split only by a skipped block
		}
		d.points(b.points, with(gap))
		pdf.Ln(gap)
		d.pointsEnd = [2]float64{float64(pdf.PageNo()), pdf.GetY()}
	case blockKV:
		d.kv(b.kv, with(gap))
		pdf.Ln(gap)
	case blockTable:
		d.table(b.table, with(gap+1))
		pdf.Ln(gap + 1)
	case blockSignature:
		d.signature(d.copiesKeep(d.copiesFollow(i)))
	case blockTembusan:
		d.tembusan()
	case blockPageBreak:
		pdf.AddPage()
	}
}

// signWidth is the width of the signature block, set against the right margin.
const signWidth = 80.0

// signature writes the signature block: the position, "Ditandatangani
// secara elektronik oleh", the name in bold and the NIP. It never claims a
// certified electronic signature: the QR code is a verification link. keep
// is the height of the tembusan that must follow on the same page.
func (d *doc) signature(keep float64) {
	c, pdf := d.r.common, d.pdf
	p, pos := d.signer()
	x := d.left + d.width - signWidth
	d.setFont("", bodyPt)
	if h := d.signatureHeight(); h+keep <= bodyBottom-marginT {
		d.need(h + keep)
	} else {
		d.need(h)
	}
	pdf.Ln(gap)
	line := func(s string, h float64) { d.flow(x, signWidth, h, s, "L") }
	line(pos, bodyLine)
	pdf.Ln(3)
	if p.Name == "" {
		d.setFont("", 9.5)
		line(d.exec(c.systemSigned, d.d), 4.5)
		d.setFont("", bodyPt)
		pdf.Ln(gap * 2)
		return
	}
	d.setFont("", 9.5)
	line(d.exec(c.signedBy, d.d), 4.5)
	pdf.Ln(3)
	d.setFont("B", bodyPt)
	line(d.tr(p.Name), bodyLine)
	d.setFont("", bodyPt)
	if p.NIP != "" {
		line(d.exec(c.nip, p), bodyLine)
	}
	pdf.Ln(gap * 2)
}

// signer is who signs, as the signer configuration resolved it (see
// Renderer.signature); with no one, the issuing unit issues the document
// through the system. pos is the position line in the font's code page,
// under the "a.n." line when the signer signs on behalf of the head.
func (d *doc) signer() (p Person, pos string) {
	sig := d.d.Signature
	p = sig.Person
	pos = p.Position
	if strings.TrimSpace(pos) == "" {
		pos = d.d.Issuer.author()
	}
	pos = d.tr(pos)
	if sig.OnBehalf != "" {
		an, err := d.r.common.onBehalf.exec(sig.OnBehalf)
		d.fail(err)
		pos = d.tr(an) + "\n" + pos // tr makes a line break a space
	}
	return p, pos
}

// signatureHeight is the height the signature block takes, measured as
// signature draws it (without the space under it), once per document.
func (d *doc) signatureHeight() float64 {
	if d.signH > 0 {
		return d.signH
	}
	c := d.r.common
	p, pos := d.signer()
	d.setFont("", bodyPt)
	h := gap + float64(d.lines(pos, signWidth))*bodyLine + 3
	d.setFont("", 9.5)
	if p.Name == "" {
		h += float64(d.lines(d.exec(c.systemSigned, d.d), signWidth)) * 4.5
	} else {
		h += float64(d.lines(d.exec(c.signedBy, d.d), signWidth))*4.5 + 3
		d.setFont("B", bodyPt)
		h += float64(d.lines(d.tr(p.Name), signWidth)) * bodyLine
		if p.NIP != "" {
			h += bodyLine
		}
	}
	d.setFont("", bodyPt)
	d.signH = h
	return h
}

// Geometry of the tembusan, in 10 pt: the "Tembusan:" line, then the items.
const (
	copiesPt   = 10.0
	copiesLine = bodyLine - 0.4
)

// copiesHeight is the height of "Tembusan:" and the first n items.
func (d *doc) copiesHeight(n int) float64 {
	d.setFont("", copiesPt)
	h := bodyLine
	for _, s := range d.copies()[:n] {
		h += float64(d.lines(s, d.width-pointIndent)) * copiesLine
	}
	d.setFont("", bodyPt)
	return h
}

// copiesKeep is what of the tembusan must share a page with the signature
// above it, with the space between them: the whole tembusan when it takes
// less than half a page, else "Tembusan:" and its first two items. It is 0
// when no tembusan follows or it is empty.
func (d *doc) copiesKeep(follows bool) float64 {
	n := len(d.copies())
	if !follows || n == 0 {
		return 0
	}
	if h := d.copiesHeight(n); h <= (bodyBottom-marginT)/2 {
		return 2*gap + h
	}
	return 2*gap + d.copiesHeight(min(n, 2))
}
