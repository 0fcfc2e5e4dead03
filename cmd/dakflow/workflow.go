package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"dakflow/internal/document"
	"dakflow/internal/workflow"
	"dakflow/templates"
	"dakflow/workflows"
)

// cmdWorkflow checks definitions (printing every problem) or draws one.
func cmdWorkflow(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("workflow: want check or diagram: %w", errUsage)
	}
	switch args[0] {
	case "check":
		if len(args) > 1 {
			data, err := os.ReadFile(args[1])
			if err != nil {
				return err
			}
			d, err := workflow.Parse(data)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%s: workflow %s v%d is valid (%d states, %d events)\n", args[1], d.Name, d.Version, len(d.States), len(d.Events))
			return nil
		}
		defs, err := workflow.LoadAll(workflows.FS)
		if err != nil {
			return err
		}
		for _, d := range defs {
			fmt.Fprintf(stdout, "workflow %s v%d is valid (%d states, %d events)\n", d.Name, d.Version, len(d.States), len(d.Events))
		}
		return nil
	case "diagram":
		defs, err := workflow.LoadAll(workflows.FS)
		if err != nil {
			return err
		}
		for _, d := range defs {
			fmt.Fprint(stdout, d.Diagram)
		}
		return nil
	}
	return fmt.Errorf("workflow %q: %w", args[0], errUsage)
}

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
