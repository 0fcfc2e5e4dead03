package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
)

// TestReadsDoNotWaitForWriter: while a write transaction is open (on
// SQLite it holds the one writer connection and the file's write lock),
// /readyz's Ping, ReadTx and every kind of read a GET makes still answer,
// within seconds, what was committed before it (issue 9, bug 3).
func TestReadsDoNotWaitForWriter(t *testing.T) {
	st := dbtest.Open(t)
	f := newFixture(t, st)
	ctx := context.Background()
	if _, err := st.SetFiscalYear(ctx, 2027, 1_000_000, nil); err != nil {
		t.Fatal(err)
	}
	sess, err := st.Login(ctx, "pemda-tapis", "rahasia-panjang", "", time.Hour)
	if err != nil {
		t.Fatal(err)
	}

	held, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		done <- st.InTx(ctx, func(tx *store.Tx) error {
			if _, err := tx.NextNumber("uji_baca", 2027); err != nil { // a write: the lock is surely taken
				return err
			}
			close(held)
			<-release
			return errRollback
		})
	}()
	select {
	case <-held:
	case err := <-done:
		t.Fatalf("write transaction: %v", err)
	}
	defer func() {
		close(release)
		if err := <-done; !errors.Is(err, errRollback) {
			t.Errorf("write transaction = %v, want it rolled back", err)
		}
	}()

	reads := []struct {
		name string
		read func(context.Context) error
	}{
		{"Ping", st.Ping},
		{"ReadTx", func(ctx context.Context) error {
			return st.ReadTx(ctx, func(tx *store.Tx) error { _, err := tx.Events(f.id); return err })
		}},
		{"SessionByToken", func(ctx context.Context) error { _, err := st.SessionByToken(ctx, sess.Token); return err }},
		{"Proposal", func(ctx context.Context) error { _, err := st.Proposal(ctx, f.id); return err }},
		{"Proposals", func(ctx context.Context) error {
			ps, _, err := st.Proposals(ctx, store.ProposalFilter{Viewer: f.user})
			if err == nil && len(ps) != 1 {
				return errors.New("the committed proposal is missing")
			}
			return err
		}},
		{"Events", func(ctx context.Context) error { _, err := st.Events(ctx, f.id); return err }},
		{"Attachments", func(ctx context.Context) error { _, err := st.Attachments(ctx, f.id); return err }},
		{"Documents", func(ctx context.Context) error { _, err := st.Documents(ctx, f.id); return err }},
		{"FiscalYears", func(ctx context.Context) error { _, err := st.FiscalYears(ctx); return err }},
		{"Summary", func(ctx context.Context) error { _, err := st.Summary(ctx, 2027); return err }},
		{"TrailSnapshot", func(ctx context.Context) error { _, err := st.TrailSnapshot(ctx, f.id); return err }},
		{"UserByID", func(ctx context.Context) error { _, err := st.UserByID(ctx, f.user.ID); return err }},
	}
	for _, r := range reads {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		start := time.Now()
		err := r.read(ctx)
		cancel()
		if err != nil {
			t.Errorf("%s while a write transaction is open = %v after %v, want an answer at once", r.name, err, time.Since(start).Round(time.Millisecond))
		}
	}
}

// TestReadTxCannotWrite: what runs in ReadTx cannot write (on SQLite its
// pool is query_only, on PostgreSQL the transaction READ ONLY), so that no
// write escapes the writer's queue by running as a read; SQLite has one
// writer connection beside several readers, PostgreSQL one pool.
func TestReadTxCannotWrite(t *testing.T) {
	st := dbtest.Open(t)
	err := st.ReadTx(context.Background(), func(tx *store.Tx) error {
		_, err := tx.NextNumber("uji_baca", 2027)
		return err
	})
	if err == nil {
		t.Error("NextNumber in ReadTx succeeded, want the write refused")
	}
	stats := st.PoolStats()
	switch st.Dialect() {
	case store.SQLite:
		if len(stats) != 2 || stats["main"].MaxOpenConnections != 1 || stats["read"].MaxOpenConnections < 2 {
			t.Errorf("PoolStats = %+v, want main with one connection and read with several", stats)
		}
	case store.Postgres:
		// main for reads and writes; large for attachments' large files,
		// which keeps no connection idle, values for the small ones
		// (InValueTx).
		if _, ok := stats["main"]; len(stats) != 3 || !ok || stats["large"].MaxOpenConnections == 0 || stats["large"].Idle != 0 ||
			stats["values"].MaxOpenConnections == 0 {
			t.Errorf("PoolStats = %+v, want main, large with no idle connection, and values", stats)
		}
	}
}
