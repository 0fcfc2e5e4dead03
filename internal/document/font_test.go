package document

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/go-pdf/fpdf"
	"github.com/google/go-cmp/cmp"

	"dakflow/templates"
)

// pdfFont is one line of pdffonts' table.
type pdfFont struct {
	Name, Type, Encoding, Emb string
}

// pdfFonts lists the fonts of a PDF with poppler's pdffonts.
func pdfFonts(tb testing.TB, pdf []byte) []pdfFont {
	tb.Helper()
	bin, err := exec.LookPath("pdffonts")
	if err != nil {
		missingTool(tb, "pdffonts not installed: apt-get install -y poppler-utils")
	}
	path := filepath.Join(tb.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		tb.Fatal(err)
	}
	out, err := exec.Command(bin, path).CombinedOutput()
	if err != nil {
		tb.Fatalf("pdffonts: %v\n%s", err, out)
	}
	// A header, a line of dashes giving the columns' widths, one line a font.
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[1], "---") {
		tb.Fatalf("pdffonts printed an unknown table:\n%s", out)
	}
	var cols [][2]int
	at := 0
	for _, dashes := range strings.Split(lines[1], " ") {
		cols = append(cols, [2]int{at, at + len(dashes)})
		at += len(dashes) + 1
	}
	field := func(line string, i int) string {
		from, to := cols[i][0], min(cols[i][1], len(line))
		if from >= len(line) {
			return ""
		}
		return strings.TrimSpace(line[from:to])
	}
	var fonts []pdfFont
	for _, l := range lines[2:] {
		fonts = append(fonts, pdfFont{field(l, 0), field(l, 1), field(l, 2), field(l, 3)})
	}
	return fonts
}

// TestFontsEmbedded renders every kind, from both samples and from an empty
// Input, and checks that every font is Dakflow Sans, embedded, and that no
// core font (never embedded) is referenced: DOCUMENTS.md, fonts embedded.
func TestFontsEmbedded(t *testing.T) {
	for _, kind := range Kinds() {
		inputs := map[string]Input{"empty": {Kind: kind}}
		for _, s := range samples {
			in, err := s.input(kind)
			if err != nil {
				t.Fatal(err)
			}
			inputs["sample"+s.suffix] = in
		}
		for name, in := range inputs {
			t.Run(kind+"/"+name, func(t *testing.T) {
				pdf := render(t, in)
				got := pdfFonts(t, pdf) // in the order of the font resources' names, which is no matter
				slices.SortFunc(got, func(a, b pdfFont) int { return strings.Compare(a.Name, b.Name) })
				want := []pdfFont{
					{"DakflowSans-Bold", "TrueType", "WinAnsi", "yes"},
					{"DakflowSans-Regular", "TrueType", "WinAnsi", "yes"},
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("pdffonts (-want +got):\n%s", diff)
				}
				// The core fonts are Type1 without a FontFile.
				if bytes.Contains(pdf, []byte("/Subtype /Type1")) {
					t.Error("PDF references a Type1 (core) font")
				}
				fonts, _ := loadFonts()
				for _, f := range fonts {
					if n := bytes.Count(pdf, slices.Concat([]byte("stream\n"), f.file, []byte("\nendstream"))); n != 1 {
						t.Errorf("PDF holds the font file of style %q %d times, want once", f.style, n)
					}
				}
			})
		}
	}
}

