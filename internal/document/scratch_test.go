package document

import (
	"os"
	"testing"

	"dakflow/templates"
)

func TestScratch(t *testing.T) {
	r, err := NewRenderer(templates.FS, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range Kinds() {
		for v, f := range map[string]func(string) (Input, error){"": SampleInput, "_sekaligus": SampleInputSekaligus} {
			in, _ := f(k)
			b, err := r.Render(in)
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile("/tmp/pdf/"+k+v+".pdf", b, 0o644)
		}
	}
}
