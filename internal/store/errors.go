package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"dakflow/internal/dak"
)

// translate turns database errors into dak kinds.
func translate(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, gorm.ErrRecordNotFound) || errors.Is(err, sql.ErrNoRows) {
		return dak.Errorf(dak.ErrNotFound, "%s tidak ditemukan", what)
	}
	if IsAppendOnlyViolation(err) {
		return appendOnly(err)
	}
	if IsUniqueViolation(err) {
		return &dak.Error{Kind: dak.ErrConflict, Detail: what + " sudah ada"}
	}
	return fmt.Errorf("%s: %w", what, err)
}

// appendOnly turns the refusal of the append-only triggers (migration
// 0005) into ErrIntegrity, keeping the database's words for the log.
func appendOnly(err error) error {
	if !IsAppendOnlyViolation(err) {
		return err
	}
	return fmt.Errorf("%w (%v)", dak.Errorf(dak.ErrIntegrity, "jejak audit hanya dapat ditambah: basis data menolak mengubah atau menghapusnya"), err)
}

// IsAppendOnlyViolation reports whether err is the database refusing an
// UPDATE, DELETE or TRUNCATE of an append-only table.
func IsAppendOnlyViolation(err error) bool {
	return err != nil && !errors.Is(err, dak.ErrIntegrity) && strings.Contains(err.Error(), "the audit trail is append-only")
}

// IsUniqueViolation reports whether err came from a UNIQUE constraint.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE") || strings.Contains(msg, "duplicate key") || strings.Contains(msg, "23505")
}

// isNotNull reports whether err is PostgreSQL refusing a NULL in column of
// table.
func isNotNull(err error, table, column string) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23502" && pe.TableName == table && pe.ColumnName == column
}

// IsCheckViolation reports whether err came from a CHECK constraint.
func IsCheckViolation(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "CHECK constraint") || strings.Contains(msg, "violates check constraint") || strings.Contains(msg, "23514")
}

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
