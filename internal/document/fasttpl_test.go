package document

import (
	"bytes"
	"errors"
	"testing"
	"text/template"

	"dakflow/internal/dak"
)

// TestFastTemplatesAsTextTemplate: every kind, with both samples and with
// an empty Input, renders to the same bytes whether the templates of
// fastTpl's shape run there or all run in text/template.
func TestFastTemplatesAsTextTemplate(t *testing.T) {
	r := testRenderer(t)
	for _, kind := range Kinds() {
		inputs := map[string]Input{"empty": {Kind: kind, IssuedAt: sampleInput(t, kind).IssuedAt}}
		for name, sample := range map[string]func(string) (Input, error){"tapis": SampleInput, "sekaligus": SampleInputSekaligus} {
			in, err := sample(kind)
			if err != nil {
				t.Fatal(err)
			}
			inputs[name] = in
		}
		for name, in := range inputs {
			fast, fastErr := r.Render(in)
			slowTemplates = true
			slow, slowErr := r.Render(in)
			slowTemplates = false
			if (fastErr == nil) != (slowErr == nil) || !bytes.Equal(fast, slow) {
				t.Errorf("%s, %s: fast path %d bytes, %v; text/template %d bytes, %v", kind, name, len(fast), fastErr, len(slow), slowErr)
			}
		}
	}
}

type fastInner struct {
	Name  string
	Money dak.Money
	Ptr   *fastInner
	Any   any
	Map   map[string]string
	hid   string
}

func (f fastInner) Label() string            { return "label " + f.Name }
func (f *fastInner) PtrLabel() string        { return "ptr " + f.Name }
func (f fastInner) Fails() (string, error)   { return "", errors.New("gagal") }
func (f fastInner) Works() (string, error)   { return "jalan " + f.Name, nil }
func (f fastInner) NeedsArg(s string) string { return s }
func (f fastInner) Nothing()                 {}
func (f fastInner) Pair() (string, string)   { return "a", "b" }
func (f fastInner) Stringed() fastStringer   { return fastStringer(f.Name) }
func (f fastInner) Func() func()             { return func() {} }
func (f fastInner) Err() error               { return errors.New("nilai galat") }
func (f *fastInner) NilPtr() *fastInner      { return nil }
func (f fastInner) Anything() any            { return nil }
func (f fastInner) Number() int              { return 42 }
func (f fastInner) Unsigned() uint8          { return 7 }
func (f fastInner) Float() float64           { return 2.5 }
func (f fastInner) Bool() bool               { return true }
func (f fastInner) Strings() []string        { return []string{"x", "y"} }
func (f fastInner) Time() (dak.Money, error) { return 1500000, nil }
func (f fastInner) Inner() fastInner         { return fastInner{Name: "dalam"} }
func (f fastInner) InnerPtr() *fastInner     { return &fastInner{Name: "penunjuk"} }
func (f fastInner) MapOf() map[string]string { return map[string]string{"k": "v"} }
func (f fastInner) AnyOf() any               { return fastInner{Name: "antarmuka"} }
func (f fastInner) AnyPtr() any              { return &fastInner{Name: "antarmuka-ptr"} }
func (f fastInner) Embedded() fastEmbedding  { return fastEmbedding{} }
func (f fastInner) EmbeddedOK() fastEmbedding {
	return fastEmbedding{fastInner: &fastInner{Name: "tertanam"}}
}

type fastStringer string

func (s fastStringer) String() string { return "«" + string(s) + "»" }

type fastEmbedding struct {
	*fastInner
}

