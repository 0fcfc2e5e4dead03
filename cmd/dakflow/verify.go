package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"dakflow/internal/dak"
	"dakflow/internal/keyring"
	"dakflow/internal/trail"
	"dakflow/internal/translog"
)

// errUnpinned: the trail checks out, but nothing the auditor trusts tied
// its signer to the server; main exits 3.
var errUnpinned = errors.New("signature sound, key not checked")

// cmdVerify checks a trail ZIP offline and names the first mismatch. It
// succeeds only when the signer is pinned: by --public-key, by --keys (GET
// /api/v1/keys saved by the auditor) with --key-id, or by --checkpoint (a
// checkpoint the auditor kept, signed by the same key). Exit codes: 0
// valid and pinned, 3 valid but unpinned, 1 a mismatch, 2 a bad command
// or an unreadable key, key list, checkpoint or proof file.
func cmdVerify(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	key := fs.String("public-key", os.Getenv("DAKFLOW_TRAIL_KEY"), "pin the signer: its public key, base64 or dakflow+<key id>+<base64> (GET /api/v1/keys)")
	keysFile := fs.String("keys", "", "pin the signer to a key list: GET /api/v1/keys saved as FILE")
	keyID := fs.String("key-id", "", "with --keys: the id of the key that must have signed")
	cpFile := fs.String("checkpoint", "", "a signed checkpoint kept independently (GET /api/v1/checkpoints/latest, the checkpoint directory or webhook)")
	proofFile := fs.String("consistency-proof", "", "GET /api/v1/checkpoints/proof?old=N&new=M saved as FILE, when the ZIP lacks it")
	if len(args) == 0 {
		return fmt.Errorf("verify: want `verify FILE.zip [--public-key KEY | --keys FILE --key-id ID] [--checkpoint FILE]`: %w", errUsage)
	}
	file, rest := args[0], args[1:]
	if err := fs.Parse(rest); err != nil {
		return err
	}
	opts, err := verifyOptions(*key, *keysFile, *keyID, *cpFile, *proofFile)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return &dak.Error{Kind: dak.ErrInvalid, Detail: err.Error()}
	}
	rep, err := trail.VerifyWith(data, opts)
	if err != nil {
		return fmt.Errorf("%s: NOT VALID (TIDAK SAH): %w", file, err)
	}
	m := rep.Manifest
	fmt.Fprintf(stdout, "%s: valid — proposal %s (%s), %d events, %d files, signed by key %s (%s)\n",
		file, m.Proposal.Number, m.Proposal.State, m.Events, len(m.Files), rep.KeyID, rep.PublicKey)
	if c := rep.Bundled; c != nil {
		fmt.Fprintf(stdout, "every event is on the global log under the signed checkpoint of %d events (root %s, %s)\n", c.Size, c.Root, c.Time.Format("2006-01-02 15:04Z"))
	}
	if c := rep.Given; c != nil {
		fmt.Fprintf(stdout, "the log is consistent with your checkpoint of %d events (%s)\n", c.Size, c.Time.Format("2006-01-02 15:04Z"))
	}
	for _, n := range rep.Notes {
		fmt.Fprintf(stdout, "note: %s\n", n)
	}
	if !rep.Pinned {
		fmt.Fprintln(stdout, "TANDA TANGAN SAH, TETAPI KUNCINYA TIDAK DIPERIKSA: siapa pun dapat menandatangani ulang ZIP ini dengan kunci lain.")
		fmt.Fprintln(stdout, "THE SIGNATURE IS SOUND, BUT ITS KEY WAS NOT CHECKED: anyone could have re-signed this ZIP with another key.")
		fmt.Fprintf(stdout, "Pin it: --public-key KEY, or --keys FILE --key-id %s (FILE: GET /api/v1/keys from a source you trust), or --checkpoint FILE (one you kept).\n", rep.KeyID)
		return fmt.Errorf("%s: %w (exit 3)", file, errUnpinned)
	}
	fmt.Fprintf(stdout, "signer pinned by the %s\n", rep.PinnedBy)
	return nil
}

// verifyOptions reads what the auditor brings; anything unreadable or
// malformed is invalid input (exit 2), named.
func verifyOptions(key, keysFile, keyID, cpFile, proofFile string) (trail.Options, error) {
	var opts trail.Options
	bad := func(format string, args ...any) error {
		return &dak.Error{Kind: dak.ErrInvalid, Detail: fmt.Sprintf(format, args...)}
	}
	if key != "" {
		pub, err := translog.ParsePublicKey(key)
		if err != nil {
			return opts, bad("--public-key: %v", err)
		}
		opts.PublicKey = pub
	}
	if keyID != "" && keysFile == "" {
		return opts, bad("--key-id needs --keys FILE (GET /api/v1/keys saved by you)")
	}
	if keysFile != "" {
		b, err := os.ReadFile(keysFile)
		if err != nil {
			return opts, bad("--keys: %v", err)
		}
		l, err := keyring.ParseList(b)
		if err != nil {
			return opts, bad("--keys %s: %v", keysFile, err)
		}
		if _, ok := l.Find(keyID); keyID != "" && !ok {
			return opts, bad("--key-id %s: not in %s", keyID, keysFile)
		}
		opts.Keys, opts.KeyID = &l, keyID
	}
	if cpFile != "" {
		b, err := os.ReadFile(cpFile)
		if err != nil {
			return opts, bad("--checkpoint: %v", err)
		}
		if _, err := translog.Peek(b); err != nil {
			return opts, bad("--checkpoint %s: %v", cpFile, err)
		}
		opts.Checkpoint = b
	}
	if proofFile != "" {
		if cpFile == "" {
			return opts, bad("--consistency-proof needs --checkpoint FILE")
		}
		b, err := os.ReadFile(proofFile)
		if err != nil {
			return opts, bad("--consistency-proof: %v", err)
		}
		p, err := translog.ParseConsistencyProof(b)
		if err != nil {
			return opts, bad("--consistency-proof %s: %v", proofFile, err)
		}
		opts.ConsistencyProof = &p
	}
	return opts, nil
}
