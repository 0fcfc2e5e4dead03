package workflow

import (
	"fmt"
	"strings"
)

// Mermaid draws the workflow as a Mermaid state diagram; current, when not
// empty, is marked so a reader sees where a proposal stands.
func (d *Definition) Mermaid(current string) string {
	var b strings.Builder
	b.WriteString("stateDiagram-v2\n")
	fmt.Fprintf(&b, "    [*] --> %s\n", d.Initial)
	for _, s := range d.States {
		fmt.Fprintf(&b, "    %s : %s\n", s.Name, s.Label)
	}
	for _, e := range d.Events {
		for _, f := range e.From {
			fmt.Fprintf(&b, "    %s --> %s : %s\n", f, e.Target(f), e.Name)
		}
	}
	for _, s := range d.States {
		if s.Final {
			fmt.Fprintf(&b, "    %s --> [*]\n", s.Name)
		}
	}
	if current != "" {
		b.WriteString("    classDef current fill:#fde68a,stroke:#b45309,stroke-width:3px\n")
		fmt.Fprintf(&b, "    class %s current\n", current)
	}
	return b.String()
}
