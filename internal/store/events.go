package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
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
	return tx.AppendEventWith(e, tip, EventWrites{})
}

// EventWrites is what a transition writes with its event, last: the
// document it issues (with its PDF, exactly as hashed) and the
// notifications it sends.
type EventWrites struct {
	Document      *dak.Document // nil for none; ID, SHA256, Size and CreatedAt are filled
	PDF           []byte
	Notifications []NewNotification
	// Save, when set, is the proposal's SaveProposal, written with the
	// event: for a transition with nothing to read or write between the
	// two.
	Save *ProposalSave
	// Foreseen, when set (PostgreSQL only), draws the document's number
	// in the event's statement: the number the document was given,
	// Foreseen, must be the next of its kind's counter for year Year.
	// When it is not (another was drawn meanwhile) nothing is written
	// and AppendEventWith answers ErrForeseenWrong; the transaction can
	// only roll back.
	Foreseen int64
	Year     int
}

// CommitWithEvent makes the next event's statement (AppendEventWith)
// carry the transaction's COMMIT where it can: on PostgreSQL, where the
// saves, the document and the event are that one statement, with the
// BEGIN sent ahead (commit_ahead.go). The transaction then ends with that
// statement: nothing may be written after it, and InTx's fn must return
// nil once it succeeded.
func (tx *Tx) CommitWithEvent() { tx.commitEvent = true }

// ErrForeseenWrong is AppendEventWith's answer for a document whose number
// was foreseen (EventWrites.Foreseen) when its counter had drawn another.
var ErrForeseenWrong = errors.New("the counter drew another number than the one foreseen")

// ProposalSave is SaveProposal(Proposal, Expected), deferred.
type ProposalSave struct {
	Proposal *dak.Proposal
	Expected int64
}

