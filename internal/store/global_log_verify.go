package store

import (
	"bytes"
	"context"
	"fmt"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"dakflow/internal/dak"
	"dakflow/internal/translog"
)

// LogCheck says what VerifyLogWith checks beyond the database itself.
type LogCheck struct {
	// Keys, when set, must verify the signature of every stored checkpoint
	// (the current and the retired public keys).
	Keys note.Verifiers
	// Witnessed are checkpoints kept outside the database, e.g. read from
	// --checkpoint-dir: each must be a tree of the recomputed log.
	Witnessed []translog.Checkpoint
}

// LogReport is what VerifyLogWith checked.
type LogReport struct {
	Leaves      int64 // leaves of the tree, recomputed from the events
	Linked      int64 // events on the global chain (more than Leaves only before the linker caught up)
	Checkpoints int   // stored checkpoints, each matched against the tree
	Witnessed   int   // outside checkpoints matched
}

// VerifyLog checks the global log end to end (for `dakflow audit verify`):
// it recomputes the Merkle tree from the events' hashes and checks every
// stored hash, the global chain's links, every stored checkpoint's root
// (and its note's text) and the consistency of each checkpoint with the
// one before. The error names the first mismatch and wraps ErrIntegrity;
// other errors mean the database could not be read.
func (s *Store) VerifyLog(ctx context.Context) error {
	_, err := s.VerifyLogWith(ctx, LogCheck{})
	return err
}

// logBatch bounds the rows VerifyLogWith reads at once.
const logBatch = 5000

// VerifyLogWith is VerifyLog with signatures and outside checkpoints
// checked too, in one read snapshot.
func (s *Store) VerifyLogWith(ctx context.Context, check LogCheck) (LogReport, error) {
	var rep LogReport
	err := s.ReadTx(ctx, func(tx *Tx) error {
		size, err := treeSize(tx.db)
		if err != nil {
			return err
		}
		tree, err := tx.recomputeTree(size, &rep)
		if err != nil {
			return err
		}
		if err := tx.compareStoredHashes(tree, size); err != nil {
			return err
		}
		rep.Leaves = size
		return tx.checkCheckpoints(tree, size, check, &rep)
	})
	if err != nil {
		return rep, fmt.Errorf("verify global log: %w", err)
	}
	return rep, nil
}

// memTree is a tree's stored hashes held in memory, by stored-hash index.
type memTree []tlog.Hash

func (m memTree) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, idx := range indexes {
		if idx < 0 || idx >= int64(len(m)) {
			return nil, fmt.Errorf("hash %d is outside the recomputed tree", idx)
		}
		out[i] = m[idx]
	}
	return out, nil
}

// recomputeTree walks the global chain in order, checks its links and
// computes the stored hashes of its first size leaves from the events.
func (tx *Tx) recomputeTree(size int64, rep *LogReport) (memTree, error) {
	tree := make(memTree, 0, tlog.StoredHashCount(size))
	prev, seq := dak.GenesisHash, int64(0)
	for {
		var rows []struct {
			Seq        int64
			EventID    int64
			PrevHash   string
			Hash       string
			Event      *string
			ProposalID *int64
			EventSeq   *int
		}
		if err := tx.db.Raw(`SELECT g.seq, g.event_id, g.prev_hash, g.hash, e.hash AS event, e.proposal_id, e.seq AS event_seq
			FROM global_chain g LEFT JOIN events e ON e.id = g.event_id WHERE g.seq > ? ORDER BY g.seq LIMIT ?`, seq, logBatch).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("read global chain: %w", err)
		}
		for _, r := range rows {
			seq++
			switch {
			case r.Seq != seq:
				return nil, dak.Errorf(dak.ErrIntegrity, "global log: leaf %d (global chain seq %d) is missing: a row was deleted", seq-1, seq)
			case r.Event == nil:
				return nil, dak.Errorf(dak.ErrIntegrity, "global log: leaf %d: its event %d is missing", seq-1, r.EventID)
			case r.PrevHash != prev:
				return nil, dak.Errorf(dak.ErrIntegrity, "global chain seq %d: prev_hash does not link to seq %d", seq, seq-1)
			case r.Hash != dak.ChainHash(r.PrevHash, *r.Event):
				return nil, dak.Errorf(dak.ErrIntegrity, "global chain seq %d: its hash does not cover event %d of proposal %d as it is now: the event was rewritten", seq, *r.EventSeq, *r.ProposalID)
			}
			prev = r.Hash
			if seq-1 < size {
				hashes, err := tlog.StoredHashesForRecordHash(seq-1, translog.LeafHash(*r.Event), tree)
				if err != nil {
					return nil, fmt.Errorf("recompute leaf %d: %w", seq-1, err)
				}
				tree = append(tree, hashes...)
			}
		}
		if len(rows) < logBatch {
			break
		}
	}
	rep.Linked = seq
	if seq < size {
		return nil, dak.Errorf(dak.ErrIntegrity, "global log: the tree holds %d leaves, the global chain only %d: rows were deleted", size, seq)
	}
	return tree, nil
}

