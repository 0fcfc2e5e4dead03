package workflow

import (
	"encoding/json"
	"slices"
	"strings"

	"dakflow/internal/dak"
	"dakflow/internal/document"
	"dakflow/internal/store"
)

// A fact adds to an event's document what its kind states besides what
// every document gets (documentInput): the files received, the stage it
// is about, the reasons of a decision. The workflow file lists each
// event's facts by name; they run in that order, after the event's
// actions, before the document's number is drawn.
type fact func(tx *store.Tx, c *guardContext, in *document.Input) error

// facts are the document facts the workflow files may name.
// factsReadingFiles are the facts that print the proposal's attachments:
// an event with one of them reads the files (loadForGuards); a fact that
// read them without being listed here panics (guardContext.files).
var factsReadingFiles = map[string]bool{"proposal_attachments": true, "stage": true, "stage_attachments": true,
	"paid_stage": true, "lapsed_stage": true, "completion": true}

// factsQuerying are the facts that read the database; the others are
// handed no transaction (a nil *store.Tx), and an event whose facts are
// all among those saves its proposal in the statement that draws its
// document's number (prepare).
var factsQuerying = map[string]bool{"allocation_correction": true, "approved_departure_basis": true,
	"sentra_history": true, "coverage": true}

var facts = map[string]fact{
	"proposal_attachments":      proposalAttachments,
	"stage":                     nextStageFacts,
	"stage_attachments":         stageAttachments,
	"paid_stage":                paidStageFacts,
	"lapsed_stage":              lapsedStageFacts,
	"completion":                completionFacts,
	"recommendation_correction": recommendationCorrection,
	"allocation_correction":     allocationCorrection,
	"rk_departures":             rkDepartures,
	"departure_basis":           departureBasis,
	"approved_departure_basis":  approvedDepartureBasis,
	"apbn_basis":                apbnBasis,
	"extension":                 extensionFacts,
	"sentra_history":            sentraHistoryFacts,
	"coverage":                  coverageFacts,
}

// proposalAttachments lists the files of the proposal itself (stage 0).
func proposalAttachments(_ *store.Tx, c *guardContext, in *document.Input) error {
	in.Attachments = attachmentFacts(c.files(), 0)
	return nil
}

// nextStageFacts describes the stage due next.
func nextStageFacts(_ *store.Tx, c *guardContext, in *document.Input) error {
	in.Stage = stageFacts(c, c.proposal.NextStage(), in)
	return nil
}

// stageAttachments lists the files received for the stage due next.
func stageAttachments(_ *store.Tx, c *guardContext, in *document.Input) error {
	if st := c.proposal.NextStage(); st != nil {
		in.Attachments = attachmentFacts(c.files(), st.Number)
	}
	return nil
}

// paidStageFacts describes the stage the event's SP2D paid (a paid stage
// is no longer the one due next).
func paidStageFacts(_ *store.Tx, c *guardContext, in *document.Input) error {
	st := c.proposal.NextStage()
	for i := range c.proposal.Stages {
		if c.proposal.Stages[i].SP2DNumber == c.data.SP2DNumber {
			st = &c.proposal.Stages[i]
		}
	}
	in.Stage = stageFacts(c, st, in)
	return nil
}

// lapsedStageFacts describes the first lapsed stage, stating as its amount
// everything that lapsed.
func lapsedStageFacts(_ *store.Tx, c *guardContext, in *document.Input) error {
	p := c.proposal
	i := slices.IndexFunc(p.Stages, func(st dak.Stage) bool { return st.State == dak.StageLapsed })
	st := p.NextStage()
	if i >= 0 {
		st = &p.Stages[i]
	}
	in.Stage = stageFacts(c, st, in)
	if st != nil {
		in.Stage.Amount = in.Figures.Lapsed
	}
	return nil
}

// completionFacts states the completion report and the files that prove
// it (parameters.completion.attachments).
func completionFacts(_ *store.Tx, c *guardContext, in *document.Input) error {
	p, data := c.proposal, c.data
	out := document.Completion{BASTNumber: p.BASTNumber, Shortfall: data.Shortfall, AbsorbedAmount: p.AbsorbedAmount}
	if data.OutputPercent != nil {
		out.OutputPercent = *data.OutputPercent
	}
	if date, err := dak.ParseDate(data.BASTDate); err == nil {
		out.BASTDate = date
	}
	in.Completion = out
	for _, a := range c.files() {
		if slices.Contains(c.def.Parameters.Completion.Attachments, a.Kind) {
			in.Attachments = append(in.Attachments, document.Attachment{Kind: a.Kind, FileName: a.FileName, Size: a.Size, SHA256: a.SHA256})
		}
	}
	return nil
}

