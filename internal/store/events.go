package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"dakflow/internal/dak"
)

type eventRow struct {
	ID             int64
	ProposalID     int64
	Seq            int
	Event          string
	FromState      string
	ToState        string
	ActorID        *int64
	ActorName      string
	Role           string
	At             time.Time
	Comment        string
	Data           string
	DocumentID     *int64
	DocumentSHA256 string `gorm:"column:document_sha256"`
	Record         string
	PrevHash       string
	Hash           string
}

func (eventRow) TableName() string { return "events" }

// ChainTip is the latest event of a proposal's chain: its sequence number
// and hash (0 and the genesis hash before the first event).
type ChainTip struct {
	Seq  int
	Hash string
}

// Tip reads a proposal's chain tip. Read it after locking the proposal:
// the tip then cannot move until the transaction ends.
func (tx *Tx) Tip(proposalID int64) (ChainTip, error) {
	var tip ChainTip
	if err := tx.db.Raw(`SELECT seq, hash FROM events WHERE proposal_id = ? ORDER BY seq DESC LIMIT 1`, proposalID).Scan(&tip).Error; err != nil {
		return tip, fmt.Errorf("chain tip of %d: %w", proposalID, err)
	}
	if tip.Seq == 0 {
		tip.Hash = dak.GenesisHash
	}
	return tip, nil
}

// AppendEvent adds e after tip on its proposal's chain, filling Seq, At,
// Record and the hashes. The proposal row is locked by the caller, so the
// chain cannot fork (and the UNIQUE (proposal_id, seq) is the second line);
// the global chain is linked after commit (LinkGlobal).
func (tx *Tx) AppendEvent(e *dak.Event, tip ChainTip) error {
	e.Seq, e.PrevHash = tip.Seq+1, tip.Hash
	e.At = tx.now
	if len(e.Data) == 0 {
		e.Data = json.RawMessage("{}")
	}
	e.Record = dak.EventRecord(*e)
	e.Hash = dak.ChainHash(e.PrevHash, e.Record)

	row := eventRow{ProposalID: e.ProposalID, Seq: e.Seq, Event: e.Event, FromState: e.From,
		ToState: e.To, ActorName: e.Actor, Role: string(e.Role), At: e.At, Comment: e.Comment, Data: string(e.Data),
		DocumentID: e.DocumentID, DocumentSHA256: e.DocumentSHA256, Record: e.Record, PrevHash: e.PrevHash, Hash: e.Hash}
	if e.ActorID != 0 {
		row.ActorID = &e.ActorID
	}
	if err := tx.db.Create(&row).Error; err != nil {
		if IsUniqueViolation(err) {
			return dak.Errorf(dak.ErrConflict, "usulan sedang diproses oleh pengguna lain; muat ulang dan coba lagi")
		}
		return fmt.Errorf("append event: %w", err)
	}
	return nil
}

// Events lists a proposal's trail in order.
func (s *Store) Events(ctx context.Context, proposalID int64) ([]dak.Event, error) {
	var out []dak.Event
	err := s.ReadTx(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.Events(proposalID)
		return err
	})
	return out, err
}

// Events lists a proposal's trail inside a transaction. Every field comes
// from the event's hashed record; an event whose columns, hash, chain link
// or document disagree with it carries Mismatch (integrity.go).
func (tx *Tx) Events(proposalID int64) ([]dak.Event, error) {
	var rows []storedEvent
	if err := tx.db.Raw(storedEventsSQL+` WHERE e.proposal_id = ? ORDER BY e.seq`, proposalID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("list events: %w", err)
	}
	return checkChain(rows), nil
}
