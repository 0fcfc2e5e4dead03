package store

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"dakflow/internal/dak"
)

// QueueFilter selects a work queue: the proposals in some states, oldest
// first, so that nothing waits longest unseen (PRODUCT.md §6, the
// verifier's queue with age).
type QueueFilter struct {
	ProposalFilter
	Order QueueOrder
}

// QueueOrder is how a queue is sorted.
type QueueOrder int

// The orders of a queue.
const (
	// ByWaiting puts the longest-unchanged first: for a proposal waiting
	// on a decision, its last change is when it arrived.
	ByWaiting QueueOrder = iota
	// BySubmission puts the earliest submitted first.
	BySubmission
	// ByRecent puts the latest changed first, for one's own list.
	ByRecent
)

// Queue lists the proposals matching f, oldest first, and the total count.
func (s *Store) Queue(ctx context.Context, f QueueFilter) ([]dak.Proposal, int64, error) {
	q := filtered(s.db.WithContext(ctx).Model(&proposalRow{}), f.ProposalFilter)
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count queue: %w", err)
	}
	if f.PerPage <= 0 {
		f.PerPage = 20
	}
	if f.Page <= 0 {
		f.Page = 1
	}
	order := map[QueueOrder]string{ByWaiting: "updated_at ASC, id ASC",
		BySubmission: "COALESCE(submitted_at, created_at) ASC, id ASC", ByRecent: "updated_at DESC, id DESC"}[f.Order]
	var rows []proposalRow
	if err := q.Order(order).Limit(f.PerPage).Offset((f.Page - 1) * f.PerPage).Find(&rows).Error; err != nil {
		return nil, 0, fmt.Errorf("list queue: %w", err)
	}
	out := make([]dak.Proposal, 0, len(rows))
	for _, r := range rows {
		p, err := r.proposal()
		if err != nil {
			return nil, 0, err
		}
		out = append(out, p)
	}
	if err := s.attachStages(ctx, out); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// attachStages reads the disbursement stages of listed proposals in one
// query, for the deadlines and stage amounts a work list shows.
func (s *Store) attachStages(ctx context.Context, ps []dak.Proposal) error {
	ids := make([]int64, len(ps))
	for i := range ps {
		ids[i] = ps[i].ID
	}
	stages, err := s.stagesOf(ctx, ids)
	if err != nil {
		return err
	}
	for i := range ps {
		ps[i].Stages = stages[ps[i].ID]
	}
	return nil
}

// filtered applies a ProposalFilter's conditions (not its paging).
func filtered(q *gorm.DB, f ProposalFilter) *gorm.DB {
	if f.FiscalYear != 0 {
		q = q.Where("fiscal_year = ?", f.FiscalYear)
	}
	if len(f.State) > 0 {
		q = q.Where("state IN ?", f.State)
	}
	if f.Region != "" {
		q = q.Where("(region_code = ? OR region_code LIKE ?)", f.Region, f.Region+".%")
	}
	if f.OwnRegion != "" {
		q = q.Where("region_code = ?", f.OwnRegion)
	}
	if f.Menu != "" {
		q = q.Where("menu = ?", f.Menu)
	}
	if f.Query != "" {
		like := "%" + strings.ToLower(f.Query) + "%"
		q = q.Where("(LOWER(title) LIKE ? OR LOWER(number) LIKE ? OR LOWER(content) LIKE ?)", like, like, like)
	}
	return searched(q, f)
}
