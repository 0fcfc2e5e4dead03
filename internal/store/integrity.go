package store

import (
	"time"

	"dakflow/internal/dak"
)

// storedEvent is an events row as read back, with the document its
// document_id points at (a LEFT JOIN: nil when there is none).
type storedEvent struct {
	Row            eventRow `gorm:"embedded"`
	LinkedSHA256   *string  `gorm:"column:linked_sha256"`
	LinkedProposal *int64   `gorm:"column:linked_proposal"`
	LinkedSeq      *int     `gorm:"column:linked_seq"`
}

// storedEventsSQL reads events with their linked documents; callers add
// WHERE and ORDER BY on alias e.
const storedEventsSQL = `SELECT e.id, e.proposal_id, e.seq, e.event, e.from_state, e.to_state, e.actor_id,
	e.actor_name, e.role, e.at, e.comment, e.data, e.document_id, e.document_sha256, e.record, e.prev_hash, e.hash,
	d.sha256 AS linked_sha256, d.proposal_id AS linked_proposal, d.event_seq AS linked_seq
	FROM events e LEFT JOIN documents d ON d.id = e.document_id`

// checkChain turns one proposal's rows, in seq order, into events read
// from their hashed records (PRODUCT.md §5: every field an API or a page
// shows of an event is the hashed record), each flagged with what of its
// row disagrees with the record or with the chain.
func checkChain(rows []storedEvent) []dak.Event {
	out := make([]dak.Event, len(rows))
	prevSeq, prevHash := 0, dak.GenesisHash
	for i, r := range rows {
		out[i] = r.check(prevSeq, prevHash)
		prevSeq, prevHash = r.Row.Seq, r.Row.Hash
	}
	return out
}

// check decodes r's record and lists every disagreement: a column that is
// not what the record says, a hash that does not cover the record, a link
// to anything but the previous event's hash, a gap in the sequence, or a
// document that is missing, foreign or not the one the record hashes.
func (r storedEvent) check(prevSeq int, prevHash string) dak.Event {
	var bad []string
	e, err := dak.DecodeEventRecord(r.Row.Record)
	if err != nil {
		// Nothing of this row can be shown as genuine, not even its document.
		e = dak.Event{ProposalID: r.Row.ProposalID, Seq: r.Row.Seq, Record: r.Row.Record}
		bad = append(bad, "record")
	} else {
		bad = append(bad, r.columnsAgainst(e)...)
		bad = append(bad, r.documentAgainst(e)...)
		e.DocumentID = r.Row.DocumentID // not hashed: checked against the record's document_sha256
	}
	e.PrevHash, e.Hash = r.Row.PrevHash, r.Row.Hash
	if dak.ChainHash(r.Row.PrevHash, r.Row.Record) != r.Row.Hash {
		bad = append(bad, "hash")
	}
	if r.Row.Seq != prevSeq+1 {
		bad = append(bad, "sequence") // an event before this one is missing
	}
	if r.Row.PrevHash != prevHash {
		bad = append(bad, "prev_hash")
	}
	e.Mismatch = bad
	return e
}

// columnsAgainst names the columns of r that differ from the record e.
func (r storedEvent) columnsAgainst(e dak.Event) []string {
	var bad []string
	differ := func(col string, d bool) {
		if d {
			bad = append(bad, col)
		}
	}
	var actorID int64
	if r.Row.ActorID != nil {
		actorID = *r.Row.ActorID
	}
	differ("proposal_id", r.Row.ProposalID != e.ProposalID)
	differ("seq", r.Row.Seq != e.Seq)
	differ("event", r.Row.Event != e.Event)
	differ("from_state", r.Row.FromState != e.From)
	differ("to_state", r.Row.ToState != e.To)
	differ("actor_id", actorID != e.ActorID)
	differ("actor_name", r.Row.ActorName != e.Actor)
	differ("role", r.Row.Role != string(e.Role))
	// PostgreSQL keeps microseconds; the record keeps what the clock said.
	differ("at", r.Row.At.Sub(e.At).Abs() >= time.Microsecond)
	differ("comment", r.Row.Comment != e.Comment)
	differ("data", !dak.SameEventData(r.Row.Data, e.Data))
	differ("document_sha256", r.Row.DocumentSHA256 != e.DocumentSHA256)
	return bad
}

// documentAgainst checks the document r links against the one its record
// hashes: the record's document_sha256 is the only link the hash covers.
func (r storedEvent) documentAgainst(e dak.Event) []string {
	switch {
	case e.DocumentSHA256 == "" && r.Row.DocumentID == nil:
		return nil
	case e.DocumentSHA256 == "" || r.Row.DocumentID == nil:
		return []string{"document_id"}
	case r.LinkedSHA256 == nil:
		return []string{"document"} // linked to a document that does not exist
	case *r.LinkedSHA256 != e.DocumentSHA256, *r.LinkedProposal != r.Row.ProposalID, *r.LinkedSeq != r.Row.Seq:
		return []string{"document"}
	}
	return nil
}
