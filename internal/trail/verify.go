package trail

import (
	"archive/zip"
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"dakflow/internal/dak"
)

// Report is what Verify found in a trail that checks out.
type Report struct {
	Manifest  Manifest
	PublicKey string // base64 of the key that signed it
	Pinned    bool   // the key was checked against one the caller trusts
}

// maxEntry bounds what Verify reads of one ZIP entry.
const maxEntry = 64 << 20

// Verify checks a trail ZIP without the server: the signature over the
// manifest (against trusted when given, base64), every file's SHA-256 and
// size, each event's hash over its record and its link to the previous
// event, and each event's document hash. The error names the first thing
// that does not match.
func Verify(zipBytes []byte, trusted string) (Report, error) {
	zr, err := zip.NewReader(bytes.NewReader(zipBytes), int64(len(zipBytes)))
	if err != nil {
		return Report{}, fmt.Errorf("not a ZIP file: %w", err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return Report{}, fmt.Errorf("%s: %w", f.Name, err)
		}
		b, err := io.ReadAll(io.LimitReader(rc, maxEntry+1))
		rc.Close()
		if err != nil {
			return Report{}, fmt.Errorf("%s: %w", f.Name, err)
		}
		if len(b) > maxEntry {
			return Report{}, fmt.Errorf("%s: larger than %d bytes", f.Name, maxEntry)
		}
		files[f.Name] = b
	}
	manifest, ok := files[ManifestName]
	if !ok {
		return Report{}, fmt.Errorf("%s is missing", ManifestName)
	}
	pubText := strings.TrimSpace(string(files[PublicKeyName]))
	rep := Report{PublicKey: pubText}
	if trusted != "" {
		if strings.TrimSpace(trusted) != pubText {
			return rep, fmt.Errorf("%s: the trail is signed by key %s, not the trusted key", PublicKeyName, short(pubText))
		}
		rep.Pinned = true
	}
	pub, err := base64.StdEncoding.DecodeString(pubText)
	if err != nil || len(pub) != ed25519.PublicKeySize {
		return rep, fmt.Errorf("%s: not an Ed25519 public key", PublicKeyName)
	}
	sig, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(files[SignatureName])))
	if err != nil || !ed25519.Verify(pub, manifest, sig) {
		return rep, fmt.Errorf("%s: the signature does not match %s", SignatureName, ManifestName)
	}
	if err := json.Unmarshal(manifest, &rep.Manifest); err != nil {
		return rep, fmt.Errorf("%s: %w", ManifestName, err)
	}
	listed := map[string]FileEntry{}
	for _, fe := range rep.Manifest.Files {
		b, ok := files[fe.Path]
		switch {
		case !ok:
			return rep, fmt.Errorf("%s: listed in the manifest but missing", fe.Path)
		case int64(len(b)) != fe.Size || dak.SHA256Hex(b) != fe.SHA256:
			return rep, fmt.Errorf("%s: SHA-256 %s does not match the manifest's %s", fe.Path, short(dak.SHA256Hex(b)), short(fe.SHA256))
		}
		listed[fe.Path] = fe
	}
	for name := range files {
		if _, ok := listed[name]; !ok && name != ManifestName && name != SignatureName && name != PublicKeyName {
			return rep, fmt.Errorf("%s: not listed in the manifest", name)
		}
	}
	return rep, verifyEvents(files[EventsName], rep.Manifest)
}

func verifyEvents(raw []byte, m Manifest) error {
	var events []Event
	if err := json.Unmarshal(raw, &events); err != nil {
		return fmt.Errorf("%s: %w", EventsName, err)
	}
	if len(events) != m.Events {
		return fmt.Errorf("%s: %d events, the manifest says %d", EventsName, len(events), m.Events)
	}
	docs := map[int64]string{}
	for _, fe := range m.Files {
		if fe.DocumentID != 0 {
			docs[fe.DocumentID] = fe.SHA256
		}
	}
	prev := dak.GenesisHash
	for i, e := range events {
		if e.Seq != i+1 {
			return fmt.Errorf("event %d: sequence number %d out of order", i+1, e.Seq)
		}
		if e.PrevHash != prev {
			return fmt.Errorf("event %d: prev_hash does not link to event %d", e.Seq, e.Seq-1)
		}
		if got := dak.ChainHash(e.PrevHash, e.Record); got != e.Hash {
			return fmt.Errorf("event %d: hash does not match its record (the record was changed)", e.Seq)
		}
		var rec struct {
			Seq            int    `json:"seq"`
			DocumentSHA256 string `json:"document_sha256"`
		}
		if err := json.Unmarshal([]byte(e.Record), &rec); err != nil || rec.Seq != e.Seq {
			return fmt.Errorf("event %d: record is not this event's", e.Seq)
		}
		if rec.DocumentSHA256 != e.DocumentSHA256 {
			return fmt.Errorf("event %d: document hash differs from the hashed record", e.Seq)
		}
		if e.DocumentID != nil {
			if sha, ok := docs[*e.DocumentID]; !ok || sha != e.DocumentSHA256 {
				return fmt.Errorf("event %d: its document does not match the PDF in the trail", e.Seq)
			}
		}
		prev = e.Hash
	}
	if m.LastHash != prev && len(events) > 0 {
		return fmt.Errorf("%s: last event hash does not match the manifest", EventsName)
	}
	return nil
}

func short(s string) string {
	if len(s) > 12 {
		return s[:12] + "…"
	}
	return s
}
