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
	// Calendar: the defaults of each fiscal year's calendar (calendar.go).
	Calendar CalendarDefaults `yaml:"calendar" json:"calendar"`
	Diagram  string           `yaml:"-" json:"diagram"`
}

// State is one state of the workflow. Its flags are what Go needs to know
// of a state, so that no state name is written in Go.
type State struct {
	Name  string `yaml:"name" json:"name"`
	Label string `yaml:"label" json:"label"`
	Final bool   `yaml:"final" json:"final"`
	// Editable: the pemda may still change the proposal's content here.
	Editable bool `yaml:"editable" json:"-"`
	// Uploads: the pemda may attach files here (to the next unpaid stage
	// once stages are planned).
	Uploads bool `yaml:"uploads" json:"-"`
}

// Stay is the target of an event that leaves the state as it is, such as
// extending a deadline.
const Stay = "="

// EventDef is one event: where it may fire, who may fire it, what data it
// takes, what it checks, what it does and which document it issues. To is
// Stay for an event that records a decision without moving the proposal.
// Guards, actions and facts are named here and written in Go, each in one
// registry (guards.go, actions.go, facts.go); Check refuses a name Go has
// no code for.
type EventDef struct {
	Name  string   `yaml:"name" json:"name"`
	Label string   `yaml:"label" json:"label"`
	From  []string `yaml:"from" json:"from"`
	To    string   `yaml:"to" json:"to"`
	Roles []string `yaml:"roles" json:"roles"`
	// Data lists the fields of EventData the event takes; a request with
	// any other is refused as malformed.
	Data   []string `yaml:"data" json:"-"`
	Guards []string `yaml:"guards" json:"guards"`
	// Actions are what the event does once its guards pass, run in order
	// on the locked proposal inside the event's transaction.
	Actions  []string `yaml:"actions" json:"-"`
	Document string   `yaml:"document" json:"document"`
	// Facts are what the document states besides the proposal, its
	// figures, stages, notes, checklist and RK, which every document gets.
	Facts []string `yaml:"facts" json:"-"`
	// Trigger names when the system fires the event by itself (triggers,
	// scheduler.go); empty for an event only a person fires.
	Trigger string `yaml:"trigger" json:"-"`
	// Optional: the role may fire the event but is never expected to (the
	// pemda withdrawing its proposal), so the proposal does not wait for
	// it: WaitingStates leaves it out, and the pages do not list the
	// proposal as waiting for the role because of it.
	Optional bool `yaml:"optional" json:"-"`
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
	// FundingGapYears is how many fiscal years after a sentra's completed
	// DAK funding a new proposal for it is refused (PRODUCT.md §9, guard
	// no_double_funding); 0 in the file means DefaultFundingGapYears.
	FundingGapYears int `yaml:"funding_gap_years" json:"funding_gap_years"`
	// APBNBasis cites, per fiscal year ("2027"), the UU APBN and the Perpres
	// Rincian APBN an allocation letter rests on (DOCUMENTS.md); a year
	// without an entry is cited generically, naming the year.
	APBNBasis map[string]string `yaml:"apbn_basis" json:"apbn_basis,omitempty"`
	// ReminderDays: how many days before each deadline of the calendar
	// the pemda is reminded (calendar.go), e.g. [7, 1].
	ReminderDays []int `yaml:"reminder_days" json:"reminder_days"`
	// The rules of use after completion (monitoring_after,
	// monitoring_years, report_grace_days, unused_occupancy_percent,
	// unused_consecutive_reports; PRODUCT.md §9), at this level of the file.
	dak.MonitoringParams `yaml:",inline"`
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

// Editable reports whether the pemda may change a proposal's content in
// the named state.
func (d *Definition) Editable(state string) bool {
	s, ok := d.State(state)
	return ok && s.Editable
}

// Uploads reports whether the pemda may attach files in the named state.
func (d *Definition) Uploads(state string) bool {
	s, ok := d.State(state)
	return ok && s.Uploads
}

// Runs reports whether the event runs the named action.
func (e EventDef) Runs(action string) bool { return slices.Contains(e.Actions, action) }

// Takes reports whether the event's data has the named field (a JSON name
// of EventData), so that code reads what an event does from its data
// rather than from its name.
func (e EventDef) Takes(field string) bool { return slices.Contains(e.Data, field) }

// Checks reports whether the event runs the named guard.
func (e EventDef) Checks(guard string) bool { return slices.Contains(e.Guards, guard) }

// WaitingStates are the states in which role may fire an event that is
// not optional: where the role's work waits, in the order of the file.
func (d *Definition) WaitingStates(role string) []string {
	var out []string
	for _, ev := range d.Events {
		if ev.Optional || !slices.Contains(ev.Roles, role) {
			continue
		}
		for _, from := range ev.From {
			if !slices.Contains(out, from) {
				out = append(out, from)
			}
		}
	}
	return out
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
