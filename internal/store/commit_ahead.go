package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"sync/atomic"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
)

// A transaction's COMMIT can travel with its last statement, on PostgreSQL.
//
// An event that issues a document draws its number in its last statement
// (the workflow's foresight), and its kind's counter row stays locked until
// the COMMIT. With the COMMIT a round trip of its own, the row stays held
// while the statement's answer travels to the server, the server's
// goroutine waits for a core, and the COMMIT travels back; every
// transition of the kind queued behind it waits as long (at half load, one
// transition in 25 waited over 4 ms for the row, a median 7 ms, on a
// holder whose statement had run). Sent with the statement — the COMMIT's
// Parse, Bind and Execute between the statement's Execute and its Sync —
// PostgreSQL commits as soon as the statement has run, and the row is free
// before the answer leaves.
//
// The protocol keeps this safe. After an error PostgreSQL skips every
// message up to the Sync: a statement that fails leaves its transaction
// open, and aborted, for the caller's ROLLBACK, as it would without. The
// COMMIT's answers come last before ReadyForQuery; the connection takes
// them off what pgx reads, and the transaction's Commit reports what they
// said. Nothing may run after the COMMIT: until the transaction ends, the
// connection refuses to send another statement.

// commitState is where the COMMIT of a connection's transaction stands.
type commitState uint8

const (
	commitNone    commitState = iota
	commitArmed               // to go with the next statement written
	commitSent                // written with a statement; its answers not read yet
	commitDone                // answered: the transaction committed
	commitFailed              // answered with an error: the transaction is rolled back
	commitSkipped             // the statement failed, so PostgreSQL skipped it: the transaction is open, aborted
)

// commitMessages is the Parse, Bind and Execute of a COMMIT.
var commitMessages = func() []byte {
	msg, err := beginMessages("commit")
	if err != nil {
		panic(err)
	}
	return msg
}()

// maxHeld bounds the answers to a statement that carries a COMMIT, held
// until its ReadyForQuery: an event's statement returns one short row.
const maxHeld = 1 << 20

// committedAhead counts the COMMITs sent with a statement, for tests.
var committedAhead atomic.Int64

// errCommittedAhead is a rollback, or a statement, asked of a transaction
// that committed with its last statement.
var errCommittedAhead = errors.New("the transaction committed with its last statement")

// armCommit makes the next statement written carry the transaction's
// COMMIT.
func (c *beginAheadConn) armCommit() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.commit != commitNone && c.commit != commitSkipped { // skipped: a statement failed, undone to a savepoint since
		return fmt.Errorf("commit ahead: the transaction's COMMIT is already armed or sent")
	}
	c.commit = commitArmed
	return nil
}

// unarmCommit forgets a COMMIT armed and not sent.
func (c *beginAheadConn) unarmCommit() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.commit == commitArmed {
		c.commit = commitNone
	}
}

// commitWith is where the COMMIT armed goes in p, what pgx writes: before
// its closing Sync when p is whole messages ending with a Sync and holding
// an Execute (a statement prepared first writes its Parse and Sync without
// one: the COMMIT waits for the write that runs it).
func commitWith(p []byte) (at int, ok bool) {
	execute := false
	last, i := byte(0), 0
	for i < len(p) {
		if len(p)-i < 5 {
			return 0, false
		}
		size := int(binary.BigEndian.Uint32(p[i+1 : i+5]))
		if size < 4 || size > len(p)-i-1 {
			return 0, false
		}
		last = p[i]
		execute = execute || last == 'E'
		at, i = i, i+1+size
	}
	return at, execute && last == 'S' && len(p)-at == 5
}

// isTerminate reports whether p is pgx's Terminate, written as it closes
// a connection: allowed whatever the transaction's state.
func isTerminate(p []byte) bool {
	return len(p) == 5 && p[0] == 'X'
}

// committing reports whether the answers to a statement carrying the
// COMMIT are still to be read.
func (c *beginAheadConn) committing() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.commit == commitSent
}

