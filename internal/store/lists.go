package store

import (
	"context"
	"fmt"
	"time"

	"dakflow/internal/dak"
)

// ProposalFilter selects proposals for lists; zero fields do not filter.
type ProposalFilter struct {
	// Viewer is who reads the list: the list holds only what
	// Viewer.RegionScope lets them see (a pemda, its own region), applied
	// in the query itself, so that no handler adds a region condition.
	// The zero Viewer is the system's own reading and sees every region.
	Viewer     dak.User
	FiscalYear int
	State      []string
	Region     string // a code: the proposal's region lies within it
	Menu       string
	// Query is text in the number, the title, or the sentra's name or
	// commodity, matched ignoring case (search.go, textCondition).
	Query string
	// Number is a proposal number or its beginning ("USL-2027-1871"),
	// matched case-insensitively.
	Number string
	// Actor is someone who fired an event on the proposal (search.go,
	// actorCondition): a username, a user id, a NIP, or a name or part of
	// one.
	Actor string
	// From and To bound the time of an event on the proposal: at or after
	// From, before To (zero is open). With Actor, one event satisfies both.
	From, To time.Time
	Page     int
	PerPage  int
}

// Proposals lists proposals matching f, newest first, and the total count.
func (s *Store) Proposals(ctx context.Context, f ProposalFilter) ([]dak.Proposal, int64, error) {
	return s.list(ctx, f, "updated_at DESC, id DESC")
}

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

// queueOrders are the ORDER BY clauses of the queue orders.
var queueOrders = map[QueueOrder]string{
	ByWaiting:    "updated_at ASC, id ASC",
	BySubmission: "COALESCE(submitted_at, created_at) ASC, id ASC",
	ByRecent:     "updated_at DESC, id DESC",
}

// Queue lists the proposals matching f in f's order, and the total count.
func (s *Store) Queue(ctx context.Context, f QueueFilter) ([]dak.Proposal, int64, error) {
	return s.list(ctx, f.ProposalFilter, queueOrders[f.Order])
}

// ProposalIDs lists the id of every proposal matching f, ignoring its
// paging, in id order: the proposals a trail export takes.
func (s *Store) ProposalIDs(ctx context.Context, f ProposalFilter) ([]int64, error) {
	var ids []int64
	if err := s.filtered(s.reader(ctx).Model(&proposalRow{}), f).Order("id").Pluck("id", &ids).Error; err != nil {
		return nil, fmt.Errorf("list proposal ids: %w", err)
	}
	return ids, nil
}

// list reads one page of the proposals matching f in order, with their
// stages, and the count of all that match.
func (s *Store) list(ctx context.Context, f ProposalFilter, order string) ([]dak.Proposal, int64, error) {
	var (
		out   []dak.Proposal
		total int64
	)
	err := s.ReadTx(ctx, func(tx *Tx) error {
		q := s.filtered(tx.db.Model(&proposalRow{}), f)
		if err := q.Count(&total).Error; err != nil {
			return fmt.Errorf("count proposals: %w", err)
		}
		if f.PerPage <= 0 {
			f.PerPage = 20
		}
		if f.Page <= 0 {
			f.Page = 1
		}
		var rows []proposalRow
		if err := q.Order(order).Limit(f.PerPage).Offset((f.Page - 1) * f.PerPage).Find(&rows).Error; err != nil {
			return fmt.Errorf("list proposals: %w", err)
		}
		out = make([]dak.Proposal, 0, len(rows))
		for _, r := range rows {
			p, err := r.proposal()
			if err != nil {
				return err
			}
			out = append(out, p)
		}
		return tx.attachStages(out)
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// attachStages reads the disbursement stages of listed proposals in one
// query, for the deadlines and stage amounts a work list shows.
func (tx *Tx) attachStages(ps []dak.Proposal) error {
	if len(ps) == 0 {
		return nil
	}
	ids := make([]int64, len(ps))
	for i := range ps {
		ids[i] = ps[i].ID
	}
	var rows []stageRow
	if err := tx.db.Where("proposal_id IN ?", ids).Order("proposal_id, number").Find(&rows).Error; err != nil {
		return fmt.Errorf("read stages: %w", err)
	}
	byProposal := map[int64][]stageRow{}
	for _, r := range rows {
		byProposal[r.ProposalID] = append(byProposal[r.ProposalID], r)
	}
	for i := range ps {
		if rows := byProposal[ps[i].ID]; len(rows) > 0 {
			var err error
			if ps[i].Stages, err = stagesFrom(rows); err != nil {
				return err
			}
		}
	}
	return nil
}
