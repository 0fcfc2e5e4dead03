package document

import (
	"fmt"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"dakflow/internal/dak"
)

// Page geometry in millimetres: A4 portrait with the margins of a naskah
// dinas (wider on the binding side) and a footer band for the verification.
const (
	pageW, pageH = 210.0, 297.0
	marginL      = 25.0
	marginR      = 20.0
	marginT      = 20.0 // pages after the first; the kop starts higher
	kopTop       = 12.0
	footerRule   = 268.0 // the thin rule above the footer
	bodyBottom   = footerRule - 4
	qrSize       = 17.0

	bodyPt     = 11.0
	bodyLine   = 5.0
	tablePt    = 9.0
	tableLine  = 4.1
	footerPt   = 7.0
	footerLine = 3.3
)

// doc is the state of one rendering: one fpdf instance, never shared.
type doc struct {
	r   *Renderer
	k   *kind
	d   *data
	pdf *fpdf.Fpdf
	err error

	left, width float64 // the text area
	footer      footer
	pointNo     int        // the last number of the running numbered list
	pointsEnd   [2]float64 // page and y where the last points block ended

	headings  []string   // headings waiting for the block they head (see need)
	headingH  float64    // their height
	pre       []prepared // the body blocks' conditions and paragraphs, executed once
	signH     float64    // the signature block's height, once measured
	copyItems []string   // the tembusan's items, once executed
	cellBuf   []byte     // textCell's scratch

	fontSet   bool // fontStyle and fontPt are fpdf's font (see setFont)
	fontStyle string
	fontPt    float64
}

// setFont selects the documents' font in style at size points. fpdf's
// SetFont writes a Tf operator every time, the font already selected too,
// and tables select theirs at every row: the same font again writes
// nothing here.
func (d *doc) setFont(style string, size float64) {
	if d.fontSet && d.fontStyle == style && d.fontPt == size && !d.r.plainFpdf {
		return
	}
	d.pdf.SetFont(fontFamily, style, size)
	d.fontSet, d.fontStyle, d.fontPt = true, style, size
}

// footer holds the cp1252 texts and QR drawing repeated on every page.
type footer struct {
	ids, check string
	url        string
	qr         string // raw PDF operators drawing the QR code
}

// fail keeps the first error of the rendering.
func (d *doc) fail(err error) {
	if err != nil && d.err == nil {
		d.err = err
	}
}

// tr turns text into the font's code page, failing the rendering (with a
// dak.ErrInvalid error naming the characters) if the font cannot show it.
func (d *doc) tr(s string) string {
	out, ok := toCP1252(s)
	if !ok {
		d.fail(fmt.Errorf("%s: %w", d.k.name, CheckText(s)))
	}
	return out
}

// exec runs a template of the kind with data, in code page 1252.
func (d *doc) exec(t *tpl, data any) string {
	s, err := t.exec(data)
	if err != nil {
		d.fail(fmt.Errorf("%s: %w", d.k.name, err))
		return ""
	}
	return d.tr(s)
}

// open creates the fpdf instance with fixed metadata, so that the same
// Input always gives the same bytes.
func (d *doc) open(title, subject string) {
	pdf := fpdf.New("P", "mm", "A4", "")
	d.pdf = pdf
	d.addFonts(d.r.opts.NoCompression)
	d.left, d.width = marginL, pageW-marginL-marginR
	pdf.SetMargins(marginL, marginT, marginR)
	pdf.SetAutoPageBreak(true, pageH-bodyBottom)
	pdf.SetCellMargin(0)
	pdf.SetCompression(false) // deflatePages does it, faster
	pdf.SetCatalogSort(true)
	at := d.d.IssuedAt
	if at.IsZero() {
		at = time.Unix(0, 0)
	}
	at = at.UTC() // fpdf writes the date without a zone
	pdf.SetCreationDate(at)
	pdf.SetModificationDate(at)
	pdf.SetTitle(title, true)
	pdf.SetSubject(subject, true)
	pdf.SetAuthor(d.d.Issuer.author(), true)
	pdf.SetKeywords(strings.TrimSpace(d.d.Proposal.Number+" "+d.k.name), true)
	pdf.SetCreator("dakflow", true)
	pdf.SetLang("id-ID")
	if d.r.opts.NoCompression {
		pdf.AliasNbPages(pageAlias) // else deflatePages replaces it, cheaper
	}
	pdf.SetFooterFunc(d.drawFooter)
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetTextColor(0, 0, 0)
	pdf.AddPage()
}

