package store

import (
	"context"
	"fmt"
	"time"

	"dakflow/internal/dak"
)

// TrailSnapshot is everything a proposal's trail ZIP is built from, read
// in one read transaction (ReadTx), so that a transition committing while
// it is read can never ship a document without its event, or an event
// without its document (issue 8, item 6).
type TrailSnapshot struct {
	// Proposal is the proposal as of the snapshot, stages included.
	Proposal dak.Proposal
	// Events is the whole chain in seq order, every field from the hashed
	// record; an event whose row disagrees with it carries Mismatch.
	Events []dak.Event
	// Documents lists the issued documents in issue (id) order, and PDFs
	// holds each one's stored bytes by document id, exactly as hashed.
	Documents []dak.Document
	PDFs      map[int64][]byte
	// Attachments lists the uploaded files' metadata (not their bytes).
	Attachments []dak.Attachment
	// ReadAt is the store's clock when the snapshot was taken.
	ReadAt time.Time
}

// TrailSnapshot reads everything a proposal's trail needs as one
// consistent snapshot. It returns ErrNotFound for an unknown proposal.
func (s *Store) TrailSnapshot(ctx context.Context, proposalID int64) (TrailSnapshot, error) {
	var snap TrailSnapshot
	err := s.ReadTx(ctx, func(tx *Tx) error {
		var err error
		snap.ReadAt = tx.now
		if snap.Proposal, _, err = tx.proposal(proposalID, false, false); err != nil {
			return err
		}
		if snap.Events, err = tx.Events(proposalID); err != nil {
			return err
		}
		var rows []documentRow
		if err := tx.db.Where("proposal_id = ?", proposalID).Order("id").Find(&rows).Error; err != nil {
			return fmt.Errorf("read documents: %w", err)
		}
		snap.PDFs = make(map[int64][]byte, len(rows))
		for _, r := range rows {
			snap.Documents = append(snap.Documents, r.document())
			snap.PDFs[r.ID] = r.PDF
		}
		snap.Attachments, err = tx.Attachments(proposalID)
		return err
	})
	if err != nil {
		return TrailSnapshot{}, fmt.Errorf("trail of proposal %d: %w", proposalID, err)
	}
	return snap, nil
}
