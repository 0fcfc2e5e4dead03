package store_test

import (
	"context"
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
