package document

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
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

func TestDeflatePagesLeavesTheUnknownAlone(t *testing.T) {
	for _, in := range []string{"", "%PDF-1.3\n", "%PDF-1.3\n1 0 obj\n<</Length 99>>\nstream\nshort\nendstream\nendobj\nxref\n"} {
		if got := deflatePages([]byte(in)); string(got) != in {
			t.Errorf("deflatePages(%q) = %q, want it unchanged", in, got)
		}
	}
}
