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
	"dakflow/internal/keyring"
	"dakflow/internal/translog"
)

// Options is what an auditor brings to a verification from outside the
// trail: what pins the signer, and what ties the trail's log to history
// the auditor kept.
type Options struct {
	// PublicKey pins the signer to one key.
	PublicKey ed25519.PublicKey
	// Keys is GET /api/v1/keys as the auditor saved it: the signer must be
	// listed (and not have signed after its retirement). KeyID, when set,
	// names the one listed key that must have signed.
	Keys  *keyring.List
	KeyID string
	// Checkpoint is a signed checkpoint the auditor kept independently: it
	// must verify with the pinned key (or, with none pinned, the trail's,
	// which it then pins), and the trail's log must be consistent with it.
	Checkpoint []byte
	// ConsistencyProof is GET /api/v1/checkpoints/proof between the trail's
	// checkpoint and Checkpoint, when the ZIP does not carry it.
	ConsistencyProof *translog.ConsistencyProof
}

// Report is what Verify found in a trail that checks out.
type Report struct {
	Manifest  Manifest
	PublicKey string // base64 of the key that signed it
	KeyID     string
	Pinned    bool   // the key was checked against one the caller trusts
	PinnedBy  string // "public key", "key list" or "checkpoint"
	// Bundled is the trail's own checkpoint (format 2), Given the
	// auditor's once it checked out.
	Bundled, Given *translog.Checkpoint
	// Notes are facts worth reading that are not failures.
	Notes []string
}

// maxEntry bounds what Verify reads of one ZIP entry.
const maxEntry = 64 << 20

// maxTotal bounds all entries of one trail together (a trail of a decade's
// documents is a few tens of MiB).
const maxTotal = 512 << 20

// Verify checks a trail ZIP without the server, pinned to trusted (base64
// or a verifier key) when it is not empty. See VerifyWith.
func Verify(zipBytes []byte, trusted string) (Report, error) {
	var opts Options
	if strings.TrimSpace(trusted) != "" {
		pub, err := translog.ParsePublicKey(trusted)
		if err != nil {
			return Report{}, fmt.Errorf("the trusted key: %w", err)
		}
		opts.PublicKey = pub
	}
	return VerifyWith(zipBytes, opts)
}

// VerifyWith checks a trail ZIP without the server: every entry is listed
// in the manifest exactly once, the signature over the manifest (and the
// signer against opts), every file's SHA-256 and size, each event's hash
// over its record and its link to the previous event, each event's
// document hash, each event's inclusion proof under the bundled signed
// checkpoint, and that checkpoint's consistency with opts.Checkpoint. The
// error names the first thing that does not match.
func VerifyWith(zipBytes []byte, opts Options) (Report, error) {
	files, err := readEntries(zipBytes)
	if err != nil {
		return Report{}, err
	}
	manifest, ok := files[ManifestName]
	if !ok {
		return Report{}, fmt.Errorf("%s is missing", ManifestName)
	}
	pubText := strings.TrimSpace(string(files[PublicKeyName]))
	rep := Report{PublicKey: pubText}
	pub, err := base64.StdEncoding.DecodeString(pubText)
	if err != nil || len(pub) != ed25519.PublicKeySize {
		return rep, fmt.Errorf("%s: not an Ed25519 public key", PublicKeyName)
	}
	rep.KeyID = translog.KeyID(pub)
	if opts.PublicKey != nil {
		if !bytes.Equal(opts.PublicKey, pub) {
			return rep, fmt.Errorf("%s: the trail is signed by key %s, not the trusted key %s", PublicKeyName, rep.KeyID, translog.KeyID(opts.PublicKey))
		}
		rep.Pinned, rep.PinnedBy = true, "public key"
	}
	sig, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(files[SignatureName])))
	if err != nil || !ed25519.Verify(pub, manifest, sig) {
		return rep, fmt.Errorf("%s: the signature does not match %s", SignatureName, ManifestName)
	}
	if err := json.Unmarshal(manifest, &rep.Manifest); err != nil {
		return rep, fmt.Errorf("%s: %w", ManifestName, err)
	}
	m := rep.Manifest
	switch {
	case m.Format != Format && m.Format != "dakflow-trail/1":
		return rep, fmt.Errorf("%s: unknown format %q", ManifestName, m.Format)
	case m.Format == Format && m.KeyID != rep.KeyID:
		return rep, fmt.Errorf("%s: key_id %q is not the id of the key in %s (%s)", ManifestName, m.KeyID, PublicKeyName, rep.KeyID)
	}
	if err := pinByList(&rep, opts); err != nil {
		return rep, err
	}
	if err := checkFiles(files, m); err != nil {
		return rep, err
	}
	events, err := verifyEvents(files[EventsName], m)
	if err != nil {
		return rep, err
	}
	if m.Format != Format {
		if opts.Checkpoint != nil {
			return rep, fmt.Errorf("%s: a format 1 trail carries no inclusion proofs to check against your checkpoint: download it again", ManifestName)
		}
		rep.Notes = append(rep.Notes, "format 1 trail: it carries no inclusion proofs on the global log")
		return rep, nil
	}
	lp, err := verifyLog(files, pub, events, &rep)
	if err != nil {
		return rep, err
	}
	return rep, checkGiven(lp, pub, opts, &rep)
}

// readEntries reads every entry of the ZIP by name. Two entries of one
// name are a mismatch: an unzip tool keeps one of them, which one depends
// on the tool, and the check would have read the other.
func readEntries(zipBytes []byte) (map[string][]byte, error) {
	return readEntriesUpTo(zipBytes, maxTotal)
}

