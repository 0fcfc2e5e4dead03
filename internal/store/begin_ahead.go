package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/jackc/pgx/v5/stdlib"
)

// A transaction's BEGIN travels with its first statement, on PostgreSQL.
//
// database/sql begins a transaction with a round trip of its own (pgx sends
// BEGIN and waits for its answer), then sends the statements one by one.
// A transition is four round trips — BEGIN, its locking read, its write,
// COMMIT — on a machine whose cores the server shares with PostgreSQL's
// backends, so each costs both sides a wake-up and a few system calls, and
// at half load a transition waited on BEGIN alone 0.56 ms on average.
// Here BeginTx sends nothing: it arms the connection, and the connection's
// next write carries the BEGIN (Parse, Bind, Execute of the BEGIN, with no
// Sync) in front of whatever pgx writes, in one system call; its three
// answers are taken off the front of what PostgreSQL sends back before
// pgx reads it. A transaction that sends nothing sends no BEGIN and no
// COMMIT.
//
// Why no Sync matters: PostgreSQL's extended protocol skips every message
// after an error until the next Sync. Were the BEGIN to fail, the statement
// written behind it is skipped, not run outside a transaction, and the
// connection is closed (takeAnswer): nothing half done. COMMIT still waits
// for the last statement's answer, as the caller decides on it.

// beginAheadConnector opens pgx's database/sql connections with the BEGIN
// sent ahead.
type beginAheadConnector struct{ driver.Connector }

// postgresPool opens a database/sql pool on url whose transactions send
// their BEGIN with their first statement when ahead, else as pgx does.
func postgresPool(url string, ahead bool) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, err
	}
	if !ahead {
		return stdlib.OpenDB(*cfg), nil
	}
	cfg.AfterNetConnect = func(_ context.Context, _ *pgconn.Config, c net.Conn) (net.Conn, error) {
		return &beginAheadConn{Conn: c}, nil
	}
	return sql.OpenDB(beginAheadConnector{stdlib.GetConnector(*cfg)}), nil
}

func (c beginAheadConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	sc, ok := conn.(*stdlib.Conn)
	if !ok {
		return conn, nil
	}
	return &beginAheadDriverConn{Conn: sc}, nil
}

// beginAheadDriverConn is pgx's database/sql connection with BeginTx
// arming its network connection instead of sending BEGIN.
type beginAheadDriverConn struct{ *stdlib.Conn }

func (c *beginAheadDriverConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	nc, ok := c.Conn.Conn().PgConn().Conn().(*beginAheadConn)
	begin, known := beginStatement(opts)
	if !ok || !known {
		return c.Conn.BeginTx(ctx, opts)
	}
	if c.Conn.Conn().IsClosed() || c.Conn.Conn().PgConn().TxStatus() != 'I' {
		return nil, driver.ErrBadConn
	}
	if err := nc.arm(begin); err != nil {
		return nil, err
	}
	if st, ok := ctx.Value(txStateKey{}).(*txState); ok {
		st.conn = nc // for a COMMIT sent with the last statement (commit_ahead.go)
	}
	return &beginAheadTx{ctx: ctx, conn: c.Conn.Conn(), nc: nc}, nil
}

// isolationLevels are the levels beginSQL writes out.
var isolationLevels = map[sql.IsolationLevel]string{
	sql.LevelDefault:        "",
	sql.LevelReadCommitted:  " isolation level read committed",
	sql.LevelRepeatableRead: " isolation level repeatable read",
	sql.LevelSerializable:   " isolation level serializable",
}

// beginStatement is beginSQL; tests replace it.
var beginStatement = beginSQL

// beginSQL is the BEGIN of opts, as pgx writes it; known is false for
// options left to pgx's own BeginTx.
func beginSQL(opts driver.TxOptions) (stmt string, known bool) {
	level, known := isolationLevels[sql.IsolationLevel(opts.Isolation)]
	if !known {
		return "", false
	}
	stmt = "begin" + level
	if opts.ReadOnly {
		stmt += " read only"
	}
	return stmt, true
}

