// Package store keeps dakflow's records in PostgreSQL or an embedded SQLite
// file through gorm. Each exported method is one transaction; database
// errors become dak error kinds here and nowhere else.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"dakflow/internal/dak"
)

// Dialect names the database engine behind a Store.
type Dialect string

// The two supported engines.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// Store is the database. It is safe for concurrent use.
type Store struct {
	db      *gorm.DB
	sqlDB   *sql.DB
	dialect Dialect
	// now is the clock, a func() time.Time; atomic because tests set it
	// while the server's background workers read it.
	now atomic.Value
}

// Open connects to url: "postgres://…" or "sqlite:PATH". SQLite runs in
// WAL mode with one connection, so concurrent writers queue instead of
// failing with "database is locked". Its transactions begin IMMEDIATE,
// taking the write lock up front (waiting up to the busy timeout), so a
// second process on the same file (the CLI beside the server) queues too:
// a deferred transaction that reads first, as every event does, fails at
// once with SQLITE_BUSY when another process wrote since its read.
func Open(url string) (*Store, error) {
	var (
		dial    gorm.Dialector
		dialect Dialect
	)
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		dial, dialect = postgres.New(postgres.Config{DSN: url}), Postgres
	case strings.HasPrefix(url, "sqlite:"):
		path := strings.TrimPrefix(url, "sqlite:")
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("open sqlite: %w", err)
			}
		}
		dsn := path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"
		dial, dialect = sqlite.Open(dsn), SQLite
	default:
		return nil, fmt.Errorf("database url %q: want postgres://… or sqlite:PATH", url)
	}
	db, err := gorm.Open(dial, &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dialect, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	if dialect == SQLite {
		sqlDB.SetMaxOpenConns(1)
	} else {
		sqlDB.SetMaxOpenConns(32)
		sqlDB.SetMaxIdleConns(32)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(ctx); err != nil {
		return nil, fmt.Errorf("connect %s: %w", dialect, err)
	}
	st := &Store{db: db, sqlDB: sqlDB, dialect: dialect}
	st.SetClock(time.Now)
	return st, nil
}

// Close releases the connections.
func (s *Store) Close() error { return s.sqlDB.Close() }

// Dialect reports the engine.
func (s *Store) Dialect() Dialect { return s.dialect }

// SetClock replaces the clock, for tests and the seed.
func (s *Store) SetClock(now func() time.Time) { s.now.Store(now) }

// Now is the store's clock in UTC.
func (s *Store) Now() time.Time { return s.now.Load().(func() time.Time)().UTC() }

// Ping checks the database answers, for /readyz.
func (s *Store) Ping(ctx context.Context) error { return s.sqlDB.PingContext(ctx) }

// Tx is one open transaction. Helpers that take a *Tx never commit.
type Tx struct {
	db      *gorm.DB
	dialect Dialect
	now     time.Time
}

// Now is the transaction's time: one instant for everything it writes.
func (tx *Tx) Now() time.Time { return tx.now }

// InTx runs fn in one transaction: everything fn writes commits together
// or not at all.
func (s *Store) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	err := s.db.WithContext(ctx).Transaction(func(db *gorm.DB) error {
		return fn(&Tx{db: db, dialect: s.dialect, now: s.Now()})
	})
	return appendOnly(err)
}

// ReadTx runs fn in one read-only transaction that sees a single snapshot
// of the database, so that reads spread over several queries agree with
// each other: REPEATABLE READ on PostgreSQL; on SQLite a deferred read
// transaction, which in WAL mode keeps the snapshot of its first read (and
// the one connection of the pool runs nothing else meanwhile).
func (s *Store) ReadTx(ctx context.Context, fn func(tx *Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if s.dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	return s.db.WithContext(ctx).Transaction(func(db *gorm.DB) error {
		return fn(&Tx{db: db, dialect: s.dialect, now: s.Now()})
	}, opts)
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

// forUpdate is the row-lock suffix; SQLite has one writer and no FOR UPDATE,
// so updates there rely on their WHERE version = ? guard.
func (tx *Tx) forUpdate() string {
	if tx.dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

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
	msg := err.Error()
	if strings.Contains(msg, "UNIQUE") || strings.Contains(msg, "duplicate key") || strings.Contains(msg, "23505") {
		return &dak.Error{Kind: dak.ErrConflict, Detail: what + " sudah ada"}
	}
	return fmt.Errorf("%s: %w", what, err)
}

// IsUniqueViolation reports whether err came from a UNIQUE constraint.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE") || strings.Contains(msg, "duplicate key") || strings.Contains(msg, "23505")
}

// IsCheckViolation reports whether err came from a CHECK constraint.
func IsCheckViolation(err error) bool {
	if err == nil {
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "CHECK constraint") || strings.Contains(msg, "violates check constraint") || strings.Contains(msg, "23514")
}

// Exec runs one statement outside the domain methods: for tests and
// benchmarks that need bulk data.
func (s *Store) Exec(ctx context.Context, sql string, args ...any) error {
	return appendOnly(s.db.WithContext(ctx).Exec(sql, args...).Error)
}

// Query runs one read outside the domain methods into dest: for tests that
// look at rows no method shows.
func (s *Store) Query(ctx context.Context, dest any, sql string, args ...any) error {
	return s.db.WithContext(ctx).Raw(sql, args...).Scan(dest).Error
}
