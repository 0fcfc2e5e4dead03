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
	Name, Type, Encoding, Emb, Sub string
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
		fonts = append(fonts, pdfFont{field(l, 0), field(l, 1), field(l, 2), field(l, 3), field(l, 4)})
	}
	return fonts
}

// TestFontsEmbedded renders every kind, from both samples and from an empty
// Input, and checks that every font is Dakflow Sans, embedded as a subset
// smaller than the whole font, and that no core font (never embedded) is
// referenced: DOCUMENTS.md, fonts embedded. TestSubsetDrawsAsTheWholeFont
// checks that the subsets hold every glyph shown.
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
					{"DKFSBD+DakflowSans-Bold", "TrueType", "WinAnsi", "yes", "yes"},
					{"DKFSRG+DakflowSans-Regular", "TrueType", "WinAnsi", "yes", "yes"},
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
					if bytes.Contains(pdf, f.file) {
						t.Errorf("PDF holds the whole font file of style %q, want a subset", f.style)
					}
				}
				if n := bytes.Count(pdf, []byte("/FontFile2 ")); n != len(fonts) {
					t.Errorf("PDF holds %d font files, want %d", n, len(fonts))
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
	d := &doc{r: &Renderer{}, pdf: fpdf.New("P", "mm", "A4", "")}
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
// text: a copy of the shared definitions (shareFonts), or handing fpdf
// the definitions (it decodes their JSON).
func BenchmarkAddFonts(b *testing.B) {
	for _, each := range []bool{false, true} {
		b.Run(map[bool]string{false: "shared", true: "added"}[each], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				d := &doc{r: &Renderer{addFontsEach: each}, pdf: fpdf.New("P", "mm", "A4", "")}
				d.addFonts(false)
				if d.err != nil {
					b.Fatal(d.err)
				}
			}
		})
	}
}

// TestSharedFontsAsAdded: with the fpdf dakflow is built with, documents
// share the fonts' definitions (shareFonts), and every kind, from both
// samples, comes out byte for byte as it does when each document adds
// them through fpdf's AddFontFromBytes.
func TestSharedFontsAsAdded(t *testing.T) {
	if fontSharing() == nil {
		t.Fatal("fpdf's fields are not as shareFonts checked them: every document decodes the fonts' definitions again")
	}
	shared := testRenderer(t)
	added := testRendererFresh(t)
	added.addFontsEach = true
	renderBoth(t, shared, added, func(t *testing.T, a, b []byte) {
		if !bytes.Equal(a, b) {
			t.Errorf("%d bytes with the fonts shared, %d added, and they differ", len(a), len(b))
		}
	})
}

// renderBoth renders every kind, from both samples, with a and with b, and
// has check compare the two documents, in a subtest of the kind.
func renderBoth(t *testing.T, a, b *Renderer, check func(t *testing.T, a, b []byte)) {
	for _, kind := range Kinds() {
		for _, s := range samples {
			t.Run(kind+s.suffix, func(t *testing.T) {
				in, err := s.input(kind)
				if err != nil {
					t.Fatal(err)
				}
				pa, err := a.Render(in)
				if err != nil {
					t.Fatal(err)
				}
				pb, err := b.Render(in)
				if err != nil {
					t.Fatal(err)
				}
				check(t, pa, pb)
			})
		}
	}
}

// TestTextCellAsFpdf renders every kind, from both samples, with its text
// cells written by textCell and by fpdf's CellFormat: the documents must be
// the same, byte for byte.
func TestTextCellAsFpdf(t *testing.T) {
	viaFpdf := testRendererFresh(t)
	viaFpdf.cellsViaFpdf = true
	renderBoth(t, testRenderer(t), viaFpdf, func(t *testing.T, a, b []byte) {
		if !bytes.Equal(a, b) {
			t.Errorf("%d bytes from textCell, %d from CellFormat, and they differ", len(a), len(b))
		}
	})
}

// TestLeanDrawingAsFpdf renders every kind, from both samples, as it is
// rendered and with every font selected and every table's fill left as
// fpdf's API has them (Renderer.plainFpdf: a Tf operator at every SetFont,
// text under a grey fill set black around it): poppler must draw the same
// pages, pixel for pixel.
func TestLeanDrawingAsFpdf(t *testing.T) {
	bin, err := exec.LookPath("pdftoppm")
	if err != nil {
		missingTool(t, "pdftoppm not installed: apt-get install -y poppler-utils")
	}
	plain := testRendererFresh(t)
	plain.plainFpdf = true
	renderBoth(t, testRenderer(t), plain, func(t *testing.T, a, b []byte) {
		if len(a) >= len(b) {
			t.Errorf("%d bytes rendered lean, %d as fpdf's API has it: no smaller", len(a), len(b))
		}
		samePages(t, bin, a, b, "rendered lean", "as fpdf's API has it")
	})
}