// beginAheadTx ends a transaction begun ahead: with COMMIT or ROLLBACK as
// pgx's own would, or with nothing when no statement went, and so no BEGIN.
type beginAheadTx struct {
	ctx  context.Context
	conn *pgx.Conn
	nc   *beginAheadConn
	done bool
}

func (tx *beginAheadTx) Commit() error {
	if tx.done {
		return pgx.ErrTxClosed
	}
	tx.done = true
	if tx.nc.disarm() {
		return nil
	}
	if sent, _, err := tx.nc.endCommit(); sent {
		return err
	}
	tag, err := tx.conn.Exec(tx.ctx, "commit")
	if err != nil {
		if tx.conn.PgConn().TxStatus() != 'I' {
			_ = tx.conn.Close(tx.ctx)
		}
		return err
	}
	if tag.String() == "ROLLBACK" {
		return pgx.ErrTxCommitRollback
	}
	return nil
}

func (tx *beginAheadTx) Rollback() error {
	if tx.done {
		return pgx.ErrTxClosed
	}
	tx.done = true
	if tx.nc.disarm() {
		return nil
	}
	if sent, rolledBack, err := tx.nc.endCommit(); sent {
		switch {
		case rolledBack: // by PostgreSQL, when it refused the COMMIT
			return nil
		case err != nil:
			return err
		}
		return errCommittedAhead
	}
	if _, err := tx.conn.Exec(tx.ctx, "rollback"); err != nil {
		_ = tx.conn.Close(tx.ctx) // a failed rollback leaves the connection in no known state
		return err
	}
	return nil
}

// beginAheadConn is a connection to PostgreSQL (after TLS, if any) that
// can carry a BEGIN ahead of the next message pgx writes, and takes its
// answers off what comes back.
type beginAheadConn struct {
	net.Conn

	mu      sync.Mutex
	armed   []byte // the BEGIN's messages, to go ahead of the next write
	answers int    // the BEGIN's answers still to come: ParseComplete, BindComplete, CommandComplete

	commit    commitState // the transaction's COMMIT, when it goes with a statement (commit_ahead.go)
	commitErr error       // what the COMMIT answered, when it failed

	// Read's state while it takes the answers off (one reader at a time:
	// pgx reads on one goroutine, or on its background reader).
	in      []byte     // read, not yet looked at
	out     []byte     // to hand to pgx before reading more
	scratch [4096]byte // takeAnswer reads into it: one buffer a connection, not one a transaction
}

// beginAnswers is how many messages a BEGIN sent ahead answers.
const beginAnswers = 3

// maxAnswer bounds a message read among the BEGIN's answers (a notice is a
// few hundred bytes): a longer one is not what was asked for.
const maxAnswer = 64 << 10

// sentAhead counts the BEGINs sent ahead, for tests.
var sentAhead atomic.Int64

// arm makes the next write carry begin (a BEGIN statement).
func (c *beginAheadConn) arm(begin string) error {
	msg, err := beginMessages(begin)
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.armed != nil || c.answers > 0 {
		return fmt.Errorf("begin ahead: a transaction is already open on the connection: %w", driver.ErrBadConn)
	}
	c.armed = msg
	return nil
}

// encodedBegins holds each BEGIN's messages, encoded once: a handful of
// statements (isolationLevels, read only or not), sent by every
// transaction; Write only reads them.
var encodedBegins sync.Map // BEGIN statement → []byte

// beginMessages is the Parse, Bind and Execute of begin, without a Sync.
func beginMessages(begin string) ([]byte, error) {
	if msg, ok := encodedBegins.Load(begin); ok {
		return msg.([]byte), nil
	}
	msg, err := (&pgproto3.Parse{Query: begin}).Encode(nil)
	if err == nil {
		msg, err = (&pgproto3.Bind{}).Encode(msg)
	}
	if err == nil {
		msg, err = (&pgproto3.Execute{}).Encode(msg)
	}
	if err != nil {
		return nil, err
	}
	encodedBegins.Store(begin, msg)
	return msg, nil
}

