package store

import (
	"database/sql"
	"database/sql/driver"
	"net"
)

// BeginsSentAhead counts the BEGINs that went with a first statement.
func BeginsSentAhead() int64 { return sentAhead.Load() }

// BreakBegin makes every BEGIN sent ahead until the returned func runs one
// that PostgreSQL refuses, for the test of what goes behind it.
func BreakBegin() (restore func()) {
	prev := beginStatement
	beginStatement = func(driver.TxOptions) (string, bool) { return "begin isolation level never", true }
	return func() { beginStatement = prev }
}

// BeginAheadConn wraps c as a connection of the pools does, for the tests
// of its answers.
func BeginAheadConn(c net.Conn) AheadConn {
	return armable{&beginAheadConn{Conn: c}}
}

// AheadConn is a connection that sends a BEGIN, or a COMMIT, ahead.
type AheadConn interface {
	net.Conn
	Arm(begin string) error
	ArmCommit() error
	EndCommit() (sent bool, err error)
}

type armable struct{ *beginAheadConn }

func (a armable) Arm(begin string) error { return a.arm(begin) }

func (a armable) ArmCommit() error { return a.armCommit() }

func (a armable) EndCommit() (sent bool, err error) {
	sent, _, err = a.endCommit()
	return sent, err
}

// CommitsSentAhead counts the COMMITs that went with a statement.
func CommitsSentAhead() int64 { return committedAhead.Load() }

// CommitWithNext arms tx's COMMIT to go with its next statement, as
// CommitWithEvent does with the event's; false where it cannot (SQLite,
// begin_ahead=off).
func (tx *Tx) CommitWithNext() (bool, error) {
	if tx.state == nil || tx.state.conn == nil {
		return false, nil
	}
	return true, tx.state.conn.armCommit()
}

// Exec runs q in tx, for the tests of what a transaction sends.
func (tx *Tx) Exec(q string, args ...any) error { return tx.db.Exec(q, args...).Error }

// PostgresPool is a pool on url as the store opens it, with the BEGIN
// ahead or a round trip of its own, for the benchmark that compares.
func PostgresPool(url string, ahead bool) (*sql.DB, error) { return postgresPool(url, ahead) }
