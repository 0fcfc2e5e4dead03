package translog

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// memLog is a tree in memory, leaves added as the store adds them.
type memLog struct {
	hashes []tlog.Hash
	size   int64
}

func (l *memLog) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, idx := range indexes {
		if idx < 0 || idx >= int64(len(l.hashes)) {
			return nil, fmt.Errorf("hash %d: the log has %d stored hashes", idx, len(l.hashes))
		}
		out[i] = l.hashes[idx]
	}
	return out, nil
}

func (l *memLog) add(t testing.TB, leaves ...string) {
	for _, leaf := range leaves {
		hs, err := tlog.StoredHashesForRecordHash(l.size, LeafHash(leaf), l)
		if err != nil {
			t.Fatal(err)
		}
		l.hashes = append(l.hashes, hs...)
		l.size++
	}
}

func (l *memLog) tree(t testing.TB) tlog.Tree {
	h, err := tlog.TreeHash(l.size, l)
	if err != nil {
		t.Fatal(err)
	}
	return tlog.Tree{N: l.size, Hash: h}
}

func (l *memLog) prove(oldSize, newSize int64) ([]tlog.Hash, error) {
	return tlog.ProveTree(newSize, oldSize, l)
}

func testKey(t testing.TB) (ed25519.PrivateKey, note.Signer, note.Verifiers) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSigner(priv)
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewVerifier(priv.Public().(ed25519.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	return priv, s, note.VerifierList(v)
}

var at = time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)

func TestCheckpointRoundTrip(t *testing.T) {
	priv, signer, known := testKey(t)
	l := &memLog{}
	l.add(t, "a", "b", "c")
	c, err := Sign(l.tree(t), at, signer)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("go.sum database tree\n3\n%s\ndakflow global log\ntime 2026-11-30T10:00:00Z\n\n— dakflow ", l.tree(t).Hash)
	if !strings.HasPrefix(string(c.Note), want) {
		t.Errorf("checkpoint note =\n%s\nwant it to start\n%s", c.Note, want)
	}
	got, err := Open(c.Note, known)
	if err != nil || got.Size != 3 || got.Root != l.tree(t).Hash || !got.Time.Equal(at) || got.KeyID != KeyID(priv.Public().(ed25519.PublicKey)) {
		t.Fatalf("Open = %+v, %v", got, err)
	}
	_, _, other := testKey(t)
	tampered := strings.Replace(string(c.Note), "\n3\n", "\n4\n", 1)
	for _, tc := range []struct {
		name  string
		msg   string
		known note.Verifiers
		want  string
	}{
		{"unknown key", string(c.Note), other, "checkpoint: signed by dakflow " + got.KeyID + ", not by a known key"},
		{"text changed", tampered, known, "does not verify"},
		{"no signature", "go.sum database tree\n3\nxx\n", known, "not a signed note"},
		{"not a tree", strings.Replace(string(c.Note), "go.sum database tree", "go.sum database tre", 1), known, "does not verify"},
		{"empty", "", known, "not a signed note"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Open([]byte(tc.msg), tc.known); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Open = %v, want %q", err, tc.want)
			}
		})
	}
	// A note signed by the key that is not a checkpoint.
	msg, _ := note.Sign(&note.Note{Text: "go.sum database tree\n3\n" + l.tree(t).Hash.String() + "\n"}, signer)
	if _, err := Open(msg, known); err == nil || !strings.Contains(err.Error(), "does not name the dakflow global log") {
		t.Errorf("Open(tree note without the log line) = %v", err)
	}
}

func TestKeys(t *testing.T) {
	priv, _, _ := testKey(t)
	pub := priv.Public().(ed25519.PublicKey)
	back, err := ParseSignerKey(SignerKey(priv))
	if err != nil || !back.Equal(priv) {
		t.Fatalf("ParseSignerKey(SignerKey) = %v", err)
	}
	for _, s := range []string{VerifierKey(pub), " " + VerifierKey(pub) + "\n"} {
		if got, err := ParsePublicKey(s); err != nil || !got.Equal(pub) {
			t.Errorf("ParsePublicKey(%q) = %v", s, err)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"AAAA", "3 bytes, want 32"},
		{"!!", "not base64"},
		{"dakflow+00000000+" + strings.SplitN(VerifierKey(pub), "+", 3)[2], "does not name this key"},
		{"dakflow+1+2+3", "does not hold an Ed25519 key"},
	} {
		if _, err := ParsePublicKey(tc.in); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParsePublicKey(%q) = %v, want %q", tc.in, err, tc.want)
		}
	}
	if _, err := ParseSignerKey("PRIVATE+KEY+other+00000000+AAAA"); err == nil || !strings.Contains(err.Error(), `named "other"`) {
		t.Errorf("ParseSignerKey(other name) = %v", err)
	}
}

