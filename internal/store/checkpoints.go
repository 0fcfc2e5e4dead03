package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"dakflow/internal/dak"
	"dakflow/internal/translog"
)

type checkpointRow struct {
	TreeSize  int64
	KeyID     string
	RootHash  string
	CreatedAt time.Time
	Note      string
}

func (checkpointRow) TableName() string { return "log_checkpoints" }

func (r checkpointRow) checkpoint() (translog.Checkpoint, error) {
	root, err := tlog.ParseHash(r.RootHash)
	if err != nil {
		return translog.Checkpoint{}, dak.Errorf(dak.ErrIntegrity, "checkpoint %d: root hash %q is malformed", r.TreeSize, r.RootHash)
	}
	return translog.Checkpoint{Size: r.TreeSize, Root: root, Time: r.CreatedAt.UTC(), KeyID: r.KeyID, Note: []byte(r.Note)}, nil
}

// WriteCheckpoint signs the global log's current tree with signer and
// stores it, unless the newest checkpoint already covers that tree with the
// same key; it returns the newest checkpoint either way and whether it is
// new. It refuses (ErrIntegrity) to sign a tree that does not extend the
// previous checkpoint: the server never signs a rewritten history. Writers
// in several processes are serialised (an advisory lock on PostgreSQL;
// SQLite has one writer) and the key (tree_size, key_id) is the second
// line. An empty log is ErrNotFound.
func (s *Store) WriteCheckpoint(ctx context.Context, signer note.Signer) (translog.Checkpoint, bool, error) {
	var (
		out   translog.Checkpoint
		fresh bool
	)
	keyID := fmt.Sprintf("%08x", signer.KeyHash())
	err := s.InTx(ctx, func(tx *Tx) error {
		if tx.dialect == Postgres {
			if err := tx.db.Exec(`SELECT pg_advisory_xact_lock(727003)`).Error; err != nil {
				return err
			}
		}
		size, err := treeSize(tx.db)
		if err != nil {
			return err
		}
		if size == 0 {
			return dak.Errorf(dak.ErrNotFound, "log global masih kosong: belum ada checkpoint")
		}
		prev, err := tx.latestCheckpoint()
		switch {
		case errors.Is(err, dak.ErrNotFound):
		case err != nil:
			return err
		case prev.Size > size:
			return dak.Errorf(dak.ErrIntegrity, "global log: %d leaves, fewer than checkpoint %d signed", size, prev.Size)
		case prev.Size == size && prev.KeyID == keyID:
			out = prev
			return nil
		}
		r := hashReader{db: tx.db}
		root, err := tlog.TreeHash(size, r)
		if err != nil {
			return fmt.Errorf("global log root: %w", err)
		}
		tree := tlog.Tree{N: size, Hash: root}
		if prev.Size > 0 {
			var proof tlog.TreeProof
			if prev.Size < size {
				if proof, err = tlog.ProveTree(size, prev.Size, r); err != nil {
					return fmt.Errorf("global log: prove %d → %d: %w", prev.Size, size, err)
				}
			}
			if err := translog.CheckConsistency(prev.Tree(), tree, proof); err != nil {
				return dak.Errorf(dak.ErrIntegrity, "global log: refusing to sign: %v", err)
			}
		}
		if out, err = translog.Sign(tree, tx.now, signer); err != nil {
			return err
		}
		fresh = true
		return tx.db.Create(&checkpointRow{TreeSize: out.Size, KeyID: out.KeyID, RootHash: out.Root.String(),
			CreatedAt: out.Time, Note: string(out.Note)}).Error
	})
	if err != nil {
		return translog.Checkpoint{}, false, fmt.Errorf("write checkpoint: %w", err)
	}
	return out, fresh, nil
}

// LatestCheckpoint is the checkpoint of the largest tree (the newest of
// those); ErrNotFound before the first.
func (s *Store) LatestCheckpoint(ctx context.Context) (translog.Checkpoint, error) {
	var c translog.Checkpoint
	err := s.ReadTx(ctx, func(tx *Tx) error {
		var err error
		c, err = tx.latestCheckpoint()
		return err
	})
	return c, err
}

func (tx *Tx) latestCheckpoint() (translog.Checkpoint, error) {
	var rows []checkpointRow
	if err := tx.db.Order("tree_size DESC, created_at DESC, key_id").Limit(1).Find(&rows).Error; err != nil {
		return translog.Checkpoint{}, fmt.Errorf("read checkpoints: %w", err)
	}
	if len(rows) == 0 {
		return translog.Checkpoint{}, dak.Errorf(dak.ErrNotFound, "checkpoint tidak ditemukan")
	}
	return rows[0].checkpoint()
}

// Checkpoints lists the stored checkpoints of trees larger than after, the
// smallest first.
func (s *Store) Checkpoints(ctx context.Context, after int64) ([]translog.Checkpoint, error) {
	var rows []checkpointRow
	if err := s.reader(ctx).Where("tree_size > ?", after).Order("tree_size, created_at, key_id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read checkpoints: %w", err)
	}
	out := make([]translog.Checkpoint, len(rows))
	for i, r := range rows {
		c, err := r.checkpoint()
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}
