package workflow

import (
	"encoding/json"
	"slices"
	"strings"

	"dakflow/internal/dak"
	"dakflow/internal/store"
)

// apply carries out what an event decides, after its guards passed, on
// the locked proposal inside the transaction.
func (e *Engine) apply(tx *store.Tx, d *Definition, gc *guardContext, p *dak.Proposal) error {
	data := gc.data
	switch gc.event.Name {
	case "submit":
		now := tx.Now()
		p.Revision++
		p.SubmittedAt = &now
		content, err := json.Marshal(p.Content)
		if err != nil {
			return err
		}
		return tx.AddRevision(p.ID, p.Revision, string(content), gc.actor.ID)
	case "start_review":
		p.ReviewerID = gc.actor.ID
	case "recommend":
		p.RecommendedAmount = *data.RecommendedAmount
	case "allocate":
		ok, err := tx.Commit(p.FiscalYear, p.Menu, *data.Amount)
		if err != nil {
			return err
		}
		if !ok {
			fy, _ := tx.FiscalYear(p.FiscalYear)
			fields := ceilingFailure(fy, p.Menu, *data.Amount)
			if len(fields) == 0 { // read before a concurrent allocation committed
				fields = fail("data.amount", "sisa pagu tidak mencukupi untuk alokasi %s", *data.Amount)
			}
			return &dak.Error{Kind: dak.ErrRule, Detail: "pagu tidak mencukupi", Fields: withGuard(fields, "ceiling_available")}
		}
		p.AllocatedAmount = *data.Amount
	case "submit_rk":
		lines := slices.Clone(data.Activities)
		sum, _ := dak.SumLines(lines, "data.activities")
		p.RK, p.RKAmount = lines, sum
	case "approve_rk":
		p.Stages = d.planStages(p)
		return tx.SaveStages(p)
	case "request_disbursement":
		st := p.NextStage()
		_, st.Report = gc.report()
		st.Amount, st.AmountBasis = d.stageAmount(p, st, st.Report)
		st.State = dak.StageRequested
		p.AbsorbedAmount = st.Report.AbsorbedAmount
		return tx.SaveStages(p)
	case "return_request":
		p.NextStage().State = dak.StagePending
		return tx.SaveStages(p)
	case "recommend_disbursement":
		st := p.NextStage()
		st.Amount, st.AmountBasis = d.stageAmount(p, st, st.Report)
		st.State = dak.StageRecommended
		return tx.SaveStages(p)
	case "record_disbursement":
		st := p.NextStage()
		date, _ := dak.ParseDate(data.SP2DDate)
		st.SP2DNumber, st.SP2DDate, st.PaidAmount, st.State = data.SP2DNumber, &date, *data.Amount, dak.StagePaid
		p.DisbursedAmount += *data.Amount
		return tx.SaveStages(p)
	case "extend_deadline":
		until, _ := dak.ParseDate(data.Until)
		gc.previousDeadline = p.NextStage().Deadline // for the letter, issued after apply
		p.NextStage().Deadline = extendedDeadline(until, gc.previousDeadline)
		return tx.SaveStages(p)
	case "complete":
		p.AbsorbedAmount, p.BASTNumber = *data.AbsorbedAmount, strings.TrimSpace(data.BASTNumber)
	case "lapse":
		for i := range p.Stages {
			if p.Stages[i].State != dak.StagePaid {
				p.Stages[i].State = dak.StageLapsed
			}
		}
		return tx.SaveStages(p)
	}
	return nil
}

func withGuard(fs []dak.FieldError, guard string) []dak.FieldError {
	for i := range fs {
		fs[i].Guard = guard
	}
	return fs
}
