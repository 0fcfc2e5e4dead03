package main

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
	"dakflow/internal/trail"
	"dakflow/internal/translog"
	"dakflow/internal/web/apitest"
)

// startServe runs `serve` on :0 until the test ends and returns its URL.
func startServe(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	var wg sync.WaitGroup
	wg.Add(1)
	var serveErr error
	go func() {
		defer wg.Done()
		serveErr = run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), nil, io.Discard, io.Discard, func(addr string) { addrc <- addr })
	}()
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		if serveErr != nil {
			t.Errorf("serve: %v", serveErr)
		}
	})
	select {
	case addr := <-addrc:
		return "http://" + addr
	case <-time.After(20 * time.Second):
		t.Fatal("server did not start")
	}
	return ""
}

// verifyExit runs `dakflow verify` and returns its exit code and output.
func verifyExit(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), append([]string{"verify"}, args...), nil, &out, io.Discard, nil)
	if err == nil {
		return 0, out.String()
	}
	return exitCode(err), out.String() + err.Error()
}

// TestTransparencyCLI: checkpoints from `dakflow checkpoint` and from
// serve in an append-only directory and to a webhook; the keys outside
// the database and their rotation; `dakflow verify` exit codes for
// pinned, unpinned and re-signed trails.
func TestTransparencyCLI(t *testing.T) {
	t.Parallel() // seeds the demo: the package's longest tests overlap (the CLI and its server keep no process-wide state)
	dbURL := dbtest.URL(t)
	dataDir := t.TempDir()
	cpDir := filepath.Join(dataDir, "checkpoints")
	if out, err := runCLI(t, dbURL, "", "seed", "demo"); err != nil {
		t.Fatalf("seed demo = %v\n%s", err, out)
	}
	var (
		mu     sync.Mutex
		posted []string
		fails  = 1
	)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		if fails > 0 {
			fails--
			http.Error(w, "down", http.StatusBadGateway)
			return
		}
		b, _ := io.ReadAll(r.Body)
		posted = append(posted, string(b))
	}))
	defer hook.Close()
	flags := []string{"--data-dir", dataDir, "--checkpoint-webhook", hook.URL}

	out, err := runCLI(t, dbURL, "", append([]string{"checkpoint"}, flags...)...)
	if err != nil || !strings.Contains(out, "written "+cpDir) || !strings.Contains(out, "warning: checkpoint webhook") {
		t.Fatalf("checkpoint = %v\n%s", err, out)
	}
	files, _ := filepath.Glob(filepath.Join(cpDir, "checkpoint-*.txt"))
	if len(files) != 1 {
		t.Fatalf("checkpoint dir holds %v, want one file", files)
	}
	firstNote, _ := os.ReadFile(files[0])
	if fi, _ := os.Stat(files[0]); fi.Mode().Perm() != 0o444 {
		t.Errorf("%s has mode %v, want read-only", files[0], fi.Mode())
	}
	if fi, err := os.Stat(filepath.Join(dataDir, "signing.key")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("signing key file: %v %v, want mode 0600", fi, err)
	}
	if out, err = runCLI(t, dbURL, "", append([]string{"checkpoint"}, flags...)...); err != nil || !strings.Contains(out, "already holds it") || !strings.Contains(out, "posted to the webhook") {
		t.Errorf("checkpoint again = %v\n%s", err, out)
	}

	base := startServe(t, append([]string{"--database-url", dbURL, "--checkpoint-interval", "1s"}, flags...)...)
	auditor := apitest.Login(t, base, "auditor1", DemoPassword)
	anon := apitest.Anonymous(t, base)
	dir := t.TempDir()
	save := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	keysJSON := anon.Do("GET", "/api/v1/keys", nil, nil).Body
	keysFile := save("kunci.json", keysJSON)
	var keys struct {
		Items []struct {
			KeyID     string     `json:"key_id"`
			PublicKey string     `json:"public_key"`
			RetiredAt *time.Time `json:"retired_at"`
		} `json:"items"`
	}
	if err := json.Unmarshal(keysJSON, &keys); err != nil || len(keys.Items) != 1 {
		t.Fatalf("GET /keys = %s", keysJSON)
	}
	keyID, pub := keys.Items[0].KeyID, keys.Items[0].PublicKey
	cpFile := save("checkpoint.txt", firstNote) // kept by the auditor from the directory

	// A transition, then the trail: the periodic writer adds a checkpoint
	// file, and the webhook gets it.
	var list struct {
		Items []struct {
			ID    int64  `json:"id"`
			State string `json:"state"`
		} `json:"items"`
	}
	auditor.Do("GET", "/api/v1/proposals?per_page=100", nil, nil).Decode(t, &list)
	var submitted int64
	for _, p := range list.Items {
		if p.State == "submitted" {
			submitted = p.ID
		}
	}
	apitest.Login(t, base, "verifikator1", DemoPassword).MustFire(submitted, "start_review", "", nil)
	zipBody := auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/trail", submitted), nil, nil).Body
	zipPath := save("jejak.zip", zipBody)
	waitFor(t, "a second checkpoint file and its webhook post", func() bool {
		files, _ := filepath.Glob(filepath.Join(cpDir, "checkpoint-*.txt"))
		mu.Lock()
		defer mu.Unlock()
		return len(files) >= 2 && len(posted) >= 2
	})
	if b, _ := os.ReadFile(files[0]); !bytes.Equal(b, firstNote) {
		t.Errorf("the first checkpoint file was rewritten")
	}
	latest := anon.Do("GET", "/api/v1/checkpoints/latest", nil, nil).Body
	latestFile := save("latest.txt", latest)

	forged := forgeTrail(t, zipBody)
	forgedPath := save("palsu.zip", forged)
	dup := save("ganda.zip", withEntry(t, zipBody, trail.EventsName, []byte("[]")))
	extra := save("tambahan.zip", withEntry(t, zipBody, "catatan.txt", []byte("x")))
	bad := save("rusak.txt", []byte("go.sum database tree\n12\nbukan hash\n\n— dakflow AAAA\n"))
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unpinned", []string{zipPath}, 3, "TIDAK DIPERIKSA"},
		{"public key", []string{zipPath, "--public-key", pub}, 0, "pinned by the public key"},
		{"key list", []string{zipPath, "--keys", keysFile, "--key-id", keyID}, 0, "pinned by the key list"},
		{"kept checkpoint", []string{zipPath, "--checkpoint", cpFile}, 1, "/api/v1/checkpoints/proof?old="},
		{"latest checkpoint", []string{zipPath, "--checkpoint", latestFile}, 0, "consistent with your checkpoint"},
		{"re-signed, unpinned", []string{forgedPath}, 3, "NOT CHECKED"},
		{"re-signed, public key", []string{forgedPath, "--public-key", pub}, 1, "not the trusted key"},
		{"re-signed, key list", []string{forgedPath, "--keys", keysFile, "--key-id", keyID}, 1, "NOT VALID"},
		{"re-signed, checkpoint", []string{forgedPath, "--checkpoint", latestFile}, 1, "not by the trail's key"},
		{"duplicate entry", []string{dup, "--public-key", pub}, 1, "two entries have this name"},
		{"unexpected entry", []string{extra, "--public-key", pub}, 1, "not listed in the manifest"},
		{"malformed checkpoint", []string{zipPath, "--checkpoint", bad}, 2, "--checkpoint"},
		{"key id without keys", []string{zipPath, "--key-id", keyID}, 2, "--key-id needs --keys"},
		{"malformed key", []string{zipPath, "--public-key", "AAAA"}, 2, "3 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out := verifyExit(t, tc.args...)
			if code != tc.code || !strings.Contains(out, tc.want) {
				t.Errorf("verify %s = exit %d\n%s\nwant exit %d and %q", strings.Join(tc.args[1:], " "), code, out, tc.code, tc.want)
			}
		})
	}
	// The auditor fetches the proof the message names and checks again.
	kept, err := translog.Peek(firstNote)
	if err != nil {
		t.Fatal(err)
	}
	rep, _ := trail.VerifyWith(zipBody, trail.Options{})
	proof := anon.Do("GET", fmt.Sprintf("/api/v1/checkpoints/proof?old=%d&new=%d", kept.Size, rep.Bundled.Size), nil, nil).Body
	if code, out := verifyExit(t, zipPath, "--checkpoint", cpFile, "--consistency-proof", save("bukti.json", proof)); code != 0 {
		t.Errorf("verify --checkpoint kept --consistency-proof = exit %d\n%s", code, out)
	}

	// Rotation while the server runs: new trails are signed by the new
	// key, the old one is listed as retired, old trails still verify.
	if out, err := runCLI(t, dbURL, "", "key", "rotate", "--data-dir", dataDir); err != nil || !strings.Contains(out, "key "+keyID+" retired") {
		t.Fatalf("key rotate = %v\n%s", err, out)
	}
	keys2 := save("kunci2.json", anon.Do("GET", "/api/v1/keys", nil, nil).Body)
	if err := json.Unmarshal(mustRead(t, keys2), &keys); err != nil || len(keys.Items) != 2 || keys.Items[0].RetiredAt == nil || keys.Items[1].RetiredAt != nil {
		t.Fatalf("GET /keys after rotation = %s", mustRead(t, keys2))
	}
	newID := keys.Items[1].KeyID
	zip2 := save("jejak2.zip", auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/trail", submitted), nil, nil).Body)
	if code, out := verifyExit(t, zip2, "--keys", keys2, "--key-id", newID); code != 0 {
		t.Errorf("verify (after rotation, new key) = exit %d\n%s", code, out)
	}
	if code, out := verifyExit(t, zipPath, "--keys", keys2, "--key-id", keyID); code != 0 || !strings.Contains(out, "retired") {
		t.Errorf("verify (signed before rotation, retired key) = exit %d\n%s", code, out)
	}
	if code, out := verifyExit(t, zip2, "--keys", keysFile, "--key-id", keyID); code != 1 {
		t.Errorf("verify (new trail against the old key) = exit %d\n%s", code, out)
	}
	// The database holds no private key, and no row of signing_keys.
	var n int64
	st, err := store.Open(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Query(context.Background(), &n, `SELECT COUNT(*) FROM signing_keys`); err != nil || n != 0 {
		t.Errorf("signing_keys: %d rows, %v", n, err)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// entries reads every entry of a ZIP, in order.
func entries(t *testing.T, z []byte) ([]string, map[string][]byte) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		names = append(names, f.Name)
		files[f.Name] = b
	}
	return names, files
}

func writeZip(t *testing.T, names []string, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, _ := zw.Create(n)
		w.Write(files[n])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withEntry is z with one more entry.
func withEntry(t *testing.T, z []byte, name string, data []byte) []byte {
	names, files := entries(t, z)
	out := writeZip(t, names, files)
	zr, _ := zip.NewReader(bytes.NewReader(out), int64(len(out)))
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		zw.Copy(f)
	}
	w, _ := zw.Create(name)
	w.Write(data)
	zw.Close()
	return buf.Bytes()
}

// forgeTrail re-signs a trail with a key of the forger's own, checkpoint
// included: sound in itself, caught only by a pin.
func forgeTrail(t *testing.T, z []byte) []byte {
	t.Helper()
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	signer, _ := translog.NewSigner(key)
	names, files := entries(t, z)
	c, err := translog.Peek(files[trail.CheckpointName])
	if err != nil {
		t.Fatal(err)
	}
	re, err := translog.Sign(c.Tree(), c.Time, signer)
	if err != nil {
		t.Fatal(err)
	}
	files[trail.CheckpointName] = re.Note
	var m trail.Manifest
	if err := json.Unmarshal(files[trail.ManifestName], &m); err != nil {
		t.Fatal(err)
	}
	m.KeyID = translog.KeyID(key.Public().(ed25519.PublicKey))
	for i, fe := range m.Files {
		m.Files[i].SHA256, m.Files[i].Size = dak.SHA256Hex(files[fe.Path]), int64(len(files[fe.Path]))
	}
	manifest, _ := json.MarshalIndent(m, "", "  ")
	files[trail.ManifestName] = manifest
	files[trail.SignatureName] = []byte(base64.StdEncoding.EncodeToString(ed25519.Sign(key, manifest)) + "\n")
	files[trail.PublicKeyName] = []byte(base64.StdEncoding.EncodeToString(key.Public().(ed25519.PublicKey)) + "\n")
	return writeZip(t, names, files)
}
