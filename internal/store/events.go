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

func (r eventRow) event() dak.Event {
	e := dak.Event{ProposalID: r.ProposalID, Seq: r.Seq, Event: r.Event, From: r.FromState,
		To: r.ToState, Actor: r.ActorName, Role: dak.Role(r.Role), At: r.At.UTC(), Comment: r.Comment,
		Data: json.RawMessage(r.Data), DocumentID: r.DocumentID, DocumentSHA256: r.DocumentSHA256, Record: r.Record,
		PrevHash: r.PrevHash, Hash: r.Hash}
	if r.ActorID != nil {
		e.ActorID = *r.ActorID
	}
	return e
}

// AppendEvent adds e to its proposal's chain, filling Seq, At, Record and
// the hashes. The proposal row is locked by the caller, so the chain cannot
// fork; the global chain is linked after commit (LinkGlobal).
func (tx *Tx) AppendEvent(e *dak.Event) error {
	var last struct {
		Seq  int
		Hash string
	}
	if err := tx.db.Raw(`SELECT seq, hash FROM events WHERE proposal_id = ? ORDER BY seq DESC LIMIT 1`, e.ProposalID).Scan(&last).Error; err != nil {
		return fmt.Errorf("append event: %w", err)
	}
	e.Seq, e.PrevHash = last.Seq+1, last.Hash
	if e.Seq == 1 {
		e.PrevHash = dak.GenesisHash
	}
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
	err := s.InTx(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.Events(proposalID)
		return err
	})
	return out, err
}

// Events lists a proposal's trail inside a transaction.
func (tx *Tx) Events(proposalID int64) ([]dak.Event, error) {
	var rows []eventRow
	if err := tx.db.Where("proposal_id = ?", proposalID).Order("seq").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list events: %w", err)
	}
	out := make([]dak.Event, len(rows))
	for i, r := range rows {
		out[i] = r.event()
	}
	return out, nil
}

// LastEventSeq is the sequence number of a proposal's latest event (0 for none).
func (tx *Tx) LastEventSeq(proposalID int64) (int, error) {
	var seq int
	err := tx.db.Raw(`SELECT COALESCE(MAX(seq), 0) FROM events WHERE proposal_id = ?`, proposalID).Scan(&seq).Error
	if err != nil {
		return 0, fmt.Errorf("last event of %d: %w", proposalID, err)
	}
	return seq, nil
}
