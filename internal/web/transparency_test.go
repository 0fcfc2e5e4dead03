package web_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dakflow/internal/keyring"
	"dakflow/internal/store/dbtest"
	"dakflow/internal/trail"
	"dakflow/internal/translog"
	"dakflow/internal/web/apitest"
)

// TestTransparencyEndpoints: the public keys, the latest checkpoint and
// consistency proofs, and a trail that carries its proofs and verifies
// against a checkpoint the auditor kept from before.
func TestTransparencyEndpoints(t *testing.T) {
	e := apitest.NewEnv(t)
	anon := apitest.Anonymous(t, e.URL)
	if r := anon.Do("GET", "/api/v1/checkpoints/latest", nil, nil); r.Status != http.StatusNotFound {
		t.Errorf("GET /checkpoints/latest before any checkpoint = %d, want 404", r.Status)
	}
	id := e.Create(t, "pembangunan", false)
	e.WalkTo(t, id, false, "allocated")

	// GET /api/v1/keys, as the auditor saves it.
	r := anon.Do("GET", "/api/v1/keys", nil, nil)
	keys, err := keyring.ParseList(r.Body)
	if r.Status != http.StatusOK || err != nil || len(keys.Items) != 1 {
		t.Fatalf("GET /keys = %d %s (%v)", r.Status, r.Body, err)
	}
	for _, field := range []string{`"key_id"`, `"algorithm":"Ed25519"`, `"public_key"`, `"created_at"`, `"retired_at":null`} {
		if !bytes.Contains(r.Body, []byte(field)) {
			t.Errorf("GET /keys lacks %s: %s", field, r.Body)
		}
	}
	cur := keys.Items[0]
	if tk := anon.Do("GET", "/api/v1/trail-key", nil, nil).JSON(); tk["public_key"] != cur.PublicKey || tk["key_id"] != cur.KeyID {
		t.Errorf("GET /trail-key = %v, want the current key %s", tk, cur.KeyID)
	}

	// The first trail signs a checkpoint; the auditor keeps it.
	first := e.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/trail", id), nil, nil)
	r = anon.Do("GET", "/api/v1/checkpoints/latest", nil, nil)
	if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Fatalf("GET /checkpoints/latest = %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	verifiers, _ := keys.Verifiers()
	kept, err := translog.Open(r.Body, verifiers)
	if err != nil || r.Header.Get("X-Dakflow-Tree-Size") != fmt.Sprint(kept.Size) {
		t.Fatalf("latest checkpoint %q does not open: %v", r.Body, err)
	}
	rep, err := trail.VerifyWith(first.Body, trail.Options{Keys: &keys, KeyID: cur.KeyID, Checkpoint: r.Body})
	if err != nil || !rep.Pinned || rep.Bundled.Size != kept.Size {
		t.Fatalf("VerifyWith(first trail, its checkpoint) = %+v, %v", rep, err)
	}

	// The log goes on. The first proposal's trail, downloaded again, keeps
	// the checkpoint that covers it; a new proposal's trail needs a newer
	// one, checked against the kept checkpoint.
	id2 := e.Create(t, "revitalisasi", false)
	e.WalkTo(t, id2, false, "submitted")
	again := e.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/trail", id), nil, nil)
	if rep, err := trail.VerifyWith(again.Body, trail.Options{Checkpoint: r.Body}); err != nil || rep.Bundled.Size != kept.Size {
		t.Errorf("VerifyWith(first trail again) = %+v, %v; want the kept checkpoint reused", rep.Bundled, err)
	}
	id = id2
	later := e.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/trail", id), nil, nil)
	_, err = trail.VerifyWith(later.Body, trail.Options{Checkpoint: r.Body})
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("/api/v1/checkpoints/proof?old=%d&new=", kept.Size)) {
		t.Fatalf("VerifyWith(later trail, older checkpoint, no proof) = %v, want the proof to fetch named", err)
	}
	b, err := trail.VerifyWith(later.Body, trail.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := anon.Do("GET", fmt.Sprintf("/api/v1/checkpoints/proof?old=%d&new=%d", kept.Size, b.Bundled.Size), nil, nil)
	proof, err := translog.ParseConsistencyProof(p.Body)
	if p.Status != http.StatusOK || err != nil {
		t.Fatalf("GET /checkpoints/proof = %d %s", p.Status, p.Body)
	}
	if rep, err := trail.VerifyWith(later.Body, trail.Options{Checkpoint: r.Body, ConsistencyProof: &proof}); err != nil || rep.PinnedBy != "checkpoint" {
		t.Errorf("VerifyWith(later trail, older checkpoint, fetched proof) = %+v, %v", rep, err)
	}
	carrying := e.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/trail?consistency_from=%d", id, kept.Size), nil, nil)
	if rep, err := trail.VerifyWith(carrying.Body, trail.Options{Checkpoint: r.Body}); err != nil || !rep.Pinned || rep.Given == nil {
		t.Errorf("VerifyWith(trail carrying the proof) = %+v, %v", rep, err)
	}
	for _, q := range []string{"old=0&new=1", "old=2", "old=x&new=2", fmt.Sprintf("old=1&new=%d", b.Bundled.Size+50)} {
		if r := anon.Do("GET", "/api/v1/checkpoints/proof?"+q, nil, nil); r.Status != http.StatusBadRequest {
			t.Errorf("GET /checkpoints/proof?%s = %d %s, want 400", q, r.Status, r.Body)
		}
	}
	if r := e.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/trail?consistency_from=abc", id), nil, nil); r.Status != http.StatusBadRequest {
		t.Errorf("trail?consistency_from=abc = %d, want 400", r.Status)
	}
}

// TestNoPrivateKeyInDatabase: the server signs with a key that is in its
// key file and nowhere in the database.
func TestNoPrivateKeyInDatabase(t *testing.T) {
	e := apitest.NewEnv(t)
	id := e.Create(t, "pembangunan", false)
	e.WalkTo(t, id, false, "allocated")
	e.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/trail", id), nil, nil)
	key, err := e.Keys.Current()
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	if err := e.Store.Query(t.Context(), &n, `SELECT COUNT(*) FROM signing_keys`); err != nil || n != 0 {
		t.Errorf("signing_keys holds %d rows (%v), want none", n, err)
	}
	if dbtest.Engine() != "sqlite" {
		return
	}
	var path string
	if err := e.Store.Query(t.Context(), &path, `SELECT file FROM pragma_database_list WHERE name = 'main'`); err != nil {
		t.Fatal(err)
	}
	seed := base64.StdEncoding.EncodeToString(key.Private.Seed())
	for _, f := range []string{path, path + "-wal"} {
		b, _ := os.ReadFile(f)
		if bytes.Contains(b, key.Private.Seed()) || bytes.Contains(b, []byte(seed)) || bytes.Contains(b, []byte(base64.StdEncoding.EncodeToString(key.Private))) {
			t.Errorf("%s holds the private key", filepath.Base(f))
		}
	}
}
