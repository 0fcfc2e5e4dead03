package web_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/store"
	"dakflow/internal/web/apitest"
)

// exportKeyed posts a trail export's scope (JSON) under an
// Idempotency-Key without touching testing.T, so that it may run on any
// goroutine.
func exportKeyed(base, token, body, key string) (apitest.Response, error) {
	req, err := http.NewRequest("POST", base+"/api/v1/trail-exports", strings.NewReader(body))
	if err != nil {
		return apitest.Response{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Idempotency-Key", key)
	return concDo(req)
}

// TestTrailExportIdempotent: POST /api/v1/trail-exports takes an
// Idempotency-Key as a filing does. An auditor's script that lost the
// answer retries and gets the same export, as it is now, with the same
// Location and Idempotent-Replayed, and nothing is queued or written in
// the access log twice, even when eight retries arrive at once or the
// auditor's open exports are at their cap. The key with another scope, or
// one another route answered, is 400 and queues nothing; a key is its
// user's; without a key a request queues as before.
func TestTrailExportIdempotent(t *testing.T) {
	e := apitest.NewEnv(t)
	e.Create(t, "revitalisasi", false)
	ctx := context.Background()
	count := func(query string, args ...any) int { return rowCount(t, e, query, args...) }
	exports := func() int { return count(`SELECT COUNT(*) FROM trail_exports`) }
	requests := func() int { return count(`SELECT COUNT(*) FROM access_log WHERE action = ?`, dak.AccessExportRequest) }
	// Through the client, so that each call is checked against openapi.yaml.
	post := func(c *apitest.Client, body any, key string) apitest.Response {
		t.Helper()
		return c.Do("POST", "/api/v1/trail-exports", body, map[string]string{"Idempotency-Key": key})
	}
	idOf := func(r apitest.Response) int64 { id, _ := r.JSON()["id"].(float64); return int64(id) }

	// A retry, its JSON spaced otherwise: the first answer again.
	first := post(e.Auditor, map[string]any{"region": "18.71"}, "ekspor-1")
	if first.Status != http.StatusAccepted || first.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("first export = %d %s (replayed %q)", first.Status, first.Body, first.Header.Get("Idempotent-Replayed"))
	}
	retry := post(e.Auditor, "{ \"region\" : \"18.71\" }\n", "ekspor-1")
	if retry.Status != http.StatusAccepted || !bytes.Equal(retry.Body, first.Body) || retry.Header.Get("Idempotent-Replayed") != "true" ||
		retry.Header.Get("Location") != first.Header.Get("Location") || first.Header.Get("Location") == "" {
		t.Fatalf("retry = %d %s (replayed %q, Location %q)\nfirst = %d %s (Location %q)", retry.Status, retry.Body,
			retry.Header.Get("Idempotent-Replayed"), retry.Header.Get("Location"), first.Status, first.Body, first.Header.Get("Location"))
	}
	if n, m := exports(), requests(); n != 1 || m != 1 {
		t.Fatalf("after an export and its retry: %d exports, %d export requests logged; want 1 and 1", n, m)
	}

	// The key with another scope, or answered by another route: 400.
	var auditorID int64
	if err := e.Store.Query(ctx, &auditorID, `SELECT id FROM users WHERE username = 'auditor'`); err != nil || auditorID == 0 {
		t.Fatalf("auditor's id = %d, %v", auditorID, err)
	}
	var proposalID int64
	if err := e.Store.Query(ctx, &proposalID, `SELECT MIN(id) FROM proposals`); err != nil {
		t.Fatal(err)
	}
	if err := e.Store.Exec(ctx, `INSERT INTO idempotency_keys (user_id, key, request_hash, proposal_id, created_at)
		VALUES (?, 'usulan-1', 'h', ?, ?)`, auditorID, proposalID, time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		what string
		body any
		key  string
	}{
		{"a year added", map[string]any{"region": "18.71", "fiscal_year": 2027}, "ekspor-1"},
		{"another scope", map[string]any{"fiscal_year": 2027}, "ekspor-1"},
		{"a filing's key", map[string]any{"region": "18.71"}, "usulan-1"},
	} {
		p := expectProblem(t, "the key with "+c.what, post(e.Auditor, c.body, c.key), http.StatusBadRequest)
		if !strings.Contains(p.Detail, "Idempotency-Key sudah dipakai") {
			t.Errorf("the key with %s: detail %q, want the reused key named", c.what, p.Detail)
		}
	}
	r := post(e.Auditor, map[string]any{"region": "18.71"}, "kunci-\u00e9")
	expectFields(t, "a key not ASCII", expectProblem(t, "a key not ASCII", r, http.StatusBadRequest), "Idempotency-Key")
	if n, m := exports(), requests(); n != 1 || m != 1 {
		t.Fatalf("refused requests: %d exports, %d export requests logged; want 1 and 1", n, m)
	}

	// Eight at once under one key: one export, the others answer it.
	_, replayed := keyedAtOnce(t, "export", http.StatusAccepted, func(int) (apitest.Response, error) {
		return exportKeyed(e.URL, e.Auditor.Token, `{"fiscal_year": 2027}`, "ekspor-bersamaan")
	})
	if n, m := exports(), requests(); n != 2 || m != 2 || replayed != 7 {
		t.Errorf("eight exports at once: %d exports, %d requests logged, %d replayed; want 2, 2, 7", n, m, replayed)
	}

	// Without a key a request queues as before, up to the cap of three.
	plain := post(e.Auditor, map[string]any{"region": "18.71"}, "")
	if plain.Status != http.StatusAccepted || plain.Header.Get("Idempotent-Replayed") != "" || idOf(plain) == idOf(first) {
		t.Fatalf("export without a key = %d %s, want an export of its own", plain.Status, plain.Body)
	}
	if r := post(e.Auditor, map[string]any{"region": "18.71"}, ""); r.Status != http.StatusTooManyRequests {
		t.Errorf("a fourth open export without a key = %d %s, want 429", r.Status, r.Body)
	}
	// At the cap a retry still answers, as the export is now; a new key
	// is refused.
	claim := store.ExportClaim{Worker: "proses-lain", Lease: time.Minute, MaxRunning: 5, MaxAttempts: 3}
	if got, ok, err := e.Store.ClaimTrailExport(ctx, claim); err != nil || !ok || got.ID != idOf(first) {
		t.Fatalf("claim = %+v %v %v, want the first export", got, ok, err)
	}
	again := post(e.Auditor, map[string]any{"region": "18.71"}, "ekspor-1")
	if again.Status != http.StatusAccepted || again.Header.Get("Idempotent-Replayed") != "true" || idOf(again) != idOf(first) ||
		again.JSON()["state"] != dak.ExportRunning {
		t.Errorf("retry at the cap = %d %s, want export %d replayed as running", again.Status, again.Body, idOf(first))
	}
	if r := post(e.Auditor, map[string]any{"region": "18.71"}, "ekspor-baru"); r.Status != http.StatusTooManyRequests {
		t.Errorf("a fourth open export under a new key = %d %s, want 429", r.Status, r.Body)
	}
	if n, m := exports(), requests(); n != 3 || m != 3 {
		t.Errorf("at the cap: %d exports, %d requests logged; want 3 and 3", n, m)
	}

	// A key is its user's: another auditor queues its own.
	if r := e.Admin.Do("POST", "/api/v1/users", map[string]any{"username": "auditor2", "password": "sandi-yang-panjang",
		"role": "auditor", "full_name": "Auditor kedua", "nip": apitest.NIP, "position": "Auditor Inspektorat"}, nil); r.Status != http.StatusCreated {
		t.Fatalf("POST /users = %d %s", r.Status, r.Body)
	}
	second := apitest.Login(t, e.URL, "auditor2", "sandi-yang-panjang")
	if r := post(second, map[string]any{"region": "18.71"}, "ekspor-1"); r.Status != http.StatusAccepted ||
		r.Header.Get("Idempotent-Replayed") != "" || idOf(r) == idOf(first) {
		t.Errorf("another auditor's export under the same key = %d %s, want an export of its own", r.Status, r.Body)
	}
}

// rowCount is the COUNT(*) query's answer on e's database.
func rowCount(t *testing.T, e *apitest.Env, query string, args ...any) int {
	t.Helper()
	var n int
	if err := e.Store.Query(context.Background(), &n, query, args...); err != nil {
		t.Fatal(err)
	}
	return n
}
