package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// Unavailable reports whether err means the database cannot be reached or
// is going away — a refused or broken connection, a server shutting down
// or not yet accepting connections — rather than a fault of the request:
// the HTTP interface answers 503 for it, and the service recovers by itself
// when the database is back (PRODUCT.md §7).
func Unavailable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var ne net.Error
	var ce *pgconn.ConnectError
	var pe *pgconn.PgError
	switch {
	case errors.As(err, &ce), errors.As(err, &ne),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone):
		return true
	case errors.As(err, &pe):
		// Class 08: connection exception; 57P01–57P05: shutdown, crash
		// recovery, "cannot connect now", idle session timeout.
		return strings.HasPrefix(pe.Code, "08") || strings.HasPrefix(pe.Code, "57P")
	}
	return pgconn.SafeToRetry(err) || strings.Contains(err.Error(), "conn closed")
}
