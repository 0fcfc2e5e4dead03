package trail

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"dakflow/internal/translog"
)

// The log side of a trail's verification: the bundled checkpoint and each
// event's inclusion proof under it, and the consistency of that checkpoint
// with one the auditor kept.

// NeedProofError: the trail and the auditor's checkpoint may well be one
// history, but proving it needs a consistency proof the ZIP does not hold.
type NeedProofError struct{ Old, New, Given int64 }

func (e *NeedProofError) Error() string {
	msg := fmt.Sprintf("cannot check the log against your checkpoint (size %d) offline: the ZIP holds no consistency proof from size %d to %d; "+
		"fetch GET /api/v1/checkpoints/proof?old=%d&new=%d from the server, save it and pass --consistency-proof FILE",
		e.Given, e.Old, e.New, e.Old, e.New)
	if e.Old == e.Given {
		msg += fmt.Sprintf(" (or download the trail again with ?consistency_from=%d)", e.Given)
	}
	return msg
}

// verifyLog checks the bundled checkpoint, signed by the trail's own key,
// and every event's inclusion proof under it.
func verifyLog(files map[string][]byte, pub ed25519.PublicKey, events []Event, rep *Report) (LogProof, error) {
	var lp LogProof
	v, err := translog.NewVerifier(pub)
	if err != nil {
		return lp, err
	}
	c, err := translog.Open(files[CheckpointName], note.VerifierList(v))
	if err != nil {
		return lp, fmt.Errorf("%s: %w", CheckpointName, err)
	}
	rep.Bundled = &c
	dec := json.NewDecoder(bytes.NewReader(files[LogProofName]))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&lp); err != nil {
		return lp, fmt.Errorf("%s: malformed: %v", LogProofName, err)
	}
	if lp.TreeSize != c.Size || lp.RootHash != c.Root {
		return lp, fmt.Errorf("%s: its tree (size %d) is not the checkpoint's (size %d)", LogProofName, lp.TreeSize, c.Size)
	}
	if len(lp.Events) != len(events) {
		return lp, fmt.Errorf("%s: %d inclusion proofs for %d events", LogProofName, len(lp.Events), len(events))
	}
	leaves := map[int64]int{}
	for i, p := range lp.Events {
		e := events[i]
		if p.Seq != e.Seq {
			return lp, fmt.Errorf("%s: proof %d is for event %d, not event %d", LogProofName, i+1, p.Seq, e.Seq)
		}
		if other, ok := leaves[p.Index]; ok {
			return lp, fmt.Errorf("%s: events %d and %d claim the same leaf %d", LogProofName, other, e.Seq, p.Index)
		}
		leaves[p.Index] = e.Seq
		if err := p.Check(c.Tree(), e.Hash); err != nil {
			return lp, fmt.Errorf("event %d: not on the global log under %s: %v", e.Seq, CheckpointName, err)
		}
	}
	return lp, nil
}

// checkGiven checks the auditor's own checkpoint against the trail's.
func checkGiven(lp LogProof, pub ed25519.PublicKey, opts Options, rep *Report) error {
	if opts.Checkpoint == nil {
		return nil
	}
	var (
		vs     []note.Verifier
		signer string
	)
	switch {
	case opts.PublicKey != nil:
		v, err := translog.NewVerifier(opts.PublicKey)
		if err != nil {
			return err
		}
		vs, signer = append(vs, v), "the trusted key"
	case opts.Keys != nil:
		known, err := opts.Keys.Verifiers()
		if err != nil {
			return err
		}
		return checkGivenWith(lp, known, "a key of the key list", opts, rep)
	default:
		v, err := translog.NewVerifier(pub)
		if err != nil {
			return err
		}
		vs, signer = append(vs, v), "the trail's key (pass --keys to know retired keys)"
	}
	return checkGivenWith(lp, note.VerifierList(vs...), signer, opts, rep)
}

func checkGivenWith(lp LogProof, known note.Verifiers, signer string, opts Options, rep *Report) error {
	g, err := translog.Open(opts.Checkpoint, known)
	var unknown *translog.UnknownKeyError
	if errors.As(err, &unknown) {
		return fmt.Errorf("your checkpoint is signed by %s, not by %s", strings.Join(unknown.KeyIDs, ", "), signer)
	}
	if err != nil {
		return fmt.Errorf("your checkpoint: %w", err)
	}
	b := *rep.Bundled
	older, newer := g, b
	if g.Size > b.Size {
		older, newer = b, g
	}
	proof, found := lp.consistency(older.Size, newer.Size)
	if p := opts.ConsistencyProof; !found && p != nil && p.OldSize == older.Size && p.NewSize == newer.Size {
		proof, found = p.Proof, true
	}
	if !found && older.Size != newer.Size {
		return &NeedProofError{Old: older.Size, New: newer.Size, Given: g.Size}
	}
	if err := translog.CheckConsistency(older.Tree(), newer.Tree(), proof); err != nil {
		return fmt.Errorf("your checkpoint (size %d) and %s (size %d): %w", g.Size, CheckpointName, b.Size, err)
	}
	rep.Given = &g
	if !rep.Pinned {
		rep.Pinned, rep.PinnedBy = true, "checkpoint"
	}
	return nil
}

// consistency finds a bundled proof between two sizes.
func (lp LogProof) consistency(oldSize, newSize int64) ([]tlog.Hash, bool) {
	for _, p := range lp.Consistency {
		if p.OldSize == oldSize && p.NewSize == newSize {
			return p.Proof, true
		}
	}
	return nil, false
}
