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
// by one, after the reads its guards make. Once a kind's counter has been
// foreseen right twice in a row (the workflow's foresight), PostgreSQL
// draws the number in that last statement too, which then carries the
// COMMIT (the counter row is free as soon as it ran): the fourth receipt
// of a run is two statements and no COMMIT of its own.
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

	var more []int64
	for range 3 {
		more = append(more, env.Create(t, "revitalisasi", false))
	}
	env.Pemda.MustFire(more[0], "submit", "", nil) // foreseen right once
	env.Pemda.MustFire(more[1], "submit", "", nil) // twice
	stop := env.Store.RecordStatements()
	committed := store.CommitsSentAhead()
	env.Pemda.MustFire(more[2], "submit", "", nil)
	statements := stop()
	if ahead := store.CommitsSentAhead() - committed; env.Store.Dialect() == store.Postgres && ahead != 1 {
		t.Errorf("the fourth receipt sent %d COMMITs with its statement, want 1: its last statement carries it", ahead)
	}
	var got []string
	for _, s := range statements {
		got = append(got, statementShape(s))
	}
	want := steps[0].sqlite
	if env.Store.Dialect() == store.Postgres {
		want = []string{lockRead, "INSERT INTO proposal_revisions + INSERT INTO counters + INSERT INTO notifications + UPDATE proposals + " +
			"INSERT INTO documents + INSERT INTO events"}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statements of the fourth receipt (-want +got):\n%s\n%s", diff, strings.Join(statements, "\n"))
	}
	var numbers []string
	if err := env.Store.Query(t.Context(), &numbers, `SELECT number FROM documents WHERE kind = 'tanda_terima_usulan' ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	if len(numbers) != 4 || !strings.HasPrefix(numbers[3], "B-4/") {
		t.Errorf("receipts numbered %q, want four, the last the fourth", numbers)
	}
}
