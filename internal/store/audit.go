package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// auditBatch is how many proposals one step of Audit reads at a time: the
// walk holds the events of one batch and the hashes of its documents,
// never the documents' bytes all at once.
const auditBatch = 200

// AuditFinding is one thing the whole-database check found wrong.
type AuditFinding struct {
	ProposalID int64
	Number     string // the proposal's number, when the proposal exists
	Seq        int    // the event concerned; 0 when not about one event
	DocumentID int64  // the document concerned; 0 when not about one
	What       string // what does not match, in words
}

func (f AuditFinding) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "proposal %d", f.ProposalID)
	if f.Number != "" {
		fmt.Fprintf(&b, " (%s)", f.Number)
	}
	if f.Seq != 0 {
		fmt.Fprintf(&b, " event %d", f.Seq)
	}
	if f.DocumentID != 0 {
		fmt.Fprintf(&b, " document %d", f.DocumentID)
	}
	return b.String() + ": " + f.What
}

// AuditReport is what Audit counted and found.
type AuditReport struct {
	Proposals, Events, Documents int
	DocumentBytes                int64
	Findings                     []AuditFinding
}

// AuditOptions tunes Audit.
type AuditOptions struct {
	// Initial maps each workflow name to its initial state: a proposal with
	// no event must still be in it.
	Initial map[string]string
}

// Audit checks the whole database in one read snapshot (PRODUCT.md §5,
// "Whole-database check"): every proposal's chain (each event's columns
// against its hashed record, each hash and link, no gap), every document's
// bytes against its stored SHA-256 and size and against the event whose
// record hashes it, every proposal's state against its last event, events
// naming documents that are missing and documents no event names. Findings
// come in proposal order, then event order; the first is the first
// mismatch. It fails only when the database cannot be read.
func (s *Store) Audit(ctx context.Context, opts AuditOptions) (AuditReport, error) {
	var rep AuditReport
	err := s.ReadTx(ctx, func(tx *Tx) error {
		var after int64
		for {
			var props []auditProposal
			if err := tx.db.Raw(`SELECT id, number, state, workflow FROM proposals WHERE id > ? ORDER BY id LIMIT ?`,
				after, auditBatch).Scan(&props).Error; err != nil {
				return fmt.Errorf("read proposals: %w", err)
			}
			if len(props) == 0 {
				break
			}
			if err := tx.auditBatch(props, opts, &rep); err != nil {
				return err
			}
			after = props[len(props)-1].ID
		}
		return tx.auditOrphans(&rep)
	})
	if err != nil {
		return rep, fmt.Errorf("audit: %w", err)
	}
	return rep, nil
}

type auditProposal struct {
	ID       int64
	Number   string
	State    string
	Workflow string
}

// auditDocument is a document's metadata and the hash of its bytes as
// read now.
type auditDocument struct {
	ID         int64
	ProposalID int64
	SHA256     string `gorm:"column:sha256"`
	Size       int64
	EventSeq   int
	actual     string
	length     int64
}

func (tx *Tx) auditBatch(props []auditProposal, opts AuditOptions, rep *AuditReport) error {
	ids := make([]int64, len(props))
	for i, p := range props {
		ids[i] = p.ID
	}
	var rows []storedEvent
	if err := tx.db.Raw(storedEventsSQL+` WHERE e.proposal_id IN ? ORDER BY e.proposal_id, e.seq`, ids).Scan(&rows).Error; err != nil {
		return fmt.Errorf("read events: %w", err)
	}
	events := map[int64][]storedEvent{}
	for _, r := range rows {
		events[r.Row.ProposalID] = append(events[r.Row.ProposalID], r)
	}
	docs, err := tx.auditDocuments(ids)
	if err != nil {
		return err
	}
	for _, p := range props {
		rep.Proposals++
		rep.Events += len(events[p.ID])
		add := func(seq int, docID int64, format string, args ...any) {
			rep.Findings = append(rep.Findings, AuditFinding{ProposalID: p.ID, Number: p.Number, Seq: seq, DocumentID: docID,
				What: fmt.Sprintf(format, args...)})
		}
		chain := checkChain(events[p.ID])
		named := map[int64]bool{} // documents some event of p links
		for i, e := range chain {
			if len(e.Mismatch) > 0 {
				add(e.Seq, 0, "%s", describeMismatch(e.Mismatch, events[p.ID][i].Row.DocumentID))
			}
			if id := events[p.ID][i].Row.DocumentID; id != nil {
				named[*id] = true
			}
		}
		switch {
		case len(chain) > 0 && chain[len(chain)-1].To != p.State:
			last := chain[len(chain)-1]
			add(last.Seq, 0, "proposal state is %q but its last event (%s) ends in %q", p.State, last.Event, last.To)
		case len(chain) == 0 && opts.Initial != nil && opts.Initial[p.Workflow] != p.State:
			add(0, 0, "proposal state is %q but it has no event (a new proposal is %q)", p.State, opts.Initial[p.Workflow])
		}
		for _, d := range docs[p.ID] {
			rep.Documents++
			rep.DocumentBytes += d.length
			if d.actual != d.SHA256 {
				add(d.EventSeq, d.ID, "document bytes hash to %s, the stored SHA-256 is %s", short(d.actual), short(d.SHA256))
			} else if d.length != d.Size {
				add(d.EventSeq, d.ID, "document has %d bytes, its stored size is %d", d.length, d.Size)
			}
			if !named[d.ID] {
				add(d.EventSeq, d.ID, "document is linked by no event")
			}
		}
	}
	return nil
}

