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

// TestAccessLogAppendOnly: a line of the access log can be written and
// listed, and the database refuses to change or remove it (and, on
// PostgreSQL, to truncate the table) for the role that owns it.
func TestAccessLogAppendOnly(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	u, err := st.CreateUser(ctx, store.NewUser{User: dak.User{Username: "auditor", FullName: "Auditor Satu", Role: dak.RoleAuditor}, Password: "rahasia-panjang"})
	if err != nil {
		t.Fatal(err)
	}
	a := dak.Access{UserID: u.ID, User: u.Username, Role: u.Role, Action: dak.AccessDownload, ObjectType: dak.ObjectTrailExport,
		ObjectID: 7, RemoteAddr: "192.0.2.10", ForwardedFor: "203.0.113.5", RequestID: "req-1"}
	if err := st.RecordAccess(ctx, &a); err != nil {
		t.Fatalf("RecordAccess = %v", err)
	}
	statements := []string{
		`UPDATE access_log SET remote_addr = '10.0.0.1'`,
		`UPDATE access_log SET user_id = user_id`,
		`DELETE FROM access_log`,
		`DELETE FROM access_log WHERE id = 1`,
	}
	if st.Dialect() == store.Postgres {
		statements = append(statements, `TRUNCATE access_log`)
	}
	for _, stmt := range statements {
		if err := st.Exec(ctx, stmt); !errors.Is(err, dak.ErrIntegrity) {
			t.Errorf("Exec(%q) = %v, want ErrIntegrity", stmt, err)
		}
	}
	lines, total, err := st.AccessLog(ctx, store.AccessFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if total != 1 || len(lines) != 1 || lines[0].RemoteAddr != "192.0.2.10" || lines[0].ForwardedFor != "203.0.113.5" ||
		lines[0].User != "auditor" || lines[0].ObjectID != 7 || lines[0].At.IsZero() {
		t.Errorf("after the refusals AccessLog = %+v (total %d), want the one line as written", lines, total)
	}
	for _, tc := range []struct {
		f    store.AccessFilter
		want int64
	}{
		{store.AccessFilter{User: "AUDITOR"}, 1},
		{store.AccessFilter{User: "auditor satu"}, 1},
		{store.AccessFilter{User: "orang lain"}, 0},
		{store.AccessFilter{From: a.At.Add(-time.Minute), To: a.At.Add(time.Minute)}, 1},
		{store.AccessFilter{From: a.At.Add(time.Minute)}, 0},
		{store.AccessFilter{Proposal: "1"}, 0},
	} {
		if _, n, err := st.AccessLog(ctx, tc.f); err != nil || n != tc.want {
			t.Errorf("AccessLog(%+v) = %d, %v; want %d", tc.f, n, err, tc.want)
		}
	}
}
