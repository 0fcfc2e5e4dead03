package document

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"dakflow/templates"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden from the current output")

var (
	rendererOnce sync.Once
	renderer     *Renderer
	rendererErr  error
)

// testRenderer is one renderer over the real templates, shared by tests.
func testRenderer(tb testing.TB) *Renderer {
	tb.Helper()
	rendererOnce.Do(func() { renderer, rendererErr = NewRenderer(templates.FS, Options{}) })
	if rendererErr != nil {
		tb.Fatalf("NewRenderer: %v", rendererErr)
	}
	return renderer
}

// samples are the two sample proposals, by the suffix of their goldens.
var samples = []struct {
	suffix string
	input  func(kind string) (Input, error)
}{
	{"", SampleInput},
	{"_sekaligus", SampleInputSekaligus},
}

func render(tb testing.TB, in Input) []byte {
	tb.Helper()
	pdf, err := testRenderer(tb).Render(in)
	if err != nil {
		tb.Fatalf("Render(%s): %v", in.Kind, err)
	}
	return pdf
}

func sampleInput(tb testing.TB, kind string) Input {
	tb.Helper()
	in, err := SampleInput(kind)
	if err != nil {
		tb.Fatalf("SampleInput(%q): %v", kind, err)
	}
	return in
}

// pdfText extracts the text of a PDF with poppler's pdftotext and the
// given options (e.g. "-layout", "-f", "2", "-l", "2").
func pdfText(tb testing.TB, pdf []byte, opts ...string) string {
	tb.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		missingTool(tb, "pdftotext not installed: apt-get install -y poppler-utils")
	}
	path := filepath.Join(tb.TempDir(), "doc.pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		tb.Fatal(err)
	}
	out, err := exec.Command(bin, append(opts, path, "-")...).Output()
	if err != nil {
		tb.Fatalf("pdftotext %v: %v", opts, err)
	}
	return string(out)
}

// flat is text with every run of white space made one space, so phrases
// can be searched across line breaks.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

func testRendererFresh(tb testing.TB) *Renderer {
	tb.Helper()
	r, err := NewRenderer(templates.FS, Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// missingTool skips a test that needs an external tool, except in CI,
// where a missing tool is a failure (.ci/run installs them all).
func missingTool(tb testing.TB, msg string) {
	tb.Helper()
	if os.Getenv("CI") != "" {
		tb.Fatal(msg)
	}
	tb.Skip(msg)
}
