package document

import "strings"

// body lays out the kind's blocks in order, then the signature and the
// tembusan unless the blocks placed them already.
func (d *doc) body() {
	for i := range d.k.body {
		if d.err != nil {
			return
		}
		// The closing paragraph goes to the next page with the signature
		// rather than leave it alone there.
		keep := 0.0
		if d.k.body[i].kind == blockP && (i+1 < len(d.k.body) && d.k.body[i+1].kind == blockSignature ||
			i+1 == len(d.k.body) && !d.k.signed) {
			keep = d.signatureHeight()
		}
		d.block(&d.k.body[i], keep)
	}
	if !d.k.signed {
		d.signature()
	}
	if !d.k.copied {
		d.tembusan()
	}
}

// holds reports whether a block's condition lets it print.
func (d *doc) holds(cond *tpl) bool {
	if cond == nil {
		return true
	}
	s := d.exec(cond, d.d)
	return s != "" && s != "false"
}

// block lays out one block; keep is the height that must follow a
// paragraph on the same page.
func (d *doc) block(b *block, keep float64) {
	if !d.holds(b.cond) {
		return
	}
	pdf := d.pdf
	pdf.SetFont(fontFamily, "", bodyPt)
	if b.kind != blockPoints && b.kind != blockTable && b.kind != blockKV {
		d.pointNo = 0
	}
	switch b.kind {
	case blockP:
		if s := d.exec(b.text, d.d); s != "" {
			if h := float64(d.lines(s, d.width))*bodyLine + gap + keep; keep > 0 && h < bodyBottom-marginT {
				d.need(h)
			}
			d.text(d.left, d.width, s, "J")
			pdf.Ln(gap)
		}
	case blockHeading:
		if s := d.exec(b.text, d.d); s != "" {
			pdf.SetFont(fontFamily, "B", bodyPt)
			d.need(float64(d.lines(s, d.width)+3) * bodyLine) // never alone at the foot of a page
			d.text(d.left, d.width, s, "L")
			pdf.Ln(1)
		}
	case blockPoints:
		if d.pointsEnd == [2]float64{float64(pdf.PageNo()), pdf.GetY()} {
			pdf.SetY(pdf.GetY() - gap) // one list, split only by a skipped block
		}
		d.points(b.points)
		pdf.Ln(gap)
		d.pointsEnd = [2]float64{float64(pdf.PageNo()), pdf.GetY()}
	case blockKV:
		d.kv(b.kv)
		pdf.Ln(gap)
	case blockTable:
		d.table(b.table)
		pdf.Ln(gap + 1)
	case blockSignature:
		d.signature()
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
// certified electronic signature: the QR code is a verification link.
func (d *doc) signature() {
	c, pdf := d.r.common, d.pdf
	p, pos := d.signer()
	x := d.left + d.width - signWidth
	pdf.SetFont(fontFamily, "", bodyPt)
	d.need(d.signatureHeight())
	pdf.Ln(gap)
	line := func(s string, h float64) { d.flow(x, signWidth, h, s, "L") }
	line(pos, bodyLine)
	pdf.Ln(3)
	if p.Name == "" {
		pdf.SetFont(fontFamily, "", 9.5)
		line(d.exec(c.systemSigned, d.d), 4.5)
		pdf.SetFont(fontFamily, "", bodyPt)
		pdf.Ln(gap * 2)
		return
	}
	pdf.SetFont(fontFamily, "", 9.5)
	line(d.exec(c.signedBy, d.d), 4.5)
	pdf.Ln(3)
	pdf.SetFont(fontFamily, "B", bodyPt)
	line(d.tr(p.Name), bodyLine)
	pdf.SetFont(fontFamily, "", bodyPt)
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
	if sig.OnBehalf != "" {
		an, err := d.r.common.onBehalf.exec(sig.OnBehalf)
		d.fail(err)
		pos = an + "\n" + pos
	}
	return p, d.tr(pos)
}

// signatureHeight is the height the signature block takes.
func (d *doc) signatureHeight() float64 {
	_, pos := d.signer()
	d.pdf.SetFont(fontFamily, "", bodyPt)
	return gap + float64(d.lines(pos, signWidth)+3)*bodyLine + 4.5 + 6
}

// tembusan writes "Tembusan:" and the numbered copies: the kind's own, then
// Input.Tembusan. Nothing when there are none.
func (d *doc) tembusan() {
	var items []string
	for _, t := range d.k.tembusan {
		if s := d.exec(t, d.d); s != "" {
			items = append(items, s)
		}
	}
	for _, s := range d.d.Tembusan {
		if s = squeeze(s); s != "" {
			items = append(items, d.tr(s))
		}
	}
	if len(items) == 0 {
		return
	}
	pdf := d.pdf
	pdf.SetFont(fontFamily, "", 10)
	d.need(3 * bodyLine)
	pdf.SetX(d.left)
	pdf.CellFormat(d.width, bodyLine, d.exec(d.r.common.tembusan, d.d), "", 1, "L", false, 0, "")
	for i, s := range items {
		d.need(bodyLine)
		y := pdf.GetY()
		pdf.SetX(d.left)
		pdf.CellFormat(pointIndent, bodyLine-0.4, itoa(i+1)+".", "", 0, "L", false, 0, "")
		pdf.SetY(y)
		d.flow(d.left+pointIndent, d.width-pointIndent, bodyLine-0.4, s, "L")
	}
	pdf.SetFont(fontFamily, "", bodyPt)
}