// disarm reports whether the BEGIN was never sent, and forgets it.
func (c *beginAheadConn) disarm() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	unsent := c.armed != nil
	c.armed = nil
	if unsent {
		c.commit = commitNone // armed with nothing sent
	}
	return unsent
}

func (c *beginAheadConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	if err := c.writable(p); err != nil {
		c.mu.Unlock()
		return 0, err
	}
	begin := c.armed
	if begin != nil {
		c.armed, c.answers = nil, beginAnswers
	}
	at, commit := 0, c.commit == commitArmed
	if commit {
		if at, commit = commitWith(p); commit {
			c.commit = commitSent
		}
	}
	c.mu.Unlock()
	if begin == nil && !commit {
		return c.Conn.Write(p)
	}
	bufs, added := net.Buffers{begin, p}, len(begin) // one writev on a TCP or Unix socket
	if begin != nil {
		sentAhead.Add(1)
	}
	if commit {
		committedAhead.Add(1)
		bufs, added = net.Buffers{begin, p[:at], commitMessages, p[at:]}, added+len(commitMessages)
	}
	n, err := bufs.WriteTo(c.Conn)
	return min(len(p), max(0, int(n)-added)), err
}

func (c *beginAheadConn) Read(p []byte) (int, error) {
	for {
		if len(c.out) > 0 {
			n := copy(p, c.out)
			c.out = c.out[n:]
			return n, nil
		}
		if c.awaiting() {
			if err := c.takeAnswer(); err != nil {
				return 0, err
			}
			continue
		}
		if c.committing() {
			if err := c.takeCommitAnswers(); err != nil {
				return 0, err
			}
			continue
		}
		if len(c.in) > 0 { // what came after the BEGIN's answers
			c.out, c.in = c.in, nil
			continue
		}
		n, err := c.Conn.Read(p)
		if n == 0 || !c.awaiting() && !c.committing() {
			return n, err
		}
		// A BEGIN went ahead while this read waited. pgx's background
		// reader, started by a slow write, may still be reading when pgx
		// has read its answer (from what the background reader read
		// before) and the next transaction begins; its read then gets
		// the BEGIN's answers. Everything pgx sent before was answered
		// and read, so these bytes start with them.
		if err != nil {
			return 0, c.fail(fmt.Errorf("begin ahead: %w", err))
		}
		c.in = append(c.in, p[:n]...)
	}
}

// awaiting reports whether answers of a BEGIN sent ahead are still to come.
func (c *beginAheadConn) awaiting() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.answers > 0
}

// takeAnswer reads the next whole message: one of the BEGIN's answers is
// dropped; a notice, a parameter's new value or a notification, which
// PostgreSQL may send at any time, goes on to pgx; anything else means the
// BEGIN failed: the connection is closed, and PostgreSQL, waiting for a
// Sync, runs nothing written behind it.
func (c *beginAheadConn) takeAnswer() error {
	msg, err := c.nextMessage(maxAnswer)
	if err != nil {
		return c.fail(fmt.Errorf("begin ahead: %w where the BEGIN's answers were due", err))
	}
	c.mu.Lock()
	want := [beginAnswers]byte{'1', '2', 'C'}[beginAnswers-c.answers]
	c.mu.Unlock()
	switch {
	case msg[0] == want:
		c.mu.Lock()
		c.answers--
		c.mu.Unlock()
		return nil
	case msg[0] == 'N' || msg[0] == 'S' || msg[0] == 'A':
		c.out = append(c.out, msg...)
		return nil
	case msg[0] == 'E':
		var e pgproto3.ErrorResponse
		if err := e.Decode(msg[5:]); err == nil {
			return c.fail(fmt.Errorf("begin ahead: %w", pgconn.ErrorResponseToPgError(&e)))
		}
	}
	return c.fail(fmt.Errorf("begin ahead: unexpected message %q", msg[0]))
}

// fail closes the connection: what was written behind the failed BEGIN
// must never run, nor the connection serve again.
func (c *beginAheadConn) fail(err error) error {
	c.Conn.Close()
	return errors.Join(err, net.ErrClosed)
}
