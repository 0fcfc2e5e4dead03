package main

import (
	"fmt"
	"io"
	"os"

	"dakflow/internal/workflow"
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
