package store

import (
	"context"
	"fmt"

	"dakflow/internal/dak"
)

// linkBatch bounds how many events one LinkGlobal transaction links.
const linkBatch = 1000

// LinkGlobal appends committed events that are not yet on the global chain
// to it, oldest first, and returns how many it linked. One linker runs at a
// time (a PostgreSQL advisory lock; SQLite has one writer), so the chain
// never forks, while transitions themselves share no lock.
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
			var got bool
			if err := tx.db.Raw(`SELECT pg_try_advisory_xact_lock(727002)`).Scan(&got).Error; err != nil {
				return err
			}
			if !got {
				return nil // another process is linking
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
		var pending []struct {
			ID   int64
			Hash string
		}
		if err := tx.db.Raw(`SELECT e.id, e.hash FROM events e LEFT JOIN global_chain g ON g.event_id = e.id
			WHERE g.event_id IS NULL ORDER BY e.id LIMIT ?`, linkBatch).Scan(&pending).Error; err != nil {
			return err
		}
		for _, ev := range pending {
			head.Seq++
			hash := dak.ChainHash(head.Hash, ev.Hash)
			if err := tx.db.Exec(`INSERT INTO global_chain (seq, event_id, prev_hash, hash, linked_at) VALUES (?, ?, ?, ?, ?)`,
				head.Seq, ev.ID, head.Hash, hash, tx.now).Error; err != nil {
				return err
			}
			head.Hash = hash
		}
		n = len(pending)
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("link global chain: %w", err)
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
	err := s.db.WithContext(ctx).Raw(`SELECT g.seq, g.event_id, g.prev_hash, g.hash, e.hash AS event FROM global_chain g
		JOIN events e ON e.id = g.event_id ORDER BY g.seq`).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("read global chain: %w", err)
	}
	return out, nil
}
