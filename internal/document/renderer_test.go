package document

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"dakflow/templates"
)

// templateFS copies the real templates into a map file system, with
// changes: a nil value deletes the file.
func templateFS(t *testing.T, changes map[string]*string) fs.FS {
	t.Helper()
	sub, err := fs.Sub(templates.FS, "documents")
	if err != nil {
		t.Fatal(err)
	}
	m := fstest.MapFS{}
	err = fs.WalkDir(sub, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, path)
		m[path] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, src := range changes {
		if src == nil {
			delete(m, name)
			continue
		}
		m[name] = &fstest.MapFile{Data: []byte(*src)}
	}
	return m
}

func ptr(s string) *string { return &s }

func TestNewRendererAcceptsBothRoots(t *testing.T) {
	for name, fsys := range map[string]fs.FS{"templates.FS": templates.FS, "documents": templateFS(t, nil)} {
		r, err := NewRenderer(fsys, Options{})
		if err != nil {
			t.Fatalf("NewRenderer(%s) = %v", name, err)
		}
		if got := len(r.Kinds()); got != 17 {
			t.Errorf("NewRenderer(%s).Kinds() has %d kinds, want 17", name, got)
		}
	}
}

// TestNewRendererErrors checks that a bad template set stops start-up with
// every problem listed.
func TestNewRendererErrors(t *testing.T) {
	tests := []struct {
		name    string
		changes map[string]*string
		want    []string
	}{
		{"missing file", map[string]*string{"catatan_rk.yaml": nil}, []string{"catatan_rk.yaml"}},
		{"unknown key", map[string]*string{"catatan_rk.yaml": ptr("form: record\ntitle: X\ntitel: Y\n")},
			[]string{"catatan_rk.yaml", "titel"}},
		{"bad syntax and unknown field, listed together", map[string]*string{
			"surat_penolakan.yaml": ptr("form: letter\ntitle: \"{{.Proposal.Number\"\nto: [x]\n"),
			"catatan_rk.yaml":      ptr("form: record\ntitle: \"{{.Proposal.Nomor}}\"\n"),
		}, []string{"surat_penolakan.yaml: title", "Nomor"}},
		{"bad block", map[string]*string{"catatan_rk.yaml": ptr("form: record\ntitle: X\nbody:\n  - p: a\n    heading: b\n  - table: {rows: nope, columns: [{head: A, width: 1, cell: x}]}\n")},
			[]string{"body[0]", "exactly one", "unknown row source \"nope\""}},
		{"letter without addressee", map[string]*string{"surat_penolakan.yaml": ptr("form: letter\ntitle: X\n")},
			[]string{"to: a letter needs an addressee"}},
		{"common label missing", map[string]*string{"common.yaml": ptr("nomor: Nomor\n")},
			[]string{"common.yaml: sifat: missing", "footer_check: missing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewRenderer(templateFS(t, tt.changes), Options{})
			if err == nil {
				t.Fatal("NewRenderer = nil error, want one")
			}
			for _, s := range tt.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("NewRenderer error lacks %q:\n%v", s, err)
				}
			}
		})
	}
}

func TestOptions(t *testing.T) {
	lh := Letterhead{Lines: []string{"Kementerian Contoh", "Unit Contoh"}, Address: "Jalan Contoh 1"}
	r, err := NewRenderer(templates.FS, Options{Letterhead: lh, TreasuryOfficer: "Kepala KPPN Contoh"})
	if err != nil {
		t.Fatal(err)
	}
	in := sampleInput(t, "rekomendasi_penyaluran")
	in.Stage.KPPN = "" // no KPPN named: the configured treasury officer is addressed
	pdf, err := r.Render(in)
	if err != nil {
		t.Fatal(err)
	}
	text := flat(pdfText(t, pdf))
	for _, s := range []string{"KEMENTERIAN CONTOH", "UNIT CONTOH", "Jalan Contoh 1", "Yth. Kepala KPPN Contoh"} {
		if !strings.Contains(text, s) {
			t.Errorf("text lacks %q", s)
		}
	}
	in.Issuer = Letterhead{Lines: []string{"Penerbit Lain"}}
	if pdf, err = r.Render(in); err != nil {
		t.Fatal(err)
	}
	if text := flat(pdfText(t, pdf)); !strings.Contains(text, "PENERBIT LAIN") || strings.Contains(text, "UNIT CONTOH") {
		t.Errorf("Input.Issuer did not replace the configured letterhead:\n%.300s", text)
	}
}
