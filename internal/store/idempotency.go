package store

import (
	"encoding/json"
	"fmt"

	"dakflow/internal/dak"
)

// IdempotentReply is the first answer to an Idempotency-Key as a reference
// to what it was made of: the event the request fired, committed in the
// same transaction (its row names its document), for a filing the
// proposal it filed (EventSeq 0), for a use report's photo the photo
// (ProposalID 0), for an import's commit what it created (ProposalID 0;
// idempotency_imports.go), or for a trail export the export it queued
// (ProposalID 0; idempotency_exports.go). A retry's answer is rebuilt
// from those rows; nothing of the HTTP response is stored.
type IdempotentReply struct {
	RequestHash string
	ProposalID  int64   // 0 for a photo
	EventSeq    int     // 0: the answer is a filing's proposal, an upload's attachments or a photo
	Attachments []int64 // an upload's, in the order stored; nil for an event, a filing or a photo
	Photo       int64   // a use report's photo an upload stored; 0 otherwise
	// Import is what an import's commit created, "" for any other answer;
	// Imported the ids of its drafts or sentra, in the file's order.
	Import   ImportKind
	Imported []int64
	Export   int64 // a trail export queued; 0 otherwise
	// Sentra, SentraReport and SentraHistory are the sentra a
	// registration made, the use report filed and the line of a sentra's
	// status history a status change or a field visit added; 0 otherwise.
	Sentra, SentraReport, SentraHistory int64
}

