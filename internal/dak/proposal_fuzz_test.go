package dak

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// FuzzProposalInput decodes a request body into ProposalInput as the API
// does (strictly, unknown fields rejected), names the failing field with
// JSONErrorPath when that fails, and validates what decodes. Properties:
//   - JSONErrorPath blames a value exactly when the strict decode fails for a
//     value (not for the syntax), and its path starts at a field of
//     ProposalInput or at the unknown key it names;
//   - Validate refuses with an ErrInvalid *Error whose every field is a
//     known path, or accepts a proposal within the documented limits;
//   - an accepted proposal marshals and decodes back to itself and
//     validates again unchanged (Validate is idempotent).
func FuzzProposalInput(f *testing.F) {
	for _, s := range []string{
		`{"fiscal_year":2027,"menu":"pembangunan","title":"Sentra IKM Tenun","sentra":{"name":"Tenun","latitude":-5.4,"longitude":105.2,"ikm_units":20,"decree_date":"2025-01-31"},"land":{"area_m2":5000,"ownership":"milik_pemda"},"budget_lines":[{"category":"bangunan","description":"Gedung","quantity":1,"unit":"paket","unit_price":1250000000}],"outputs":[{"description":"Gedung","volume":1,"unit":"unit"}]}`,
		`{"budget_lines":[{"unit_price":1.5}]}`,
		`{"budget_lines":[{"quantity":1000000,"unit_price":999999999999999}]}`,
		`{"sentra":{"nama":"x"}}`,
		`{"title":"a\u0000b","menu":"\xff"}`,
		`{"fiscal_year":1e400}`,
		`null`, `[]`, `{}`, `{"budget_lines":null}`, `{} {}`, `{"title":`,
		`{"Title":"case folded","TITLE":"twice"}`,
		`{"outputs":[` + strings.Repeat(`{"volume":1},`, 120) + `{}]}`,
		strings.Repeat(`{"sentra":`, 200) + `{}` + strings.Repeat(`}`, 200),
		strings.Repeat(`[`, 5000),
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var p ProposalInput
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		decErr := dec.Decode(&p)
		path, pathErr := JSONErrorPath(data, &ProposalInput{})
		var syn *json.SyntaxError
		switch {
		case decErr == nil && pathErr != nil:
			t.Fatalf("decode succeeded, but JSONErrorPath blames %q: %v", path, pathErr)
		case pathErr != nil && path != "" && !knownProposalPath(path, pathErr):
			t.Fatalf("JSONErrorPath = %q, %v: not a field of ProposalInput", path, pathErr)
		case decErr != nil && !errors.As(decErr, &syn) && !errors.Is(decErr, io.ErrUnexpectedEOF) && !errors.Is(decErr, io.EOF) && pathErr == nil:
			t.Fatalf("decode failed with %v, but JSONErrorPath blames nothing", decErr)
		}
		if decErr != nil {
			return
		}
		err := p.Validate()
		if err != nil {
			e, ok := AsError(err)
			if !ok || !errors.Is(err, ErrInvalid) || len(e.Fields) == 0 {
				t.Fatalf("Validate() = %v: want an ErrInvalid *Error with fields", err)
			}
			for _, fe := range e.Fields {
				if fe.Message == "" || !knownProposalPath(fe.Field, nil) {
					t.Fatalf("Validate() blames %q (%q): not a field of ProposalInput", fe.Field, fe.Message)
				}
			}
			return
		}
		checkValidProposal(t, &p)
	})
}

// checkValidProposal checks the limits Validate promises and that p
// survives a JSON round trip and a second Validate unchanged.
func checkValidProposal(t *testing.T, p *ProposalInput) {
	t.Helper()
	var sum Money
	for _, l := range p.BudgetLines {
		if l.Total != Money(l.Quantity)*l.UnitPrice || l.Total <= 0 || l.Total > MaxMoney {
			t.Fatalf("valid line %+v has a wrong total", l)
		}
		sum += l.Total
	}
	if p.FiscalYear < 2020 || p.FiscalYear > 2100 || p.Title == "" || sum > MaxMoney ||
		len(p.BudgetLines) > MaxBudgetLines || len(p.Outputs) > MaxOutputs {
		t.Fatalf("Validate accepted %+v", p)
	}
	p.EachText(func(path, v string) {
		if len(v) > maxText || strings.TrimSpace(v) != v {
			t.Fatalf("Validate accepted %s = %q: too long or not trimmed", path, v)
		}
	})
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatalf("json.Marshal(valid proposal): %v", err)
	}
	var back ProposalInput
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&back); err != nil {
		t.Fatalf("decode of marshalled %s: %v", b, err)
	}
	if err := back.Validate(); err != nil {
		t.Fatalf("valid proposal %s fails Validate after a round trip: %v", b, err)
	}
	if !reflect.DeepEqual(*p, back) {
		t.Fatalf("round trip changed the proposal:\n got %+v\nwant %+v", back, *p)
	}
}

// knownProposalPath reports whether path ("budget_lines[3].unit_price")
// starts at a JSON field of ProposalInput; for an unknown-field error the
// last segment is the unknown key and only its parents must be known.
func knownProposalPath(path string, err error) bool {
	if err != nil {
		if quoted, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			key, uerr := strconv.Unquote(quoted)
			parent, cut := strings.CutSuffix(path, key)
			if uerr != nil || !cut {
				return false
			}
			if parent == "" {
				return true
			}
			path = strings.TrimSuffix(parent, ".")
		}
	}
	segs := strings.Split(path, ".")
	t := reflect.TypeFor[ProposalInput]()
	for _, seg := range segs {
		name, _, _ := strings.Cut(seg, "[")
		for t.Kind() == reflect.Slice || t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return false
		}
		f, ok := jsonField(t, name)
		if !ok {
			return false
		}
		t = f.Type
	}
	return true
}
