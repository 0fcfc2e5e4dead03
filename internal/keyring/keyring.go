// Package keyring keeps the server's Ed25519 signing key outside the
// database (PRODUCT.md §5): the private key in a file of mode 0600 (in the
// data directory, or DAKFLOW_SIGNING_KEY_FILE), created on first start, and
// the list of public keys — the current one and every retired one — in a
// file beside it, <key file>.pub.json, which GET /api/v1/keys serves. Neither
// lives in the database, so whoever runs the database can neither read the
// private key nor slip another public key into the list an auditor pins.
package keyring

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"

	"dakflow/internal/translog"
)

// Key is the current signing key.
type Key struct {
	ID      string // translog.KeyID: 8 hex digits, as in a checkpoint's signature
	Private ed25519.PrivateKey
	Signer  note.Signer
}

// Public is the key's public half.
func (k Key) Public() ed25519.PublicKey { return k.Private.Public().(ed25519.PublicKey) }

// Legacy is a public key that signed while the key pair lived in the
// database (before migration 0006).
type Legacy struct {
	PublicKey string // base64
	CreatedAt time.Time
}

// Keyring is the server's keys, read from their files; it notices a
// rotation by another process (dakflow key rotate) on the next use.
type Keyring struct {
	path string
	now  func() time.Time

	mu    sync.Mutex
	stamp [2]os.FileInfo // the key file and the list as last read
	cur   Key
	list  List
}

// ListPath is where the public key list of the key file path lives.
func ListPath(path string) string { return path + ".pub.json" }

// Open reads the key ring at path, creating the key and its list on first
// start. legacy keys (from the database) are listed as retired when the
// list is created, and only then. It fails when the key file is readable
// by anyone but its owner, is malformed, or is not the list's current key.
func Open(path string, legacy []Legacy, now func() time.Time) (*Keyring, error) {
	if now == nil {
		now = time.Now
	}
	k := &Keyring{path: path, now: now}
	if err := k.create(legacy); err != nil {
		return nil, err
	}
	if err := k.reload(); err != nil {
		return nil, err
	}
	return k, nil
}

// Current is the key that signs now.
func (k *Keyring) Current() (Key, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.changed() {
		if err := k.load(); err != nil {
			return Key{}, err
		}
	}
	return k.cur, nil
}

// List is every public key, current and retired, oldest first.
func (k *Keyring) List() (List, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.changed() {
		if err := k.load(); err != nil {
			return List{}, err
		}
	}
	return k.list, nil
}

// Verifiers knows every listed key, to open checkpoints signed by a key
// since retired.
func (k *Keyring) Verifiers() (note.Verifiers, error) {
	l, err := k.List()
	if err != nil {
		return nil, err
	}
	return l.Verifiers()
}

func (k *Keyring) reload() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.load()
}

// changed reports whether either file differs from what was read.
func (k *Keyring) changed() bool {
	for i, p := range []string{k.path, ListPath(k.path)} {
		fi, err := os.Stat(p)
		old := k.stamp[i]
		if err != nil || old == nil || !os.SameFile(fi, old) || !fi.ModTime().Equal(old.ModTime()) || fi.Size() != old.Size() {
			return true
		}
	}
	return false
}

// load reads both files, finishing a rotation that was interrupted between
// writing the list and renaming the new key into place.
func (k *Keyring) load() error {
	list, err := readList(ListPath(k.path))
	if err != nil {
		return err
	}
	if b, err := os.ReadFile(k.path + ".new"); err == nil {
		if priv, err := translog.ParseSignerKey(string(b)); err == nil && list.current() == translog.KeyID(priv.Public().(ed25519.PublicKey)) {
			if err := os.Rename(k.path+".new", k.path); err != nil {
				return fmt.Errorf("signing key: finish rotation: %w", err)
			}
		}
	}
	fi, err := os.Stat(k.path)
	if err != nil {
		return fmt.Errorf("signing key: %w", err)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("signing key %s has mode %04o: only its owner may read it (chmod 600)", k.path, fi.Mode().Perm())
	}
	b, err := os.ReadFile(k.path)
	if err != nil {
		return fmt.Errorf("signing key: %w", err)
	}
	priv, err := translog.ParseSignerKey(string(b))
	if err != nil {
		return fmt.Errorf("signing key %s: %w", k.path, err)
	}
	id := translog.KeyID(priv.Public().(ed25519.PublicKey))
	if list.current() != id {
		return fmt.Errorf("signing key %s is key %s, but the key list %s names %q as current: restore the key or the list (dakflow key rotate makes a new key and lists it)",
			k.path, id, ListPath(k.path), list.current())
	}
	signer, err := translog.NewSigner(priv)
	if err != nil {
		return fmt.Errorf("signing key: %w", err)
	}
	listInfo, err := os.Stat(ListPath(k.path))
	if err != nil {
		return fmt.Errorf("signing key list: %w", err)
	}
	k.cur, k.list, k.stamp = Key{ID: id, Private: priv, Signer: signer}, list, [2]os.FileInfo{fi, listInfo}
	return nil
}

// create makes the key file and its list if there is no key file yet; two
// processes starting at once agree on one key (each file appears whole,
// by a hard link that fails when the name exists).
func (k *Keyring) create(legacy []Legacy) error {
	if _, err := os.Stat(k.path); err == nil {
		if _, err := os.Stat(ListPath(k.path)); err == nil || !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		// A key without a list: list it (a key file put in place by hand).
		priv, err := readKey(k.path)
		if err != nil {
			return err
		}
		return writeOnce(ListPath(k.path), k.newList(priv, legacy), 0o644)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("signing key: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(k.path), 0o700); err != nil {
		return fmt.Errorf("signing key: %w", err)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	if err := writeOnce(k.path, []byte(translog.SignerKey(priv)+"\n"), 0o600); err != nil {
		return err
	}
	if priv, err = readKey(k.path); err != nil { // another process may have won
		return err
	}
	return writeOnce(ListPath(k.path), k.newList(priv, legacy), 0o644)
}

func (k *Keyring) newList(priv ed25519.PrivateKey, legacy []Legacy) []byte {
	now := k.now().UTC() // exact: a trail signed the same second before retirement still verifies
	var l List
	for _, lk := range legacy {
		pub, err := base64.StdEncoding.DecodeString(lk.PublicKey)
		if err != nil || len(pub) != ed25519.PublicKeySize {
			continue // nothing it signed could be verified anyway
		}
		l.Items = append(l.Items, entry(pub, lk.CreatedAt, &now))
	}
	l.Items = append(l.Items, entry(priv.Public().(ed25519.PublicKey), now, nil))
	return l.encode()
}

func readKey(path string) (ed25519.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	priv, err := translog.ParseSignerKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("signing key %s: %w", path, err)
	}
	return priv, nil
}

// writeOnce creates path with data and mode unless it exists (then it
// leaves it alone and succeeds): data goes to a temporary file first,
// which is hard-linked into place, so no reader ever sees half a file.
func writeOnce(path string, data []byte, mode os.FileMode) error {
	tmp, err := writeTemp(path, data, mode)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, path); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("signing key: %w", err)
	}
	syncDir(filepath.Dir(path))
	return nil
}

func writeTemp(path string, data []byte, mode os.FileMode) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return "", fmt.Errorf("signing key: %w", err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(mode)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("signing key: write %s: %w", path, err)
	}
	return f.Name(), nil
}

// syncDir asks that dir's entries (a name just linked or renamed) survive
// a crash. It is best effort: the file itself was synced before, and some
// file systems cannot open or sync a directory.
func syncDir(dir string) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	defer d.Close()
	_ = d.Sync() // best effort, as above
}
