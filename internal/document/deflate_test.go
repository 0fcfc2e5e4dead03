package document

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"dakflow/templates"
)

// TestDeflatePages checks the compressed output against fpdf's own
// uncompressed one: every page stream compressed, every cross-reference
// entry pointing at its object, and the same text.
func TestDeflatePages(t *testing.T) {
	plain, err := NewRenderer(templates.FS, Options{NoCompression: true})
	if err != nil {
		t.Fatal(err)
	}
	entry := regexp.MustCompile(`(\d{10}) 00000 n `)
	for _, kind := range Kinds() {
		t.Run(kind, func(t *testing.T) {
			in := sampleInput(t, kind)
			raw, err := plain.Render(in)
			if err != nil {
				t.Fatal(err)
			}
			got := render(t, in)
			if len(got) >= len(raw) {
				t.Errorf("compressed %d bytes, uncompressed %d", len(got), len(raw))
			}
			pages := bytes.Count(raw, []byte("/Type /Page\n"))
			// The page streams deflatePages writes (the embedded fonts are
			// compressed streams of their own).
			if n := bytes.Count(got, []byte("<</Filter /FlateDecode /Length ")); n != pages {
				t.Errorf("%d compressed streams, want one per page (%d)", n, pages)
			}
			xref := bytes.LastIndex(got, []byte("\nxref\n")) + 1
			for i, m := range entry.FindAllSubmatch(got[xref:], -1) {
				off, _ := strconv.Atoi(string(m[1]))
				if want := fmt.Sprintf("%d 0 obj\n", i+1); !bytes.HasPrefix(got[off:], []byte(want)) {
					t.Errorf("xref entry %d points at %q, want %q", i+1, got[off:off+12], want)
				}
			}
			if want := fmt.Sprintf("startxref\n%d\n%%%%EOF\n", xref); !bytes.HasSuffix(got, []byte(want)) {
				t.Errorf("document does not end with %q", want)
			}
			if a, b := pdfText(t, raw, "-layout"), pdfText(t, got, "-layout"); a != b {
				t.Errorf("text of the compressed document differs")
			}
		})
	}
}

// TestDeflatePagesRefusesTheUnknown: a layout deflatePages does not
// recognise, or a document where it did not find every page's stream,
// fails the rendering instead of leaving the page count's alias in it.
func TestDeflatePagesRefusesTheUnknown(t *testing.T) {
	for _, in := range []string{"", "%PDF-1.3\n", "%PDF-1.3\n1 0 obj\n<</Length 99>>\nstream\nshort\nendstream\nendobj\nxref\n"} {
		if deflatePages(new(bytes.Buffer), []byte(in), 1, nil) {
			t.Errorf("deflatePages(%q) accepted it", in)
		}
	}
}

// TestPageCount: the footer's "of N pages" is the document's page count,
// both as deflatePages writes it and as fpdf does without compression.
func TestPageCount(t *testing.T) {
	plain, err := NewRenderer(templates.FS, Options{NoCompression: true})
	if err != nil {
		t.Fatal(err)
	}
	in := sampleInput(t, "surat_persetujuan_rk")
	for name, pdf := range map[string][]byte{"compressed": render(t, in), "uncompressed": must(plain.Render(in))} {
		pages := bytes.Count(pdf, []byte("/Type /Page\n"))
		text := pdfText(t, pdf)
		if pages < 2 || strings.Count(text, fmt.Sprintf(" dari %d", pages)) != pages || strings.Contains(text, pageAlias) {
			t.Errorf("%s: %d pages, text %q", name, pages, text)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
