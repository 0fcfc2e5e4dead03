package trail

import (
	"archive/zip"
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"dakflow/internal/dak"
	"dakflow/internal/translog"
)

// memLog is a global log in memory, hashed as the store hashes it.
type memLog struct {
	hashes []tlog.Hash
	size   int64
}

func (l *memLog) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, idx := range indexes {
		out[i] = l.hashes[idx]
	}
	return out, nil
}

// add appends a leaf and returns its index.
func (l *memLog) add(t testing.TB, eventHash string) int64 {
	hs, err := tlog.StoredHashesForRecordHash(l.size, translog.LeafHash(eventHash), l)
	if err != nil {
		t.Fatal(err)
	}
	l.hashes = append(l.hashes, hs...)
	l.size++
	return l.size - 1
}

func (l *memLog) tree(t testing.TB, size int64) tlog.Tree {
	h, err := tlog.TreeHash(size, l)
	if err != nil {
		t.Fatal(err)
	}
	return tlog.Tree{N: size, Hash: h}
}

// checkpoint signs the tree of size leaves.
func (l *memLog) checkpoint(t testing.TB, size int64, key ed25519.PrivateKey) []byte {
	signer, err := translog.NewSigner(key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := translog.Sign(l.tree(t, size), time.Date(2026, 11, 22, 4, 0, 0, 0, time.UTC), signer)
	if err != nil {
		t.Fatal(err)
	}
	return c.Note
}

// consistency proves the tree of oldSize leaves a prefix of newSize's.
func (l *memLog) consistency(t testing.TB, oldSize, newSize int64) translog.ConsistencyProof {
	p, err := tlog.ProveTree(newSize, oldSize, l)
	if err != nil {
		t.Fatal(err)
	}
	return translog.ConsistencyProof{OldSize: oldSize, OldRoot: l.tree(t, oldSize).Hash, NewSize: newSize, NewRoot: l.tree(t, newSize).Hash, Proof: p}
}

// trailFixture is a proposal's chain of n events, each with a document,
// chained as the store chains them, on a global log shared with other
// proposals' events.
type trailFixture struct {
	p      dak.Proposal
	events []dak.Event
	docs   []dak.Document
	pdfs   map[int64][]byte
	leaves map[int]int64 // seq → leaf index
	log    *memLog
	at     time.Time
}

func newFixture(t testing.TB, n int) *trailFixture {
	t.Helper()
	f := &trailFixture{p: dak.Proposal{ID: 7, Number: "USL-2027-1871-00007", RegionCode: "18.71", FiscalYear: 2027, State: "completed"},
		pdfs: map[int64][]byte{}, leaves: map[int]int64{}, log: &memLog{}, at: time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC)}
	prev := dak.GenesisHash
	for i := 1; i <= n; i++ {
		f.log.add(t, dak.SHA256Hex([]byte(fmt.Sprintf("another proposal's event %d", i)))) // interleaved
		pdf := bytes.Repeat([]byte{byte(i)}, 8<<10)
		id := int64(100 + i)
		f.docs = append(f.docs, dak.Document{ID: id, Kind: "berita_acara_penyaluran", Number: "B-" + string(rune('0'+i%10)) + "/IKMA", EventSeq: i})
		f.pdfs[id] = pdf
		e := dak.Event{ProposalID: 7, Seq: i, Event: "record_disbursement", From: "a", To: "b", Actor: "x", Role: dak.RoleTreasury,
			At: f.at.Add(time.Duration(i) * time.Minute), Data: json.RawMessage(`{"amount":1}`), DocumentID: &id, DocumentSHA256: dak.SHA256Hex(pdf)}
		e.PrevHash = prev
		e.Record = dak.EventRecord(e)
		e.Hash = dak.ChainHash(prev, e.Record)
		prev = e.Hash
		f.events = append(f.events, e)
		f.leaves[i] = f.log.add(t, e.Hash)
	}
	return f
}

// seal proves every event under the checkpoint of the log's first size
// leaves, signed by key.
func (f *trailFixture) seal(t testing.TB, key ed25519.PrivateKey, size int64) Seal {
	s := Seal{KeyID: translog.KeyID(key.Public().(ed25519.PublicKey)), Key: key, Checkpoint: f.log.checkpoint(t, size, key)}
	for _, e := range f.events {
		p, err := tlog.ProveRecord(size, f.leaves[e.Seq], f.log)
		if err != nil {
			t.Fatal(err)
		}
		s.Proofs = append(s.Proofs, translog.InclusionProof{Seq: e.Seq, Index: f.leaves[e.Seq], Proof: p})
	}
	return s
}

