// Package workflow loads the workflow definitions of workflows/ and runs
// them: it builds a looplab/fsm for each request from the stored state,
// checks roles and guards, and fires a transition in one transaction with
// its audit event and document.
package workflow

import (
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"dakflow/internal/dak"
)

// Definition is one workflow as written in workflows/*.yaml.
type Definition struct {
	Name       string          `yaml:"name" json:"name"`
	Version    int             `yaml:"version" json:"version"`
	Label      string          `yaml:"label" json:"label"`
	Initial    string          `yaml:"initial" json:"initial"`
	States     []State         `yaml:"states" json:"states"`
	Events     []EventDef      `yaml:"events" json:"events"`
	Checklist  []ChecklistItem `yaml:"checklist" json:"checklist"`
	Menus      map[string]Menu `yaml:"menus" json:"-"`
	Parameters Parameters      `yaml:"parameters" json:"parameters"`
	FourEyes   []string        `yaml:"four_eyes" json:"four_eyes"`
	Diagram    string          `yaml:"-" json:"diagram"`
}

// State is one state of the workflow.
type State struct {
	Name  string `yaml:"name" json:"name"`
	Label string `yaml:"label" json:"label"`
	Final bool   `yaml:"final" json:"final"`
}

// Stay is the target of an event that leaves the state as it is, such as
// extending a deadline.
const Stay = "="

// EventDef is one event: where it may fire, who may fire it, what it checks
// and which document it issues. To is Stay for an event that records a
// decision without moving the proposal.
type EventDef struct {
	Name     string   `yaml:"name" json:"name"`
	Label    string   `yaml:"label" json:"label"`
	From     []string `yaml:"from" json:"from"`
	To       string   `yaml:"to" json:"to"`
	Roles    []string `yaml:"roles" json:"roles"`
	Guards   []string `yaml:"guards" json:"guards"`
	Document string   `yaml:"document" json:"document"`
}

// ChecklistItem is one criterion of the verification checklist. Menus lists
// the menus it applies to; empty, it applies to every menu. An item that does
// not apply to a proposal's menu is answered Tidak Relevan, and only it.
type ChecklistItem struct {
	ID    string   `yaml:"id" json:"id"`
	Text  string   `yaml:"text" json:"text"`
	Menus []string `yaml:"menus" json:"menus,omitempty"`
}

// AppliesTo reports whether the item applies to a proposal of menu m.
func (it ChecklistItem) AppliesTo(m dak.Menu) bool {
	return len(it.Menus) == 0 || slices.Contains(it.Menus, string(m))
}

// Menu holds the completeness rules of one menu.
type Menu struct {
	RequiredFields      []string                 `yaml:"required_fields"`
	RequiredAttachments []string                 `yaml:"required_attachments"`
	CategoryLimits      map[string]CategoryLimit `yaml:"category_limits"`
}

// CategoryLimit caps the RAB of one category for a menu.
type CategoryLimit struct {
	MaxAmount dak.Money `yaml:"max_amount"`
}

// Parameters are the rule figures of the regulation, kept as data.
type Parameters struct {
	RKTolerance dak.Money `yaml:"rk_tolerance" json:"rk_tolerance"`
	// MaxAttachments caps the files one proposal may hold, so that one
	// account cannot fill the database.
	MaxAttachments int       `yaml:"max_attachments" json:"max_attachments"`
	SekaligusMax   dak.Money `yaml:"sekaligus_max" json:"sekaligus_max"`
	Sekaligus      struct {
		LegalBasis  string   `yaml:"legal_basis" json:"legal_basis"`
		Attachments []string `yaml:"attachments" json:"attachments"`
		Deadline    string   `yaml:"deadline" json:"deadline"`
	} `yaml:"sekaligus" json:"sekaligus"`
	Bertahap struct {
		LegalBasis string     `yaml:"legal_basis" json:"legal_basis"`
		Stages     []StageDef `yaml:"stages" json:"stages"`
	} `yaml:"bertahap" json:"bertahap"`
	Completion struct {
		Attachments []string `yaml:"attachments" json:"attachments"`
	} `yaml:"completion" json:"completion"`
	// APBNBasis cites, per fiscal year ("2027"), the UU APBN and the Perpres
	// Rincian APBN an allocation letter rests on (DOCUMENTS.md); a year
	// without an entry is cited generically, naming the year.
	APBNBasis map[string]string `yaml:"apbn_basis" json:"apbn_basis,omitempty"`
}

// StageDef is one disbursement stage of the bertahap mode.
type StageDef struct {
	Number  int    `yaml:"number" json:"number"`
	Percent int64  `yaml:"percent" json:"percent"`
	Basis   string `yaml:"basis" json:"basis"`
	// ContractThreshold (rk_percent): the percentage applies when the
	// contracts exceed this share of the RK value; otherwise the stage
	// pays the contracts minus what was paid.
	ContractThreshold int64    `yaml:"contract_threshold" json:"contract_threshold,omitempty"`
	MinAbsorption     int64    `yaml:"min_absorption" json:"min_absorption"`
	MinOutput         int64    `yaml:"min_output" json:"min_output"`
	Attachments       []string `yaml:"attachments" json:"attachments"`
	Deadline          string   `yaml:"deadline" json:"deadline"`
}

// Target is where the event leads from state from.
func (e EventDef) Target(from string) string {
	if e.To == Stay {
		return from
	}
	return e.To
}

// Event returns the named event definition.
func (d *Definition) Event(name string) (EventDef, bool) {
	for _, e := range d.Events {
		if e.Name == name {
			return e, true
		}
	}
	return EventDef{}, false
}

// State returns the named state.
func (d *Definition) State(name string) (State, bool) {
	for _, s := range d.States {
		if s.Name == name {
			return s, true
		}
	}
	return State{}, false
}

// StateLabel is the Indonesian label of a state, or its name.
func (d *Definition) StateLabel(name string) string {
	if s, ok := d.State(name); ok {
		return s.Label
	}
	return name
}

// Parse reads a definition and checks it; the error lists every problem.
func Parse(data []byte) (*Definition, error) {
	var d Definition
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("parse workflow: %w", err)
	}
	if problems := d.Check(); len(problems) > 0 {
		return nil, &CheckError{Name: d.Name, Problems: problems}
	}
	d.Diagram = d.Mermaid("")
	return &d, nil
}

// CheckError lists everything wrong with a definition.
type CheckError struct {
	Name     string
	Problems []string
}

func (e *CheckError) Error() string {
	return fmt.Sprintf("workflow %q has %d problem(s):\n  - %s", e.Name, len(e.Problems), strings.Join(e.Problems, "\n  - "))
}

// LoadAll parses every *.yaml of fsys, keyed by name.
func LoadAll(fsys fs.FS) (map[string]*Definition, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := map[string]*Definition{}
	var problems []string
	for _, n := range names {
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		d, err := Parse(data)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", n, err))
			continue
		}
		out[d.Name] = d
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s", strings.Join(problems, "\n"))
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no workflow definitions found")
	}
	return out, nil
}
