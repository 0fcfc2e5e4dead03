package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	neturl "net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Pool sizes. SQLite allows one writer at a time; its readers, in WAL
// mode, never wait for it, so a few read connections let every GET and
// /readyz go on while a transition writes.
const (
	// postgresConns bounds the main pool: past a few backends per core
	// PostgreSQL's backends only take CPU from each other (and from the
	// batch connection that holds a document kind's counter). On two
	// cores 12 served deadline day's 200 clients 10–15% faster than 32,
	// with less PostgreSQL CPU a submission, and transitions as well;
	// requests beyond it wait for a connection, never fail.
	postgresConns = 12
	sqliteReaders = 4
	// largeConns bounds PostgreSQL's transactions that carry a large value
	// at once; web's upload budget holds fewer anyway.
	largeConns = 4
	// valueConns bounds those that carry a small one (InValueTx): on
	// deadline day hundreds of scans arrive at once, and on the main pool
	// they took every connection from the transitions queued behind them.
	valueConns = 4
)

// sqlitePragmas hold on every connection to a SQLite file: wait up to ten
// seconds for a lock held by another connection or process instead of
// failing with "database is locked".
const sqlitePragmas = "_pragma=busy_timeout(10000)"

// openPools connects to url. PostgreSQL gets one pool for reads and writes.
// SQLite gets two pools on the same file, in WAL mode:
//
//   - the writer, one connection whose transactions begin IMMEDIATE, taking
//     the write lock up front (waiting up to the busy timeout), so that
//     concurrent writers queue, and a second process on the same file (the
//     CLI beside the server) queues too: a deferred transaction that reads
//     first, as every event does, fails at once with SQLITE_BUSY when
//     another process wrote since its read;
//   - the readers, several connections that cannot write (query_only) and
//     whose transactions are deferred: WAL lets them read the last commit
//     while the writer works.
func openPools(url string) (*Store, error) {
	switch {
	case strings.HasPrefix(url, "postgres://"), strings.HasPrefix(url, "postgresql://"):
		url, ahead, err := postgresURL(url)
		if err != nil {
			return nil, err
		}
		db, pool, err := connectPostgres(url, ahead, postgresConns)
		if err != nil {
			return nil, err
		}
		pool.SetConnMaxIdleTime(5 * time.Minute)
		large, lpool, err := connectPostgres(url, ahead, largeConns)
		if err != nil {
			pool.Close()
			return nil, fmt.Errorf("postgres pool for large values: %w", err)
		}
		lpool.SetMaxIdleConns(0) // closed after each use: its buffers go with it
		values, vpool, err := connectPostgres(url, ahead, valueConns)
		if err != nil {
			pool.Close()
			lpool.Close()
			return nil, fmt.Errorf("postgres pool for small values: %w", err)
		}
		vpool.SetConnMaxIdleTime(5 * time.Minute)
		return &Store{db: db, read: db, large: large, values: values,
			pools: map[string]*sql.DB{"main": pool, "large": lpool, "values": vpool}, dialect: Postgres}, nil
	case strings.HasPrefix(url, "sqlite:"):
		path := strings.TrimPrefix(url, "sqlite:")
		if dir := filepath.Dir(path); dir != "" {
			if err := os.MkdirAll(dir, 0o750); err != nil {
				return nil, fmt.Errorf("open sqlite: %w", err)
			}
		}
		// The writer connects first: it turns WAL on for the file, which
		// every later connection then uses.
		writer, wpool, err := connect(quietSQLite{sqlite.Open(path + "?" + sqlitePragmas +
			"&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate").(*sqlite.Dialector)}, SQLite, 1)
		if err != nil {
			return nil, err
		}
		reader, rpool, err := connect(quietSQLite{sqlite.Open(path + "?" + sqlitePragmas + "&_pragma=query_only(1)&_txlock=deferred").(*sqlite.Dialector)}, SQLite, sqliteReaders)
		if err != nil {
			wpool.Close()
			return nil, fmt.Errorf("sqlite read pool: %w", err)
		}
		return &Store{db: writer, read: reader, large: writer, values: writer, pools: map[string]*sql.DB{"main": wpool, "read": rpool}, dialect: SQLite}, nil
	}
	// Not the URL itself: it may hold a password.
	scheme, _, _ := strings.Cut(url, ":")
	return nil, fmt.Errorf("database url of scheme %.20q: want postgres://… or sqlite:PATH", scheme)
}

