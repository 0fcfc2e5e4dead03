package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"dakflow/internal/dak"
)

// Revision is an immutable snapshot of a proposal's content frozen at a submission.
type Revision struct {
	Number    int               `json:"number"`
	Content   dak.ProposalInput `json:"content"`
	SHA256    string            `json:"sha256"`
	CreatedBy int64             `json:"created_by"`
	CreatedAt time.Time         `json:"created_at"`
}

// AddRevision freezes a snapshot of the content at submission.
func (tx *Tx) AddRevision(proposalID int64, number int, content string, by int64) error {
	const q = `INSERT INTO proposal_revisions (proposal_id, number, content, sha256, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)`
	args := []any{proposalID, number, content, dak.SHA256Hex([]byte(content)), by, tx.now}
	if tx.dialect == Postgres {
		// A submission saves its proposal next: the revision goes with
		// that statement (withPending), one round trip fewer.
		tx.pending = append(tx.pending, pendingWrite{q, args})
		return nil
	}
	if err := tx.db.Exec(q, args...).Error; err != nil {
		return fmt.Errorf("add revision: %w", err)
	}
	return nil
}

// pendingWrite is an INSERT queued to go with the transaction's next save
// of a proposal (SaveProposal, SaveProposalNumbered, AppendEventWith), as
// a data-modifying CTE, or at its commit at the latest (flushPending).
// Nothing a transaction reads before then reads what it writes.
type pendingWrite struct {
	sql  string
	args []any
}

// withPending is q (a statement, a WITH one included) with the queued
// writes before it as CTEs, and its arguments after theirs; the queue is
// emptied.
func (tx *Tx) withPending(q string, args []any) (string, []any) {
	if len(tx.pending) == 0 {
		return q, args
	}
	var b strings.Builder
	var all []any
	for i, w := range tx.pending {
		if i == 0 {
			b.WriteString("WITH ")
		} else {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "pending_%d AS (%s)", i, w.sql)
		all = append(all, w.args...)
	}
	tx.pending = nil
	if rest, ok := strings.CutPrefix(q, "WITH "); ok {
		b.WriteString(", " + rest)
	} else {
		b.WriteString(" " + q)
	}
	return b.String(), append(all, args...)
}

// flushPending writes what is still queued (the transaction commits next).
func (tx *Tx) flushPending() error {
	for len(tx.pending) > 0 {
		w := tx.pending[0]
		tx.pending = tx.pending[1:]
		if err := tx.db.Exec(w.sql, w.args...).Error; err != nil {
			return fmt.Errorf("queued write: %w", err)
		}
	}
	return nil
}

// Revisions lists a proposal's frozen revisions, first to last.
func (s *Store) Revisions(ctx context.Context, proposalID int64) ([]Revision, error) {
	var rows []struct {
		Number    int
		Content   string
		SHA256    string `gorm:"column:sha256"`
		CreatedBy int64
		CreatedAt time.Time
	}
	if err := s.reader(ctx).Raw(`SELECT number, content, sha256, created_by, created_at FROM proposal_revisions
		WHERE proposal_id = ? ORDER BY number`, proposalID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("list revisions: %w", err)
	}
	out := make([]Revision, len(rows))
	for i, r := range rows {
		out[i] = Revision{Number: r.Number, SHA256: r.SHA256, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC()}
		if err := json.Unmarshal([]byte(r.Content), &out[i].Content); err != nil {
			return nil, fmt.Errorf("revision %d: %w", r.Number, err)
		}
	}
	return out, nil
}