// takeCommitAnswers reads the answers to the statement that carried the
// COMMIT, up to their ReadyForQuery, and leaves for pgx all but the
// COMMIT's. ReadyForQuery tells what happened: idle, the COMMIT ran, and
// its answers are the last before it (ParseComplete, BindComplete,
// CommandComplete; an ErrorResponse at any of them); in a failed
// transaction, the statement failed and PostgreSQL skipped the COMMIT.
func (c *beginAheadConn) takeCommitAnswers() error {
	var msgs [][]byte
	held := 0
	for {
		msg, err := c.nextMessage(maxHeld)
		if err != nil {
			return c.fail(fmt.Errorf("commit ahead: %w", err))
		}
		if held += len(msg); held > maxHeld {
			return c.fail(fmt.Errorf("commit ahead: over %d bytes of answers before ReadyForQuery", maxHeld))
		}
		msgs = append(msgs, msg)
		if msg[0] == 'Z' {
			break
		}
	}
	ready := msgs[len(msgs)-1]
	state, commitErr := commitSkipped, error(nil)
	if len(ready) == 6 && ready[5] == 'I' {
		drop := make([]bool, len(msgs))
		// before is the last message before i that is not an async one
		// (a notice, a parameter, a notification), -1 for none.
		before := func(i int) int {
			for i--; i >= 0 && (msgs[i][0] == 'N' || msgs[i][0] == 'S' || msgs[i][0] == 'A'); i-- {
			}
			return i
		}
		i := before(len(msgs) - 1)
		switch {
		case i >= 0 && msgs[i][0] == 'C' && string(msgs[i][5:]) == "COMMIT\x00":
			state = commitDone
			drop[i] = true
			for _, want := range []byte{'2', '1'} {
				if i = before(i); i < 0 || msgs[i][0] != want {
					return c.fail(fmt.Errorf("commit ahead: the COMMIT's answers out of order"))
				}
				drop[i] = true
			}
		case i >= 0 && msgs[i][0] == 'E':
			var e pgproto3.ErrorResponse
			if err := e.Decode(msgs[i][5:]); err != nil {
				return c.fail(fmt.Errorf("commit ahead: %w", err))
			}
			state, commitErr = commitFailed, pgconn.ErrorResponseToPgError(&e)
			drop[i] = true
			for _, want := range []byte{'2', '1'} { // the answers before the COMMIT's failed step
				if j := before(i); j >= 0 && msgs[j][0] == want {
					drop[j], i = true, j
				}
			}
		default:
			return c.fail(fmt.Errorf("commit ahead: the transaction ended without the COMMIT's answer"))
		}
		kept := msgs[:0]
		for i, m := range msgs {
			if !drop[i] {
				kept = append(kept, m)
			}
		}
		msgs = kept
	}
	c.mu.Lock()
	c.commit, c.commitErr = state, commitErr
	c.mu.Unlock()
	for _, m := range msgs {
		c.out = append(c.out, m...)
	}
	return nil
}

// nextMessage takes the next whole message off what was read, reading
// more as needed; a message longer than limit is not an answer expected.
func (c *beginAheadConn) nextMessage(limit int) ([]byte, error) {
	for len(c.in) < 5 || len(c.in) < 1+int(binary.BigEndian.Uint32(c.in[1:5])) {
		if len(c.in) >= 5 {
			if l := binary.BigEndian.Uint32(c.in[1:5]); l < 4 || l > uint32(limit) {
				return nil, fmt.Errorf("a message %q of %d bytes", c.in[0], l)
			}
		}
		n, err := c.Conn.Read(c.scratch[:])
		c.in = append(c.in, c.scratch[:n]...)
		if err != nil && n == 0 {
			return nil, err
		}
	}
	size := 1 + int(binary.BigEndian.Uint32(c.in[1:5]))
	msg := c.in[:size:size]
	c.in = c.in[size:]
	return msg, nil
}

// endCommit reports whether the transaction's COMMIT went with a
// statement and what it answered — nil: committed; rolledBack: PostgreSQL
// refused it and rolled the transaction back — and forgets it: the
// transaction has ended.
func (c *beginAheadConn) endCommit() (sent, rolledBack bool, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	state, err := c.commit, c.commitErr
	c.commit, c.commitErr = commitNone, nil
	switch state {
	case commitDone:
		return true, false, nil
	case commitFailed:
		return true, true, err
	case commitSent: // its answers never read: the connection broke, the outcome unknown
		return true, false, errors.Join(errors.New("commit ahead: no answer"), net.ErrClosed)
	}
	return false, false, nil // none, armed and never sent, or skipped: COMMIT or ROLLBACK goes as usual
}

// writable reports whether p may be written in the transaction's COMMIT
// state: nothing but a Terminate after the COMMIT went.
func (c *beginAheadConn) writable(p []byte) error {
	switch c.commit {
	case commitSent, commitDone, commitFailed:
		if !isTerminate(p) {
			return errCommittedAhead
		}
	}
	return nil
}
