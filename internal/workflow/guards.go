package workflow

import (
	"fmt"
	"slices"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/store"
)

// guardContext is what one firing works on: the locked proposal, the
// caller, the event's data and what the transaction has loaded for it.
// Guards read it; actions (actions.go) change its proposal; facts
// (facts.go) describe it in the event's document.
type guardContext struct {
	def         *Definition
	event       EventDef
	proposal    *dak.Proposal
	actor       dak.User
	comment     string
	data        EventData
	attachments []dak.Attachment // read by files(), loaded when filesRead
	filesRead   bool
	history     []dak.Event     // loaded for the guards that need it (needsHistory)
	fiscalYear  *dak.FiscalYear // loaded for the guards that need it (needsFiscalYear)
	now         time.Time
	sp2dTaken   bool
	bastTaken   bool           // the completion's BAST number is another proposal's
	tip         store.ChainTip // the proposal's latest event
	// sentra is the registered sentra the proposal names and
	// sentraProposals every proposal of it, loaded for the guards that
	// need them (needsSentra); nil when it names none.
	sentra          *store.LinkedSentra
	sentraProposals []store.SentraProposal
	// afterIssue are what actions left to do once the event's document
	// has its number (a sentra's status cites it), run in order before
	// the event is appended.
	afterIssue []func(tx *store.Tx, doc *dak.Document) error
	// previousDeadline is the deadline an extension replaced, kept by its
	// action for the extension's letter (documents are issued after the
	// actions).
	previousDeadline time.Time
	// finalStates are the engine's (Engine.FinalStates), for the
	// coverage a document states.
	finalStates []string
}

// files is the proposal's attachments, for a guard that declares
// needsFiles or a fact of factsReadingFiles. Read by any other, it panics:
// finding none would refuse a complete proposal, or print a document
// saying nothing was attached.
func (c *guardContext) files() []dak.Attachment {
	if !c.filesRead {
		panic(fmt.Sprintf("event %s reads the attachments without declaring it (needsFiles, factsReadingFiles)", c.event.Name))
	}
	return c.attachments
}

// A guard reports why an event may not fire; nil or empty means it may.
// Each failure carries its reason and the field it is about.
type guard struct {
	check func(c *guardContext) []dak.FieldError
	// needs says what the guard reads beyond the proposal, its attachments
	// and the event's data, which Fire loads before the guards run.
	needs needs
	// offered: the guard reads only the proposal and the caller, so the
	// list of events a user may fire (Engine.AvailableEvents) runs it too.
	offered bool
}

// needs are what a guard reads that Fire loads only on demand.
type needs uint8

const (
	needsHistory    needs = 1 << iota // the proposal's events (guardContext.history)
	needsFiscalYear                   // the proposal's fiscal year (guardContext.fiscalYear)
	needsSentra                       // the proposal's sentra and its proposals (guardContext.sentra)
	needsFiles                        // the proposal's attachments (guardContext.attachments); an event that issues a document reads them anyway
)

// guards are the rules the workflow files may name, each written below or
// in guards_rk.go (amounts and the RK), guards_stage.go (disbursement) and
// guards_sentra.go (the sentra a proposal names).
var guards = map[string]guard{
	"proposal_complete":            {check: guardComplete, needs: needsFiles},
	"budget_consistent":            {check: guardBudget},
	"village_in_region":            {check: guardVillage},
	"before_deadline":              {check: guardDeadline, needs: needsFiscalYear},
	"comment_required":             {check: guardComment},
	"notes_required":               {check: guardNotes},
	"reviewer_assigned":            {check: guardReviewer, offered: true},
	"checklist_answered":           {check: guardChecklist},
	"recommended_within_requested": {check: guardRecommended},
	"amount_within_recommended":    {check: guardAllocation},
	"amount_correction_reasoned":   {check: guardAmountReason},
	"ceiling_available":            {check: guardCeiling, needs: needsFiscalYear},
	"four_eyes":                    {check: guardFourEyes, needs: needsHistory},
	"before_rk_deadline":           {check: guardRKDeadline, needs: needsFiscalYear},
	"rk_within_allocation":         {check: guardRK},
	"rk_within_category_limits":    {check: guardRKLimits},
	"rk_departures_justified":      {check: guardRKDepartures},
	"stage_left":                   {check: guardStageLeft},
	"stage_conditions":             {check: guardStageConditions},
	"stage_attachments":            {check: guardStageAttachments, needs: needsFiles},
	"amount_equals_stage":          {check: guardStageAmount},
	"sp2d_unique":                  {check: guardSP2D, needs: needsHistory},
	"all_stages_paid":              {check: guardAllPaid},
	"output_complete_or_shortfall": {check: guardOutput},
	"bast_attached":                {check: guardBAST, needs: needsFiles},
	"stage_deadline_passed":        {check: guardStageDeadline},
	"extension_valid":              {check: guardExtension},
	"sentra_alive":                 {check: guardSentraAlive, needs: needsSentra},
	"no_double_funding":            {check: guardNoDoubleFunding, needs: needsSentra},
}

// fileRules are the guards that want files attached, each with which files
// and the stage they belong to (0: the proposal itself), in the order
// NeededAttachments asks them.
var fileRules = []struct {
	guard string
	files func(d *Definition, p *dak.Proposal) (kinds []string, stage int)
}{
	{"proposal_complete", proposalFiles},
	{"bast_attached", completionFiles},
	{"stage_attachments", stageFiles},
}

// NeededAttachments are the files the next step needs on p, which the
// pages list and preselect for upload: those a guard of one of events (the
// events the user may fire now) will want, with the stage they belong to.
// When events of several rules are open at once, the first of fileRules
// wins: the proposal's files, then the completion's, then a stage's.
func (d *Definition) NeededAttachments(p *dak.Proposal, events []string) (kinds []string, stage int) {
	for _, r := range fileRules {
		for _, name := range events {
			if ev, ok := d.Event(name); ok && ev.Checks(r.guard) {
				return r.files(d, p)
			}
		}
	}
	return nil, 0
}

// runGuards runs the event's guards and lists every failure, each naming
// its guard.
func runGuards(c *guardContext) []dak.FieldError {
	var failed []dak.FieldError
	for _, g := range c.event.Guards {
		failed = append(failed, withGuard(guards[g].check(c), g)...)
	}
	return failed
}

// offered reports whether the event's guards that read only the proposal
// and the caller (guard.offered) let u fire it on p.
func offered(d *Definition, ev EventDef, p *dak.Proposal, u dak.User) bool {
	c := &guardContext{def: d, event: ev, proposal: p, actor: u}
	for _, g := range ev.Guards {
		if guards[g].offered && len(guards[g].check(c)) > 0 {
			return false
		}
	}
	return true
}

// guardsNeed is what the event's guards need loaded.
func guardsNeed(ev EventDef) needs {
	var n needs
	for _, g := range ev.Guards {
		n |= guards[g].needs
	}
	return n
}

func fail(field, format string, args ...any) []dak.FieldError {
	return []dak.FieldError{{Field: field, Message: fmt.Sprintf(format, args...)}}
}

// hasAttachment reports whether list holds a file of kind for stage (0:
// the proposal itself).
func hasAttachment(list []dak.Attachment, kind string, stage int) bool {
	return slices.ContainsFunc(list, func(a dak.Attachment) bool { return a.Kind == kind && a.Stage == stage })
}