// auditDocuments hashes the stored bytes of the documents of ids, one row
// at a time, and groups them by proposal in issue order.
func (tx *Tx) auditDocuments(ids []int64) (map[int64][]auditDocument, error) {
	out := map[int64][]auditDocument{}
	rows, err := tx.db.Raw(`SELECT id, proposal_id, sha256, size, event_seq, pdf FROM documents
		WHERE proposal_id IN ? ORDER BY proposal_id, id`, ids).Rows()
	if err != nil {
		return nil, fmt.Errorf("read documents: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d auditDocument
		var pdf []byte
		if err := rows.Scan(&d.ID, &d.ProposalID, &d.SHA256, &d.Size, &d.EventSeq, &pdf); err != nil {
			return nil, fmt.Errorf("read documents: %w", err)
		}
		sum := sha256.Sum256(pdf)
		d.actual, d.length = hex.EncodeToString(sum[:]), int64(len(pdf))
		out[d.ProposalID] = append(out[d.ProposalID], d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read documents: %w", err)
	}
	return out, nil
}

// auditOrphans finds events and documents of proposals that do not exist
// (possible only once the foreign keys were dropped).
func (tx *Tx) auditOrphans(rep *AuditReport) error {
	var orphans []struct {
		ProposalID int64
		Seq        int
		DocumentID int64
	}
	err := tx.db.Raw(`SELECT e.proposal_id, e.seq, 0 AS document_id FROM events e LEFT JOIN proposals p ON p.id = e.proposal_id WHERE p.id IS NULL
		UNION ALL
		SELECT d.proposal_id, d.event_seq, d.id FROM documents d LEFT JOIN proposals p ON p.id = d.proposal_id WHERE p.id IS NULL
		ORDER BY 1, 2, 3`).Scan(&orphans).Error
	if err != nil {
		return fmt.Errorf("read orphans: %w", err)
	}
	for _, o := range orphans {
		what := "event of a proposal that does not exist"
		if o.DocumentID != 0 {
			what = "document of a proposal that does not exist"
		}
		rep.Findings = append(rep.Findings, AuditFinding{ProposalID: o.ProposalID, Seq: o.Seq, DocumentID: o.DocumentID, What: what})
	}
	return nil
}

// describeMismatch says in words what the names of an event's Mismatch
// (integrity.go) mean.
func describeMismatch(names []string, docID *int64) string {
	var columns, out []string
	for _, n := range names {
		switch n {
		case "record":
			out = append(out, "its record is not a hashed event record")
		case "hash":
			out = append(out, "its hash does not cover its record")
		case "sequence":
			out = append(out, "the event before it is missing")
		case "prev_hash":
			out = append(out, "it does not link to the hash of the event before it")
		case "document_id":
			if docID == nil {
				out = append(out, "its record hashes a document but it links none")
			} else {
				out = append(out, fmt.Sprintf("it links document %d but its record hashes none", *docID))
			}
		case "document":
			out = append(out, fmt.Sprintf("document %d it links is missing or is not the one its record hashes", *docID))
		default:
			columns = append(columns, n)
		}
	}
	switch len(columns) {
	case 0:
	case 1:
		out = append([]string{"column " + columns[0] + " differs from its hashed record"}, out...)
	default:
		out = append([]string{"columns " + strings.Join(columns, ", ") + " differ from its hashed record"}, out...)
	}
	return strings.Join(out, "; ")
}

func short(hash string) string {
	if len(hash) > 16 {
		return hash[:16] + "…"
	}
	return hash
}
