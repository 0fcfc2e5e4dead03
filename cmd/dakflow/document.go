package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"dakflow/internal/document"
	"dakflow/templates"
)

// cmdDocument renders a document kind from a fixture, for a reviewer's eyes.
func cmdDocument(args []string, stdout io.Writer) error {
	if len(args) < 2 || args[0] != "sample" {
		return fmt.Errorf("document: want `document sample KIND --out FILE.pdf`: %w", errUsage)
	}
	kind := args[1]
	fs := flag.NewFlagSet("document sample", flag.ContinueOnError)
	out := fs.String("out", kind+".pdf", "where to write the PDF")
	if err := fs.Parse(args[2:]); err != nil {
		return err
	}
	r, err := document.NewRenderer(templates.FS, document.Options{})
	if err != nil {
		return err
	}
	in, err := document.SampleInput(kind)
	if err != nil {
		return err
	}
	pdf, err := r.Render(in)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, pdf, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (%d bytes)\n", *out, len(pdf))
	return nil
}
