// Package trail exports a proposal's audit trail as one signed ZIP — every
// document, every event, a manifest of hashes signed with the server's
// Ed25519 key, and the proof that every event is on the global log under a
// signed checkpoint — and verifies such a ZIP offline, naming the first
// thing that does not match (PRODUCT.md §5).
package trail

import (
	"archive/zip"
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"sort"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"dakflow/internal/dak"
	"dakflow/internal/translog"
)

// File names inside a trail ZIP.
const (
	ManifestName   = "manifest.json"
	SignatureName  = "manifest.sig"
	PublicKeyName  = "public-key.txt"
	EventsName     = "events.json"
	CheckpointName = "checkpoint.txt" // the signed checkpoint the proofs lead to
	LogProofName   = "log-proof.json" // each event's inclusion proof (LogProof)
	ReadmeName     = "BACA-SAYA.txt"
)

// Format is the trail format Build writes: 2 adds the key id, the signed
// checkpoint and the inclusion proofs to format 1.
const Format = "dakflow-trail/2"

// Seal is what binds a trail to the server and its log: the key that signs
// the manifest, and the signed checkpoint with each event's inclusion
// proof (translog). Consistency optionally carries proofs from older trees
// an auditor keeps checkpoints of (?consistency_from=N).
type Seal struct {
	KeyID       string
	Key         ed25519.PrivateKey
	Checkpoint  []byte
	Proofs      []translog.InclusionProof
	Consistency []translog.ConsistencyProof
}

// LogProof is log-proof.json: the tree of the bundled checkpoint and, for
// every event, its leaf index and audit path. A leaf is the RFC 6962 leaf
// hash of the event's hash (its 64 hex characters), golang.org/x/mod/sumdb/tlog.
type LogProof struct {
	TreeSize    int64                       `json:"tree_size"`
	RootHash    tlog.Hash                   `json:"root_hash"`
	Events      []translog.InclusionProof   `json:"events"`
	Consistency []translog.ConsistencyProof `json:"consistency,omitempty"`
}

// Manifest lists every file of a trail with its hash; it is what the
// server signs.
type Manifest struct {
	Format      string      `json:"format"`
	Proposal    ProposalRef `json:"proposal"`
	GeneratedAt time.Time   `json:"generated_at"`
	KeyID       string      `json:"key_id,omitempty"` // format 2: the signer's key id (GET /api/v1/keys)
	Files       []FileEntry `json:"files"`
	LastHash    string      `json:"last_event_hash"`
	Events      int         `json:"events"`
}

// ProposalRef names the proposal a trail is about.
type ProposalRef struct {
	ID         int64  `json:"id"`
	Number     string `json:"number"`
	RegionCode string `json:"region_code"`
	FiscalYear int    `json:"fiscal_year"`
	State      string `json:"state"`
}

// FileEntry is one file of the ZIP with its SHA-256 and size.
type FileEntry struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	// DocumentID and Number tie a PDF to its event.
	DocumentID int64  `json:"document_id,omitempty"`
	Number     string `json:"number,omitempty"`
}

// Event is one audit event as exported: the exact record that was hashed.
type Event struct {
	Seq            int    `json:"seq"`
	Record         string `json:"record"`
	PrevHash       string `json:"prev_hash"`
	Hash           string `json:"hash"`
	DocumentID     *int64 `json:"document_id"`
	DocumentSHA256 string `json:"document_sha256"`
}

var unsafeChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// Build writes the trail ZIP of a proposal, sealed with seal: every event
// must have its inclusion proof under seal's checkpoint. The same inputs
// give the same bytes (entries in a fixed order with fixed times).
func Build(p dak.Proposal, events []dak.Event, docs []dak.Document, pdfs map[int64][]byte, seal Seal, now time.Time) ([]byte, error) {
	m := Manifest{Format: Format, GeneratedAt: now.UTC(), Events: len(events), KeyID: seal.KeyID,
		Proposal: ProposalRef{ID: p.ID, Number: p.Number, RegionCode: p.RegionCode, FiscalYear: p.FiscalYear, State: p.State}}
	type entry struct {
		name string
		data []byte
	}
	var entries []entry
	add := func(name string, data []byte) {
		entries = append(entries, entry{name, data})
		m.Files = append(m.Files, FileEntry{Path: name, SHA256: dak.SHA256Hex(data), Size: int64(len(data))})
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i].ID < docs[j].ID })
	for _, d := range docs {
		pdf, ok := pdfs[d.ID]
		if !ok {
			return nil, fmt.Errorf("trail: document %d has no stored bytes", d.ID)
		}
		name := path.Join("documents", fmt.Sprintf("%02d-%s-%s.pdf", d.EventSeq, d.Kind, unsafeChars.ReplaceAllString(d.Number, "_")))
		add(name, pdf)
		m.Files[len(m.Files)-1].DocumentID, m.Files[len(m.Files)-1].Number = d.ID, d.Number
	}
	out := make([]Event, len(events))
	for i, e := range events {
		out[i] = Event{Seq: e.Seq, Record: e.Record, PrevHash: e.PrevHash, Hash: e.Hash, DocumentID: e.DocumentID, DocumentSHA256: e.DocumentSHA256}
		m.LastHash = e.Hash
	}
	evJSON, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, err
	}
	add(EventsName, evJSON)
	logProof, err := seal.logProof(events)
	if err != nil { // a stored event that is not the leaf the log holds
		return nil, fmt.Errorf("%w (%v)", dak.Errorf(dak.ErrIntegrity, "jejak usulan %s tidak dapat dibuktikan pada log global", p.Number), err)
	}
	add(CheckpointName, seal.Checkpoint)
	add(LogProofName, logProof)
	add(ReadmeName, []byte(readme))
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	sig := ed25519.Sign(seal.Key, manifest)
	pub := seal.Key.Public().(ed25519.PublicKey)
	entries = append(entries, entry{ManifestName, manifest},
		entry{SignatureName, []byte(base64.StdEncoding.EncodeToString(sig) + "\n")},
		entry{PublicKeyName, []byte(base64.StdEncoding.EncodeToString(pub) + "\n")})

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: m.GeneratedAt})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(e.data); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// logProof checks that the seal proves every event under its checkpoint
// (the server never ships a proof that fails) and writes log-proof.json.
func (s Seal) logProof(events []dak.Event) ([]byte, error) {
	if len(s.Key) != ed25519.PrivateKeySize || s.KeyID != translog.KeyID(s.Key.Public().(ed25519.PublicKey)) {
		return nil, fmt.Errorf("trail: the signing key and its id %q do not match", s.KeyID)
	}
	v, err := translog.NewVerifier(s.Key.Public().(ed25519.PublicKey))
	if err != nil {
		return nil, err
	}
	c, err := translog.Open(s.Checkpoint, note.VerifierList(v))
	if err != nil {
		return nil, fmt.Errorf("trail: bundled %w", err)
	}
	proofs := map[int]translog.InclusionProof{}
	for _, p := range s.Proofs {
		proofs[p.Seq] = p
	}
	lp := LogProof{TreeSize: c.Size, RootHash: c.Root, Events: make([]translog.InclusionProof, 0, len(events)), Consistency: s.Consistency}
	for _, e := range events {
		p, ok := proofs[e.Seq]
		if !ok {
			return nil, fmt.Errorf("trail: event %d is not yet under checkpoint %d", e.Seq, c.Size)
		}
		if err := p.Check(c.Tree(), e.Hash); err != nil {
			return nil, fmt.Errorf("trail: event %d: %w", e.Seq, err)
		}
		lp.Events = append(lp.Events, p)
	}
	for _, cp := range s.Consistency {
		if cp.NewSize != c.Size || cp.NewRoot != c.Root || translog.CheckConsistency(tlog.Tree{N: cp.OldSize, Hash: cp.OldRoot}, c.Tree(), cp.Proof) != nil {
			return nil, fmt.Errorf("trail: the consistency proof from size %d does not lead to checkpoint %d", cp.OldSize, c.Size)
		}
	}
	return json.MarshalIndent(lp, "", "  ")
}
