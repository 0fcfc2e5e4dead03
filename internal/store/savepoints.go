package store

import (
	"errors"
	"fmt"
	"strings"
	"unicode"

	"gorm.io/gorm"
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
	queued := len(tx.pending)
	if err := fn(); err != nil {
		tx.pending = tx.pending[:queued] // what fn queued is undone with the rest
		if rerr := tx.db.RollbackTo(name).Error; rerr != nil {
			return fmt.Errorf("%w (and rollback to savepoint %s: %v)", err, name, rerr)
		}
		return err
	}
	return nil
}

// ErrPartWrote is Try's answer for a part that failed after it wrote, or
// whose statement failed: the transaction can only be rolled back.
var ErrPartWrote = errors.New("part failed after writing; the transaction must roll back")

// Try runs fn as one part of the transaction without a savepoint, for a
// part that, when it is refused, is refused by what it read: the events of
// a batch (workflow's batches) are found in the wrong state, by a guard,
// before their first write. Then the transaction goes on as if fn had not
// run, and Try answers fn's error, one statement (the savepoint) cheaper
// than Part. When fn fails after a write of its own, or a statement of it
// failed (PostgreSQL then refuses the rest of the transaction), nothing can
// undo it alone: Try answers an error wrapping ErrPartWrote and fn's, and
// the caller rolls back (and runs the parts again with Part).
func (tx *Tx) Try(fn func() error) error {
	if tx.state == nil { // a transaction InTx did not begin counts nothing: every failure is dirty
		if err := fn(); err != nil {
			return fmt.Errorf("%w: %w", ErrPartWrote, err)
		}
		return nil
	}
	writes, failures, queued := tx.state.writes, tx.state.failures, len(tx.pending)
	err := fn()
	if err != nil && (tx.state.writes != writes || tx.state.failures != failures) {
		return fmt.Errorf("%w: %w", ErrPartWrote, err)
	}
	if err != nil {
		tx.pending = tx.pending[:queued] // a write fn queued, never sent, goes with it
	}
	return err
}

// txState counts, for Try, the writes and the failed statements of a
// transaction (observeStatements). A transaction runs on one goroutine.
type txState struct {
	writes, failures int
	conn             *beginAheadConn // the transaction's connection, when its BEGIN went ahead
}

// txStateKey carries a transaction's txState in its statements' context.
type txStateKey struct{}

// observeStatements is registered after every statement of every pool
// (connect): it counts the statement for its transaction's txState. A
// statement of gorm's create, update or delete is a write, one of its
// query a read; a written-out statement is a read when it is a SELECT
// (FOR UPDATE included: the rows a batch locks it locked first).
func observeStatements(write func(*gorm.DB) bool) func(*gorm.DB) {
	return func(db *gorm.DB) {
		st, _ := db.Statement.Context.Value(txStateKey{}).(*txState)
		if st == nil {
			return
		}
		if db.Error != nil {
			st.failures++
		}
		if write(db) {
			st.writes++
		}
	}
}

// writtenOutWrites reports whether a written-out statement may write:
// anything but a SELECT.
func writtenOutWrites(db *gorm.DB) bool {
	sql := strings.TrimLeftFunc(db.Statement.SQL.String(), unicode.IsSpace)
	return len(sql) < 6 || !strings.EqualFold(sql[:6], "SELECT")
}

// registerObserver registers observeStatements on every processor of db.
func registerObserver(db *gorm.DB) error {
	cb := db.Callback()
	always := func(*gorm.DB) bool { return true }
	never := func(*gorm.DB) bool { return false }
	return errors.Join(
		cb.Create().After("*").Register("dakflow:observe", observeStatements(always)),
		cb.Update().After("*").Register("dakflow:observe", observeStatements(always)),
		cb.Delete().After("*").Register("dakflow:observe", observeStatements(always)),
		cb.Query().After("*").Register("dakflow:observe", observeStatements(never)),
		cb.Row().After("*").Register("dakflow:observe", observeStatements(writtenOutWrites)),
		cb.Raw().After("*").Register("dakflow:observe", observeStatements(writtenOutWrites)))
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
