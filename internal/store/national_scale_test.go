package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"dakflow/internal/dak"
	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
)

// nationalAccounts adds n pemda accounts spread over other regions than
// the fixture's, as a national deployment holds (some 550 regions, each
// with its officers), and analyzes the table.
func nationalAccounts(t *testing.T, st *store.Store, n int) {
	t.Helper()
	ctx := context.Background()
	if err := st.Exec(ctx, `WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ?)
		INSERT INTO users (username, password_hash, full_name, role, region_code, created_at)
		SELECT 'pemda-daerah-' || n, 'x', 'Petugas ' || n, 'pemda', '9' || (n % 9) || '.' || (10 + n / 9), ? FROM g`,
		n, st.Now()); err != nil {
		t.Fatal(err)
	}
	if err := st.Exec(ctx, `ANALYZE users`); err != nil {
		t.Fatal(err)
	}
}

// TestLockReadFindsAccountsByIndex: a transition reads the accounts it
// notifies with its proposal's lock, every verifier's and the pemda
// accounts of the proposal's region. On a national deployment the users
// table holds thousands of pemda accounts of other regions; the read must
// reach the few it wants by role and region (users_role_region), not read
// every account at every transition.
func TestLockReadFindsAccountsByIndex(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := newFixture(t, st)
	verifier := schemaUser(t, st, dak.User{Username: "verifikator-indeks", FullName: "Verifikator", Role: dak.RoleVerifier})
	neighbour := schemaUser(t, st, dak.User{Username: "pemda-tapis-2", FullName: "Pengguna Pemda Kedua", Role: dak.RolePemda, RegionCode: "18.71"})
	nationalAccounts(t, st, 2000)

	roles := []dak.Role{dak.RoleVerifier, dak.RolePemda}
	stop := st.RecordStatements()
	var verifiers, pemda []dak.User
	err := st.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.LockForTransition(f.id, store.LockReads{Roles: roles}); err != nil {
			return err
		}
		var err error
		if verifiers, err = tx.UsersWithRole(dak.RoleVerifier, "18.71"); err != nil {
			return err
		}
		pemda, err = tx.UsersWithRole(dak.RolePemda, "18.71")
		return err
	})
	statements := stop()
	if err != nil {
		t.Fatal(err)
	}
	ids := func(us []dak.User) []int64 {
		out := make([]int64, len(us))
		for i, u := range us {
			out[i] = u.ID
		}
		return out
	}
	if got, want := fmt.Sprint(ids(verifiers)), fmt.Sprint([]int64{verifier.ID}); got != want {
		t.Errorf("verifiers read with the lock: %s, want %s", got, want)
	}
	if got, want := fmt.Sprint(ids(pemda)), fmt.Sprint([]int64{f.user.ID, neighbour.ID}); got != want {
		t.Errorf("pemda accounts of 18.71 read with the lock: %s, want %s", got, want)
	}

	if st.Dialect() == store.Postgres {
		// The plan a pooled connection keeps for the locking read.
		if len(statements) != 1 {
			t.Fatalf("LockForTransition on PostgreSQL took %d statements, want 1", len(statements))
		}
		plan, err := st.GenericPlan(ctx, statements[0], "bigint", fmt.Sprint(f.id))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(plan, "Seq Scan on users") || !strings.Contains(plan, "users_role_region") {
			t.Errorf("the locking read's generic plan does not reach the accounts through users_role_region:\n%s", plan)
		}
		return
	}
	// SQLite plans each statement as it comes: the locking read's, on the
	// fixture's proposal, searches the accounts rather than scanning them.
	if len(statements) == 0 {
		t.Fatal("LockForTransition recorded no statement")
	}
	var plan []struct{ Detail string }
	if err := st.Query(ctx, &plan, `EXPLAIN QUERY PLAN `+statements[0], f.id); err != nil {
		t.Fatal(err)
	}
	var details []string
	for _, p := range plan {
		details = append(details, p.Detail)
	}
	text := strings.Join(details, "\n")
	if !strings.Contains(text, "users_role_region") || strings.Contains(text, "SCAN users") {
		t.Errorf("SQLite reads the accounts without users_role_region:\n%s", text)
	}
}

