package store_test

import (
	"context"
	"strings"
	"testing"

	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
)

var initial = store.AuditOptions{Initial: map[string]string{"dak-fisik-ikm": "draft"}}

// TestAuditSound: a database built only by the store passes, counted.
func TestAuditSound(t *testing.T) {
	st := dbtest.Open(t)
	f := newFixture(t, st)
	f.proposal(t) // a draft without events
	rep, err := st.Audit(context.Background(), initial)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Findings) != 0 || rep.Proposals != 2 || rep.Events != 2 || rep.Documents != 2 || rep.DocumentBytes == 0 {
		t.Errorf("Audit = %+v, want 2 proposals, 2 events, 2 documents and no finding", rep)
	}
}

// TestAuditNamesTampering: each way an attacker with the owner's rights
// can rewrite the trail (issue 8) is named by Audit, first.
func TestAuditNamesTampering(t *testing.T) {
	tests := []struct {
		name   string
		tamper func(a *dbtest.Attacker, id int64)
		seq    int    // the event the first finding names
		want   string // in the first finding
	}{
		{"event columns", func(a *dbtest.Attacker, id int64) {
			a.Exec(`UPDATE events SET data = '{"n": 9}', comment = 'dipalsukan', actor_name = 'Orang Lain' WHERE proposal_id = ? AND seq = 1`, id)
		}, 1, "columns actor_name, comment, data differ from its hashed record"},
		{"last event deleted with its document and log row", func(a *dbtest.Attacker, id int64) {
			a.Exec(`DELETE FROM global_chain WHERE event_id = (SELECT id FROM events WHERE proposal_id = ? AND seq = 2)`, id)
			a.Exec(`DELETE FROM events WHERE proposal_id = ? AND seq = 2`, id)
			a.Exec(`DELETE FROM documents WHERE proposal_id = ? AND event_seq = 2`, id)
		}, 1, `proposal state is "recommended" but its last event (submit) ends in "submitted"`},
		{"document unlinked and deleted", func(a *dbtest.Attacker, id int64) {
			a.Exec(`UPDATE events SET document_id = NULL WHERE proposal_id = ? AND seq = 2`, id)
			a.Exec(`DELETE FROM documents WHERE proposal_id = ? AND event_seq = 2`, id)
		}, 2, "its record hashes a document but it links none"},
		{"document bytes", func(a *dbtest.Attacker, id int64) {
			a.Exec(`UPDATE documents SET pdf = ? WHERE proposal_id = ? AND event_seq = 1`, []byte("%PDF-1.4 palsu"), id)
		}, 1, "document bytes hash to"},
		{"document bytes and hash", func(a *dbtest.Attacker, id int64) {
			a.Exec(`UPDATE documents SET pdf = ?, sha256 = ?, size = 14 WHERE proposal_id = ? AND event_seq = 1`,
				[]byte("%PDF-1.4 palsu"), "8c0d2bb8e3b0b6f1d5a0bbcfa8ca1ec9e1a3b2b89bb5c0a0b6a4b1e0b7d0c8a1", id)
		}, 1, "is not the one its record hashes"},
		{"proposal state", func(a *dbtest.Attacker, id int64) {
			a.Exec(`UPDATE proposals SET state = 'allocated' WHERE id = ?`, id)
		}, 2, `proposal state is "allocated" but its last event (recommend) ends in "recommended"`},
		{"hash", func(a *dbtest.Attacker, id int64) {
			a.Exec(`UPDATE events SET hash = prev_hash WHERE proposal_id = ? AND seq = 1`, id)
		}, 1, "its hash does not cover its record"},
		{"document without event", func(a *dbtest.Attacker, id int64) {
			a.Exec(`INSERT INTO documents (proposal_id, kind, number, title, sha256, size, verify_code, event_seq, issuer, created_at, pdf)
				SELECT proposal_id, kind, number || '-x', title, sha256, size, verify_code || '-x', 3, issuer, created_at, pdf
				FROM documents WHERE proposal_id = ? AND event_seq = 2`, id)
		}, 3, "document is linked by no event"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := dbtest.Open(t)
			f := newFixture(t, st)
			if _, err := st.LinkGlobal(context.Background()); err != nil {
				t.Fatal(err)
			}
			tt.tamper(dbtest.Attack(t, st), f.id)
			rep, err := st.Audit(context.Background(), initial)
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Findings) == 0 {
				t.Fatal("Audit found nothing")
			}
			first := rep.Findings[0]
			if first.ProposalID != f.id || first.Seq != tt.seq || !strings.Contains(first.What, tt.want) {
				t.Errorf("first finding = %q (proposal %d, event %d), want proposal %d, event %d: …%s…",
					first, first.ProposalID, first.Seq, f.id, tt.seq, tt.want)
			}
		})
	}
}