// sessionSettings are PostgreSQL settings each of our connections starts
// with (runtime parameters of its startup message), unless the database
// URL sets them itself, directly or in its options.
//
// random_page_cost: PostgreSQL's default of 4 prices a random read as a
// spinning disk's, so a table of a few pages is read whole rather than
// through its index. That is right for the table as it is; but a pooled
// connection plans each statement once (pgx prepares it, PostgreSQL keeps
// a generic plan after five runs) and keeps the plan until the table's
// statistics change, which autovacuum looks at once a minute. On deadline
// day a transition's locking read, planned while attachments held a few
// hundred rows, went on reading the whole table once it held ten thousand:
// 4 ms a submission instead of 0.3, and growing with every filing. 1.1 is
// what PostgreSQL's manual gives for solid-state storage, where the
// database lives; with it an index read is chosen from a few pages on
// (TestGenericPlansUseIndexes).
var sessionSettings = [][2]string{{"random_page_cost", "1.1"}}

// beginAheadParam is the database URL's switch for the BEGIN sent with a
// transaction's first statement (begin_ahead.go): on by default,
// begin_ahead=off gives every transaction a BEGIN of its own, as pgx
// sends it — a way back, without a new build, should a proxy or a server
// between dakflow and PostgreSQL not take it.
const beginAheadParam = "begin_ahead"

// postgresURL is a postgres:// URL with sessionSettings added and
// beginAheadParam taken off, and whether the BEGIN goes ahead.
func postgresURL(raw string) (url string, ahead bool, err error) {
	u, err := neturl.Parse(raw)
	if err != nil {
		// Without the URL, which holds the password.
		var ue *neturl.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return "", false, fmt.Errorf("database url: %w", err)
	}
	q := u.Query()
	switch q.Get(beginAheadParam) {
	case "", "on":
		ahead = true
	case "off":
	default:
		return "", false, fmt.Errorf("database url: %s must be on or off", beginAheadParam)
	}
	q.Del(beginAheadParam)
	for _, kv := range sessionSettings {
		if q.Has(kv[0]) || strings.Contains(q.Get("options"), kv[0]) {
			continue // the operator's own
		}
		q.Set(kv[0], kv[1])
	}
	u.RawQuery = q.Encode()
	return u.String(), ahead, nil
}

// quietPostgres and quietSQLite are the drivers' dialectors but for
// Explain, which writes a statement out with its values for a log line.
// gorm's Scan, the read of every written-out statement here, calls it on
// every statement whatever the logger (it records what it ran), and so
// formatted each document's PDF and each upload's files byte by byte, to
// be thrown away: a few percent of the server's CPU on deadline day. The
// logger discards every line, so the statement alone will do. Every other
// method, and the optional ones gorm looks for (savepoints, error
// translation), are the embedded dialector's.
type (
	quietPostgres struct{ *postgres.Dialector }
	quietSQLite   struct{ *sqlite.Dialector }
)

func (quietPostgres) Explain(sql string, _ ...any) string { return sql }
func (quietSQLite) Explain(sql string, _ ...any) string   { return sql }

// connectPostgres opens one pool of gorm's PostgreSQL whose transactions
// send their BEGIN with their first statement when ahead (begin_ahead.go).
func connectPostgres(url string, ahead bool, conns int) (*gorm.DB, *sql.DB, error) {
	pool, err := postgresPool(url, ahead)
	if err != nil {
		return nil, nil, fmt.Errorf("open postgres: %w", err)
	}
	db, gpool, err := connect(quietPostgres{postgres.New(postgres.Config{Conn: pool}).(*postgres.Dialector)}, Postgres, conns)
	if err != nil {
		pool.Close() // connect closes what it opened; this pool is ours
	}
	return db, gpool, err
}

// connect opens one pool of at most conns connections and checks that the
// database answers.
func connect(dial gorm.Dialector, dialect Dialect, conns int) (*gorm.DB, *sql.DB, error) {
	db, err := gorm.Open(dial, &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		return nil, nil, fmt.Errorf("open %s: %w", dialect, err)
	}
	if err := registerObserver(db); err != nil {
		return nil, nil, err
	}
	pool, err := db.DB()
	if err != nil {
		return nil, nil, err
	}
	pool.SetMaxOpenConns(conns)
	pool.SetMaxIdleConns(conns)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, nil, fmt.Errorf("connect %s: %w", dialect, err)
	}
	return db, pool, nil
}

// Close releases the connections of every pool.
func (s *Store) Close() error {
	var errs []error
	for _, p := range s.pools {
		errs = append(errs, p.Close())
	}
	return errors.Join(errs...)
}

// Ping checks that the database answers, for /readyz, through the read
// pool: it never waits for a writer.
func (s *Store) Ping(ctx context.Context) error {
	pool, err := s.read.DB()
	if err != nil {
		return err
	}
	return pool.PingContext(ctx)
}

// PoolStats reports the connection pools of the store by name, for the
// metrics of /metrics: "main" takes every write (on SQLite a single
// connection, so that writers queue; on PostgreSQL the one pool, reads
// included) and, on SQLite, "read" serves the reads.
func (s *Store) PoolStats() map[string]sql.DBStats {
	out := make(map[string]sql.DBStats, len(s.pools))
	for name, p := range s.pools {
		out[name] = p.Stats()
	}
	return out
}