// AppendEventWith is AppendEvent writing w with the event, which cites
// the document's id and hash. On PostgreSQL the proposal's save, the
// notifications, the document and the event are one statement (one round trip, inside the
// window in which the document kind's counter row is held); a
// notification to be mailed, whose outbox row names it, and SQLite take
// a statement each.
func (tx *Tx) AppendEventWith(e *dak.Event, tip ChainTip, w EventWrites) error {
	commit := tx.commitEvent // this event's alone
	tx.commitEvent = false
	e.Seq, e.PrevHash = tip.Seq+1, tip.Hash
	e.At = tx.now
	if len(e.Data) == 0 {
		e.Data = json.RawMessage("{}")
	}
	if d := w.Document; d != nil {
		d.SHA256, d.Size, d.CreatedAt = dak.SHA256Hex(w.PDF), int64(len(w.PDF)), tx.now
		e.DocumentSHA256 = d.SHA256
	}
	e.Record = dak.EventRecord(*e)
	e.Hash = dak.ChainHash(e.PrevHash, e.Record)
	var actor *int64
	if e.ActorID != 0 {
		actor = &e.ActorID
	}
	if w.Foreseen != 0 && (tx.dialect != Postgres || w.Document == nil || slices.ContainsFunc(w.Notifications, func(n NewNotification) bool { return n.Email != "" })) {
		return errors.New("append event: a number foreseen needs PostgreSQL, a document and no mail")
	}
	if tx.dialect != Postgres || slices.ContainsFunc(w.Notifications, func(n NewNotification) bool { return n.Email != "" }) {
		if w.Save != nil {
			if err := tx.SaveProposal(w.Save.Proposal, w.Save.Expected); err != nil {
				return err
			}
		}
		if err := tx.AddNotifications(w.Notifications); err != nil {
			return err
		}
		if w.Document != nil {
			if err := tx.addDocument(w.Document, w.PDF); err != nil {
				return err
			}
			e.DocumentID = &w.Document.ID
		}
		row := eventRow{ProposalID: e.ProposalID, Seq: e.Seq, Event: e.Event, FromState: e.From,
			ToState: e.To, ActorID: actor, ActorName: e.Actor, Role: string(e.Role), At: e.At, Comment: e.Comment, Data: string(e.Data),
			DocumentID: e.DocumentID, DocumentSHA256: e.DocumentSHA256, Record: e.Record, PrevHash: e.PrevHash, Hash: e.Hash}
		return eventConflict(tx.db.Create(&row).Error, "")
	}
	var (
		q    strings.Builder
		args []any
		with = "WITH "
	)
	number := "?" // the document's
	if w.Foreseen != 0 {
		// The counter moves only from the number before the one
		// foreseen; else the document's number is NULL, which its
		// column refuses, and the whole statement is undone. ON
		// CONFLICT, as NextNumbers: it waits for a transaction that
		// holds the row and reads the row it committed, where an
		// UPDATE whose condition the row it sees fails would pass it
		// by without waiting. A counter not there (never, once drawn
		// from) is made at 0, which is no number foreseen.
		tx.drawn = true
		q.WriteString(with + `c AS (INSERT INTO counters (kind, year, last) VALUES (?, ?, 0)
			ON CONFLICT (kind, year) DO UPDATE SET last = counters.last + 1 WHERE counters.last = ? RETURNING last)`)
		args = append(args, w.Document.Kind, w.Year, w.Foreseen-1)
		with = ", "
		number = "(SELECT ?::text FROM c WHERE last = ?)"
	}
	if len(w.Notifications) > 0 {
		q.WriteString(with + `n AS (INSERT INTO notifications (user_id, kind, proposal_id, message, created_at) VALUES `)
		for i, n := range w.Notifications {
			if i > 0 {
				q.WriteString(", ")
			}
			q.WriteString("(?, ?, ?, ?, ?)")
			args = append(args, n.UserID, n.Kind, n.ProposalID, n.Message, tx.now)
		}
		q.WriteString(")")
		with = ", "
	}
	hash := "?" // the event's; NULL, which its column refuses, when the proposal's save found another version
	if w.Save != nil {
		save, err := tx.saveArgs(w.Save.Proposal, w.Save.Expected)
		if err != nil {
			return err
		}
		q.WriteString(with + `saved AS (` + saveProposalSQL + ` RETURNING id)`)
		args = append(args, save...)
		with = ", "
		hash = "(SELECT ?::text WHERE (SELECT count(*) FROM saved) = 1)"
	}
	docID := "?" // the document the caller stored, if any
	if d := w.Document; d != nil {
		q.WriteString(with + `d AS (INSERT INTO documents (proposal_id, kind, number, title, sha256, size, verify_code,
			event_seq, issuer, created_at, pdf) VALUES (?, ?, ` + number + `, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id)`)
		args = append(args, d.ProposalID, d.Kind, d.Number)
		if w.Foreseen != 0 {
			args = append(args, w.Foreseen)
		}
		args = append(args, d.Title, d.SHA256, d.Size, d.VerifyCode, d.EventSeq, d.Issuer, d.CreatedAt, w.PDF)
		docID = "(SELECT id FROM d)"
	}
	q.WriteString(` INSERT INTO events (proposal_id, seq, event, from_state, to_state, actor_id, actor_name, role, at,
		comment, data, document_id, document_sha256, record, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ` + docID + `, ?, ?, ?, ` + hash + `) RETURNING COALESCE(document_id, 0)`)
	args = append(args, e.ProposalID, e.Seq, e.Event, e.From, e.To, actor, e.Actor, string(e.Role), e.At,
		e.Comment, string(e.Data))
	if w.Document == nil {
		args = append(args, e.DocumentID)
	}
	args = append(args, e.DocumentSHA256, e.Record, e.PrevHash, e.Hash)
	var id int64
	sql, args := tx.withPending(q.String(), args)
	if commit && tx.state != nil && tx.state.conn != nil {
		// Every check is in the statement (the number foreseen, the
		// version saved): nothing is left to decide after it.
		if err := tx.state.conn.armCommit(); err != nil {
			return err
		}
	}
	err := tx.db.Raw(sql, args...).Row().Scan(&id)
	if tx.state != nil && tx.state.conn != nil {
		tx.state.conn.unarmCommit() // a COMMIT armed for a statement that never went goes with no other
	}
	if err != nil {
		if w.Foreseen != 0 && isNotNull(err, "documents", "number") {
			return ErrForeseenWrong
		}
		if w.Save != nil && isNotNull(err, "events", "hash") { // the version moved: the caller's transaction undoes the rest
			return errChangedMeanwhile()
		}
		what := ""
		if w.Document != nil {
			what = "dokumen " + w.Document.Number
		}
		return eventConflict(err, what)
	}
	if w.Document != nil {
		w.Document.ID = id
		e.DocumentID = &w.Document.ID
	}
	return nil
}

// eventConflict is the error of writing an event (and the document named
// what, if any): the event's (proposal, seq) already taken is another
// transition that won the race.
func eventConflict(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case IsUniqueViolation(err) && (what == "" || strings.Contains(err.Error(), "events_proposal_id_seq")):
		return dak.Errorf(dak.ErrConflict, "usulan sedang diproses oleh pengguna lain; muat ulang dan coba lagi")
	case what != "":
		return translate(err, what)
	}
	return fmt.Errorf("append event: %w", err)
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
