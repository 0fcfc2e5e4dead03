// Package trail exports a proposal's audit trail as one signed ZIP — every
// document, every event and a manifest of hashes signed with the server's
// Ed25519 key — and verifies such a ZIP offline, naming the first thing
// that does not match (PRODUCT.md §5).
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

	"dakflow/internal/dak"
)

// File names inside a trail ZIP.
const (
	ManifestName  = "manifest.json"
	SignatureName = "manifest.sig"
	PublicKeyName = "public-key.txt"
	EventsName    = "events.json"
)

// Manifest lists every file of a trail with its hash; it is what the
// server signs.
type Manifest struct {
	Format      string      `json:"format"`
	Proposal    ProposalRef `json:"proposal"`
	GeneratedAt time.Time   `json:"generated_at"`
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

// Build writes the trail ZIP of a proposal. The same inputs give the same
// bytes (entries in a fixed order with fixed times).
func Build(p dak.Proposal, events []dak.Event, docs []dak.Document, pdfs map[int64][]byte, key ed25519.PrivateKey, now time.Time) ([]byte, error) {
	m := Manifest{Format: "dakflow-trail/1", GeneratedAt: now.UTC(), Events: len(events),
		Proposal: ProposalRef{ID: p.ID, Number: p.Number, RegionCode: p.RegionCode, FiscalYear: p.FiscalYear, State: p.State}}
	type entry struct {
		name string
		data []byte
	}
	var entries []entry
	sort.Slice(docs, func(i, j int) bool { return docs[i].ID < docs[j].ID })
	for _, d := range docs {
		pdf, ok := pdfs[d.ID]
		if !ok {
			return nil, fmt.Errorf("trail: document %d has no stored bytes", d.ID)
		}
		name := path.Join("documents", fmt.Sprintf("%02d-%s-%s.pdf", d.EventSeq, d.Kind, unsafeChars.ReplaceAllString(d.Number, "_")))
		entries = append(entries, entry{name, pdf})
		m.Files = append(m.Files, FileEntry{Path: name, SHA256: dak.SHA256Hex(pdf), Size: int64(len(pdf)), DocumentID: d.ID, Number: d.Number})
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
	entries = append(entries, entry{EventsName, evJSON})
	m.Files = append(m.Files, FileEntry{Path: EventsName, SHA256: dak.SHA256Hex(evJSON), Size: int64(len(evJSON))})
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	sig := ed25519.Sign(key, manifest)
	pub := key.Public().(ed25519.PublicKey)
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
