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
func BeginAheadConn(c net.Conn) interface {
	net.Conn
	Arm(begin string) error
} {
	return armable{&beginAheadConn{Conn: c}}
}

type armable struct{ *beginAheadConn }

func (a armable) Arm(begin string) error { return a.arm(begin) }

// PostgresPool is a pool on url as the store opens it, with the BEGIN
// ahead or a round trip of its own, for the benchmark that compares.
func PostgresPool(url string, ahead bool) (*sql.DB, error) { return postgresPool(url, ahead) }