// compareStoredHashes checks log_hashes against the recomputed tree.
func (tx *Tx) compareStoredHashes(tree memTree, size int64) error {
	next := int64(0)
	for {
		var rows []logHashRow
		if err := tx.db.Raw(`SELECT idx, hash FROM log_hashes WHERE idx >= ? ORDER BY idx LIMIT ?`, next, logBatch).Scan(&rows).Error; err != nil {
			return fmt.Errorf("read log hashes: %w", err)
		}
		for _, r := range rows {
			if r.Idx != next {
				return dak.Errorf(dak.ErrIntegrity, "global log: stored hash %d is missing: a row was deleted", next)
			}
			if next >= int64(len(tree)) || !bytes.Equal(r.Hash, tree[next][:]) {
				level, n := tlog.SplitStoredHashIndex(next)
				if level == 0 {
					return tx.leafMismatch(n)
				}
				return dak.Errorf(dak.ErrIntegrity, "global log: stored hash %d (level %d, node %d) does not match the leaves below it: the tree was rewritten", next, level, n)
			}
			next++
		}
		if len(rows) < logBatch {
			break
		}
	}
	if next != int64(len(tree)) {
		return dak.Errorf(dak.ErrIntegrity, "global log: %d stored hashes, a tree of %d leaves has %d", next, size, len(tree))
	}
	return nil
}

func (tx *Tx) leafMismatch(leaf int64) error {
	var ev struct {
		ProposalID int64
		Seq        int
	}
	_ = tx.db.Raw(`SELECT e.proposal_id, e.seq FROM global_chain g JOIN events e ON e.id = g.event_id WHERE g.seq = ?`, leaf+1).Scan(&ev).Error
	return dak.Errorf(dak.ErrIntegrity, "global log: leaf %d (event %d of proposal %d) is not the leaf the tree holds: the event or the tree was rewritten", leaf, ev.Seq, ev.ProposalID)
}

// checkCheckpoints matches every stored and every witnessed checkpoint
// against the recomputed tree, and each stored one with the one before.
func (tx *Tx) checkCheckpoints(tree memTree, size int64, check LogCheck, rep *LogReport) error {
	var rows []checkpointRow
	if err := tx.db.Order("tree_size, created_at, key_id").Find(&rows).Error; err != nil {
		return fmt.Errorf("read checkpoints: %w", err)
	}
	match := func(what string, c translog.Checkpoint) error {
		if c.Size > size {
			return dak.Errorf(dak.ErrIntegrity, "%s of size %d: the log has only %d leaves: it was truncated or rolled back", what, c.Size, size)
		}
		root, err := tlog.TreeHash(c.Size, tree)
		if err != nil {
			return fmt.Errorf("%s of size %d: %w", what, c.Size, err)
		}
		if root != c.Root {
			return dak.Errorf(dak.ErrIntegrity, "%s of size %d: its root hash is not the root of the log's first %d leaves: the log was rewritten", what, c.Size, c.Size)
		}
		return nil
	}
	var prev translog.Checkpoint
	for _, r := range rows {
		c, err := r.checkpoint()
		if err != nil {
			return err
		}
		what := fmt.Sprintf("checkpoint (key %s)", c.KeyID)
		var signed translog.Checkpoint
		if check.Keys != nil {
			signed, err = translog.Open(c.Note, check.Keys)
		} else {
			signed, err = translog.Peek(c.Note)
		}
		if err != nil {
			return dak.Errorf(dak.ErrIntegrity, "%s of size %d: %v", what, c.Size, err)
		}
		if signed.Size != c.Size || signed.Root != c.Root || signed.KeyID != c.KeyID {
			return dak.Errorf(dak.ErrIntegrity, "%s of size %d: its columns differ from its signed note", what, c.Size)
		}
		if err := match(what, c); err != nil {
			return err
		}
		if prev.Size > 0 && prev.Size < c.Size {
			proof, err := tlog.ProveTree(c.Size, prev.Size, tree)
			if err != nil {
				return fmt.Errorf("prove %d → %d: %w", prev.Size, c.Size, err)
			}
			if err := translog.CheckConsistency(prev.Tree(), c.Tree(), proof); err != nil {
				return dak.Errorf(dak.ErrIntegrity, "%s of size %d: %v", what, c.Size, err)
			}
		}
		prev = c
		rep.Checkpoints++
	}
	for _, c := range check.Witnessed {
		if err := match(fmt.Sprintf("outside checkpoint (key %s)", c.KeyID), c); err != nil {
			return err
		}
		rep.Witnessed++
	}
	return nil
}