// recommendationCorrection states why the recommendation is below the
// requested amount.
func recommendationCorrection(_ *store.Tx, c *guardContext, in *document.Input) error {
	if p := c.proposal; p.RecommendedAmount < p.RequestedAmount {
		in.AmountReason = strings.TrimSpace(c.data.AmountReason)
	}
	return nil
}

// allocationCorrection states why the allocation is below the
// recommendation, and why the recommendation was below the request, as
// the event that recorded it (action record_recommendation) said.
func allocationCorrection(tx *store.Tx, c *guardContext, in *document.Input) error {
	p := c.proposal
	if p.AllocatedAmount < p.RecommendedAmount {
		in.AmountReason = strings.TrimSpace(c.data.AmountReason)
	}
	if p.RecommendedAmount < p.RequestedAmount {
		d, err := lastData(tx, c, "record_recommendation")
		if err != nil {
			return err
		}
		in.RecommendationReason = strings.TrimSpace(d.AmountReason)
	}
	return nil
}

// rkDepartures lists how the RK departs from the assessed RAB.
func rkDepartures(_ *store.Tx, c *guardContext, in *document.Input) error {
	in.Departures = docDepartures(RKDepartures(c.proposal))
	return nil
}

// departureBasis states the basis the approver gives for an RK that
// departs from the assessed RAB.
func departureBasis(_ *store.Tx, c *guardContext, in *document.Input) error {
	if len(RKDepartures(c.proposal)) > 0 {
		in.DepartureBasis = strings.TrimSpace(c.data.DepartureBasis)
	}
	return nil
}

// approvedDepartureBasis states the basis the RK was approved on, as the
// event that approved it (action plan_stages) said.
func approvedDepartureBasis(tx *store.Tx, c *guardContext, in *document.Input) error {
	if len(RKDepartures(c.proposal)) == 0 {
		return nil
	}
	d, err := lastData(tx, c, "plan_stages")
	if err != nil {
		return err
	}
	in.DepartureBasis = strings.TrimSpace(d.DepartureBasis)
	return nil
}

// apbnBasis cites the UU APBN and Perpres Rincian APBN of the proposal's
// fiscal year (parameters.apbn_basis).
func apbnBasis(_ *store.Tx, c *guardContext, in *document.Input) error {
	in.BudgetBasis = c.def.APBNBasis(c.proposal.FiscalYear)
	return nil
}

// extensionFacts states the extended stage, the deadline it replaced (kept
// by action extend_stage_deadline), the new one and its legal basis.
func extensionFacts(_ *store.Tx, c *guardContext, in *document.Input) error {
	if st := c.proposal.NextStage(); st != nil {
		in.Extension = document.Extension{Stage: st.Number, PreviousDeadline: c.previousDeadline,
			NewDeadline: st.Deadline, LegalBasis: strings.TrimSpace(c.data.LegalBasis)}
	}
	return nil
}

// lastData is the data of the proposal's latest event that ran the named
// action, read from the trail once per transaction.
func lastData(tx *store.Tx, c *guardContext, action string) (EventData, error) {
	if c.history == nil {
		var err error
		if c.history, err = tx.Events(c.proposal.ID); err != nil {
			return EventData{}, err
		}
	}
	var d EventData
	if e := latestRunning(c.def, c.history, action); e != nil && len(e.Data) > 0 {
		if err := json.Unmarshal(e.Data, &d); err != nil {
			return d, err
		}
	}
	return d, nil
}

// PlannedOutputs are the outputs a proposal plans: those of its content
// until an RK is approved, then as the approved RK keeps them
// (dak.RKOutputs). Documents, the API and pages quote them from here.
func PlannedOutputs(p *dak.Proposal) []dak.Output {
	if len(p.Stages) == 0 || len(p.RK) == 0 {
		return p.Content.Outputs
	}
	return dak.RKOutputs(p.Content.Outputs, p.Content.BudgetLines, p.RK)
}

func docDepartures(ds []dak.Departure) []document.Departure {
	var out []document.Departure
	for _, d := range ds {
		out = append(out, document.Departure{Kind: string(d.Kind), Category: d.Category, Unit: d.Unit,
			RABQuantity: d.RABQuantity, RKQuantity: d.RKQuantity, RABAmount: d.RABAmount, RKAmount: d.RKAmount})
	}
	return out
}
