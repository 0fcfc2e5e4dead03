package web

import (
	"context"
	"errors"
	"fmt"

	"dakflow/internal/dak"
	"dakflow/internal/workflow"
)

// sentraHistoryView is what the registry knows of the sentra a proposal
// names, on its page (PRODUCT.md §9): the same store.SentraBackground the
// berita acara penilaian states, for the verifier to weigh.
type sentraHistoryView struct {
	ID                  int64
	Name, Status, Since string
	Basis               string
	Funding             []sentraFundingRow
	LastReport          string // "" when none was filed
}

// sentraFundingRow is one other proposal of the sentra that was allocated DAK.
type sentraFundingRow struct {
	ProposalID           int64
	FiscalYear           int
	Number, Menu, State  string
	Allocated, Disbursed dak.Money
}

// sentraHistory reads the history of pr's sentra; nil when pr names no
// registered sentra.
func (p *pages) sentraHistory(ctx context.Context, d *workflow.Definition, pr dak.Proposal) (*sentraHistoryView, error) {
	if pr.SentraID == 0 {
		return nil, nil
	}
	b, err := p.s.store.SentraBackground(ctx, pr.SentraID, pr.ID)
	if errors.Is(err, dak.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	s := b.Sentra
	v := &sentraHistoryView{ID: s.ID, Name: s.Name, Status: s.Status.Label(), Since: s.StatusDate, Basis: s.StatusBasis}
	if t, err := dak.ParseDate(s.StatusDate); err == nil {
		v.Since = dak.FormatDate(t)
	}
	for _, f := range b.Funding {
		v.Funding = append(v.Funding, sentraFundingRow{ProposalID: f.ID, FiscalYear: f.FiscalYear, Number: f.Number,
			Menu: f.Menu.Label(), State: d.StateLabel(f.State), Allocated: f.AllocatedAmount, Disbursed: f.DisbursedAmount})
	}
	if r := b.LastReport; r != nil {
		period := r.Period
		if per, err := dak.ParsePeriod(r.Period); err == nil {
			period = per.Label()
		}
		v.LastReport = fmt.Sprintf("%s: %d IKM memanfaatkan, tingkat hunian %d%%, kondisi %s", period, r.IKMUsing,
			r.OccupancyPercent, dak.ReportConditions[r.Condition])
	}
	return v, nil
}