// TestLockReadCeilingsOfItsRegion: a submission's locking read brings its
// fiscal year with the menu ceilings and, of the region ceilings, only
// those that bind the proposal (its kabupaten/kota's and its province's):
// a national deployment sets hundreds, and each submission decoded them
// all.
func TestLockReadCeilingsOfItsRegion(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := newFixture(t, st)
	if _, err := st.SetFiscalYear(ctx, 2027, 750_000_000_000, nil); err != nil {
		t.Fatal(err)
	}
	menus := map[dak.Menu]dak.Money{dak.MenuPembangunan: 500_000_000_000, dak.MenuRevitalisasi: 250_000_000_000}
	if _, err := st.SetCeilings(ctx, store.Budget{Year: 2027, Ceiling: 750_000_000_000, ChangeReason: "Pagu per wilayah", LegalBasis: "Perpres",
		Menus: menus, Regions: map[string]dak.Money{"18": 40_000_000_000, "18.71": 9_000_000_000, "18.72": 8_000_000_000, "19": 30_000_000_000}}); err != nil {
		t.Fatal(err)
	}
	if err := st.Exec(ctx, `WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 500)
		INSERT INTO region_ceilings (year, region_code, ceiling, committed)
		SELECT 2027, '9' || (n % 9) || '.' || (10 + n / 9), 1000000000, 0 FROM g`); err != nil {
		t.Fatal(err)
	}
	var fy *dak.FiscalYear
	err := st.InTx(ctx, func(tx *store.Tx) error {
		l, err := tx.LockForTransition(f.id, store.LockReads{FiscalYear: true})
		fy = l.FiscalYear
		return err
	})
	if err != nil || fy == nil {
		t.Fatalf("LockForTransition: fiscal year %v, %v", fy, err)
	}
	want := map[string]dak.RegionCeiling{"18": {Ceiling: 40_000_000_000}, "18.71": {Ceiling: 9_000_000_000}}
	if fmt.Sprint(fy.Regions) != fmt.Sprint(want) {
		t.Errorf("region ceilings read with the lock: %v, want those of 18.71 and 18 only: %v", fy.Regions, want)
	}
	if len(fy.Menus) != len(menus) || fy.Ceiling != 750_000_000_000 {
		t.Errorf("fiscal year read with the lock: ceiling %s, %d menus; want 750 miliar and %d", fy.Ceiling, len(fy.Menus), len(menus))
	}
}

// TestNotifyingLocksNoAccount: a submission notifies every verifier, and
// on deadline day hundreds of submissions at once notify the same
// accounts. On PostgreSQL a notification must not lock its reader's account
// row (a foreign key's check does, FOR KEY SHARE: a WAL record and a
// multixact per verifier per submission; migration 0027), so a transaction
// that notified the verifier leaves the account free to lock. What the key
// kept true stays true: no account can be deleted, on either engine, and
// SQLite (which locks no row for its key) still refuses a notification
// that names no account.
func TestNotifyingLocksNoAccount(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := newFixture(t, st)
	verifier := schemaUser(t, st, dak.User{Username: "verifikator-kunci", FullName: "Verifikator", Role: dak.RoleVerifier})
	err := st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.AddNotifications([]store.NewNotification{{UserID: verifier.ID, Kind: "submit", ProposalID: &f.id,
			Message: "Usulan menunggu tindakan Anda"}}); err != nil {
			return err
		}
		if st.Dialect() != store.Postgres {
			return nil
		}
		// Another connection, while the notifying transaction is open.
		return st.Exec(ctx, `SELECT id FROM users WHERE id = ? FOR UPDATE NOWAIT`, verifier.ID)
	})
	if err != nil {
		t.Fatalf("the notified account is locked by the transaction that notified it: %v", err)
	}

	if err := st.Exec(ctx, `DELETE FROM users WHERE id = ?`, verifier.ID); err == nil || !strings.Contains(err.Error(), "never deleted") {
		t.Errorf("deleting an account: %v, want it refused (accounts are disabled, never deleted)", err)
	}
	var left int
	if err := st.Query(ctx, &left, `SELECT COUNT(*) FROM users WHERE id = ?`, verifier.ID); err != nil || left != 1 {
		t.Errorf("the account after the refused delete: %d rows, %v", left, err)
	}
	if st.Dialect() == store.SQLite {
		err := st.InTx(ctx, func(tx *store.Tx) error {
			return tx.AddNotifications([]store.NewNotification{{UserID: 999999, Kind: "submit", Message: "tak bertuan"}})
		})
		if err == nil {
			t.Error("SQLite stored a notification naming no account")
		}
	}
}