func (f *trailFixture) build(t testing.TB, s Seal) []byte {
	t.Helper()
	z, err := Build(f.p, f.events, f.docs, f.pdfs, s, f.at)
	if err != nil {
		t.Fatal(err)
	}
	return z
}

// fixture builds a trail of n events under a checkpoint of the whole log.
func fixture(t testing.TB, n int) ([]byte, ed25519.PrivateKey) {
	t.Helper()
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	f := newFixture(t, n)
	return f.build(t, f.seal(t, key, f.log.size)), key
}

// rewrite returns the ZIP with one entry's bytes replaced by change.
func rewrite(t *testing.T, z []byte, name string, change func([]byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == name {
			b = change(b)
		}
		w, _ := zw.Create(f.Name)
		w.Write(b)
	}
	zw.Close()
	return buf.Bytes()
}

func TestVerify(t *testing.T) {
	z, key := fixture(t, 20)
	pub := base64.StdEncoding.EncodeToString(key.Public().(ed25519.PublicKey))
	rep, err := Verify(z, pub)
	if err != nil || !rep.Pinned || rep.Manifest.Events != 20 {
		t.Fatalf("Verify(good) = %+v, %v", rep, err)
	}
	z2, _ := fixture(t, 20)
	if _, err := Verify(z2, pub); err == nil || !strings.Contains(err.Error(), "not the trusted key") {
		t.Errorf("Verify(other server's trail, pinned) = %v", err)
	}
	var pdfName string
	zr, _ := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "documents/03-") {
			pdfName = f.Name
		}
	}
	for _, tc := range []struct {
		name, entry, want string
		change            func([]byte) []byte
	}{
		{"a PDF changed", pdfName, pdfName + ": SHA-256", func(b []byte) []byte { b[10] ^= 1; return b }},
		{"an event record changed", EventsName, EventsName + ": SHA-256", func(b []byte) []byte {
			return bytes.Replace(b, []byte(`\"amount\":1`), []byte(`\"amount\":2`), 1)
		}},
		{"the manifest changed", ManifestName, "signature does not match", func(b []byte) []byte {
			return bytes.Replace(b, []byte("completed"), []byte("completedX"), 1)
		}},
		{"the signature replaced", SignatureName, "signature does not match", func([]byte) []byte {
			return []byte(base64.StdEncoding.EncodeToString(make([]byte, 64)))
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Verify(rewrite(t, z, tc.entry, tc.change), "")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Verify = %v, want an error naming %q", err, tc.want)
			}
		})
	}
}

// TestVerifyNamesTheBrokenLink re-signs a trail whose event record was
// altered (as a server compromised after the fact might), so that only the
// hash chain can catch it.
func TestVerifyNamesTheBrokenLink(t *testing.T) {
	z, key := fixture(t, 5)
	var events []Event
	zr, _ := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	for _, f := range zr.File {
		if f.Name == EventsName {
			rc, _ := f.Open()
			json.NewDecoder(rc).Decode(&events)
			rc.Close()
		}
	}
	events[2].Record = strings.Replace(events[2].Record, `"amount":1`, `"amount":9`, 1)
	evJSON, _ := json.MarshalIndent(events, "", "  ")
	z = rewrite(t, z, EventsName, func([]byte) []byte { return evJSON })
	var m Manifest
	z = rewrite(t, z, ManifestName, func(b []byte) []byte {
		json.Unmarshal(b, &m)
		for i := range m.Files {
			if m.Files[i].Path == EventsName {
				m.Files[i].SHA256, m.Files[i].Size = dak.SHA256Hex(evJSON), int64(len(evJSON))
			}
		}
		out, _ := json.MarshalIndent(m, "", "  ")
		return out
	})
	var manifest []byte
	zr, _ = zip.NewReader(bytes.NewReader(z), int64(len(z)))
	for _, f := range zr.File {
		if f.Name == ManifestName {
			rc, _ := f.Open()
			manifest, _ = io.ReadAll(rc)
			rc.Close()
		}
	}
	z = rewrite(t, z, SignatureName, func([]byte) []byte {
		return []byte(base64.StdEncoding.EncodeToString(ed25519.Sign(key, manifest)))
	})
	if _, err := Verify(z, ""); err == nil || !strings.Contains(err.Error(), "event 3: hash does not match its record") {
		t.Errorf("Verify(re-signed, record altered) = %v, want event 3 named", err)
	}
}

// BenchmarkBuildAndVerify: a trail of 20 documents (target ≤ 100 ms each).
func BenchmarkBuildAndVerify(b *testing.B) {
	z, _ := fixture(b, 20)
	b.Run("verify", func(b *testing.B) {
		for b.Loop() {
			if _, err := Verify(z, ""); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("build", func(b *testing.B) {
		for b.Loop() {
			fixture(b, 20)
		}
	})
}
