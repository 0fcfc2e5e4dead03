// Package document renders the official documents of the DAK Fisik bidang
// IKM workflow — letters (surat) and records (tanda terima, berita acara,
// catatan, laporan) — as PDFs in the form of an Indonesian naskah dinas
// (PRODUCT.md §4, DOCUMENTS.md).
//
// One layout engine over go-pdf/fpdf draws every kind: the kop surat, the
// letter head (Nomor, Sifat, Lampiran, Hal, date) or the record title,
// paragraphs, numbered points, key–value lines, tables that break across
// pages with their header repeated, the signature block, the tembusan, and
// on every page a footer with the page number, the document number, the
// verification code and a QR code to the public verification page. The
// wording of each kind lives in templates/documents/<kind>.yaml (see spec),
// so changing a sentence never touches Go code.
//
// Rendering is deterministic (the same Input gives the same bytes) and fast:
// an embedded font prepared once (font.go: no font file parsed per
// document), a QR encoder of its own and pooled compression keep a two-page
// letter near 1.5 ms of CPU. A Renderer is safe for concurrent use.
package document

import (
	"errors"
	"fmt"
	"io/fs"
	"slices"

	"dakflow/internal/dak"
)

// kindList is every document kind of PRODUCT.md §3, in workflow order,
// with the short code its numbers carry ({KIND} of a number pattern). It
// is the one list of kinds: the templates and signers read here, the
// samples, and the workflow's check and numbering follow it.
var kindList = []struct{ name, code string }{
	{"tanda_terima_usulan", "TTU"}, {"surat_penarikan", "PNR"}, {"catatan_penilaian", "CPN"},
	{"berita_acara_penilaian", "BAP"}, {"surat_penolakan", "TLK"}, {"surat_penetapan_alokasi", "PAL"},
	{"surat_tidak_dialokasikan", "TDA"}, {"tanda_terima_rk", "TRK"}, {"catatan_rk", "CRK"},
	{"surat_persetujuan_rk", "PRK"}, {"tanda_terima_permohonan_salur", "TPS"},
	{"catatan_permohonan_salur", "CPS"}, {"rekomendasi_penyaluran", "RPS"},
	{"berita_acara_penyaluran", "BPS"}, {"laporan_penyelesaian", "LPS"}, {"surat_perpanjangan_batas_waktu", "PBW"},
	{"berita_acara_hangus", "BAH"},
}

// kinds are the names of kindList, in its order.
var kinds = func() []string {
	out := make([]string, len(kindList))
	for i, k := range kindList {
		out[i] = k.name
	}
	return out
}()

// Kinds lists every document kind the workflow issues (PRODUCT.md §3), in
// workflow order. The slice is a copy.
func Kinds() []string { return slices.Clone(kinds) }

// KindCode is the short code of a document kind in its numbers ("TTU" for
// tanda_terima_usulan); known is false for a name that is not a kind.
func KindCode(kind string) (code string, known bool) {
	for _, k := range kindList {
		if k.name == kind {
			return k.code, true
		}
	}
	return "", false
}

// Renderer renders documents from the templates it was built with. It holds
// no per-document state and is safe for concurrent use.
type Renderer struct {
	opts        Options
	common      *common
	kinds       map[string]*kind
	signers     *Signers
	signersFile string // where signers came from, for error messages
	// addFontsEach has every document hand fpdf the fonts' definitions,
	// as fpdf's API does, instead of sharing them (shareFonts): for the
	// test that both make the same documents.
	addFontsEach bool
	// cellsViaFpdf has every text cell written by fpdf's CellFormat
	// instead of textCell: for the test that both write the same bytes.
	cellsViaFpdf bool
	// plainFpdf has every font selected with fpdf's SetFont each time,
	// and tables' header fill left grey, as fpdf's API has them: for the
	// test that the documents' lean ways draw the same pages.
	plainFpdf bool
}

// NewRenderer parses the template of every kind and common.yaml from
// templates — the templates/documents directory, or a tree holding it
// under "documents" — once, takes the signers of Options.Signers or of the
// templates' signers.yaml, and test-renders every kind with its sample and
// with an empty Input, so that a bad template or signer file stops
// start-up. The error lists every problem found.
func NewRenderer(templates fs.FS, opts Options) (*Renderer, error) {
	templates = documentsDir(templates)
	r := &Renderer{opts: opts.withDefaults(), kinds: map[string]*kind{}, signers: opts.Signers, signersFile: opts.SignersFile}
	var errs []error
	if _, err := loadFonts(); err != nil {
		errs = append(errs, err)
	}
	if r.signers == nil {
		var err error
		if r.signers, err = LoadSigners(templates); err != nil {
			errs = append(errs, err)
		}
		r.signersFile = SignersFile
	}
	c := &compiler{file: "common.yaml"}
	var cs commonSpec
	if err := readYAML(templates, c.file, &cs); err != nil {
		errs = append(errs, err)
	} else if r.common = c.common(&cs); c.err() != nil {
		errs = append(errs, c.err())
		r.common = nil
	}
	for _, name := range kinds {
		c := &compiler{file: name + ".yaml"}
		var s spec
		if err := readYAML(templates, c.file, &s); err != nil {
			errs = append(errs, err)
			continue
		}
		if err := s.check(); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", c.file, err))
			continue
		}
		if k := c.kind(name, &s); c.err() != nil {
			errs = append(errs, c.err())
		} else {
			r.kinds[name] = k
		}
	}
	if r.common != nil && r.signers != nil {
		errs = append(errs, r.selfTest())
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("document templates: %w", err)
	}
	return r, nil
}