// readEntriesUpTo is readEntries holding at most limit bytes of entries.
func readEntriesUpTo(zipBytes []byte, limit int) (map[string][]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(zipBytes), int64(len(zipBytes)))
	if err != nil {
		return nil, fmt.Errorf("not a ZIP file: %w", err)
	}
	files := map[string][]byte{}
	var total int
	for _, f := range zr.File {
		if _, dup := files[f.Name]; dup {
			return nil, fmt.Errorf("%s: two entries have this name: the ZIP was altered", f.Name)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		b, err := io.ReadAll(io.LimitReader(rc, int64(min(maxEntry, limit-total)+1)))
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		// Many entries each under the limit could still fill memory (a
		// ZIP bomb): the whole trail is bounded too, and no more than the
		// limit is ever read.
		if total+len(b) > limit {
			return nil, fmt.Errorf("%s: the entries together are larger than %d bytes: not a trail", f.Name, limit)
		}
		if len(b) > maxEntry {
			return nil, fmt.Errorf("%s: larger than %d bytes", f.Name, maxEntry)
		}
		total += len(b)
		files[f.Name] = b
	}
	return files, nil
}

// pinByList checks the signer against the auditor's saved key list.
func pinByList(rep *Report, opts Options) error {
	if opts.KeyID != "" && opts.KeyID != rep.KeyID {
		return fmt.Errorf("%s: the trail is signed by key %s, not key %s", PublicKeyName, rep.KeyID, opts.KeyID)
	}
	if opts.Keys == nil {
		return nil
	}
	k, ok := opts.Keys.Find(rep.KeyID)
	if !ok {
		return fmt.Errorf("%s: the trail is signed by key %s, which the key list does not hold", PublicKeyName, rep.KeyID)
	}
	if k.PublicKey != rep.PublicKey {
		return fmt.Errorf("%s: key %s in the key list is another public key", PublicKeyName, rep.KeyID)
	}
	if k.RetiredAt != nil {
		if rep.Manifest.GeneratedAt.After(*k.RetiredAt) {
			return fmt.Errorf("%s: the trail was signed at %s by key %s, retired at %s", ManifestName,
				rep.Manifest.GeneratedAt.Format("2006-01-02 15:04:05Z"), rep.KeyID, k.RetiredAt.Format("2006-01-02 15:04:05Z"))
		}
		rep.Notes = append(rep.Notes, fmt.Sprintf("key %s was retired at %s, after this trail was signed", rep.KeyID, k.RetiredAt.Format("2006-01-02 15:04:05Z")))
	}
	if !rep.Pinned {
		rep.Pinned, rep.PinnedBy = true, "key list"
	}
	return nil
}

// checkFiles checks every listed file's hash and size, and that nothing
// else is in the ZIP.
func checkFiles(files map[string][]byte, m Manifest) error {
	listed := map[string]bool{ManifestName: true, SignatureName: true, PublicKeyName: true}
	for _, fe := range m.Files {
		b, ok := files[fe.Path]
		switch {
		case listed[fe.Path]:
			return fmt.Errorf("%s: listed twice in the manifest", fe.Path)
		case !ok:
			return fmt.Errorf("%s: listed in the manifest but missing", fe.Path)
		case int64(len(b)) != fe.Size || dak.SHA256Hex(b) != fe.SHA256:
			return fmt.Errorf("%s: SHA-256 %s does not match the manifest's %s", fe.Path, short(dak.SHA256Hex(b)), short(fe.SHA256))
		}
		listed[fe.Path] = true
	}
	for name := range files {
		if !listed[name] {
			return fmt.Errorf("%s: not listed in the manifest", name)
		}
	}
	return nil
}

func verifyEvents(raw []byte, m Manifest) ([]Event, error) {
	var events []Event
	if err := json.Unmarshal(raw, &events); err != nil {
		return nil, fmt.Errorf("%s: %w", EventsName, err)
	}
	if len(events) != m.Events {
		return nil, fmt.Errorf("%s: %d events, the manifest says %d", EventsName, len(events), m.Events)
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
			return nil, fmt.Errorf("event %d: sequence number %d out of order", i+1, e.Seq)
		}
		if e.PrevHash != prev {
			return nil, fmt.Errorf("event %d: prev_hash does not link to event %d", e.Seq, e.Seq-1)
		}
		if got := dak.ChainHash(e.PrevHash, e.Record); got != e.Hash {
			return nil, fmt.Errorf("event %d: hash does not match its record (the record was changed)", e.Seq)
		}
		var rec struct {
			Seq            int    `json:"seq"`
			DocumentSHA256 string `json:"document_sha256"`
		}
		if err := json.Unmarshal([]byte(e.Record), &rec); err != nil || rec.Seq != e.Seq {
			return nil, fmt.Errorf("event %d: record is not this event's", e.Seq)
		}
		if rec.DocumentSHA256 != e.DocumentSHA256 {
			return nil, fmt.Errorf("event %d: document hash differs from the hashed record", e.Seq)
		}
		if e.DocumentID != nil {
			if sha, ok := docs[*e.DocumentID]; !ok || sha != e.DocumentSHA256 {
				return nil, fmt.Errorf("event %d: its document does not match the PDF in the trail", e.Seq)
			}
		}
		prev = e.Hash
	}
	if m.LastHash != prev && len(events) > 0 {
		return nil, fmt.Errorf("%s: last event hash does not match the manifest", EventsName)
	}
	return events, nil
}

func short(s string) string {
	if len(s) > 12 {
		return s[:12] + "…"
	}
	return s
}