// TestDirAppendOnly: each checkpoint is a new file, written once; a
// checkpoint of a rewritten history is refused and nothing is written.
func TestDirAppendOnly(t *testing.T) {
	_, signer, known := testKey(t)
	d := Dir(filepath.Join(t.TempDir(), "checkpoints"))
	l := &memLog{}
	l.add(t, "a", "b", "c")
	c1, _ := Sign(l.tree(t), at, signer)
	if wrote, err := d.Append(c1, known, l.prove); err != nil || !wrote {
		t.Fatalf("Append(first) = %v, %v", wrote, err)
	}
	first := filepath.Join(string(d), FileName(c1))
	fi, err := os.Stat(first)
	if err != nil || fi.Mode().Perm() != 0o444 {
		t.Fatalf("first checkpoint file: %v, mode %v; want read-only", err, fi)
	}
	if wrote, err := d.Append(c1, known, l.prove); err != nil || wrote {
		t.Errorf("Append(same again) = %v, %v; want nothing written", wrote, err)
	}
	l.add(t, "d", "e")
	c2, _ := Sign(l.tree(t), at.Add(time.Minute), signer)
	if wrote, err := d.Append(c2, known, l.prove); err != nil || !wrote {
		t.Fatalf("Append(grown) = %v, %v", wrote, err)
	}
	if b, _ := os.ReadFile(first); string(b) != string(c1.Note) {
		t.Errorf("the first checkpoint file changed")
	}

	fork := &memLog{}
	fork.add(t, "a", "B", "c", "d", "e", "f")
	c3, _ := Sign(fork.tree(t), at.Add(2*time.Minute), signer)
	if wrote, err := d.Append(c3, known, fork.prove); wrote || !errors.Is(err, ErrFork) {
		t.Errorf("Append(forked) = %v, %v; want ErrFork", wrote, err)
	}
	short := &memLog{}
	short.add(t, "a", "b")
	c4, _ := Sign(short.tree(t), at, signer)
	if _, err := d.Append(c4, known, short.prove); err == nil || !strings.Contains(err.Error(), "behind") {
		t.Errorf("Append(smaller log) = %v, want it named behind", err)
	}
	entries, _ := os.ReadDir(string(d))
	if len(entries) != 2 {
		t.Errorf("the directory holds %d files, want 2", len(entries))
	}
	// Someone rewrites the newest file: nothing more is written.
	last := filepath.Join(string(d), FileName(c2))
	os.Chmod(last, 0o644)
	os.WriteFile(last, []byte(strings.Replace(string(c2.Note), "\n5\n", "\n6\n", 1)), 0o444)
	l.add(t, "f")
	c5, _ := Sign(l.tree(t), at, signer)
	if _, err := d.Append(c5, known, l.prove); err == nil || !strings.Contains(err.Error(), "does not verify") {
		t.Errorf("Append after the directory was edited = %v, want the edited file named", err)
	}
}

// TestWebhookRetries: a failed post is retried later; the newest
// checkpoint replaces one still waiting.
func TestWebhookRetries(t *testing.T) {
	var (
		mu    sync.Mutex
		calls int
		got   []string
	)
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		calls++
		if calls == 1 {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		if r.Header.Get("Content-Type") != "text/plain; charset=utf-8" {
			t.Errorf("Content-Type = %q", r.Header.Get("Content-Type"))
		}
		got = append(got, string(b))
		close(done)
	}))
	defer srv.Close()
	w := NewWebhook(srv.URL, slog.New(slog.NewTextHandler(io.Discard, nil)))
	w.MinRetry, w.MaxRetry = 20*time.Millisecond, 50*time.Millisecond
	ctx, cancel := contextWithCancel()
	defer cancel()
	go w.Run(ctx)
	w.Offer([]byte("checkpoint 1\n"))
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the webhook was not retried")
	}
	mu.Lock()
	defer mu.Unlock()
	if calls != 2 || len(got) != 1 || got[0] != "checkpoint 1\n" {
		t.Errorf("webhook calls = %d, bodies %q; want a failure, then checkpoint 1", calls, got)
	}
}

func contextWithCancel() (context.Context, context.CancelFunc) {
	return context.WithCancel(context.Background())
}

// TestDirSharedByInstances: several servers share one checkpoint
// directory. One that comes second with an older tree, or with the same
// tree signed at another moment, writes nothing and raises no alarm; a
// concurrent burst leaves only whole, valid files.
func TestDirSharedByInstances(t *testing.T) {
	_, signer, known := testKey(t)
	d := Dir(filepath.Join(t.TempDir(), "checkpoints"))
	l := &memLog{}
	l.add(t, "a", "b", "c")
	older, _ := Sign(l.tree(t), at, signer)
	l.add(t, "d", "e")
	newer, _ := Sign(l.tree(t), at.Add(time.Minute), signer)
	if wrote, err := d.Append(newer, known, l.prove); err != nil || !wrote {
		t.Fatalf("Append(newer) = %v, %v", wrote, err)
	}
	if wrote, err := d.Append(older, known, l.prove); err != nil || wrote {
		t.Errorf("Append(older, after another instance wrote newer) = %v, %v; want nothing written, no error", wrote, err)
	}
	again, _ := Sign(l.tree(t), at.Add(2*time.Minute), signer) // same tree, another moment
	if wrote, err := d.Append(again, known, l.prove); err != nil || wrote {
		t.Errorf("Append(same tree signed later) = %v, %v; want nothing written, no error", wrote, err)
	}
	var wg sync.WaitGroup
	l.add(t, "f", "g")
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, _ := Sign(l.tree(t), at.Add(time.Duration(3+i)*time.Minute), signer)
			if _, err := d.Append(c, known, l.prove); err != nil {
				t.Errorf("concurrent Append %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	entries, _ := os.ReadDir(string(d))
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(string(d), e.Name()))
		if _, oerr := Open(b, known); err != nil || oerr != nil || strings.HasPrefix(e.Name(), ".tmp") {
			t.Errorf("%s: %v %v (a half-written or temporary file left behind)", e.Name(), err, oerr)
		}
	}
	if len(entries) != 2 {
		t.Errorf("directory holds %d files, want 2 (sizes 5 and 7)", len(entries))
	}
}