// TestFastTemplateShapes: for each shape fastTpl takes, over data that
// reaches every way text/template goes (methods of the value and of its
// pointer, fields, nils, maps, interfaces, errors, Stringers, functions that
// fail), tpl.exec answers what text/template answers, output or error.
func TestFastTemplateShapes(t *testing.T) {
	inner := &fastInner{Name: "isi", Money: 1250000000, Any: fastInner{Name: "any"}, Map: map[string]string{"k": "v"}}
	data := map[string]any{
		"pointer":   inner,
		"value":     *inner,
		"nil":       nil,
		"nilptr":    (*fastInner)(nil),
		"map":       map[string]any{"Name": "peta"},
		"string":    "teks",
		"number":    12,
		"stringer":  fastStringer("s"),
		"ptrchain":  &fastInner{Name: "atas", Ptr: &fastInner{Name: "bawah"}},
		"anynil":    fastInner{Name: "kosong"},
		"slicedata": []string{"a"},
	}
	sources := []string{
		"{{.}}", "a {{.}} b", "{{.Name}}", "{{.Label}}", "{{.PtrLabel}}", "{{.Fails}}", "{{.Works}}", "{{.NeedsArg}}",
		"{{.Nothing}}", "{{.Pair}}", "{{.Stringed}}", "{{.Func}}", "{{.Err}}", "{{.NilPtr}}", "{{.NilPtr.Name}}",
		"{{.Anything}}", "{{.Anything.Name}}", "{{.Number}}", "{{.Unsigned}}", "{{.Float}}", "{{.Bool}}",
		"{{.Strings}}", "{{.Time}}", "{{.Inner.Name}}", "{{.Inner.PtrLabel}}", "{{.InnerPtr.PtrLabel}}",
		"{{.MapOf.k}}", "{{.MapOf.missing}}", "{{.AnyOf.Name}}", "{{.AnyPtr.PtrLabel}}", "{{.Embedded.Name}}",
		"{{.EmbeddedOK.Name}}", "{{.EmbeddedOK.Label}}", "{{.Money}}", "{{.Money.Figures}}", "{{.Money.Spelled}}",
		"{{.Ptr}}", "{{.Ptr.Name}}", "{{.Any}}", "{{.Any.Name}}", "{{.Any.Label}}", "{{.Map.k}}", "{{.Map.x}}",
		"{{.hid}}", "{{.Missing}}", "{{.Name.Length}}", "{{dash .Name}}", "{{dash .Missing}}", "{{dash .Number}}",
		"{{dash .Any}}", "{{upper .Name}}", "{{upper .}}", "{{num .Number}}", "{{num .Any}}", "{{num .Name}}",
		"{{words .Number}}", "{{date .Name}}", "{{sentence .}}", "{{menu .Name}}", "{{dash .NilPtr}}",
		"{{short .Stringed}}", "x{{.Name}}y{{dash .Name}}z", "{{.Ptr.Ptr.Name}}", "{{category .Name}}",
	}
	for _, src := range sources {
		c := &compiler{file: "uji"}
		compiled := c.tpl(src, src)
		if c.err() != nil {
			t.Fatal(c.err())
		}
		if compiled.fast == nil {
			t.Errorf("%s: not of fastTpl's shape", src)
			continue
		}
		ref := template.Must(template.New(src).Funcs(funcs).Option("missingkey=error").Parse(src))
		for name, d := range data {
			var want bytes.Buffer
			wantErr := ref.Execute(&want, d)
			got, gotErr := compiled.exec(d)
			if (wantErr == nil) != (gotErr == nil) || (wantErr == nil && got != squeezeBytes(want.Bytes())) {
				t.Errorf("%s on %s: got %q, %v; text/template %q, %v", src, name, got, gotErr, want.String(), wantErr)
			}
		}
	}
	// The common shapes run in fastTpl itself, not in text/template after it.
	for _, c := range []struct{ src, data string }{{"{{.Name}}", "pointer"}, {"{{.Label}}", "value"}, {"{{.PtrLabel}}", "pointer"},
		{"{{.Money.Figures}}", "pointer"}, {"{{dash .Name}}", "value"}, {"{{.Any.Name}}", "pointer"}, {"{{.Ptr.Name}}", "ptrchain"},
		{"{{.Works}}", "pointer"}, {"{{.}}", "string"}, {"{{sentence .}}", "string"}, {"{{num .Number}}", "value"}} {
		c2 := &compiler{file: "uji"}
		var b bytes.Buffer
		if !c2.tpl(c.src, c.src).fast.exec(&b, data[c.data]) {
			t.Errorf("%s on %s: left to text/template", c.src, c.data)
		}
	}
	for _, src := range []string{"{{if .Name}}x{{end}}", "{{$x := .Name}}{{$x}}", "{{.Name | upper}}", "{{len .Name}}",
		"{{join \", \" .Name}}", "{{sub .Money .Money}}", "{{\"teks\"}}", "{{dash \"a\"}}"} {
		c := &compiler{file: "uji"}
		if c.tpl(src, src).fast != nil {
			t.Errorf("%s: taken by fastTpl, which does not run that shape", src)
		}
	}
}

// BenchmarkTemplates: a table cell and a key–value line of the receipt,
// each in fastTpl and in text/template.
func BenchmarkTemplates(b *testing.B) {
	in := sampleInput(b, "tanda_terima_usulan")
	rows, sum := rowSources["budget_lines"](&in)
	cell := &cellData{No: 1, Row: rows[0], Sum: sum, Count: len(rows)}
	for _, c := range []struct {
		name, src string
		data      any
	}{
		{"cell", "{{.Row.UnitPrice.Figures}}", cell},
		{"kv", "{{dash .Proposal.Title}}", &in},
	} {
		comp := &compiler{file: "bench"}
		t := comp.tpl(c.name, c.src)
		for _, slow := range []bool{false, true} {
			name := c.name + "/fast"
			if slow {
				name = c.name + "/text"
			}
			b.Run(name, func(b *testing.B) {
				slowTemplates = slow
				defer func() { slowTemplates = false }()
				b.ReportAllocs()
				for b.Loop() {
					if _, err := t.exec(c.data); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
