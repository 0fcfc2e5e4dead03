package translog

import (
	"encoding/json"
	"errors"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// InclusionProof shows that one event is a leaf of a tree: its leaf index
// (0-based, the event's place on the global log) and the RFC 6962 audit
// path, hashes in base64.
type InclusionProof struct {
	Seq   int         `json:"seq"` // the event's number in its proposal's chain
	Index int64       `json:"leaf_index"`
	Proof []tlog.Hash `json:"proof"`
}

// Check verifies that the event with chain hash eventHash is leaf p.Index
// of tree.
func (p InclusionProof) Check(tree tlog.Tree, eventHash string) error {
	if p.Index < 0 || p.Index >= tree.N {
		return fmt.Errorf("leaf index %d is outside the tree of size %d", p.Index, tree.N)
	}
	if err := tlog.CheckRecord(tlog.RecordProof(p.Proof), tree.N, tree.Hash, p.Index, LeafHash(eventHash)); err != nil {
		return fmt.Errorf("the inclusion proof of leaf %d does not lead to the root of the tree of size %d", p.Index, tree.N)
	}
	return nil
}

// ConsistencyProof shows that the tree of OldSize leaves is a prefix of the
// tree of NewSize leaves: nothing in the older tree was changed or removed.
// It is what GET /api/v1/checkpoints/proof?old=N&new=M returns; the roots
// are the server's, for reading — Check takes them from checkpoints.
type ConsistencyProof struct {
	OldSize int64       `json:"old_size"`
	OldRoot tlog.Hash   `json:"old_root"`
	NewSize int64       `json:"new_size"`
	NewRoot tlog.Hash   `json:"new_root"`
	Proof   []tlog.Hash `json:"proof"`
}

// ErrFork: two signed trees cannot both be the same log's history.
var ErrFork = errors.New("the log's history was rewritten: the two checkpoints are not one history")

// Check verifies the proof between two trees from signed checkpoints; a
// failed proof is ErrFork.
func (p ConsistencyProof) Check(older, newer tlog.Tree) error {
	if p.OldSize != older.N || p.NewSize != newer.N {
		return fmt.Errorf("the consistency proof is from size %d to %d, not from %d to %d", p.OldSize, p.NewSize, older.N, newer.N)
	}
	return CheckConsistency(older, newer, p.Proof)
}

// CheckConsistency verifies that older is a prefix of newer by proof.
func CheckConsistency(older, newer tlog.Tree, proof []tlog.Hash) error {
	switch {
	case older.N > newer.N:
		return fmt.Errorf("a tree of size %d cannot extend one of size %d", newer.N, older.N)
	case older.N == newer.N:
		if older.Hash != newer.Hash {
			return fmt.Errorf("%w (both of size %d, different root hashes)", ErrFork, older.N)
		}
		return nil
	case older.N == 0:
		return nil
	}
	if err := tlog.CheckTree(tlog.TreeProof(proof), newer.N, newer.Hash, older.N, older.Hash); err != nil {
		return fmt.Errorf("%w (the tree of size %d does not extend the tree of size %d)", ErrFork, newer.N, older.N)
	}
	return nil
}

// ParseConsistencyProof reads the JSON of GET /api/v1/checkpoints/proof.
func ParseConsistencyProof(b []byte) (ConsistencyProof, error) {
	var p ConsistencyProof
	if err := json.Unmarshal(b, &p); err != nil {
		return p, fmt.Errorf("consistency proof: not the JSON of GET /api/v1/checkpoints/proof: %v", err)
	}
	if p.OldSize < 1 || p.NewSize < p.OldSize {
		return p, fmt.Errorf("consistency proof: sizes %d to %d: want 1 ≤ old ≤ new", p.OldSize, p.NewSize)
	}
	if len(p.Proof) > 128 {
		return p, fmt.Errorf("consistency proof: %d hashes, more than any tree needs", len(p.Proof))
	}
	return p, nil
}
