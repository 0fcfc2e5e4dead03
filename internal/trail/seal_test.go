package trail

import (
	"archive/zip"
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"dakflow/internal/dak"
	"dakflow/internal/keyring"
	"dakflow/internal/translog"
)

func newKey(t testing.TB) ed25519.PrivateKey {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func listed(key ed25519.PrivateKey, retired *time.Time) keyring.PublicKey {
	pub := key.Public().(ed25519.PublicKey)
	return keyring.PublicKey{KeyID: translog.KeyID(pub), Algorithm: "Ed25519", PublicKey: base64.StdEncoding.EncodeToString(pub),
		CreatedAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), RetiredAt: retired}
}

// TestVerifyPinning: exit 0 of `dakflow verify` needs Pinned; a trail
// signed by any other key fails against every kind of pin.
func TestVerifyPinning(t *testing.T) {
	f := newFixture(t, 4)
	key, other := newKey(t), newKey(t)
	z := f.build(t, f.seal(t, key, f.log.size))
	forged := f.build(t, f.seal(t, other, f.log.size)) // re-signed with another key
	id := translog.KeyID(key.Public().(ed25519.PublicKey))
	before, after := f.at.Add(-time.Hour), f.at.Add(time.Hour)
	list := &keyring.List{Items: []keyring.PublicKey{listed(key, nil)}}
	for _, tc := range []struct {
		name     string
		zip      []byte
		opts     Options
		pinnedBy string // "" for a sound but unpinned trail
		wantErr  string
	}{
		{"unpinned", z, Options{}, "", ""},
		{"public key", z, Options{PublicKey: key.Public().(ed25519.PublicKey)}, "public key", ""},
		{"key list and key id", z, Options{Keys: list, KeyID: id}, "key list", ""},
		{"retired after signing", z, Options{Keys: &keyring.List{Items: []keyring.PublicKey{listed(key, &after)}}, KeyID: id}, "key list", ""},
		{"retired before signing", z, Options{Keys: &keyring.List{Items: []keyring.PublicKey{listed(key, &before)}}}, "", "retired at"},
		{"re-signed, unpinned", forged, Options{}, "", ""},
		{"re-signed, public key", forged, Options{PublicKey: key.Public().(ed25519.PublicKey)}, "", "not the trusted key"},
		{"re-signed, key list", forged, Options{Keys: list}, "", "which the key list does not hold"},
		{"re-signed, key id", forged, Options{Keys: list, KeyID: id}, "", "not key " + id},
		{"re-signed, checkpoint of the real key", forged, Options{Checkpoint: f.log.checkpoint(t, f.log.size, key)}, "", "not by the trail's key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := VerifyWith(tc.zip, tc.opts)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("VerifyWith = %v, want an error containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || rep.Pinned != (tc.pinnedBy != "") || rep.PinnedBy != tc.pinnedBy {
				t.Fatalf("VerifyWith = pinned %v by %q, %v; want pinned by %q", rep.Pinned, rep.PinnedBy, err, tc.pinnedBy)
			}
		})
	}
}

// TestVerifyCheckpoint: the auditor's own checkpoint, older, equal or
// newer than the trail's, consistent or from a forked history.
func TestVerifyCheckpoint(t *testing.T) {
	key := newKey(t)
	f := newFixture(t, 5) // 10 leaves
	const early, trailSize = 4, 10
	earlyCP := f.log.checkpoint(t, early, key)
	plain := f.build(t, f.seal(t, key, trailSize))
	withProof := f.seal(t, key, trailSize)
	withProof.Consistency = []translog.ConsistencyProof{f.log.consistency(t, early, trailSize)}
	carrying := f.build(t, withProof)

	// The log grows after the trail; the auditor checkpoints it.
	grown := &memLog{hashes: append([]tlog.Hash(nil), f.log.hashes...), size: f.log.size}
	for i := 0; i < 7; i++ {
		grown.add(t, strings.Repeat("ab", 32))
	}
	laterCP := grown.checkpoint(t, grown.size, key)
	forward := grown.consistency(t, trailSize, grown.size)

	// A forked history: the same server key signs a log whose first leaf
	// (another proposal's event) was rewritten after the auditor's
	// checkpoint of size 4.
	fork := forkOf(t, f)
	forkedTrail := &trailFixture{p: f.p, events: f.events, docs: f.docs, pdfs: f.pdfs, leaves: f.leaves, log: fork, at: f.at}
	forked := forkedTrail.build(t, forkedTrail.seal(t, key, trailSize))
	forkProof := fork.consistency(t, early, trailSize)

	pub := key.Public().(ed25519.PublicKey)
	for _, tc := range []struct {
		name    string
		zip     []byte
		opts    Options
		wantErr string
	}{
		{"same checkpoint", plain, Options{Checkpoint: f.log.checkpoint(t, trailSize, key)}, ""},
		{"older, proof in the ZIP", carrying, Options{Checkpoint: earlyCP}, ""},
		{"older, proof fetched", plain, Options{Checkpoint: earlyCP, ConsistencyProof: ptr(f.log.consistency(t, early, trailSize))}, ""},
		{"older, no proof", plain, Options{Checkpoint: earlyCP}, "GET /api/v1/checkpoints/proof?old=4&new=10"},
		{"newer, proof fetched", plain, Options{Checkpoint: laterCP, ConsistencyProof: &forward, PublicKey: pub}, ""},
		{"newer, no proof", plain, Options{Checkpoint: laterCP}, "GET /api/v1/checkpoints/proof?old=10&new=17"},
		{"forked, proof from the forked server", forked, Options{Checkpoint: earlyCP, ConsistencyProof: &forkProof}, "history was rewritten"},
		{"forked, same size", forked, Options{Checkpoint: f.log.checkpoint(t, trailSize, key)}, "history was rewritten"},
		{"signed by another key", plain, Options{Checkpoint: f.log.checkpoint(t, trailSize, newKey(t))}, "not by the trail's key"},
		{"malformed", plain, Options{Checkpoint: []byte("go.sum database tree\n10\nnot a hash\n")}, "your checkpoint: checkpoint: not a signed note"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep, err := VerifyWith(tc.zip, tc.opts)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("VerifyWith = %v, want an error containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || !rep.Pinned || rep.Given == nil {
				t.Fatalf("VerifyWith = %+v, %v; want pinned and the checkpoint checked", rep, err)
			}
		})
	}
	var need *NeedProofError
	if _, err := VerifyWith(plain, Options{Checkpoint: earlyCP}); !errors.As(err, &need) {
		t.Errorf("VerifyWith(older, no proof) = %v, want a NeedProofError", err)
	}
}

