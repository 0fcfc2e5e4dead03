package store_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"dakflow/internal/store"
	"dakflow/internal/web/apitest"
)

// TestTransitionStatements: the statements of the transitions of a review
// loop through the API (PRODUCT.md §7's transitions benchmark), one at a
// time. An event that issues a document takes, on PostgreSQL, its locking
// read, the draw of its number, and one statement with everything else:
// the revision it freezes, its notifications, the proposal's save, the
// document and the event. The save waits for that statement, though the
// batch draws the number before it: the proposal's row is locked since the
// locking read, and nothing in between reads it back. An event without a
// document: the read, then the save with the event. SQLite writes them one
// by one, after the reads its guards make.
func TestTransitionStatements(t *testing.T) {
	env := apitest.NewEnv(t)
	id := env.Create(t, "revitalisasi", false)
	const (
		lockRead = "SELECT FROM disbursement_stages" // proposals, with a subquery naming the stages first
		issuing  = "INSERT INTO proposal_revisions + INSERT INTO notifications + UPDATE proposals + INSERT INTO documents + INSERT INTO events"
	)
	steps := []struct {
		as       *apitest.Client
		event    string
		data     map[string]any
		postgres []string
		sqlite   []string
	}{
		{env.Pemda, "submit", nil,
			[]string{lockRead, "INSERT INTO counters", issuing},
			[]string{lockRead, "SELECT FROM attachments", "SELECT FROM sentra", "SELECT FROM menu_ceilings",
				"INSERT INTO proposal_revisions", "INSERT INTO counters", "UPDATE proposals", "INSERT INTO notifications",
				"INSERT INTO documents", "INSERT INTO events"}},
		{env.Verifier, "start_review", nil,
			[]string{lockRead, "UPDATE proposals + INSERT INTO events"},
			[]string{lockRead, "UPDATE proposals", "INSERT INTO events"}},
		{env.Verifier, "request_revision", map[string]any{"notes": []map[string]string{{"field": "budget_lines", "note": "Rincian biaya"}}},
			[]string{lockRead, "INSERT INTO counters", "INSERT INTO notifications + UPDATE proposals + INSERT INTO documents + INSERT INTO events"},
			nil},
	}
	for _, step := range steps {
		stop := env.Store.RecordStatements()
		step.as.MustFire(id, step.event, "", step.data)
		statements := stop()
		var got []string
		for _, s := range statements {
			got = append(got, statementShape(s))
		}
		want := step.postgres
		if env.Store.Dialect() != store.Postgres {
			want = step.sqlite
		}
		if want == nil {
			continue
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("statements of %s (-want +got):\n%s\n%s", step.event, diff, strings.Join(statements, "\n"))
		}
	}
}
