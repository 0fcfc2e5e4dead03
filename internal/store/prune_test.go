package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
)

// TestPrune: expired sessions, old login failures and old idempotency
// answers go; live ones stay, and a pruned session no longer logs in.
func TestPrune(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	at := time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)
	st.SetClock(func() time.Time { return at })
	u, err := st.CreateUser(ctx, store.NewUser{User: dak.User{Username: "auditor-uji", FullName: "Auditor Uji", Role: dak.RoleAuditor},
		Password: "kata-sandi-uji-1"})
	if err != nil {
		t.Fatal(err)
	}
	old, err := st.Login(ctx, "auditor-uji", "kata-sandi-uji-1", "", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = st.Login(ctx, "auditor-uji", "salah", "", time.Hour) // a failure
	// A proposal with events, for the answers to refer to.
	answered := newFixture(t, st)
	save := func(key string) {
		t.Helper()
		if err := st.InTx(ctx, func(tx *store.Tx) error {
			return tx.SaveIdempotentReply(u.ID, key, "h", dak.Event{ProposalID: answered.id, Seq: 1})
		}); err != nil {
			t.Fatal(err)
		}
	}
	save("lama")
	// Eight days later: a new session, a fresh failure and a fresh answer.
	at = at.Add(store.IdempotencyTTL + 24*time.Hour)
	live, err := st.Login(ctx, "auditor-uji", "kata-sandi-uji-1", "", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = st.Login(ctx, "auditor-uji", "salah", "", time.Hour)
	save("baru")

	n, err := st.Prune(ctx)
	if err != nil || n != 3 {
		t.Fatalf("Prune = %d, %v; want 3 rows (a session, a failure, an answer)", n, err)
	}
	if _, err := st.SessionByToken(ctx, old.Token); !errors.Is(err, dak.ErrUnauthenticated) {
		t.Errorf("pruned session = %v, want ErrUnauthenticated", err)
	}
	if _, err := st.SessionByToken(ctx, live.Token); err != nil {
		t.Errorf("live session after Prune: %v", err)
	}
	for key, want := range map[string]bool{"lama": false, "baru": true} {
		err := st.InTx(ctx, func(tx *store.Tx) error {
			got, err := tx.IdempotentReply(u.ID, key)
			if err == nil && (got != nil) != want {
				t.Errorf("idempotency answer %q kept = %v, want %v", key, got != nil, want)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n, err := st.Prune(ctx); err != nil || n != 0 {
		t.Errorf("second Prune = %d, %v; want nothing left to prune", n, err)
	}
}
