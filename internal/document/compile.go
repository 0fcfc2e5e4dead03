package document

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"text/template"
)

// tpl is one compiled template string. A string without actions is kept as
// it is and never executed.
type tpl struct {
	lit  string
	t    *template.Template
	fast *fastTpl // t, when of a shape fastTpl runs (fasttpl.go)
}

// slowTemplates runs every template in text/template, for the test that
// the fast path writes what it would.
var slowTemplates bool

// exec runs the template with data and squeezes its white space.
func (t *tpl) exec(data any) (string, error) {
	if t == nil {
		return "", nil
	}
	if t.t == nil {
		return t.lit, nil
	}
	b := tplBuffers.Get().(*bytes.Buffer)
	defer tplBuffers.Put(b)
	b.Reset()
	if t.fast != nil && !slowTemplates {
		if t.fast.exec(b, data) {
			return squeezeBytes(b.Bytes()), nil
		}
		b.Reset()
	}
	if err := t.t.Execute(b, data); err != nil {
		return "", err
	}
	return squeezeBytes(b.Bytes()), nil
}

// tplBuffers hold a template's output until it is squeezed into a string.
var tplBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// compiler gathers every problem of a template set instead of stopping at
// the first, so a bad template file is reported in one go.
type compiler struct {
	file string
	errs []error
}

func (c *compiler) tpl(path, src string) *tpl {
	if !strings.Contains(src, "{{") {
		return &tpl{lit: squeeze(src)}
	}
	t, err := template.New(path).Funcs(funcs).Option("missingkey=error").Parse(src)
	if err != nil {
		c.errs = append(c.errs, fmt.Errorf("%s: %s: %w", c.file, path, err))
		return &tpl{}
	}
	return &tpl{t: t, fast: compileFast(t)}
}

func (c *compiler) tpls(path string, srcs []string) []*tpl {
	out := make([]*tpl, len(srcs))
	for i, s := range srcs {
		out[i] = c.tpl(fmt.Sprintf("%s[%d]", path, i), s)
	}
	return out
}

func (c *compiler) err() error { return errors.Join(c.errs...) }

// kind is the compiled wording of one document kind.
type kind struct {
	name     string
	letter   bool   // a letter (surat), else a record
	issuer   string // issuerMinistry or issuerPemda
	kop      []*tpl // a pemda document's own heading lines
	title    *tpl
	subject  *tpl
	lampiran *tpl
	to       []*tpl
	body     []block
	tembusan []*tpl
	// signed and copied tell whether the body places the signature and the
	// tembusan itself; otherwise they follow the body.
	signed, copied bool
}

type blockKind int

const (
	blockP blockKind = iota
	blockHeading
	blockPoints
	blockKV
	blockTable
	blockSignature
	blockTembusan
	blockPageBreak
)

type block struct {
	kind   blockKind
	cond   *tpl
	text   *tpl // p, heading
	points []point
	kv     [][2]*tpl
	table  *table
}

type point struct {
	text *tpl
	sub  []*tpl
}

func (c *compiler) kind(name string, s *spec) *kind {
	k := &kind{
		name:     name,
		letter:   s.Form == "letter",
		issuer:   issuerMinistry,
		kop:      c.tpls("kop", s.Kop),
		title:    c.tpl("title", s.Title),
		lampiran: c.tpl("lampiran", s.Lampiran),
		to:       c.tpls("to", s.To),
		tembusan: c.tpls("tembusan", s.Tembusan),
	}
	if s.Issuer != "" {
		k.issuer = s.Issuer
	}
	k.subject = k.title
	if s.Subject != "" {
		k.subject = c.tpl("subject", s.Subject)
	}
	for i, bs := range s.Body {
		b := c.block(fmt.Sprintf("body[%d]", i), bs)
		k.signed = k.signed || b.kind == blockSignature
		k.copied = k.copied || b.kind == blockTembusan
		k.body = append(k.body, b)
	}
	return k
}

func (c *compiler) block(path string, s blockSpec) block {
	var b block
	if s.If != "" {
		b.cond = c.tpl(path+".if", s.If)
	}
	switch {
	case s.P != "":
		b.kind, b.text = blockP, c.tpl(path+".p", s.P)
	case s.Heading != "":
		b.kind, b.text = blockHeading, c.tpl(path+".heading", s.Heading)
	case len(s.Points) > 0:
		b.kind = blockPoints
		for i, p := range s.Points {
			at := fmt.Sprintf("%s.points[%d]", path, i)
			b.points = append(b.points, point{text: c.tpl(at, p.Text), sub: c.tpls(at+".sub", p.Sub)})
		}
	case len(s.KV) > 0:
		b.kind = blockKV
		for i, kv := range s.KV {
			at := fmt.Sprintf("%s.kv[%d]", path, i)
			b.kv = append(b.kv, [2]*tpl{c.tpl(at+".key", kv[0]), c.tpl(at+".value", kv[1])})
		}
	case s.Table != nil:
		b.kind, b.table = blockTable, c.table(path+".table", s.Table)
	case s.Signature:
		b.kind = blockSignature
	case s.Tembusan:
		b.kind = blockTembusan
	case s.PageBreak:
		b.kind = blockPageBreak
	}
	return b
}

// Issuers of a document kind (spec key issuer).
const (
	issuerMinistry = "ministry" // on the Ministry's kop, signed by the Ministry
	issuerPemda    = "pemda"    // the pemda's own report (laporan_penyelesaian)
)

// ownKop is the heading of a pemda's own document: its kop lines executed
// with the document's data, without the Ministry's address line.
func (k *kind) ownKop(d *data) (Letterhead, error) {
	var lh Letterhead
	for _, t := range k.kop {
		s, err := t.exec(d)
		if err != nil {
			return Letterhead{}, err
		}
		if s != "" {
			lh.Lines = append(lh.Lines, s)
		}
	}
	if len(lh.Lines) > 0 {
		lh.Unit = lh.Lines[0]
	}
	return lh, nil
}

// common is the compiled common.yaml.
type common struct {
	nomor, sifat, defaultSifat, lampiran, hal *tpl
	recordNumber, signedBy, systemSigned, nip *tpl
	onBehalf, tembusan, contact               *tpl
	footerIDs, footerPage, footerCheck        *tpl
}

func (c *compiler) common(s *commonSpec) *common {
	need := func(key, v string) *tpl {
		if strings.TrimSpace(v) == "" {
			c.errs = append(c.errs, fmt.Errorf("%s: %s: missing", c.file, key))
		}
		return c.tpl(key, v)
	}
	return &common{
		nomor: need("nomor", s.Nomor), sifat: need("sifat", s.Sifat),
		defaultSifat: need("default_sifat", s.DefaultSifat),
		lampiran:     need("lampiran", s.Lampiran), hal: need("hal", s.Hal),
		recordNumber: need("record_number", s.RecordNumber),
		signedBy:     need("signed_by", s.SignedBy), systemSigned: need("system_signed", s.SystemSigned),
		nip: need("nip", s.NIP), onBehalf: need("on_behalf", s.OnBehalf), tembusan: need("tembusan", s.Tembusan),
		contact: need("contact", s.Contact), footerIDs: need("footer_ids", s.FooterIDs),
		footerPage: need("footer_page", s.FooterPage), footerCheck: need("footer_check", s.FooterCheck),
	}
}
