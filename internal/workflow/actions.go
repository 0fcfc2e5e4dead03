package workflow

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"dakflow/internal/dak"
	"dakflow/internal/store"
)

// An action is one effect an event has once its guards passed: it changes
// the locked proposal (saved by Fire after the last action) and writes what
// else the event records, inside the event's transaction. The workflow file
// lists each event's actions by name; they run in that order.
type action struct {
	run func(tx *store.Tx, c *guardContext) error
	// needs are the guards whose checks the action relies on (a data field
	// that must be present, a date that must parse): Check refuses an event
	// that runs the action without them.
	needs []string
}

// actions are the effects the workflow files may name.
var actions = map[string]action{
	"record_revision":       {run: recordRevision},
	"assign_reviewer":       {run: assignReviewer},
	"record_recommendation": {run: recordRecommendation, needs: []string{"recommended_within_requested"}},
	"reserve_allocation":    {run: reserveAllocation, needs: []string{"amount_within_recommended"}},
	"record_rk":             {run: recordRK, needs: []string{"rk_within_allocation"}},
	"plan_stages":           {run: scheduleStages},
	"request_stage":         {run: onNextStage(requestStage)},
	"return_stage":          {run: onNextStage(returnStage)},
	"recommend_stage":       {run: onNextStage(recommendStage)},
	"pay_stage":             {run: onNextStage(payStage), needs: []string{"amount_equals_stage", "sp2d_unique"}},
	"extend_stage_deadline": {run: onNextStage(extendStageDeadline), needs: []string{"extension_valid"}},
	"record_completion":     {run: recordCompletion, needs: []string{"output_complete_or_shortfall"}},
	"lapse_stages":          {run: lapseStages},
	// The status of a pembangunan's sentra (sentra_status.go).
	"sentra_in_construction": {run: sentraInConstruction},
	"sentra_built":           {run: sentraBuilt},
	"sentra_not_built":       {run: sentraNotBuilt},
}

// apply runs the event's actions in order.
func apply(tx *store.Tx, c *guardContext) error {
	for _, name := range c.event.Actions {
		if err := actions[name].run(tx, c); err != nil {
			return err
		}
	}
	return nil
}

// recordRevision freezes the submitted content as the proposal's next
// revision, the one a review assesses.
func recordRevision(tx *store.Tx, c *guardContext) error {
	p := c.proposal
	now := tx.Now()
	p.Revision++
	p.SubmittedAt = &now
	content, err := json.Marshal(p.Content)
	if err != nil {
		return err
	}
	return tx.AddRevision(p.ID, p.Revision, string(content), c.actor.ID)
}

// assignReviewer makes the actor the proposal's reviewer (guard
// reviewer_assigned keeps other verifiers out from then on).
func assignReviewer(_ *store.Tx, c *guardContext) error {
	c.proposal.ReviewerID = c.actor.ID
	return nil
}

// recordRecommendation keeps the amount the verifier recommends.
func recordRecommendation(_ *store.Tx, c *guardContext) error {
	c.proposal.RecommendedAmount = *c.data.RecommendedAmount
	return nil
}

// reserveAllocation commits the allocated amount against the fiscal
// year's ceiling, the menu's and the region's, with conditional updates (the binding
// check; guard ceiling_available only reports what is visible).
func reserveAllocation(tx *store.Tx, c *guardContext) error {
	p, amount := c.proposal, *c.data.Amount
	ok, err := tx.ReserveCeiling(p.FiscalYear, p.Menu, p.RegionCode, amount)
	if err != nil {
		return err
	}
	if !ok {
		fy, _ := tx.FiscalYear(p.FiscalYear)
		fields := ceilingFailure(fy, p.Menu, p.RegionCode, amount)
		if len(fields) == 0 { // read before a concurrent allocation committed
			fields = fail("data.amount", "sisa pagu tidak mencukupi untuk alokasi %s", amount)
		}
		return &dak.Error{Kind: dak.ErrRule, Detail: "pagu tidak mencukupi", Fields: withGuard(fields, "ceiling_available")}
	}
	p.AllocatedAmount = amount
	return nil
}

