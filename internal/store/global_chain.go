package store

import (
	"context"
	"fmt"

	"dakflow/internal/dak"
)

// linkBatch bounds how many events one LinkGlobal transaction links.
const linkBatch = 1000

// LinkGlobal appends committed events that are not yet on the global chain
// to it, oldest first, adds each as a leaf of the global log's Merkle tree
// (global_log.go), and returns how many it linked. One linker runs at a
// time (a PostgreSQL advisory lock; SQLite has one writer), so the chain
// and the tree never fork, while transitions themselves share no lock.
// Chain rows from before the tree existed (migration 0006) are added to
// the tree first, in order.
func (s *Store) LinkGlobal(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := s.linkGlobalBatch(ctx)
		total += n
		if err != nil || n < linkBatch {
			return total, err
		}
	}
}

func (s *Store) linkGlobalBatch(ctx context.Context) (int, error) {
	n := 0
	err := s.InTx(ctx, func(tx *Tx) error {
		if tx.dialect == Postgres {
			// Wait for a linker of another process: afterwards everything
			// committed before this call is linked, which a trail relies on.
			if err := tx.db.Exec(`SELECT pg_advisory_xact_lock(727002)`).Error; err != nil {
				return err
			}
		}
		var head struct {
			Seq  int64
			Hash string
		}
		if err := tx.db.Raw(`SELECT seq, hash FROM global_chain ORDER BY seq DESC LIMIT 1`).Scan(&head).Error; err != nil {
			return err
		}
		if head.Seq == 0 {
			head.Hash = dak.GenesisHash
		}
		size, err := treeSize(tx.db)
		if err != nil {
			return err
		}
		tree := newTreeWriter(tx.db, size)
		if size < head.Seq { // chain rows linked before the tree existed
			var backlog []struct {
				Seq   int64
				Event string
			}
			if err := tx.db.Raw(`SELECT g.seq, e.hash AS event FROM global_chain g JOIN events e ON e.id = g.event_id
				WHERE g.seq > ? ORDER BY g.seq LIMIT ?`, size, linkBatch).Scan(&backlog).Error; err != nil {
				return err
			}
			for _, b := range backlog {
				if b.Seq != tree.size+1 {
					return dak.Errorf(dak.ErrIntegrity, "global chain: seq %d is missing", tree.size+1)
				}
				if err := tree.add(b.Event); err != nil {
					return err
				}
			}
			n = len(backlog)
			if tree.size < head.Seq {
				return tree.flush() // more backlog: the next batch goes on
			}
		}
		var pending []struct {
			ID   int64
			Hash string
		}
		// Events queue themselves (a trigger, migration 0012); an event
		// already on the chain is only emptied from the queue.
		if err := tx.db.Raw(`SELECT u.event_id AS id, e.hash FROM unlinked_events u JOIN events e ON e.id = u.event_id
			LEFT JOIN global_chain g ON g.event_id = u.event_id
			WHERE g.event_id IS NULL ORDER BY u.event_id LIMIT ?`, linkBatch-n).Scan(&pending).Error; err != nil {
			return err
		}
		for _, ev := range pending {
			head.Seq++
			hash := dak.ChainHash(head.Hash, ev.Hash)
			if err := tx.db.Exec(`INSERT INTO global_chain (seq, event_id, prev_hash, hash, linked_at) VALUES (?, ?, ?, ?, ?)`,
				head.Seq, ev.ID, head.Hash, hash, tx.now).Error; err != nil {
				return err
			}
			if err := tree.add(ev.Hash); err != nil {
				return err
			}
			head.Hash = hash
		}
		n += len(pending)
		if err := tree.flush(); err != nil {
			return err
		}
		// What is on the chain leaves the queue; an event queued by a
		// transaction still open stays (its row is not visible yet).
		return tx.db.Exec(`DELETE FROM unlinked_events
			WHERE EXISTS (SELECT 1 FROM global_chain g WHERE g.event_id = unlinked_events.event_id)`).Error
	})
	if err != nil {
		return 0, fmt.Errorf("link global chain: %w", err)
	}
	return n, nil
}

// GlobalLink is one entry of the global chain.
type GlobalLink struct {
	Seq      int64
	EventID  int64
	PrevHash string
	Hash     string
	Event    string // the linked event's own hash
}

// GlobalChain reads the global chain in order, with each event's hash, so
// that it can be checked end to end.
func (s *Store) GlobalChain(ctx context.Context) ([]GlobalLink, error) {
	var out []GlobalLink
	err := s.reader(ctx).Raw(`SELECT g.seq, g.event_id, g.prev_hash, g.hash, e.hash AS event FROM global_chain g
		JOIN events e ON e.id = g.event_id ORDER BY g.seq`).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("read global chain: %w", err)
	}
	return out, nil
}
