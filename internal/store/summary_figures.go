package store

import (
	"context"
	"fmt"

	"dakflow/internal/dak"
)

// SummaryFigures is the year's summary (Summary) and, from the same read
// snapshot, every proposal of the year with what dak.Proposal.Figures
// reads — its amounts, region, menu, state and stages, not its content —
// in id order, so that grouped figures are the documents' own
// computation (PRODUCT.md §10, "Figures"). ErrNotFound for an unknown year.
func (s *Store) SummaryFigures(ctx context.Context, year int) (YearSummary, []dak.Proposal, error) {
	var (
		sum YearSummary
		out []dak.Proposal
	)
	err := s.ReadTx(ctx, func(tx *Tx) error {
		var err error
		if sum, err = tx.summary(year); err != nil {
			return err
		}
		out, err = tx.yearFigures(year)
		return err
	})
	return sum, out, err
}

// figuresRow is the part of a proposal row that its figures read.
type figuresRow struct {
	ID                int64
	Number            string
	Menu              string
	RegionCode        string
	State             string
	Workflow          string
	RequestedAmount   int64
	RecommendedAmount int64
	AllocatedAmount   int64
	RKAmount          int64 `gorm:"column:rk_amount"`
	DisbursedAmount   int64
	AbsorbedAmount    int64
}

func (tx *Tx) yearFigures(year int) ([]dak.Proposal, error) {
	var rows []figuresRow
	if err := tx.db.Raw(`SELECT id, number, menu, region_code, state, workflow, requested_amount, recommended_amount,
		allocated_amount, rk_amount, disbursed_amount, absorbed_amount FROM proposals WHERE fiscal_year = ? ORDER BY id`,
		year).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("figures of %d: %w", year, err)
	}
	var stages []stageRow
	if err := tx.db.Raw(`SELECT proposal_id, number, planned_amount, amount, state, paid_amount FROM disbursement_stages
		WHERE proposal_id IN (SELECT id FROM proposals WHERE fiscal_year = ?) ORDER BY proposal_id, number`,
		year).Scan(&stages).Error; err != nil {
		return nil, fmt.Errorf("stages of %d: %w", year, err)
	}
	out := make([]dak.Proposal, len(rows))
	index := make(map[int64]int, len(rows))
	for i, r := range rows {
		out[i] = dak.Proposal{ID: r.ID, Number: r.Number, FiscalYear: year, Menu: dak.Menu(r.Menu), RegionCode: r.RegionCode,
			State: r.State, Workflow: r.Workflow, RequestedAmount: dak.Money(r.RequestedAmount),
			RecommendedAmount: dak.Money(r.RecommendedAmount), AllocatedAmount: dak.Money(r.AllocatedAmount),
			RKAmount: dak.Money(r.RKAmount), DisbursedAmount: dak.Money(r.DisbursedAmount), AbsorbedAmount: dak.Money(r.AbsorbedAmount)}
		index[r.ID] = i
	}
	for _, st := range stages {
		i, ok := index[st.ProposalID]
		if !ok {
			continue // a proposal filed between the two reads cannot be: one snapshot
		}
		out[i].Stages = append(out[i].Stages, dak.Stage{Number: st.Number, PlannedAmount: dak.Money(st.PlannedAmount),
			Amount: dak.Money(st.Amount), State: st.State, PaidAmount: dak.Money(st.PaidAmount)})
	}
	return out, nil
}
