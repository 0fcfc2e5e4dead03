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

// TestSessionReadKept: a session read answers for its token for a second
// (store.SessionCacheTTL). What this process changes takes effect at once —
// a logout, an account disabled, a role changed, mail switched off — and so
// does the session's expiry; what another process writes (here, straight to
// the table) within the second.
func TestSessionReadKept(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	at := time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)
	st.SetClock(func() time.Time { return at })
	login := func(name string) (dak.User, store.Session) {
		t.Helper()
		u, err := st.CreateUser(ctx, store.NewUser{User: dak.User{Username: name, FullName: "Verifikator " + name,
			Role: dak.RoleVerifier}, Password: "kata-sandi-uji-1"})
		if err != nil {
			t.Fatal(err)
		}
		sess, err := st.Login(ctx, name, "kata-sandi-uji-1", "", time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := st.SessionByToken(ctx, sess.Token); err != nil || got.User.ID != u.ID || got.Token != sess.Token {
			t.Fatalf("SessionByToken = %+v, %v; want the session of %s", got, err, name)
		}
		return u, sess
	}
	refused := func(what string, sess store.Session) {
		t.Helper()
		if _, err := st.SessionByToken(ctx, sess.Token); !errors.Is(err, dak.ErrUnauthenticated) {
			t.Errorf("%s: SessionByToken = %v, want ErrUnauthenticated", what, err)
		}
	}

	_, out := login("keluar")
	if err := st.Logout(ctx, out.Token); err != nil {
		t.Fatal(err)
	}
	refused("after its logout", out)

	off, offSess := login("nonaktif")
	off.Disabled = true
	if err := st.UpdateUser(ctx, off, ""); err != nil {
		t.Fatal(err)
	}
	refused("its account disabled", offSess)

	moved, movedSess := login("pindah")
	moved.Role = dak.RoleApprover
	if err := st.UpdateUser(ctx, moved, ""); err != nil {
		t.Fatal(err)
	}
	if got, err := st.SessionByToken(ctx, movedSess.Token); err != nil || got.User.Role != dak.RoleApprover {
		t.Errorf("after a role change: %+v, %v; want the new role at once", got.User, err)
	}

	if err := st.SetEmailNotifications(ctx, moved.ID, false); err != nil {
		t.Fatal(err)
	}
	if got, err := st.SessionByToken(ctx, movedSess.Token); err != nil || got.User.EmailNotifications {
		t.Errorf("after mail switched off: %+v, %v; want it off at once", got.User, err)
	}

	elsewhere, elsewhereSess := login("lain")
	if err := st.Exec(ctx, `UPDATE users SET disabled = true WHERE id = ?`, elsewhere.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SessionByToken(ctx, elsewhereSess.Token); err != nil {
		t.Errorf("disabled by another process, within the second: %v; want the session kept (else this test no longer tests the cache)", err)
	}

	_, late := login("lewat")
	at = late.ExpiresAt
	refused("at its expiry, though read a moment ago", late)

	time.Sleep(store.SessionCacheTTL)
	refused("disabled by another process, a second later", elsewhereSess)
}
