// Package translog defines dakflow's transparency log in the manner of
// Certificate Transparency and Go's checksum database (PRODUCT.md §5): the
// global log of events is a Merkle tree with RFC 6962 hashing
// (golang.org/x/mod/sumdb/tlog), and the server signs checkpoints of it —
// tree size, root hash and time — as signed notes
// (golang.org/x/mod/sumdb/note) with its Ed25519 key. It holds what the
// server and an offline verifier must agree on: what a leaf is, the
// checkpoint's text, key ids, and the proofs' JSON. It also writes
// checkpoints where the database operator cannot rewrite them (dir.go,
// webhook.go).
package translog

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// KeyName is the name every dakflow key carries in signed notes: a note's
// signature line reads "— dakflow <base64>".
const KeyName = "dakflow"

// LeafHash is the RFC 6962 leaf hash of the event whose chain hash is
// eventHash: the leaf's data is the 64 lowercase hex characters of that
// hash, which covers the event's record and its link to the previous event
// of its proposal.
func LeafHash(eventHash string) tlog.Hash {
	return tlog.RecordHash([]byte(eventHash))
}

// KeyID names an Ed25519 public key: the 8 hex digits of its key hash in
// signed notes (the first four bytes of SHA-256 of KeyName, a newline, the
// algorithm byte 0x01 and the key), so a checkpoint's signature line and
// the key list agree on it.
func KeyID(pub ed25519.PublicKey) string {
	h := sha256.New()
	h.Write([]byte(KeyName + "\n"))
	h.Write([]byte{1})
	h.Write(pub)
	return hex.EncodeToString(h.Sum(nil)[:4])
}

// VerifierKey is the note verifier key of pub, "dakflow+<key id>+<base64>",
// the form golang.org/x/mod/sumdb/note and its tools read.
func VerifierKey(pub ed25519.PublicKey) string {
	return KeyName + "+" + KeyID(pub) + "+" + base64.StdEncoding.EncodeToString(append([]byte{1}, pub...))
}

// NewVerifier returns the note verifier of an Ed25519 public key.
func NewVerifier(pub ed25519.PublicKey) (note.Verifier, error) {
	if len(pub) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("public key: %d bytes, want %d", len(pub), ed25519.PublicKeySize)
	}
	return note.NewVerifier(VerifierKey(pub))
}

// NewSigner returns the note signer of an Ed25519 private key.
func NewSigner(priv ed25519.PrivateKey) (note.Signer, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("private key: %d bytes, want %d", len(priv), ed25519.PrivateKeySize)
	}
	return note.NewSigner(SignerKey(priv))
}

// SignerKey is the note signer key of priv, "PRIVATE+KEY+dakflow+<key id>+<base64>":
// the one line a key file holds. Whoever reads it can sign as the server.
func SignerKey(priv ed25519.PrivateKey) string {
	pub := priv.Public().(ed25519.PublicKey)
	return "PRIVATE+KEY+" + KeyName + "+" + KeyID(pub) + "+" + base64.StdEncoding.EncodeToString(append([]byte{1}, priv.Seed()...))
}

// ParseSignerKey reads the line of a key file back into the private key.
func ParseSignerKey(line string) (ed25519.PrivateKey, error) {
	line = strings.TrimSpace(line)
	parts := strings.SplitN(line, "+", 5) // the base64 may hold "+"
	if len(parts) != 5 || parts[0] != "PRIVATE" || parts[1] != "KEY" {
		return nil, errors.New("not a signer key (want PRIVATE+KEY+dakflow+<key id>+<base64>)")
	}
	if parts[2] != KeyName {
		return nil, fmt.Errorf("signer key is named %q, want %q", parts[2], KeyName)
	}
	raw, err := base64.StdEncoding.DecodeString(parts[4])
	if err != nil || len(raw) != 1+ed25519.SeedSize || raw[0] != 1 {
		return nil, errors.New("signer key: not an Ed25519 seed")
	}
	priv := ed25519.NewKeyFromSeed(raw[1:])
	if id := KeyID(priv.Public().(ed25519.PublicKey)); id != parts[3] {
		return nil, fmt.Errorf("signer key: key id %s does not match the key (%s)", parts[3], id)
	}
	return priv, nil
}

// ParsePublicKey reads a public key as an auditor may give it: the base64
// of the 32 bytes (GET /api/v1/keys, public-key.txt in a trail) or a note
// verifier key "dakflow+<key id>+<base64>".
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, KeyName+"+") && len(s) != 44 { // 44: the base64 of 32 bytes, which may hold "+" too
		parts := strings.SplitN(s, "+", 3)
		if len(parts) != 3 {
			return nil, errors.New("public key: want base64 or dakflow+<key id>+<base64>")
		}
		raw, err := base64.StdEncoding.DecodeString(parts[2])
		if err != nil || len(raw) != 1+ed25519.PublicKeySize || raw[0] != 1 {
			return nil, errors.New("public key: the verifier key does not hold an Ed25519 key")
		}
		pub := ed25519.PublicKey(raw[1:])
		if parts[0] != KeyName || parts[1] != KeyID(pub) {
			return nil, fmt.Errorf("public key: verifier key %s+%s does not name this key (dakflow+%s)", parts[0], parts[1], KeyID(pub))
		}
		return pub, nil
	}
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, fmt.Errorf("public key: not base64: %v", err)
	}
	if len(raw) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("public key: %d bytes, want %d (Ed25519)", len(raw), ed25519.PublicKeySize)
	}
	return ed25519.PublicKey(raw), nil
}
