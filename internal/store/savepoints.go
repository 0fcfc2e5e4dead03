package store

import (
	"fmt"
	"strings"
)

// Part runs fn as one part of the transaction that can fail alone: its
// writes are undone (back to a savepoint) when fn returns an error, and the
// rest of the transaction goes on. The events that share one commit
// (workflow's batches) each run as a part. The name must be a plain SQL
// identifier, unique among the parts open at once.
func (tx *Tx) Part(name string, fn func() error) error {
	if err := tx.db.SavePoint(name).Error; err != nil {
		return fmt.Errorf("savepoint %s: %w", name, err)
	}
	if err := fn(); err != nil {
		if rerr := tx.db.RollbackTo(name).Error; rerr != nil {
			return fmt.Errorf("%w (and rollback to savepoint %s: %v)", err, name, rerr)
		}
		return err
	}
	return nil
}

// LockProposals locks the rows of the given proposals, in the order of
// their ids, for the rest of the transaction. A transaction that fires
// several events takes their proposals' locks first and in one order, as a
// single event does before it draws a number: so two such transactions
// never wait for each other in a circle. Ids that do not exist are passed
// over. On SQLite, which has one writer, it does nothing.
func (tx *Tx) LockProposals(ids []int64) error {
	if tx.dialect != Postgres || len(ids) == 0 {
		return nil
	}
	var locked []int64
	q := `SELECT id FROM proposals WHERE id IN ? ORDER BY id` + tx.forUpdate()
	if err := tx.db.Raw(q, ids).Scan(&locked).Error; err != nil {
		return fmt.Errorf("lock proposals %s: %w", strings.Trim(fmt.Sprint(ids), "[]"), err)
	}
	return nil
}
