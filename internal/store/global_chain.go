package store

import (
	"context"
	"fmt"
	"time"

	"dakflow/internal/dak"
)

// linkBatch bounds how many events one LinkGlobal transaction links.
const linkBatch = 1000

// maxVars bounds the values one statement binds: SQLite allows 32766,
// PostgreSQL 65535. A variable so that a test can make it small.
var maxVars = 32766

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
		n, full, err := s.linkGlobalBatch(ctx)
		total += n
		if err != nil || !full {
			return total, err
		}
	}
}

// globalChainRow is one row of global_chain as the linker inserts it.
type globalChainRow struct {
	Seq      int64
	EventID  int64
	PrevHash string
	Hash     string
	LinkedAt time.Time
}

func (globalChainRow) TableName() string { return "global_chain" }

// linkGlobalBatch is one LinkGlobal transaction: it links up to linkBatch
// events and reports how many, and whether it took as many rows as it
// could (so that another batch may find more). Its statements do not grow
// with the events it links (this is run after every transition): the
// chain's tip, the tree's size and the queue in one read, the stored
// hashes the new leaves need in another, the chain rows and the tree's
// hashes each in a multi-row INSERT, and the DELETE of what it took from
// the queue by its ids.
func (s *Store) linkGlobalBatch(ctx context.Context) (int, bool, error) {
	n, full := 0, false
	err := s.InTx(ctx, func(tx *Tx) error {
		if tx.dialect == Postgres {
			// Wait for a linker of another process: afterwards everything
			// committed before this call is linked, which a trail relies on.
			if err := tx.db.Exec(`SELECT pg_advisory_xact_lock(727002)`).Error; err != nil {
				return err
			}
		}
		// Events queue themselves (a trigger, migration 0012). One row per
		// queued event, in id order (a single row of NULLs when none is),
		// each with the chain's tip and the tree's stored hash count;
		// linked is set for an event already on the chain, which is only
		// emptied from the queue. The queue's head is taken first and each
		// event looked up by id: a join let the planner walk the events
		// from the first one ever (a merge join on a stale estimate of the
		// queue's size), a cost that grew with the trail.
		var rows []struct {
			HeadSeq  *int64
			HeadHash *string
			Hashes   *int64
			ID       *int64
			Hash     string
			Linked   *int64
		}
		if err := tx.db.Raw(`SELECT h.head_seq, h.head_hash, h.hashes, q.id, q.hash, q.linked
			FROM (SELECT (SELECT seq FROM global_chain ORDER BY seq DESC LIMIT 1) AS head_seq,
				(SELECT hash FROM global_chain ORDER BY seq DESC LIMIT 1) AS head_hash,
				(SELECT MAX(idx) + 1 FROM log_hashes) AS hashes) h
			LEFT JOIN (SELECT u.event_id AS id,
				(SELECT hash FROM events WHERE id = u.event_id) AS hash,
				(SELECT seq FROM global_chain WHERE event_id = u.event_id) AS linked
				FROM (SELECT event_id FROM unlinked_events ORDER BY event_id LIMIT ?) u) q ON 1 = 1
			ORDER BY q.id`, linkBatch).Scan(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return fmt.Errorf("global chain: the linker's read returned no row")
		}
		headSeq, headHash := int64(0), dak.GenesisHash
		if rows[0].HeadSeq != nil {
			headSeq, headHash = *rows[0].HeadSeq, *rows[0].HeadHash
		}
		hashes := int64(0)
		if rows[0].Hashes != nil {
			hashes = *rows[0].Hashes
		}
		size, err := leavesForHashes(hashes)
		if err != nil {
			return err
		}
		tree := newTreeWriter(tx.db, size)
		if size < headSeq { // chain rows linked before the tree existed
			var backlog []struct {
				Seq   int64
				Event string
			}
			if err := tx.db.Raw(`SELECT g.seq, e.hash AS event FROM global_chain g JOIN events e ON e.id = g.event_id
				WHERE g.seq > ? ORDER BY g.seq LIMIT ?`, size, linkBatch).Scan(&backlog).Error; err != nil {
				return err
			}
			if err := tree.readAhead(int64(len(backlog))); err != nil {
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
			if tree.size < headSeq {
				full = true
				return tree.flush() // more backlog: the next batch goes on
			}
		}
		queue := rows
		if queue[0].ID == nil {
			queue = nil
		}
		if len(queue) > linkBatch-n {
			queue = queue[:linkBatch-n]
		}
		full = n+len(queue) >= linkBatch
		taken := make([]int64, 0, len(queue))
		links := make([]globalChainRow, 0, len(queue))
		leaves := make([]string, 0, len(queue))
		for _, q := range queue {
			taken = append(taken, *q.ID)
			if q.Linked != nil {
				continue
			}
			headSeq++
			hash := dak.ChainHash(headHash, q.Hash)
			links = append(links, globalChainRow{Seq: headSeq, EventID: *q.ID, PrevHash: headHash, Hash: hash, LinkedAt: tx.now})
			leaves = append(leaves, q.Hash)
			headHash = hash
		}
		if len(links) > 0 {
			if err := tx.db.CreateInBatches(links, maxVars/5).Error; err != nil {
				return err
			}
		}
		if err := tree.readAhead(int64(len(leaves))); err != nil {
			return err
		}
		for _, leaf := range leaves {
			if err := tree.add(leaf); err != nil {
				return err
			}
		}
		n += len(links)
		if err := tree.flush(); err != nil {
			return err
		}
		// What is on the chain leaves the queue; an event queued by a
		// transaction still open stays (it was not read above).
		for len(taken) > 0 {
			ids := taken[:min(len(taken), maxVars)]
			taken = taken[len(ids):]
			if err := tx.db.Exec(`DELETE FROM unlinked_events WHERE event_id IN ?`, ids).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, false, fmt.Errorf("link global chain: %w", err)
	}
	return n, full, nil
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