func ptr[T any](v T) *T { return &v }

// forkOf is f's log with its first leaf (another proposal's event)
// rewritten: the history a database operator makes by editing the past and
// rebuilding the tree.
func forkOf(t *testing.T, f *trailFixture) *memLog {
	fork := &memLog{}
	for i, e := range f.events {
		other := fmt.Sprintf("another proposal's event %d", i+1)
		if i == 0 {
			other = "another proposal's event, rewritten"
		}
		fork.add(t, dak.SHA256Hex([]byte(other)))
		fork.add(t, e.Hash)
	}
	return fork
}

// TestVerifyEntries: every entry of the ZIP is read by name; a second
// entry of the same name, or one the manifest does not list, is a mismatch.
func TestVerifyEntries(t *testing.T) {
	z, _ := fixture(t, 3)
	for _, tc := range []struct {
		name, entry, want string
	}{
		{"duplicate events", EventsName, EventsName + ": two entries have this name"},
		{"duplicate PDF", "documents/01-berita_acara_penyaluran-B-1_IKMA.pdf", "two entries have this name"},
		{"duplicate manifest", ManifestName, "two entries have this name"},
		{"unexpected file", "catatan.txt", "catatan.txt: not listed in the manifest"},
		{"a directory", "documents/", "documents/: not listed in the manifest"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Verify(appendEntry(t, z, tc.entry, []byte("forged")), ""); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Verify = %v, want %q", err, tc.want)
			}
		})
	}
}

// appendEntry copies z and adds one more entry.
func appendEntry(t *testing.T, z []byte, name string, data []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	w, _ := zw.Create(name)
	w.Write(data)
	zw.Close()
	return buf.Bytes()
}

// TestVerifyNamesAForgedProof: a trail re-signed by the server's own key
// (a compromised server) with an event that is not on the log is named.
func TestVerifyNamesAForgedProof(t *testing.T) {
	key := newKey(t)
	f := newFixture(t, 3)
	s := f.seal(t, key, f.log.size)
	z := f.build(t, s)
	var lp LogProof
	z = rewrite(t, z, LogProofName, func(b []byte) []byte {
		json.Unmarshal(b, &lp)
		lp.Events[1].Proof[0][0] ^= 1
		out, _ := json.MarshalIndent(lp, "", "  ")
		return out
	})
	z = resign(t, z, key)
	if _, err := Verify(z, ""); err == nil || !strings.Contains(err.Error(), "event 2: not on the global log") {
		t.Errorf("Verify(forged inclusion proof) = %v, want event 2 named", err)
	}
}

// resign updates the manifest to the ZIP's entries and signs it with key.
func resign(t *testing.T, z []byte, key ed25519.PrivateKey) []byte {
	t.Helper()
	files := map[string][]byte{}
	zr, _ := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	for _, f := range zr.File {
		rc, _ := f.Open()
		files[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	var m Manifest
	json.Unmarshal(files[ManifestName], &m)
	for i, fe := range m.Files {
		b := files[fe.Path]
		m.Files[i].SHA256, m.Files[i].Size = dak.SHA256Hex(b), int64(len(b))
	}
	manifest, _ := json.MarshalIndent(m, "", "  ")
	z = rewrite(t, z, ManifestName, func([]byte) []byte { return manifest })
	return rewrite(t, z, SignatureName, func([]byte) []byte {
		return []byte(base64.StdEncoding.EncodeToString(ed25519.Sign(key, manifest)))
	})
}

// TestReadEntriesBoundsTheWhole: many entries each under the per-entry
// limit are refused once together they pass the total limit, having read
// no more than it.
func TestReadEntriesBoundsTheWhole(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	chunk := bytes.Repeat([]byte{0}, 300<<10) // compresses to almost nothing
	for i := range 4 {
		w, err := zw.Create(fmt.Sprintf("isi-%d.bin", i))
		if err != nil {
			t.Fatal(err)
		}
		w.Write(chunk)
	}
	zw.Close()
	if _, err := readEntriesUpTo(buf.Bytes(), 1<<20); err == nil || !strings.Contains(err.Error(), "together") {
		t.Errorf("readEntries of 4 × 300 KiB under a 1 MiB limit = %v, want refused as too large together", err)
	}
	if files, err := readEntriesUpTo(buf.Bytes(), 2<<20); err != nil || len(files) != 4 {
		t.Errorf("readEntries under a 2 MiB limit = %d files, %v", len(files), err)
	}
}
