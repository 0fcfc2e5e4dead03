package document

import (
	"bytes"
	"errors"
	"fmt"

	"go.yaml.in/yaml/v3"
)

// A template file, templates/documents/<kind>.yaml, holds the wording of one
// kind as YAML; every string in it is a text/template executed with the
// Input (plus .Treasury, the configured treasury officer) and the helpers of
// funcs. The Go engine lays the blocks out; the file never says where on the
// page anything goes. Its shape:
//
//	form: letter | record
//	issuer: ministry (default) | pemda — a pemda's own report, not on the
//	  Ministry's kop and signed by the pemda's official (see Signers)
//	kop: [heading lines of a pemda's document, in bold capitals]
//	title: the Hal of a letter, the centred title of a record
//	subject: PDF subject (optional; default the title)
//	lampiran: "Satu berkas" or "-" (letters)
//	to: [addressee lines of a letter, first one starting "Yth."]
//	body: [blocks]
//	tembusan: [copies always sent; empty results are left out]
//
// A block is a mapping with one of the keys p (a justified paragraph),
// heading (a bold line), points (a numbered list; an item may be a string or
// {text, sub: [lettered items]}), kv (a list of [key, value] pairs), table,
// signature: true, tembusan: true, pagebreak: true — and optionally if, a
// template whose result "" or "false" leaves the block out. A paragraph,
// point, sub-item or kv pair whose text comes out empty is left out too.
type spec struct {
	Form     string      `yaml:"form"`
	Issuer   string      `yaml:"issuer"`
	Kop      []string    `yaml:"kop"`
	Title    string      `yaml:"title"`
	Subject  string      `yaml:"subject"`
	Lampiran string      `yaml:"lampiran"`
	To       []string    `yaml:"to"`
	Body     []blockSpec `yaml:"body"`
	Tembusan []string    `yaml:"tembusan"`
}

type blockSpec struct {
	If        string      `yaml:"if"`
	P         string      `yaml:"p"`
	Heading   string      `yaml:"heading"`
	Points    []pointSpec `yaml:"points"`
	KV        [][]string  `yaml:"kv"`
	Table     *tableSpec  `yaml:"table"`
	Signature bool        `yaml:"signature"`
	Tembusan  bool        `yaml:"tembusan"`
	PageBreak bool        `yaml:"pagebreak"`
}

// pointSpec is a numbered point: a plain string, or {text, sub}.
type pointSpec struct {
	Text string   `yaml:"text"`
	Sub  []string `yaml:"sub"`
}

// UnmarshalYAML accepts a point written as a plain string.
func (p *pointSpec) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		return n.Decode(&p.Text)
	}
	type plain pointSpec
	return n.Decode((*plain)(p))
}

// tableSpec is a table over one of the row sources of rowSources. Each cell
// is a template executed with .No (1-based row number), .Row (the element)
// and .Doc (the document's data); the total row's value with .Sum (the sum
// of the source's amounts), .Count and .Doc.
type tableSpec struct {
	Rows    string       `yaml:"rows"`
	Columns []columnSpec `yaml:"columns"`
	Total   *totalSpec   `yaml:"total"`
	Empty   string       `yaml:"empty"` // printed in one row when there are no rows; "" leaves the table out
}

type columnSpec struct {
	Head  string  `yaml:"head"`
	Width float64 `yaml:"width"` // relative to the other columns
	Align string  `yaml:"align"` // L (default), C or R — figures are R
	Cell  string  `yaml:"cell"`
}

// totalSpec is the total row: Label spans the columns before Column
// (1-based; default the last), Value fills it.
type totalSpec struct {
	Label  string `yaml:"label"`
	Column int    `yaml:"column"`
	Value  string `yaml:"value"`
}

// commonSpec is templates/documents/common.yaml: the wording every kind
// shares (labels of the letter head, signature, tembusan and footer).
type commonSpec struct {
	Nomor        string `yaml:"nomor"`
	Sifat        string `yaml:"sifat"`
	DefaultSifat string `yaml:"default_sifat"`
	Lampiran     string `yaml:"lampiran"`
	Hal          string `yaml:"hal"`
	RecordNumber string `yaml:"record_number"` // under a record's title, with the Input
	SignedBy     string `yaml:"signed_by"`
	SystemSigned string `yaml:"system_signed"`
	NIP          string `yaml:"nip"`       // with the signer's Person
	OnBehalf     string `yaml:"on_behalf"` // "a.n." line, with the head's position
	Tembusan     string `yaml:"tembusan"`
	Contact      string `yaml:"contact"`     // the kop's contact line, with the Letterhead
	FooterIDs    string `yaml:"footer_ids"`  // with the Input
	FooterPage   string `yaml:"footer_page"` // with .Page and .Pages
	FooterCheck  string `yaml:"footer_check"`
}

// decodeStrict decodes one YAML document into v, refusing unknown keys so
// that a misspelt key is an error at start-up, not a silently missing line.
func decodeStrict(src []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return err
	}
	return nil
}

// check reports the structural problems of a kind's spec.
func (s *spec) check() error {
	var errs []error
	if s.Form != "letter" && s.Form != "record" {
		errs = append(errs, fmt.Errorf("form: %q, want letter or record", s.Form))
	}
	if s.Issuer != "" && s.Issuer != issuerMinistry && s.Issuer != issuerPemda {
		errs = append(errs, fmt.Errorf("issuer: %q, want %s or %s", s.Issuer, issuerMinistry, issuerPemda))
	}
	if len(s.Kop) > 0 && s.Issuer != issuerPemda {
		errs = append(errs, errors.New("kop: only a pemda's document (issuer: pemda) has a kop of its own"))
	}
	if s.Title == "" {
		errs = append(errs, errors.New("title: missing"))
	}
	if s.Form == "letter" && len(s.To) == 0 {
		errs = append(errs, errors.New("to: a letter needs an addressee"))
	}
	for i, b := range s.Body {
		if err := b.check(); err != nil {
			errs = append(errs, fmt.Errorf("body[%d]: %w", i, err))
		}
	}
	return errors.Join(errs...)
}

func (b *blockSpec) check() error {
	n := 0
	for _, set := range []bool{b.P != "", b.Heading != "", len(b.Points) > 0, len(b.KV) > 0,
		b.Table != nil, b.Signature, b.Tembusan, b.PageBreak} {
		if set {
			n++
		}
	}
	if n != 1 {
		return fmt.Errorf("a block needs exactly one of p, heading, points, kv, table, signature, tembusan, pagebreak (has %d)", n)
	}
	for i, kv := range b.KV {
		if len(kv) != 2 {
			return fmt.Errorf("kv[%d]: want [key, value], got %d items", i, len(kv))
		}
	}
	if t := b.Table; t != nil {
		if _, ok := rowSources[t.Rows]; !ok {
			return fmt.Errorf("table.rows: unknown row source %q", t.Rows)
		}
		if len(t.Columns) == 0 {
			return errors.New("table.columns: missing")
		}
		for i, c := range t.Columns {
			if c.Width <= 0 {
				return fmt.Errorf("table.columns[%d].width: must be positive", i)
			}
			if c.Align != "" && c.Align != "L" && c.Align != "C" && c.Align != "R" {
				return fmt.Errorf("table.columns[%d].align: %q, want L, C or R", i, c.Align)
			}
		}
		if t.Total != nil && (t.Total.Column < 0 || t.Total.Column > len(t.Columns)) {
			return fmt.Errorf("table.total.column: %d out of 1..%d", t.Total.Column, len(t.Columns))
		}
	}
	return nil
}
