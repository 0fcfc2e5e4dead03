package keyring

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"dakflow/internal/translog"
)

var t0 = time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)

func clock(t time.Time) func() time.Time { return func() time.Time { return t } }

// TestOpenCreatesKeyFile: the first start writes a key file only its owner
// can read and a public list naming it current; concurrent first starts
// agree on one key; the next start reads the same key.
func TestOpenCreatesKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "signing.key")
	var (
		wg  sync.WaitGroup
		ids [4]string
	)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k, err := Open(path, nil, clock(t0))
			if err != nil {
				t.Error(err)
				return
			}
			key, _ := k.Current()
			ids[i] = key.ID
		}()
	}
	wg.Wait()
	for _, id := range ids[1:] {
		if id != ids[0] {
			t.Fatalf("concurrent first starts made keys %v, want one", ids)
		}
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, mode %v; want 0600", err, fi.Mode())
	}
	b, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(b), "PRIVATE+KEY+dakflow+"+ids[0]+"+") {
		t.Errorf("key file holds %q, want a note signer key", b)
	}
	k, err := Open(path, nil, clock(t0.Add(time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	l, _ := k.List()
	if len(l.Items) != 1 || l.Items[0].KeyID != ids[0] || l.Items[0].RetiredAt != nil || l.Items[0].Algorithm != "Ed25519" || !l.Items[0].CreatedAt.Equal(t0) {
		t.Errorf("key list = %+v, want the one current key", l)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path, nil, nil); err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("Open(key file readable by others) = %v, want it refused", err)
	}
}

// TestRotate: rotation retires the old key (still listed, with
// retired_at), signs with the new one from then on — in a running
// process too — and leaves no private key of the old one behind.
func TestRotate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "signing.key")
	k, err := Open(path, nil, clock(t0))
	if err != nil {
		t.Fatal(err)
	}
	before, _ := k.Current()
	old, cur, err := Rotate(path, t0.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if old.KeyID != before.ID || old.RetiredAt == nil || !old.RetiredAt.Equal(t0.Add(24*time.Hour)) || cur.RetiredAt != nil {
		t.Fatalf("Rotate = old %+v, new %+v", old, cur)
	}
	after, err := k.Current() // the running process notices
	if err != nil || after.ID != cur.KeyID {
		t.Fatalf("Current after rotation = %s, %v; want %s", after.ID, err, cur.KeyID)
	}
	l, _ := k.List()
	if len(l.Items) != 2 || l.Items[0].KeyID != old.KeyID || l.Items[0].RetiredAt == nil || l.Items[1].KeyID != cur.KeyID {
		t.Errorf("key list after rotation = %+v", l)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		if strings.Contains(string(b), translog.SignerKey(before.Private)) {
			t.Errorf("%s still holds the retired private key", e.Name())
		}
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("new key file mode %v, want 0600", fi.Mode())
	}
	if _, err := Open(path, nil, nil); err != nil {
		t.Errorf("Open after rotation = %v", err)
	}
	// A key file swapped for one the list does not know is refused.
	_, stranger, _ := ed25519.GenerateKey(rand.Reader)
	os.WriteFile(path, []byte(translog.SignerKey(stranger)+"\n"), 0o600)
	if _, err := Open(path, nil, nil); err == nil || !strings.Contains(err.Error(), "names") {
		t.Errorf("Open(unlisted key) = %v, want it refused", err)
	}
}

// TestRotationInterrupted: a rotation stopped after the list was written
// is finished by the next start.
func TestRotationInterrupted(t *testing.T) {
	path := filepath.Join(t.TempDir(), "signing.key")
	if _, err := Open(path, nil, clock(t0)); err != nil {
		t.Fatal(err)
	}
	old, _ := os.ReadFile(path)
	_, cur, err := Rotate(path, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	// Undo the last step (the rename) as a crash would have left it.
	newKey, _ := os.ReadFile(path)
	os.WriteFile(path+".new", newKey, 0o600)
	os.WriteFile(path, old, 0o600)
	k, err := Open(path, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if key, _ := k.Current(); key.ID != cur.KeyID {
		t.Errorf("after an interrupted rotation the key is %s, want %s", key.ID, cur.KeyID)
	}
	if _, err := os.Stat(path + ".new"); !os.IsNotExist(err) {
		t.Errorf("%s.new is still there", path)
	}
}

// TestLegacyKeys: a key that lived in the database is listed as retired
// when the list is created, never as current, and only that once.
func TestLegacyKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "signing.key")
	pub, _, _ := ed25519.GenerateKey(rand.Reader)
	legacy := []Legacy{{PublicKey: base64.StdEncoding.EncodeToString(pub), CreatedAt: t0.Add(-90 * 24 * time.Hour)}, {PublicKey: "broken"}}
	k, err := Open(path, legacy, clock(t0))
	if err != nil {
		t.Fatal(err)
	}
	l, _ := k.List()
	cur, _ := k.Current()
	if len(l.Items) != 2 || l.Items[0].KeyID != translog.KeyID(pub) || l.Items[0].RetiredAt == nil || !l.Items[0].RetiredAt.Equal(t0) || l.Items[1].KeyID != cur.ID {
		t.Fatalf("key list = %+v, want the legacy key retired, then the new current key", l)
	}
	pub2, _, _ := ed25519.GenerateKey(rand.Reader)
	k, _ = Open(path, []Legacy{{PublicKey: base64.StdEncoding.EncodeToString(pub2)}}, nil)
	if l, _ := k.List(); len(l.Items) != 2 {
		t.Errorf("a legacy key offered after the list exists was listed: %+v", l)
	}
}

func TestParseList(t *testing.T) {
	path := filepath.Join(t.TempDir(), "signing.key")
	k, _ := Open(path, nil, clock(t0))
	good, _ := os.ReadFile(ListPath(path))
	if _, err := ParseList(good); err != nil {
		t.Fatalf("ParseList(own list) = %v", err)
	}
	l, _ := k.List()
	for _, tc := range []struct{ name, in, want string }{
		{"not JSON", "{", "not the JSON"},
		{"empty", `{"items":[]}`, "no keys"},
		{"wrong id", strings.Replace(string(good), l.Items[0].KeyID, "00000000", 1), "does not belong"},
		{"bad key", `{"items":[{"key_id":"x","algorithm":"Ed25519","public_key":"AAAA"}]}`, "3 bytes"},
	} {
		if _, err := ParseList([]byte(tc.in)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseList(%s) = %v, want %q", tc.name, err, tc.want)
		}
	}
}
