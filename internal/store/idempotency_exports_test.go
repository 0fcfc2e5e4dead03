package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"dakflow/internal/dak"
	"dakflow/internal/store/dbtest"
)

// TestIdempotentExports: a trail export under an Idempotency-Key keeps
// as its answer the export it queued, saved in the transaction that
// queues it with its access-log line. A retry answers that export as it
// is now and queues nothing, logs nothing and is not counted against the
// cap; the key with another scope, or answered by another route, is
// refused; a refused export saves no key; an answer is exactly one kind
// (migration 0024's CHECK).
func TestIdempotentExports(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	u := newAuditor(t, st, "auditor")
	count := func(query string, args ...any) int64 {
		t.Helper()
		var n int64
		if err := st.Query(ctx, &n, query, args...); err != nil {
			t.Fatal(err)
		}
		return n
	}
	counts := func() [2]int64 {
		return [2]int64{count(`SELECT COUNT(*) FROM trail_exports`), count(`SELECT COUNT(*) FROM access_log`)}
	}
	queue := func(region, key, hash string) (dak.TrailExport, bool, error) {
		t.Helper()
		e := dak.TrailExport{RegionCode: region, RequestedBy: u.ID}
		request := dak.Access{UserID: u.ID, User: u.Username, Role: u.Role, Action: dak.AccessExportRequest,
			ObjectType: dak.ObjectTrailExport, RemoteAddr: "127.0.0.1"}
		replayed, err := st.CreateTrailExportOnce(ctx, &e, 2, &request, key, hash)
		return e, replayed, err
	}

	first, replayed, err := queue("18.71", "ekspor-1", "hash-a")
	if err != nil || replayed || first.ID == 0 || first.State != dak.ExportQueued || first.RequestedByName != "auditor" {
		t.Fatalf("CreateTrailExportOnce = %+v %v %v, want a queued export", first, replayed, err)
	}
	if got := counts(); got != [2]int64{1, 1} {
		t.Fatalf("after the first export: %d exports, %d access-log lines; want 1 and 1", got[0], got[1])
	}
	again, replayed, err := queue("18.71", "ekspor-1", "hash-a")
	if err != nil || !replayed || !cmp.Equal(again, first) || counts() != [2]int64{1, 1} {
		t.Errorf("the export again under its key = %+v %v %v (counts %v), want %+v replayed, nothing added", again, replayed, err,
			counts(), first)
	}

	// At the cap a retry still answers, as the export is now; a new key
	// is refused and saved nowhere.
	if _, _, err := queue("73", "", ""); err != nil {
		t.Fatalf("an export without a key = %v", err)
	}
	if err := st.Exec(ctx, `UPDATE trail_exports SET state = ?, total = 4 WHERE id = ?`, dak.ExportRunning, first.ID); err != nil {
		t.Fatal(err)
	}
	before := counts()
	again, replayed, err = queue("18.71", "ekspor-1", "hash-a")
	if err != nil || !replayed || again.ID != first.ID || again.State != dak.ExportRunning || again.Total != 4 {
		t.Errorf("the export again at the cap = %+v %v %v, want export %d replayed as running", again, replayed, err, first.ID)
	}
	if _, _, err := queue("18.71", "ekspor-2", "hash-a"); !errors.Is(err, dak.ErrTooMany) {
		t.Errorf("a new key at the cap = %v, want ErrTooMany", err)
	}
	if n := count(`SELECT COUNT(*) FROM idempotency_keys WHERE key = 'ekspor-2'`); n != 0 {
		t.Errorf("a refused export saved its key (%d rows)", n)
	}

	if err := st.Exec(ctx, `INSERT INTO idempotency_keys (user_id, key, request_hash, imported_sentra_ids, created_at)
		VALUES (?, 'impor-1', 'hash-a', '[]', ?)`, u.ID, st.Now()); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ what, key, hash string }{
		{"another scope", "ekspor-1", "hash-b"},
		{"an import's key", "impor-1", "hash-a"},
	} {
		if _, _, err := queue("18.71", c.key, c.hash); !errors.Is(err, dak.ErrInvalid) {
			t.Errorf("the key with %s = %v, want ErrInvalid", c.what, err)
		}
	}
	if got := counts(); got != before {
		t.Errorf("refused exports: counts %v, want %v", got, before)
	}

	err = st.Exec(ctx, `INSERT INTO idempotency_keys (user_id, key, request_hash, imported_sentra_ids, trail_export_id, created_at)
		VALUES (?, 'dua-jawaban', 'h', '[]', ?, ?)`, u.ID, first.ID, st.Now())
	if err == nil {
		t.Error("a key with two answers was stored")
	}
}