// documentsDir is templates/documents: the tree itself, or its "documents".
func documentsDir(templates fs.FS) fs.FS {
	if _, err := fs.Stat(templates, "common.yaml"); err != nil {
		if sub, err := fs.Sub(templates, "documents"); err == nil {
			if _, err := fs.Stat(sub, "common.yaml"); err == nil {
				return sub
			}
		}
	}
	return templates
}

func readYAML(fsys fs.FS, name string, v any) error {
	src, err := fs.ReadFile(fsys, name)
	if err != nil {
		return err
	}
	if err := decodeStrict(src, v); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// selfTest renders every compiled kind with its sample and with an empty
// Input: text/template finds a misspelt field only when it runs.
func (r *Renderer) selfTest() error {
	var errs []error
	for _, name := range kinds {
		if r.kinds[name] == nil {
			continue
		}
		sample, err := SampleInput(name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, in := range []Input{sample, {Kind: name}} {
			if _, err := r.Render(in); err != nil {
				errs = append(errs, err)
				break
			}
		}
	}
	return errors.Join(errs...)
}

// Kinds lists the kinds this renderer renders: all of Kinds().
func (r *Renderer) Kinds() []string { return Kinds() }

// data is what templates are executed with: the Input, with the kop and the
// sifat resolved to their defaults, who signs, and the configured treasury
// officer.
type data struct {
	*Input
	Issuer    Letterhead // the kop used
	Sifat     string     // "Biasa" unless the Input says otherwise
	Treasury  string     // addressee of rekomendasi_penyaluran
	Signature Signature  // who signs, per the signer configuration
}

func (r *Renderer) data(k *kind, in *Input) (*data, error) {
	d := &data{Input: in, Issuer: in.Issuer, Sifat: squeeze(in.Sifat), Treasury: r.opts.TreasuryOfficer}
	var err error
	if d.Signature, err = r.signature(k, in); err != nil {
		return nil, err
	}
	if d.Issuer.IsZero() {
		d.Issuer = r.opts.Letterhead
		if k.issuer == issuerPemda {
			if d.Issuer, err = k.ownKop(d); err != nil {
				return nil, err
			}
		}
	}
	if d.Sifat == "" {
		s, err := r.common.defaultSifat.exec(d)
		if err != nil {
			return nil, err
		}
		d.Sifat = s
	}
	return d, nil
}

// Title is the title of a document of the given kind about in: the Hal of
// a letter or the heading of a record, as stored with the document. It
// returns a dak.ErrInvalid error for an unknown kind.
func (r *Renderer) Title(kind string, in Input) (string, error) {
	title, _, err := r.Describe(kind, in)
	return title, err
}

// Issuer is the unit that issues a document of the given kind about in:
// the Ministry's unit, or for a pemda's own report its government. It
// returns a dak.ErrInvalid error for an unknown kind.
func (r *Renderer) Issuer(kind string, in Input) (string, error) {
	_, issuer, err := r.Describe(kind, in)
	return issuer, err
}

// Describe is a document's Title and Issuer together, resolving its data
// (signer, kop) once, as the engine needs both for every document.
func (r *Renderer) Describe(kind string, in Input) (title, issuer string, err error) {
	k, ok := r.kinds[kind]
	if !ok {
		return "", "", dak.Errorf(dak.ErrInvalid, "jenis dokumen %q tidak dikenal", kind)
	}
	d, err := r.data(k, &in)
	if err != nil {
		return "", "", err
	}
	if title, err = k.title.exec(d); err != nil {
		return "", "", err
	}
	return title, d.Issuer.author(), nil
}

// Render renders in as a PDF. The same Input always gives the same bytes.
// It returns a dak.ErrInvalid error for an unknown kind or for text the
// document font cannot show (see CheckText), a dak.ErrRule error naming
// actor.nip when the actor signs (see Signers) without a valid NIP, and a
// plain error when a
// template fails or VerifyURL is longer than a QR code of version 10 holds
// (213 bytes).
func (r *Renderer) Render(in Input) ([]byte, error) {
	k, ok := r.kinds[in.Kind]
	if !ok {
		return nil, dak.Errorf(dak.ErrInvalid, "jenis dokumen %q tidak dikenal", in.Kind)
	}
	dd, err := r.data(k, &in)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", k.name, err)
	}
	d := &doc{r: r, k: k, d: dd}
	title, err := k.title.exec(dd)
	d.fail(err)
	subject, err := k.subject.exec(dd)
	d.fail(err)
	d.prepareFooter()
	d.open(title, subject)
	d.kop()
	if k.letter {
		d.letterHead()
		d.addressee()
	} else {
		d.recordTitle()
	}
	d.body()
	if d.err != nil {
		return nil, d.err
	}
	pdf, err := d.output()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", k.name, err)
	}
	return pdf, nil
}
