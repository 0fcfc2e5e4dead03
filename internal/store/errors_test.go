package store_test

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"dakflow/internal/dak"
	"dakflow/internal/store"
)

// TestUnavailable: a database that cannot be reached is told apart from a
// request's own fault.
func TestUnavailable(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"connection refused", fmt.Errorf("read proposal: %w", refused), true},
		{"bad connection", fmt.Errorf("x: %w", driver.ErrBadConn), true},
		{"server shutting down", &pgconn.PgError{Code: "57P01", Message: "terminating connection due to administrator command"}, true},
		{"cannot connect now", &pgconn.PgError{Code: "57P03"}, true},
		{"connection exception", &pgconn.PgError{Code: "08006"}, true},
		{"unique violation", &pgconn.PgError{Code: "23505"}, false},
		{"not found", dak.Errorf(dak.ErrNotFound, "tidak ditemukan"), false},
		{"plain", errors.New("boom"), false},
		{"nil", nil, false},
	} {
		if got := store.Unavailable(tc.err); got != tc.want {
			t.Errorf("Unavailable(%s) = %v, want %v", tc.name, got, tc.want)
		}
	}
}
