package store

import (
	"context"
	"encoding/json"
	"fmt"
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
	err := tx.db.Exec(`INSERT INTO proposal_revisions (proposal_id, number, content, sha256, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		proposalID, number, content, dak.SHA256Hex([]byte(content)), by, tx.now).Error
	if err != nil {
		return fmt.Errorf("add revision: %w", err)
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