// samePages has poppler (bin) draw a and b and wants the same pages, pixel
// for pixel; aIs and bIs say how each was rendered.
func samePages(t *testing.T, bin string, a, b []byte, aIs, bIs string) {
	t.Helper()
	pa, pb := drawPages(t, bin, a), drawPages(t, bin, b)
	if len(pa) != len(pb) {
		t.Fatalf("%d pages %s, %d %s", len(pa), aIs, len(pb), bIs)
	}
	for i := range pa {
		if !bytes.Equal(pa[i], pb[i]) {
			t.Errorf("page %d drawn %s differs from the page drawn %s", i+1, aIs, bIs)
		}
	}
}

// drawPages has poppler's pdftoppm (bin) draw every page of pdf in grey at
// 100 dpi, and returns the pages' images.
func drawPages(t *testing.T, bin string, pdf []byte) [][]byte {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	// 100 dpi: a letter's glyphs are some 15 pixels high, so a missing
	// or wrong outline changes many pixels.
	if out, err := exec.Command(bin, "-r", "100", "-gray", path, filepath.Join(dir, "page")).CombinedOutput(); err != nil || len(out) > 0 {
		t.Fatalf("pdftoppm = %v\n%s", err, out)
	}
	pages, err := filepath.Glob(filepath.Join(dir, "page*.pgm"))
	if err != nil || len(pages) == 0 {
		t.Fatalf("pdftoppm drew no page (%v)", err)
	}
	slices.Sort(pages)
	var images [][]byte
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		images = append(images, b)
	}
	return images
}

// TestSubsetDrawsAsTheWholeFont renders every kind, from both samples,
// with the fonts' subsets (the documents dakflow stores) and with the whole
// fonts embedded by fpdf (Options.NoCompression), and has poppler draw both:
// the pages must come out pixel for pixel the same, so no glyph a document
// shows is missing from its subset. It also checks the subsets are smaller.
func TestSubsetDrawsAsTheWholeFont(t *testing.T) {
	bin, err := exec.LookPath("pdftoppm")
	if err != nil {
		missingTool(t, "pdftoppm not installed: apt-get install -y poppler-utils")
	}
	whole, err := NewRenderer(templates.FS, Options{NoCompression: true})
	if err != nil {
		t.Fatal(err)
	}
	renderBoth(t, testRenderer(t), whole, func(t *testing.T, subset, full []byte) {
		samePages(t, bin, subset, full, "with the subsets", "with the whole fonts")
		if len(subset) >= len(full) {
			t.Errorf("document %d bytes with the subsets, %d with the whole fonts", len(subset), len(full))
		}
	})
}

// BenchmarkSubsetMade is what a subset costs a document whose characters
// no document before it showed (a subset of printable ASCII, made anew
// each time); BenchmarkRender's documents take theirs from the cache.
func BenchmarkSubsetMade(b *testing.B) {
	fonts, err := loadFonts()
	if err != nil {
		b.Fatal(err)
	}
	var chars charSet
	for c := byte(' '); c <= '~'; c++ {
		chars.add(c)
	}
	font := fonts[0].font
	for b.Loop() {
		font.mu.Lock()
		font.cache = nil
		font.mu.Unlock()
		if _, err := font.subset(chars); err != nil {
			b.Fatal(err)
		}
	}
}

// TestShownText checks what deflatePages reads off a page stream for the
// subsets: fpdf's escapes undone, each string under the font chosen before
// it, text before any font choice counted for every font.
func TestShownText(t *testing.T) {
	shown := newShownText()
	shown.addPage([]byte("BT 1 2 Td (x) Tj ET\nBT /Fab 10.00 Tf ET\nBT 1 2 Td (a\\(b\\)c\\\\d\\r) Tj ET\n" +
		"/GS1 gs\nBT /Fcd 12.00 Tf ET\nBT 1 2 Td (Nomor 12/IKMA) Tj ET\n"))
	shown.addResource([]byte("/Fab 7 0 R\n"))
	shown.addResource([]byte("/Fcd 9 0 R\n"))
	chars := func(s charSet) string {
		var b []byte
		for c := range 256 {
			if s.has(byte(c)) {
				b = append(b, byte(c))
			}
		}
		return string(b)
	}
	for _, c := range []struct {
		object int
		want   string
	}{
		{7, "\r()\\abcdx"},
		{9, " /12AIKMNmorx"},
		{8, "x"}, // no font of that object: only what every font shows
	} {
		if got := chars(shown.forFont(c.object)); got != c.want {
			t.Errorf("font of object %d shows %q, want %q", c.object, got, c.want)
		}
	}
}
