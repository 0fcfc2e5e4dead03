package keyring

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/mod/sumdb/note"

	"dakflow/internal/translog"
)

// PublicKey is one entry of the key list, as GET /api/v1/keys shows it.
type PublicKey struct {
	KeyID       string     `json:"key_id"`
	Algorithm   string     `json:"algorithm"`
	PublicKey   string     `json:"public_key"`   // base64 of the 32 bytes
	VerifierKey string     `json:"verifier_key"` // dakflow+<key id>+<base64>, for note tools
	CreatedAt   time.Time  `json:"created_at"`
	RetiredAt   *time.Time `json:"retired_at"`
}

// List is the key list file and the body of GET /api/v1/keys; an auditor
// saves it and passes it to `dakflow verify --keys FILE`.
type List struct {
	Items []PublicKey `json:"items"`
}

func entry(pub ed25519.PublicKey, created time.Time, retired *time.Time) PublicKey {
	return PublicKey{KeyID: translog.KeyID(pub), Algorithm: "Ed25519", PublicKey: base64.StdEncoding.EncodeToString(pub),
		VerifierKey: translog.VerifierKey(pub), CreatedAt: created.UTC(), RetiredAt: retired}
}

func (l List) encode() []byte {
	b, err := json.MarshalIndent(l, "", "  ")
	if err != nil {
		panic(err) // plain values only
	}
	return append(b, '\n')
}

// ParseList reads a key list (the key ring's file, or GET /api/v1/keys as
// an auditor saved it), checking that every entry's key id and verifier
// key belong to its public key.
func ParseList(b []byte) (List, error) {
	var l List
	if err := json.Unmarshal(b, &l); err != nil {
		return List{}, fmt.Errorf("key list: not the JSON of GET /api/v1/keys: %v", err)
	}
	if len(l.Items) == 0 {
		return List{}, errors.New("key list: no keys")
	}
	seen := map[string]bool{}
	for i, k := range l.Items {
		pub, err := translog.ParsePublicKey(k.PublicKey)
		if err != nil {
			return List{}, fmt.Errorf("key list: item %d: %v", i+1, err)
		}
		if k.Algorithm != "Ed25519" {
			return List{}, fmt.Errorf("key list: item %d: algorithm %q, want Ed25519", i+1, k.Algorithm)
		}
		if id := translog.KeyID(pub); k.KeyID != id {
			return List{}, fmt.Errorf("key list: item %d: key id %q does not belong to its public key (%s)", i+1, k.KeyID, id)
		}
		if k.VerifierKey != "" && k.VerifierKey != translog.VerifierKey(pub) {
			return List{}, fmt.Errorf("key list: item %d: verifier key does not belong to its public key", i+1)
		}
		if seen[k.KeyID] {
			return List{}, fmt.Errorf("key list: key %s listed twice", k.KeyID)
		}
		seen[k.KeyID] = true
	}
	return l, nil
}

func readList(path string) (List, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return List{}, fmt.Errorf("signing key list: %w", err)
	}
	l, err := ParseList(b)
	if err != nil {
		return List{}, fmt.Errorf("%s: %w", path, err)
	}
	return l, nil
}

// Find returns the entry of a key id.
func (l List) Find(keyID string) (PublicKey, bool) {
	for _, k := range l.Items {
		if k.KeyID == keyID {
			return k, true
		}
	}
	return PublicKey{}, false
}

// current is the id of the one key not retired ("" when none or several).
func (l List) current() string {
	id := ""
	for _, k := range l.Items {
		if k.RetiredAt == nil {
			if id != "" {
				return ""
			}
			id = k.KeyID
		}
	}
	return id
}

// Verifiers knows every key of the list.
func (l List) Verifiers() (note.Verifiers, error) {
	var vs []note.Verifier
	for _, k := range l.Items {
		v, err := note.NewVerifier(translog.VerifierKey(mustKey(k.PublicKey)))
		if err != nil {
			return nil, fmt.Errorf("key %s: %w", k.KeyID, err)
		}
		vs = append(vs, v)
	}
	return note.VerifierList(vs...), nil
}

// mustKey decodes a public key ParseList has already checked.
func mustKey(s string) ed25519.PublicKey {
	pub, _ := translog.ParsePublicKey(s)
	return pub
}

// Rotate replaces the key at path with a new one: the list marks the old
// key retired (retired_at now) and adds the new one as current, then the
// new key file takes the old one's name. The old private key is gone
// afterwards — a retired key signs nothing more — while its public key
// stays listed, so what it signed still verifies. A running server picks
// up the new key on its next signature.
func Rotate(path string, now time.Time) (old, cur PublicKey, err error) {
	if _, err := os.Stat(path); err != nil {
		return old, cur, fmt.Errorf("key rotate: no key to rotate (%w)", err)
	}
	k, err := Open(path, nil, func() time.Time { return now })
	if err != nil {
		return old, cur, err
	}
	key, err := k.Current()
	if err != nil {
		return old, cur, err
	}
	// The list the new one is added to: without it the retired keys would
	// drop out, and what they signed would no longer verify.
	list, err := k.List()
	if err != nil {
		return old, cur, err
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return old, cur, err
	}
	newPath := path + ".new"
	f, err := os.OpenFile(newPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return old, cur, fmt.Errorf("key rotate: %s exists: another rotation is under way or was interrupted (start the server once, or remove it)", newPath)
	}
	if err != nil {
		return old, cur, fmt.Errorf("key rotate: %w", err)
	}
	_, err = f.WriteString(translog.SignerKey(priv) + "\n")
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(newPath)
		return old, cur, fmt.Errorf("key rotate: %w", err)
	}
	at := now.UTC() // exact, as trails' generated_at
	for i := range list.Items {
		if list.Items[i].KeyID == key.ID {
			list.Items[i].RetiredAt = &at
			old = list.Items[i]
		}
	}
	cur = entry(priv.Public().(ed25519.PublicKey), at, nil)
	list.Items = append(list.Items[:len(list.Items):len(list.Items)], cur)
	tmp, err := writeTemp(ListPath(path), list.encode(), 0o644)
	if err != nil {
		os.Remove(newPath)
		return old, cur, err
	}
	// From here the list names the new key; should the rename below not
	// happen, the next Open finishes it.
	if err := os.Rename(tmp, ListPath(path)); err != nil {
		os.Remove(tmp)
		os.Remove(newPath)
		return old, cur, fmt.Errorf("key rotate: %w", err)
	}
	if err := os.Rename(newPath, path); err != nil {
		return old, cur, fmt.Errorf("key rotate: %w (the next start finishes the rotation)", err)
	}
	syncDir(filepath.Dir(path))
	return old, cur, nil
}
