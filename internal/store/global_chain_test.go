package store_test

import (
	"context"
	"strings"
	"testing"

	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
)

// TestLinkerTakesLateCommits: an event whose transaction commits after a
// later event's (its id lower, its commit later) is still linked, and the
// queue of unlinked events empties. A linker that went on from the last id
// it linked would skip it for good.
func TestLinkerTakesLateCommits(t *testing.T) {
	st := dbtest.Open(t)
	if st.Dialect() != store.Postgres {
		t.Skip("SQLite has one writer: no transaction commits out of id order")
	}
	ctx := context.Background()
	f := newFixture(t, st)
	if _, err := st.LinkGlobal(ctx); err != nil {
		t.Fatal(err)
	}
	early, late := f.proposal(t), f.proposal(t)

	held, release, done := make(chan struct{}), make(chan struct{}), make(chan error)
	go func() {
		done <- st.InTx(ctx, func(tx *store.Tx) error {
			if err := f.stepIn(tx, early, "submit", "submitted"); err != nil {
				return err
			}
			close(held)
			<-release
			return nil
		})
	}()
	<-held
	f.step(t, late, "submit", "submitted")
	if n, err := st.LinkGlobal(ctx); err != nil || n != 1 {
		t.Fatalf("LinkGlobal with the early event uncommitted = %d, %v; want the late one linked", n, err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n, err := st.LinkGlobal(ctx); err != nil || n != 1 {
		t.Fatalf("LinkGlobal after the early event committed = %d, %v; want it linked", n, err)
	}
	a := dbtest.Attack(t, st)
	if events, linked := a.Int(`SELECT COUNT(*) FROM events`), a.Int(`SELECT COUNT(*) FROM global_chain`); events != linked {
		t.Errorf("%d events, %d linked", events, linked)
	}
	if queued := a.Int(`SELECT COUNT(*) FROM unlinked_events`); queued != 0 {
		t.Errorf("%d events still queued after everything was linked", queued)
	}
}

// countRows is a COUNT(*) query's answer, read through the store (an
// Attacker would drop the trigger that queues events).
func countRows(t *testing.T, st *store.Store, query string) int {
	t.Helper()
	var n int
	if err := st.Query(context.Background(), &n, query); err != nil {
		t.Fatal(err)
	}
	return n
}

// queueEvents records n events on new proposals (each its own
// transaction, as transitions are) and returns how many events wait for
// the linker.
func queueEvents(t *testing.T, f *fixture, n int) int {
	t.Helper()
	for range n {
		f.step(t, f.proposal(t), "submit", "submitted")
	}
	return countRows(t, f.st, `SELECT COUNT(*) FROM unlinked_events`)
}

// checkLinked: every event is on the global chain in id order, the
// queue is empty and VerifyLog recomputes the chain and the tree.
func checkLinked(t *testing.T, st *store.Store) {
	t.Helper()
	events := countRows(t, st, `SELECT COUNT(*) FROM events`)
	if queued := countRows(t, st, `SELECT COUNT(*) FROM unlinked_events`); queued != 0 {
		t.Errorf("%d of %d events still queued", queued, events)
	}
	links, err := st.GlobalChain(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(links) != events {
		t.Errorf("%d events, %d linked", events, len(links))
	}
	for i := 1; i < len(links); i++ {
		if links[i].EventID <= links[i-1].EventID {
			t.Fatalf("global chain seq %d links event %d after event %d: want id order", links[i].Seq, links[i].EventID, links[i-1].EventID)
		}
	}
	if err := st.VerifyLog(context.Background()); err != nil {
		t.Errorf("VerifyLog = %v", err)
	}
}

// TestLinkerStatements: a linker run issues as many statements for many
// events as for one (it runs after every transition, PRODUCT.md §7): the
// advisory lock on PostgreSQL, one read of the chain's tip, the tree's
// size and the queue, at most one of the stored hashes the new leaves
// need, one INSERT into global_chain, one into log_hashes and the DELETE
// of what it took from the queue.
func TestLinkerStatements(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	f := newFixture(t, st)
	most := 5
	if st.Dialect() == store.Postgres {
		most = 6
	}
	for _, n := range []int{1, 2, 5, 40, 150} {
		queued := queueEvents(t, f, n)
		var linked int
		var err error
		stmts := st.StatementsOf(func() { linked, err = st.LinkGlobal(ctx) })
		if err != nil || linked != queued {
			t.Fatalf("LinkGlobal of %d queued events = %d, %v", queued, linked, err)
		}
		if len(stmts) > most {
			t.Errorf("linking %d events took %d statements, want at most %d whatever their number:\n%s",
				linked, len(stmts), most, strings.Join(stmts, "\n"))
		}
		checkLinked(t, st)
	}
	if stmts := st.StatementsOf(func() { _, _ = st.LinkGlobal(ctx) }); len(stmts) > most-3 {
		t.Errorf("a run with nothing queued took %d statements:\n%s", len(stmts), strings.Join(stmts, "\n"))
	}
}

// TestLinkerChunks: with few values allowed per statement the linker
// splits its INSERTs and its DELETE, and links exactly as in one.
func TestLinkerChunks(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	f := newFixture(t, st)
	if _, err := st.LinkGlobal(ctx); err != nil {
		t.Fatal(err)
	}
	defer store.SetMaxVars(11)() // 2 chain rows, 5 stored hashes, 11 ids a statement
	queued := queueEvents(t, f, 23)
	var linked int
	var err error
	stmts := st.StatementsOf(func() { linked, err = st.LinkGlobal(ctx) })
	if err != nil || linked != queued {
		t.Fatalf("LinkGlobal of %d queued events = %d, %v", queued, linked, err)
	}
	inserts := 0
	for _, s := range stmts {
		if strings.HasPrefix(s, "INSERT INTO \"global_chain\"") || strings.HasPrefix(s, "INSERT INTO `global_chain`") {
			inserts++
		}
	}
	if want := (queued + 1) / 2; inserts != want {
		t.Errorf("%d INSERTs into global_chain for %d events, want %d:\n%s", inserts, queued, want, strings.Join(stmts, "\n"))
	}
	checkLinked(t, st)
}

// TestLinkerEmptiesLinkedFromQueue: an event queued again although it is
// on the chain is only emptied from the queue, not linked twice.
func TestLinkerEmptiesLinkedFromQueue(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	f := newFixture(t, st)
	if _, err := st.LinkGlobal(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.Exec(ctx, `INSERT INTO unlinked_events (event_id) SELECT MIN(id) FROM events`); err != nil {
		t.Fatal(err)
	}
	queueEvents(t, f, 1)
	if n, err := st.LinkGlobal(ctx); err != nil || n != 1 {
		t.Fatalf("LinkGlobal = %d, %v; want the one new event linked", n, err)
	}
	checkLinked(t, st)
}