// TestFontsDrawn renders a document with poppler (pdftoppm), compressed
// (the font objects put in by deflatePages) and not (embedded by fpdf): a font
// file that poppler cannot read makes it complain on stderr.
func TestFontsDrawn(t *testing.T) {
	bin, err := exec.LookPath("pdftoppm")
	if err != nil {
		missingTool(t, "pdftoppm not installed: apt-get install -y poppler-utils")
	}
	plain, err := NewRenderer(templates.FS, Options{NoCompression: true})
	if err != nil {
		t.Fatal(err)
	}
	in := sampleInput(t, "surat_persetujuan_rk")
	for name, r := range map[string]*Renderer{"compressed": testRenderer(t), "uncompressed": plain} {
		pdf, err := r.Render(in)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		path := filepath.Join(dir, "doc.pdf")
		if err := os.WriteFile(path, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		var stderr bytes.Buffer
		cmd := exec.Command(bin, "-r", "20", "-png", path, filepath.Join(dir, "page"))
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil || stderr.Len() > 0 {
			t.Errorf("%s: pdftoppm = %v, stderr:\n%s", name, err, stderr.String())
		}
	}
}

// TestDeflatePagesRefusesAMissingFont checks that fpdf's output without
// the core font dictionaries deflatePages replaces (a changed fpdf; here
// fpdf's own embedding) fails instead of giving a document with a font
// missing.
func TestDeflatePagesRefusesAMissingFont(t *testing.T) {
	plain, err := NewRenderer(templates.FS, Options{NoCompression: true})
	if err != nil {
		t.Fatal(err)
	}
	in := sampleInput(t, "surat_penolakan")
	raw, err := plain.Render(in)
	if err != nil {
		t.Fatal(err)
	}
	fonts, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	pages := bytes.Count(raw, []byte("/Type /Page\n"))
	if deflatePages(new(bytes.Buffer), raw, pages, fonts) {
		t.Error("deflatePages accepted a document without the core font dictionaries")
	}
	if !deflatePages(new(bytes.Buffer), raw, pages, nil) {
		t.Error("deflatePages refused the document with no font to replace")
	}
}

// TestFontFilesSafeForDeflate checks that no line of the embedded font data
// looks like an object header or the cross-reference table to
// deflatePages, which reads the document line by line: the font's bytes are
// fixed, so this check stands for every document.
func TestFontFilesSafeForDeflate(t *testing.T) {
	fonts, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	header := regexp.MustCompile(`^[0-9]+ 0 obj$`)
	for _, f := range fonts {
		for i, line := range bytes.Split(f.file, []byte("\n")) {
			if string(line) == "xref" || header.Match(line) {
				t.Errorf("font %q: line %d of the font file reads %q", f.style, i+1, line)
			}
		}
	}
}

// TestReadFonts checks that a font definition that does not match the
// files the layout expects stops start-up.
func TestReadFonts(t *testing.T) {
	fonts, err := readFonts(templates.Fonts)
	if err != nil {
		t.Fatalf("readFonts(templates.Fonts) = %v", err)
	}
	if len(fonts) != 2 || fonts[0].style != "" || fonts[1].style != "B" {
		t.Errorf("readFonts gave %d styles, want regular and bold", len(fonts))
	}
	for _, f := range fonts {
		if len(f.def) == 0 || len(f.file) < 5000 {
			t.Errorf("style %q: definition %d bytes, font %d bytes", f.style, len(f.def), len(f.file))
		}
	}
}

// TestFontMetrics checks that text is measured with the embedded font's
// widths, Liberation Sans' (those of Arial): "Rp1.250.000,00" at 11 pt.
func TestFontMetrics(t *testing.T) {
	d := &doc{pdf: fpdf.New("P", "mm", "A4", "")}
	d.addFonts(true)
	if d.err != nil {
		t.Fatal(d.err)
	}
	tests := []struct {
		style string
		s     string
		units int // sum of the glyphs' advance widths, in 1/1000 em
	}{
		{"", "Rp1.250.000,00", 722 + 556 + 9*556 + 3*278},
		{"B", "Hal", 722 + 556 + 278},
		{"", "é–€", 556 + 556 + 556},
	}
	for _, tt := range tests {
		d.pdf.SetFont(fontFamily, tt.style, bodyPt)
		s, _ := toCP1252(tt.s)
		got := d.pdf.GetStringWidth(s)
		want := float64(tt.units) * bodyPt / 1000 * 25.4 / 72
		if diff := got - want; diff > 1e-9 || diff < -1e-9 {
			t.Errorf("GetStringWidth(%q, %q) = %.4f mm, want %.4f mm", tt.style, tt.s, got, want)
		}
	}
}

// BenchmarkAddFonts is what the embedded font costs a document before any
// text: handing fpdf the shared definitions (it decodes their JSON).
func BenchmarkAddFonts(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		d := &doc{pdf: fpdf.New("P", "mm", "A4", "")}
		d.addFonts(false)
		if d.err != nil {
			b.Fatal(d.err)
		}
	}
}
