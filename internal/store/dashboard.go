package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"dakflow/internal/dak"
)

// StageDue is a disbursement stage not yet paid nor lapsed whose document
// deadline falls in a window: the dashboards' "stages due this month".
type StageDue struct {
	ProposalID int64
	Number     int
	Deadline   time.Time
}

// DashboardFigures is SummaryFigures — the year's summary and every
// proposal's figures, the computation of GET /fiscal-years/{year}/summary —
// with, from the same read snapshot, the year's open stages whose deadline
// lies in [from, to), by deadline. ErrNotFound for an unknown year.
func (s *Store) DashboardFigures(ctx context.Context, year int, from, to time.Time) (YearSummary, []dak.Proposal, []StageDue, error) {
	var (
		sum YearSummary
		ps  []dak.Proposal
		due []StageDue
	)
	err := s.ReadTx(ctx, func(tx *Tx) error {
		var err error
		if sum, err = tx.summary(year); err != nil {
			return err
		}
		if ps, err = tx.yearFigures(year); err != nil {
			return err
		}
		due, err = tx.stagesDue(year, from, to)
		return err
	})
	return sum, ps, due, err
}

// stagesDue reads the year's open stages and keeps those due in [from,
// to). The window is applied in Go: SQLite keeps timestamps as text, whose
// order is not the instants' when zones differ.
func (tx *Tx) stagesDue(year int, from, to time.Time) ([]StageDue, error) {
	var rows []stageRow
	if err := tx.db.Raw(`SELECT proposal_id, number, deadline FROM disbursement_stages
		WHERE state NOT IN (?, ?) AND proposal_id IN (SELECT id FROM proposals WHERE fiscal_year = ?)
		ORDER BY proposal_id, number`, dak.StagePaid, dak.StageLapsed, year).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("stages due in %d: %w", year, err)
	}
	var out []StageDue
	for _, r := range rows {
		if !r.Deadline.Before(from) && r.Deadline.Before(to) {
			out = append(out, StageDue{ProposalID: r.ProposalID, Number: r.Number, Deadline: r.Deadline.UTC()})
		}
	}
	slices.SortStableFunc(out, func(a, b StageDue) int { return a.Deadline.Compare(b.Deadline) })
	return out, nil
}