// recordRK keeps the submitted Rencana Kegiatan and its total.
func recordRK(_ *store.Tx, c *guardContext) error {
	lines := slices.Clone(c.data.Activities)
	sum, _ := dak.SumLines(lines, "data.activities")
	c.proposal.RK, c.proposal.RKAmount = lines, sum
	return nil
}

// scheduleStages fixes the disbursement stages when the RK is approved.
func scheduleStages(tx *store.Tx, c *guardContext) error {
	c.proposal.Stages = c.def.planStages(c.proposal)
	// The year's calendar, as the admin set it, overrides the file's
	// deadlines stage by stage.
	fy, err := tx.FiscalYear(c.proposal.FiscalYear)
	if err != nil && !errors.Is(err, dak.ErrNotFound) {
		return err
	}
	for i, st := range c.proposal.Stages {
		if at, ok := fy.Calendar.StageDeadlines[st.Number]; ok {
			c.proposal.Stages[i].Deadline = at
		}
	}
	return tx.SaveStages(c.proposal)
}

// onNextStage is an action on the stage due next, whose stages are saved
// after f changed them; ErrConflict when every stage is paid (the workflow
// file runs a stage action where there is none).
func onNextStage(f func(c *guardContext, st *dak.Stage)) func(*store.Tx, *guardContext) error {
	return func(tx *store.Tx, c *guardContext) error {
		st := c.proposal.NextStage()
		if st == nil {
			return dak.Errorf(dak.ErrConflict, "semua tahap penyaluran sudah dibayar")
		}
		f(c, st)
		return tx.SaveStages(c.proposal)
	}
}

// requestStage records the pemda's report on the stage and what the stage
// pays by it.
func requestStage(c *guardContext, st *dak.Stage) {
	_, st.Report = c.report()
	st.Amount, st.AmountBasis = c.def.stageAmount(c.proposal, st, st.Report)
	st.State = dak.StageRequested
	c.proposal.AbsorbedAmount = st.Report.AbsorbedAmount
}

// returnStage sends the requested stage back to the pemda.
func returnStage(_ *guardContext, st *dak.Stage) { st.State = dak.StagePending }

// recommendStage fixes what the requested stage pays, on what the pemda
// reported.
func recommendStage(c *guardContext, st *dak.Stage) {
	st.Amount, st.AmountBasis = c.def.stageAmount(c.proposal, st, st.Report)
	st.State = dak.StageRecommended
}

// payStage records the SP2D that paid the recommended stage.
func payStage(c *guardContext, st *dak.Stage) {
	date, _ := dak.ParseDate(c.data.SP2DDate)
	st.SP2DNumber, st.SP2DDate, st.PaidAmount, st.State = c.data.SP2DNumber, &date, *c.data.Amount, dak.StagePaid
	c.proposal.DisbursedAmount += *c.data.Amount
}

// extendStageDeadline moves the deadline of the stage, keeping the one it
// replaces for the extension's letter (issued after the actions).
func extendStageDeadline(c *guardContext, st *dak.Stage) {
	until, _ := dak.ParseDate(c.data.Until)
	c.previousDeadline = st.Deadline
	st.Deadline = extendedDeadline(until, c.previousDeadline)
}

// recordCompletion keeps what the completion report states.
func recordCompletion(_ *store.Tx, c *guardContext) error {
	c.proposal.AbsorbedAmount, c.proposal.BASTNumber = *c.data.AbsorbedAmount, strings.TrimSpace(c.data.BASTNumber)
	return nil
}

// lapseStages marks every unpaid stage lapsed.
func lapseStages(tx *store.Tx, c *guardContext) error {
	p := c.proposal
	for i := range p.Stages {
		if p.Stages[i].State != dak.StagePaid {
			p.Stages[i].State = dak.StageLapsed
		}
	}
	return tx.SaveStages(p)
}

func withGuard(fs []dak.FieldError, guard string) []dak.FieldError {
	for i := range fs {
		fs[i].Guard = guard
	}
	return fs
}
