package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"dakflow/internal/dak"
	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
)

// TestAppendOnlyRefused: the database itself refuses UPDATE and DELETE
// (and, on PostgreSQL, TRUNCATE) of the trail's tables for the role that
// owns them, and the store reports the refusal as ErrIntegrity.
func TestAppendOnlyRefused(t *testing.T) {
	st := dbtest.Open(t)
	f := newFixture(t, st)
	ctx := context.Background()
	statements := []string{
		`UPDATE events SET comment = 'dipalsukan' WHERE proposal_id = ?`,
		`DELETE FROM events WHERE proposal_id = ?`,
		`UPDATE documents SET pdf = pdf WHERE proposal_id = ?`,
		`DELETE FROM documents WHERE proposal_id = ?`,
		`UPDATE proposal_revisions SET content = '{}' WHERE proposal_id = ?`,
		`DELETE FROM proposal_revisions WHERE proposal_id = ?`,
		`UPDATE attachments SET file_name = 'lain.jpg' WHERE proposal_id = ?`,
		`DELETE FROM attachments WHERE proposal_id = ?`,
	}
	if st.Dialect() == store.Postgres {
		for _, table := range []string{"events", "documents", "proposal_revisions", "attachments"} {
			statements = append(statements, `TRUNCATE `+table+` CASCADE`)
		}
	}
	for _, stmt := range statements {
		var args []any
		if stmt[0] != 'T' {
			args = []any{f.id}
		}
		err := st.Exec(ctx, stmt, args...)
		if !errors.Is(err, dak.ErrIntegrity) {
			t.Errorf("Exec(%q) = %v, want ErrIntegrity", stmt, err)
		}
	}
	events, err := st.Events(ctx, f.id)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 || events[1].Comment != "catatan recommend" || len(events[0].Mismatch)+len(events[1].Mismatch) != 0 {
		t.Errorf("after the refusals Events = %+v, want the two sound events", events)
	}
}

// TestEventsComeFromRecord: an attacker who switches the triggers off and
// edits an event's columns, its hash or its chain is shown the record's
// values, with the event flagged by what disagrees.
func TestEventsComeFromRecord(t *testing.T) {
	tests := []struct {
		name   string
		tamper []string // statements on proposal ?, event seq 2
		want   []string // Mismatch of event 2
	}{
		{"columns", []string{`UPDATE events SET comment = 'dipalsukan', actor_name = 'Orang Lain', data = '{"n": 2}',
			to_state = 'allocated', at = at WHERE proposal_id = ? AND seq = 2`}, []string{"to_state", "actor_name", "comment", "data"}},
		{"hash", []string{`UPDATE events SET hash = prev_hash WHERE proposal_id = ? AND seq = 2`}, []string{"hash"}},
		{"record", []string{`UPDATE events SET record = '{"seq": 2}' WHERE proposal_id = ? AND seq = 2`}, []string{"record", "hash"}},
		{"document", []string{`UPDATE events SET document_id = (SELECT MIN(id) FROM documents) WHERE proposal_id = ? AND seq = 2`}, []string{"document"}},
		{"unlinked", []string{`UPDATE events SET document_id = NULL WHERE proposal_id = ? AND seq = 2`}, []string{"document_id"}},
		{"first deleted", []string{`UPDATE events SET document_id = NULL WHERE proposal_id = ? AND seq = 1`,
			`DELETE FROM events WHERE proposal_id = ? AND seq = 1`}, []string{"sequence", "prev_hash"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := dbtest.Open(t)
			f := newFixture(t, st)
			before, err := st.Events(context.Background(), f.id)
			if err != nil {
				t.Fatal(err)
			}
			a := dbtest.Attack(t, st)
			for _, stmt := range tt.tamper {
				a.Exec(stmt, f.id)
			}
			after, err := st.Events(context.Background(), f.id)
			if err != nil {
				t.Fatal(err)
			}
			got := after[len(after)-1]
			if !slices.Equal(got.Mismatch, tt.want) {
				t.Errorf("event 2 Mismatch = %q, want %q", got.Mismatch, tt.want)
			}
			if len(after) == 2 && len(after[0].Mismatch) != 0 {
				t.Errorf("event 1 Mismatch = %q, want none", after[0].Mismatch)
			}
			if tt.name == "record" {
				return // nothing of it can be shown
			}
			want := before[1]
			if got.Comment != want.Comment || got.Actor != want.Actor || got.To != want.To || string(got.Data) != string(want.Data) {
				t.Errorf("event 2 shows comment %q, actor %q, to %q, data %s; want the record's %q, %q, %q, %s",
					got.Comment, got.Actor, got.To, got.Data, want.Comment, want.Actor, want.To, want.Data)
			}
		})
	}
}