// IdempotentReply returns the reply stored for (user, key), or nil.
func (tx *Tx) IdempotentReply(userID int64, key string) (*IdempotentReply, error) {
	var rows []struct {
		RequestHash   string
		ProposalID    int64
		EventSeq      int
		AttachmentIDs *string
		PhotoID       int64
		Proposals     *string // imported_proposal_ids
		Sentra        *string // imported_sentra_ids
		TrailExportID int64
		SentraID      int64
		ReportID      int64
		HistoryID     int64
	}
	err := tx.db.Raw(`SELECT k.request_hash, COALESCE(e.proposal_id, k.proposal_id, 0) AS proposal_id,
		COALESCE(e.seq, 0) AS event_seq, k.attachment_ids, COALESCE(k.photo_id, 0) AS photo_id,
		k.imported_proposal_ids AS proposals, k.imported_sentra_ids AS sentra,
		COALESCE(k.trail_export_id, 0) AS trail_export_id, COALESCE(k.sentra_id, 0) AS sentra_id,
		COALESCE(k.sentra_report_id, 0) AS report_id, COALESCE(k.sentra_history_id, 0) AS history_id
		FROM idempotency_keys k LEFT JOIN events e ON e.id = k.event_id
		WHERE k.user_id = ? AND k.key = ?`, userID, key).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("idempotency key: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	r := rows[0]
	reply := &IdempotentReply{RequestHash: r.RequestHash, ProposalID: r.ProposalID, EventSeq: r.EventSeq, Photo: r.PhotoID,
		Export: r.TrailExportID, Sentra: r.SentraID, SentraReport: r.ReportID, SentraHistory: r.HistoryID}
	if r.AttachmentIDs != nil {
		if err := json.Unmarshal([]byte(*r.AttachmentIDs), &reply.Attachments); err != nil || reply.Attachments == nil {
			return nil, fmt.Errorf("idempotency key: attachments %q: %v", *r.AttachmentIDs, err)
		}
	}
	list := r.Proposals
	reply.Import = ImportedProposals
	if list == nil {
		list, reply.Import = r.Sentra, ImportedSentra
	}
	if list == nil {
		reply.Import = ""
		return reply, nil
	}
	if err := json.Unmarshal([]byte(*list), &reply.Imported); err != nil || reply.Imported == nil {
		return nil, fmt.Errorf("idempotency key: imported %s %q: %v", reply.Import, *list, err)
	}
	return reply, nil
}

// SaveIdempotentReply records that the answer to (user, key) is event e,
// appended in this transaction, so that a retry can never see the work
// without its answer. A key saved concurrently by another request is
// ErrConflict.
func (tx *Tx) SaveIdempotentReply(userID int64, key, requestHash string, e dak.Event) error {
	res := tx.db.Exec(`INSERT INTO idempotency_keys (user_id, key, request_hash, event_id, created_at)
		SELECT ?, ?, ?, id, ? FROM events WHERE proposal_id = ? AND seq = ?`,
		userID, key, requestHash, tx.now, e.ProposalID, e.Seq)
	if err := savedKey(res.Error); err != nil {
		return err
	}
	if res.RowsAffected != 1 {
		return fmt.Errorf("save idempotency key: event %d of proposal %d not found", e.Seq, e.ProposalID)
	}
	return nil
}

// SaveIdempotentFiling records that the answer to (user, key) is the
// proposal proposalID, filed in this transaction (SaveIdempotentReply's
// rules).
func (tx *Tx) SaveIdempotentFiling(userID int64, key, requestHash string, proposalID int64) error {
	return savedKey(tx.db.Exec(`INSERT INTO idempotency_keys (user_id, key, request_hash, proposal_id, created_at)
		VALUES (?, ?, ?, ?, ?)`, userID, key, requestHash, proposalID, tx.now).Error)
}

// SaveIdempotentUpload records that the answer to (user, key) is the
// attachments as, stored on proposal proposalID in this transaction
// (SaveIdempotentReply's rules).
func (tx *Tx) SaveIdempotentUpload(userID int64, key, requestHash string, proposalID int64, as []dak.Attachment) error {
	ids := make([]int64, len(as))
	for i, a := range as {
		ids[i] = a.ID
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return fmt.Errorf("save idempotency key: %w", err)
	}
	return savedKey(tx.db.Exec(`INSERT INTO idempotency_keys (user_id, key, request_hash, proposal_id, attachment_ids, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, userID, key, requestHash, proposalID, string(list), tx.now).Error)
}

// saveIdempotentPhoto records that the answer to (user, key) is the photo
// photoID, stored in this transaction (SaveIdempotentReply's rules).
func (tx *Tx) saveIdempotentPhoto(userID int64, key, requestHash string, photoID int64) error {
	return savedKey(tx.db.Exec(`INSERT INTO idempotency_keys (user_id, key, request_hash, photo_id, created_at)
		VALUES (?, ?, ?, ?, ?)`, userID, key, requestHash, photoID, tx.now).Error)
}

// ErrKeyReused is the kind of the refusal of an Idempotency-Key already
// answered for another request: invalid input (dak.ErrInvalid), which a
// page tells apart to offer its form again under a fresh key. The engine's
// refusal (workflow.ErrKeyReused) is the same.
var ErrKeyReused = fmt.Errorf("%w: Idempotency-Key reused", dak.ErrInvalid)

// keyReused refuses a key already answered for another request (a 400).
func keyReused() error {
	return dak.Errorf(ErrKeyReused, "Idempotency-Key sudah dipakai untuk permintaan lain")
}

// savedKey is the error of a key's insert: a key another request saved
// meanwhile is ErrConflict, the client's to retry.
func savedKey(err error) error {
	switch {
	case IsUniqueViolation(err):
		return dak.Errorf(dak.ErrConflict, "permintaan dengan Idempotency-Key yang sama sedang diproses")
	case err != nil:
		return fmt.Errorf("save idempotency key: %w", err)
	}
	return nil
}

// FiredEvent reads back what an answer to a fired event is made of: the
// event seq of a proposal, as its hashed record says (Events), and the
// document it issued, if any. ErrNotFound when there is no such event.
func (tx *Tx) FiredEvent(proposalID int64, seq int) (dak.Event, *dak.Document, error) {
	events, err := tx.Events(proposalID)
	if err != nil {
		return dak.Event{}, nil, err
	}
	if seq < 1 || seq > len(events) || events[seq-1].Seq != seq {
		return dak.Event{}, nil, dak.Errorf(dak.ErrNotFound, "peristiwa %d usulan %d tidak ditemukan", seq, proposalID)
	}
	e := events[seq-1]
	if e.DocumentID == nil {
		return e, nil, nil
	}
	var row documentRow
	if err := tx.db.Omit("pdf").Where("id = ?", *e.DocumentID).Take(&row).Error; err != nil {
		return e, nil, translate(err, "dokumen")
	}
	doc := row.document()
	return e, &doc, nil
}
