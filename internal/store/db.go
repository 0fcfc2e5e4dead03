// Package store keeps dakflow's records in PostgreSQL or an embedded SQLite
// file through gorm. Each exported method is one transaction; database
// errors become dak error kinds here and nowhere else (errors.go).
package store

import (
	"context"
	"database/sql"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/gorm"

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
	// db takes every write: InTx and the methods that change rows. On
	// SQLite it is one connection whose transactions begin IMMEDIATE
	// (pools.go), so that writers queue instead of failing.
	db *gorm.DB
	// read serves ReadTx, Ping and every method that only reads, so that
	// a read never waits for a writer: on SQLite a pool of its own on the
	// same file, on PostgreSQL db itself.
	read *gorm.DB
	// large serves InValueTx's large values: on PostgreSQL a small pool that keeps no
	// idle connection, on SQLite db itself.
	large *gorm.DB
	// values serves InValueTx's small values: on PostgreSQL a small pool
	// of its own, so that uploads never hold the main pool; on SQLite db.
	values *gorm.DB
	// pools are the connection pools by name, for PoolStats and Close.
	pools   map[string]*sql.DB
	dialect Dialect
	// now is the clock, a func() time.Time; atomic because tests set it
	// while the server's background workers read it.
	now atomic.Value
	// passwordCost is the bcrypt work factor of new password hashes
	// (users.go); dummy is a hash at that cost that no password matches.
	passwordCost atomic.Int64
	dummyOnce    sync.Once
	dummy        []byte
	// sessions keeps recent session reads (session_cache.go).
	sessions sessionCache
}

// Open connects to url: "postgres://…" or "sqlite:PATH" (pools.go says how
// each engine is pooled).
func Open(url string) (*Store, error) {
	st, err := openPools(url)
	if err != nil {
		return nil, err
	}
	st.SetClock(time.Now)
	st.passwordCost.Store(DefaultPasswordCost)
	return st, nil
}

// Dialect reports the engine.
func (s *Store) Dialect() Dialect { return s.dialect }

// Dialect is the engine the transaction runs on.
func (tx *Tx) Dialect() Dialect { return tx.dialect }

// SetClock replaces the clock, for tests and the seed.
func (s *Store) SetClock(now func() time.Time) { s.now.Store(now) }

// Now is the store's clock in UTC.
func (s *Store) Now() time.Time { return s.now.Load().(func() time.Time)().UTC() }

// Tx is one open transaction. Callers compose a change from its methods
// inside InTx, with their own rules in plain code between the calls; its
// methods never commit or roll back.
type Tx struct {
	db      *gorm.DB
	dialect Dialect
	now     time.Time
	// users memoizes UsersWithRole: the events of one batch tell the
	// same reviewers, read once per transaction.
	users map[string][]dak.User
	// state counts what the transaction's statements did, for Try.
	state *txState
	// pending are writes queued to go with the next statement that saves
	// a proposal (AddRevision), on PostgreSQL.
	pending []pendingWrite
	// drawn is set by the first draw of a number (Drawn).
	drawn bool
	// commitEvent is set by CommitWithEvent.
	commitEvent bool
}

// Now is the transaction's time: one instant for everything it writes.
func (tx *Tx) Now() time.Time { return tx.now }

// InTx runs fn in one write transaction: everything fn writes commits
// together or not at all (an error from fn rolls it back). On SQLite it
// takes the write lock when it begins, so writers queue one behind another.
func (s *Store) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	state := &txState{}
	err := s.db.WithContext(context.WithValue(ctx, txStateKey{}, state)).Transaction(func(db *gorm.DB) error {
		tx := &Tx{db: db, dialect: s.dialect, now: s.Now(), state: state}
		if err := fn(tx); err != nil {
			return err
		}
		return tx.flushPending()
	})
	return appendOnly(err)
}

// PooledValueLimit is the largest value (an attachment's file) a
// transaction may carry on a pooled PostgreSQL connection; see InValueTx.
const PooledValueLimit = 256 << 10

// InValueTx is InTx for a transaction that carries a value of size bytes
// (an attachment's file). Over PooledValueLimit on PostgreSQL it runs on a
// connection that is closed after it: pgx keeps a connection's write
// buffer at the size of the largest message it ever sent, so every pooled
// connection that once stored a 20 MiB file would hold 20 MiB for good
// (PRODUCT.md §7, TestMemoryUnderAbuse). A smaller value takes a kept
// connection of a small pool of its own, which then holds at most
// PooledValueLimit: opening a connection (a PostgreSQL backend, its
// authentication) cost more than storing a typical scanned letter, six
// times per proposal on deadline day, and on the main pool the uploads took
// every connection from the transitions. On SQLite it is InTx.
func (s *Store) InValueTx(ctx context.Context, size int64, fn func(tx *Tx) error) error {
	pool := s.large
	if size <= PooledValueLimit {
		pool = s.values
	}
	err := pool.WithContext(ctx).Transaction(func(db *gorm.DB) error {
		return fn(&Tx{db: db, dialect: s.dialect, now: s.Now()})
	})
	return appendOnly(err)
}

// ReadTx runs fn in one read-only transaction that sees a single snapshot
// of the database, so that reads spread over several queries agree with
// each other: REPEATABLE READ on PostgreSQL; on SQLite a deferred
// transaction on the read pool, which in WAL mode keeps the snapshot of its
// first read and never waits for a writer. fn must not write.
func (s *Store) ReadTx(ctx context.Context, fn func(tx *Tx) error) error {
	opts := &sql.TxOptions{ReadOnly: true}
	if s.dialect == Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	return s.read.WithContext(ctx).Transaction(func(db *gorm.DB) error {
		return fn(&Tx{db: db, dialect: s.dialect, now: s.Now()})
	}, opts)
}

// reader is the read pool bound to ctx, for methods that run one read
// outside a transaction.
func (s *Store) reader(ctx context.Context) *gorm.DB { return s.read.WithContext(ctx) }

// readPool is the read pool's database/sql handle, for the reads of every
// request that skip gorm (SessionByToken).
func (s *Store) readPool() *sql.DB {
	if p, ok := s.pools["read"]; ok {
		return p
	}
	return s.pools["main"]
}

// forUpdate is the row-lock suffix; SQLite has one writer and no FOR UPDATE,
// so updates there rely on their WHERE version = ? guard.
func (tx *Tx) forUpdate() string {
	if tx.dialect == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// Exec runs one statement outside the domain methods: for tests and
// benchmarks that need bulk data.
func (s *Store) Exec(ctx context.Context, sql string, args ...any) error {
	return appendOnly(s.db.WithContext(ctx).Exec(sql, args...).Error)
}

// Query runs one read outside the domain methods into dest: for tests that
// look at rows no method shows.
func (s *Store) Query(ctx context.Context, dest any, sql string, args ...any) error {
	return s.reader(ctx).Raw(sql, args...).Scan(dest).Error
}
