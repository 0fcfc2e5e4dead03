package store

import (
	"context"
	"fmt"
	"math/bits"
	"sort"

	"golang.org/x/mod/sumdb/tlog"
	"gorm.io/gorm"

	"dakflow/internal/dak"
	"dakflow/internal/translog"
)

// The global log is a Merkle tree (PRODUCT.md §5, migration 0006): leaf i
// is the event on global_chain at seq i+1, hashed as translog.LeafHash of
// its chain hash; log_hashes keeps the hashes tlog.StoredHashes returns for
// each leaf, from which every root and proof is read.

type logHashRow struct {
	Idx  int64
	Hash []byte
}

func (logHashRow) TableName() string { return "log_hashes" }

// hashReader reads stored hashes through db (a transaction or the pool):
// the table is append-only, so what a committed size needs never changes.
type hashReader struct {
	db *gorm.DB
	// pending are hashes the linker's transaction holds: written and not
	// yet inserted, or read ahead (treeWriter.readAhead).
	pending map[int64]tlog.Hash
}

func (r hashReader) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	var need []int64
	for i, idx := range indexes {
		if h, ok := r.pending[idx]; ok {
			out[i] = h
		} else {
			need = append(need, idx)
		}
	}
	if len(need) == 0 {
		return out, nil
	}
	var rows []logHashRow
	if err := r.db.Raw(`SELECT idx, hash FROM log_hashes WHERE idx IN ?`, need).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("read log hashes: %w", err)
	}
	got := make(map[int64]tlog.Hash, len(rows))
	for _, row := range rows {
		if len(row.Hash) != tlog.HashSize {
			return nil, dak.Errorf(dak.ErrIntegrity, "global log: stored hash %d is %d bytes", row.Idx, len(row.Hash))
		}
		got[row.Idx] = tlog.Hash(row.Hash)
	}
	for i, idx := range indexes {
		if _, ok := r.pending[idx]; ok {
			continue
		}
		h, ok := got[idx]
		if !ok {
			return nil, dak.Errorf(dak.ErrIntegrity, "global log: stored hash %d is missing", idx)
		}
		out[i] = h
	}
	return out, nil
}

// treeSize is how many leaves the stored tree holds, read from how many
// hashes are stored (their indexes run from 0 without a gap).
func treeSize(db *gorm.DB) (int64, error) {
	var count struct{ N *int64 }
	if err := db.Raw(`SELECT MAX(idx) + 1 AS n FROM log_hashes`).Scan(&count).Error; err != nil {
		return 0, fmt.Errorf("global log size: %w", err)
	}
	if count.N == nil {
		return 0, nil
	}
	return leavesForHashes(*count.N)
}

// leavesForHashes inverts tlog.StoredHashCount.
func leavesForHashes(hashes int64) (int64, error) {
	n := sort.Search(int(hashes)+1, func(n int) bool { return tlog.StoredHashCount(int64(n)) >= hashes })
	if tlog.StoredHashCount(int64(n)) != hashes {
		return 0, dak.Errorf(dak.ErrIntegrity, "global log: %d stored hashes is no whole tree", hashes)
	}
	return int64(n), nil
}

// treeWriter adds leaves to the stored tree inside the linker's
// transaction; flush inserts what was added.
type treeWriter struct {
	r    hashReader
	size int64
	rows []logHashRow
}

func newTreeWriter(db *gorm.DB, size int64) *treeWriter {
	return &treeWriter{r: hashReader{db: db, pending: map[int64]tlog.Hash{}}, size: size}
}

// readAhead reads, in one statement, the stored hashes that adding as
// many more leaves as leaves will need, which add would otherwise read a
// few at a time: the left halves, wholly in the stored tree, of the
// subtrees those leaves complete. A hash missing there fails as add would.
func (w *treeWriter) readAhead(leaves int64) error {
	var need []int64
	seen := map[int64]bool{}
	for n := w.size; n < w.size+leaves; n++ {
		// Each trailing 1 bit of n completes a subtree; at level i its
		// left half is node n>>i - 1 (tlog.StoredHashesForRecordHash).
		for i := 0; i < bits.TrailingZeros64(uint64(n+1)); i++ {
			node := n>>i - 1
			if (node+1)<<i > w.size {
				continue // added in this transaction
			}
			idx := tlog.StoredHashIndex(i, node)
			if _, ok := w.r.pending[idx]; !ok && !seen[idx] {
				seen[idx] = true
				need = append(need, idx)
			}
		}
	}
	if len(need) == 0 {
		return nil
	}
	hashes, err := w.r.ReadHashes(need)
	if err != nil {
		return fmt.Errorf("global log: add leaves %d to %d: %w", w.size, w.size+leaves-1, err)
	}
	for i, idx := range need {
		w.r.pending[idx] = hashes[i]
	}
	return nil
}