// kop draws the letterhead: the unit's names in bold capitals, centred,
// the contact line, and a thick and a thin rule under them.
func (d *doc) kop() {
	pdf := d.pdf
	lh := d.d.Issuer
	if lh.IsZero() { // a pemda's document with no heading of its own
		pdf.SetY(marginT)
		return
	}
	pdf.SetY(kopTop)
	for i, line := range lh.Lines {
		size := 12.0
		if i == 0 && len(lh.Lines) > 1 {
			size = 13.5
		}
		d.setFont("B", size)
		pdf.SetX(d.left)
		pdf.MultiCell(d.width, size*0.45, d.tr(strings.ToUpper(line)), "", "C", false)
	}
	if contact := d.exec(d.r.common.contact, lh); contact != "" {
		size := 8.0 // shrunk until the line fits, down to 6.5 pt
		for d.setFont("", size); size > 6.5 && pdf.GetStringWidth(contact) > d.width; {
			size -= 0.25
			d.setFont("", size)
		}
		pdf.SetX(d.left)
		pdf.MultiCell(d.width, 4, contact, "", "C", false)
	}
	y := pdf.GetY() + 1.5
	pdf.SetLineWidth(0.8)
	pdf.Line(d.left, y, d.left+d.width, y)
	pdf.SetLineWidth(0.25)
	pdf.Line(d.left, y+1.1, d.left+d.width, y+1.1)
	pdf.SetY(y + 6)
	d.setFont("", bodyPt)
}

// letterHead writes Nomor, Sifat, Lampiran and Hal, with the date on the
// right of the Nomor line.
func (d *doc) letterHead() {
	c, pdf := d.r.common, d.pdf
	d.setFont("", bodyPt)
	y := pdf.GetY()
	date := d.tr(orDash(d.d.IssuedAt, dak.FormatDate))
	pdf.SetXY(d.left, y)
	d.textCell(d.width, bodyLine, date, 0, "R")
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
		d.pair(d.left, headLabel, w, r[0], dash(r[1]), "L", 0)
	}
	pdf.Ln(bodyLine)
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
	d.setFont("B", 12)
	d.flow(d.left, d.width, 6, d.exec(d.k.title, d.d), "C")
	d.setFont("", bodyPt)
	d.flow(d.left, d.width, bodyLine, d.exec(d.r.common.recordNumber, d.d), "C")
	pdf.Ln(bodyLine)
}

// prepareFooter executes the footer's wording once per document and builds
// the QR code of the verification URL.
func (d *doc) prepareFooter() {
	c := d.r.common
	d.footer.ids = d.exec(c.footerIDs, d.d)
	d.footer.url = d.d.VerifyURL
	if d.d.VerifyURL != "" {
		d.footer.check = d.exec(c.footerCheck, d.d)
		ops, err := qrOperators(d.d.VerifyURL, marginL, footerRule+2.5, qrSize)
		d.fail(err)
		d.footer.qr = ops
	}
}

// drawFooter is fpdf's footer function: a rule, the QR code at the left and
// the page number, document number, verification code and the sentence on
// how to check the document at its right. It runs once per page.
func (d *doc) drawFooter() {
	pdf := d.pdf
	pdf.SetLineWidth(0.2)
	pdf.Line(d.left, footerRule, d.left+d.width, footerRule)
	x := d.left
	if d.footer.qr != "" {
		pdf.RawWriteStr(d.footer.qr)
		pdf.LinkString(d.left, footerRule+2.5, qrSize, qrSize, d.footer.url)
		x += qrSize + 4
	}
	w := d.left + d.width - x
	page := d.exec(d.r.common.footerPage, struct {
		Page  int
		Pages string
	}{pdf.PageNo(), pageAlias})
	d.setFont("", footerPt)
	pdf.SetXY(x, footerRule+2.5)
	d.textCell(w, footerLine, page, 1, "L")
	pdf.SetX(x)
	pdf.MultiCell(w, footerLine, d.footer.ids, "", "L", false)
	if d.footer.check != "" {
		pdf.SetX(x)
		pdf.MultiCell(w, footerLine, d.footer.check, "", "L", false)
	}
	// fpdf selects, on the page it starts next, the font that was
	// selected before the footer: not the footer's.
	d.fontSet = false
}