func (w *treeWriter) add(eventHash string) error {
	hashes, err := tlog.StoredHashesForRecordHash(w.size, translog.LeafHash(eventHash), w.r)
	if err != nil {
		return fmt.Errorf("global log: add leaf %d: %w", w.size, err)
	}
	idx := tlog.StoredHashIndex(0, w.size)
	for i, h := range hashes {
		w.r.pending[idx+int64(i)] = h
		w.rows = append(w.rows, logHashRow{Idx: idx + int64(i), Hash: h[:]})
	}
	w.size++
	return nil
}

func (w *treeWriter) flush() error {
	if len(w.rows) == 0 {
		return nil
	}
	if err := w.r.db.CreateInBatches(w.rows, maxVars/2).Error; err != nil {
		return fmt.Errorf("global log: store hashes: %w", err)
	}
	w.rows = nil
	return nil
}

// TreeHead is the global log's size and root hash now.
func (s *Store) TreeHead(ctx context.Context) (tlog.Tree, error) {
	db := s.reader(ctx)
	n, err := treeSize(db)
	if err != nil {
		return tlog.Tree{}, err
	}
	h, err := tlog.TreeHash(n, hashReader{db: db})
	if err != nil {
		return tlog.Tree{}, fmt.Errorf("global log root: %w", err)
	}
	return tlog.Tree{N: n, Hash: h}, nil
}

// ProveConsistency returns the proof that the log's tree of oldSize leaves
// is a prefix of its tree of newSize leaves (GET /api/v1/checkpoints/proof).
// Sizes outside 1 ≤ old ≤ new ≤ the log's size are ErrInvalid.
func (s *Store) ProveConsistency(ctx context.Context, oldSize, newSize int64) (translog.ConsistencyProof, error) {
	db := s.reader(ctx)
	n, err := treeSize(db)
	if err != nil {
		return translog.ConsistencyProof{}, err
	}
	if oldSize < 1 || oldSize > newSize || newSize > n {
		return translog.ConsistencyProof{}, dak.Errorf(dak.ErrInvalid, "ukuran pohon: perlu 1 ≤ old (%d) ≤ new (%d) ≤ %d (ukuran log sekarang)", oldSize, newSize, n)
	}
	r := hashReader{db: db}
	p := translog.ConsistencyProof{OldSize: oldSize, NewSize: newSize}
	if p.OldRoot, err = tlog.TreeHash(oldSize, r); err != nil {
		return p, fmt.Errorf("global log: %w", err)
	}
	if p.NewRoot, err = tlog.TreeHash(newSize, r); err != nil {
		return p, fmt.Errorf("global log: %w", err)
	}
	if oldSize < newSize {
		proof, err := tlog.ProveTree(newSize, oldSize, r)
		if err != nil {
			return p, fmt.Errorf("global log: prove %d → %d: %w", oldSize, newSize, err)
		}
		p.Proof = proof
	}
	return p, nil
}

// InclusionProofs proves each event of a proposal that is a leaf of the
// tree of size leaves, in seq order; events linked later are left out.
func (s *Store) InclusionProofs(ctx context.Context, proposalID, size int64) ([]translog.InclusionProof, error) {
	db := s.reader(ctx)
	var leaves []struct {
		Seq  int
		Leaf int64
	}
	if err := db.Raw(`SELECT e.seq, g.seq - 1 AS leaf FROM events e JOIN global_chain g ON g.event_id = e.id
		WHERE e.proposal_id = ? AND g.seq <= ? ORDER BY e.seq`, proposalID, size).Scan(&leaves).Error; err != nil {
		return nil, fmt.Errorf("inclusion proofs of proposal %d: %w", proposalID, err)
	}
	r := hashReader{db: db}
	out := make([]translog.InclusionProof, 0, len(leaves))
	for _, l := range leaves {
		p, err := tlog.ProveRecord(size, l.Leaf, r)
		if err != nil {
			return nil, fmt.Errorf("inclusion proof of leaf %d: %w", l.Leaf, err)
		}
		out = append(out, translog.InclusionProof{Seq: l.Seq, Index: l.Leaf, Proof: p})
	}
	return out, nil
}
