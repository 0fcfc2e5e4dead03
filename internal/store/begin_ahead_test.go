package store_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"dakflow/internal/dak"
	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
)

// encode encodes PostgreSQL's protocol messages, a client's or a server's.
func encode(t testing.TB, msgs ...interface{ Encode([]byte) ([]byte, error) }) []byte {
	t.Helper()
	var out []byte
	for _, m := range msgs {
		var err error
		if out, err = m.Encode(out); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// pipeConn is a connection as the pools wrap it, on one end of a pipe
// whose other end plays PostgreSQL; both close when the test ends.
func pipeConn(t *testing.T) (store.AheadConn, net.Conn) {
	client, server := net.Pipe()
	conn := store.BeginAheadConn(client)
	t.Cleanup(func() {
		conn.Close()
		server.Close()
	})
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	server.SetDeadline(time.Now().Add(5 * time.Second))
	return conn, server
}

// TestBeginAheadAnswers: a BEGIN sent ahead of a statement is answered
// first (ParseComplete, BindComplete, CommandComplete); the connection takes
// those three off whatever shape they come in, and hands pgx the rest as it
// came: the statement's answer, and a notice PostgreSQL sent among them.
// The read that pgx's background reader leaves waiting after a slow write
// may be under way when the next transaction's BEGIN goes: its bytes start
// with the BEGIN's answers too (without this, pgx took the BEGIN's
// CommandComplete for the statement's and every answer after it for the
// statement before: a draft was told the id of another's). A refused BEGIN
// closes the connection.
func TestBeginAheadAnswers(t *testing.T) {
	begun := encode(t, &pgproto3.ParseComplete{}, &pgproto3.BindComplete{}, &pgproto3.CommandComplete{CommandTag: []byte("BEGIN")})
	answer := encode(t, &pgproto3.BindComplete{}, &pgproto3.CommandComplete{CommandTag: []byte("UPDATE 1")},
		&pgproto3.ReadyForQuery{TxStatus: 'T'})
	notice := encode(t, &pgproto3.NoticeResponse{Severity: "NOTICE", Message: "pemberitahuan"})
	statement := []byte("B-E-S: the statement's messages")
	cases := []struct {
		name      string
		server    [][]byte // what the server writes, write by write
		want      []byte   // what pgx reads
		readFirst bool     // a read waits before the BEGIN goes
		refused   bool
	}{
		{name: "in one write", server: [][]byte{slices.Concat(begun, answer)}, want: answer},
		{name: "byte by byte", server: split(slices.Concat(begun, answer), 1), want: answer},
		{name: "a notice among them", server: [][]byte{slices.Concat(begun[:5], begun[5:10], notice, begun[10:], answer)}, want: slices.Concat(notice, answer)},
		{name: "a read already waiting", server: [][]byte{slices.Concat(begun, answer)}, want: answer, readFirst: true},
		{name: "a read already waiting, in pieces", server: split(slices.Concat(begun, answer), 7), want: answer, readFirst: true},
		{name: "refused", server: [][]byte{encode(t, &pgproto3.ErrorResponse{Severity: "ERROR", Code: "42601", Message: "syntax error"})}, refused: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			conn, server := pipeConn(t)

			got := make(chan []byte, 1)
			readErr := make(chan error, 1)
			read := func() {
				var out []byte
				buf := make([]byte, 3) // small reads: pgx's may end anywhere
				for len(out) < len(c.want) || c.refused {
					n, err := conn.Read(buf)
					out = append(out, buf[:n]...)
					if err != nil {
						readErr <- err
						break
					}
				}
				got <- out
			}
			if c.readFirst {
				go read()
				time.Sleep(20 * time.Millisecond) // the read is waiting on the pipe
			}
			// The server takes the BEGIN and the statement, then answers.
			served := make(chan []byte, 1)
			go func() {
				var in []byte
				buf := make([]byte, 256)
				for !bytes.HasSuffix(in, statement) {
					n, err := server.Read(buf)
					in = append(in, buf[:n]...)
					if err != nil {
						break
					}
				}
				served <- in
				for _, w := range c.server {
					if _, err := server.Write(w); err != nil {
						return
					}
				}
			}()
			if err := conn.Arm("begin"); err != nil {
				t.Fatal(err)
			}
			if _, err := conn.Write(statement); err != nil {
				t.Fatal(err)
			}
			in := <-served
			var parse pgproto3.Parse
			if in[0] != 'P' || parse.Decode(in[5:len(in)-len(statement)-len(bindExecute(t))]) != nil || parse.Query != "begin" {
				t.Fatalf("the server got %q: want the BEGIN's Parse, Bind and Execute, then the statement", in)
			}
			if !c.readFirst {
				go read()
			}
			out := <-got
			if c.refused {
				if err := <-readErr; err == nil || errors.Is(err, io.EOF) {
					t.Fatalf("a refused BEGIN read as %v: want its error", err)
				}
				if _, err := conn.Write(statement); err == nil {
					t.Fatal("the connection of a refused BEGIN still writes: want it closed")
				}
				return
			}
			if !bytes.Equal(out, c.want) {
				t.Fatalf("pgx read %q\nwant %q", out, c.want)
			}
		})
	}
}

// bindExecute is the BEGIN's Bind and Execute, as sent after its Parse.
func bindExecute(t testing.TB) []byte {
	out, err := (&pgproto3.Bind{}).Encode(nil)
	if err == nil {
		out, err = (&pgproto3.Execute{}).Encode(out)
	}
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// split cuts b into pieces of n bytes.
func split(b []byte, n int) [][]byte {
	var out [][]byte
	for len(b) > n {
		out, b = append(out, b[:n]), b[n:]
	}
	return append(out, b)
}

// TestBeginAheadOnPostgres: a transaction's BEGIN goes with its first
// statement, and it is still one transaction: what it wrote commits, or
// is undone whole when it fails; a transaction that sends nothing sends no
// BEGIN; a read transaction keeps one snapshot (REPEATABLE READ went ahead
// too). A BEGIN that PostgreSQL refuses runs nothing written behind it
// (the BEGIN goes without a Sync, and PostgreSQL skips to the next Sync
// after an error), and the pool goes on with new connections.
func TestBeginAheadOnPostgres(t *testing.T) {
	st := dbtest.Open(t)
	if st.Dialect() != store.Postgres {
		t.Skip("PostgreSQL's protocol; SQLite has no round trips")
	}
	ctx := context.Background()
	counter := func() (n int64) {
		t.Helper()
		if err := st.Query(ctx, &n, `SELECT COALESCE((SELECT last FROM counters WHERE kind = 'uji' AND year = 2030), 0)`); err != nil {
			t.Fatal(err)
		}
		return n
	}
	draw := func(tx *store.Tx) error { _, err := tx.NextNumber("uji", 2030); return err }

	sent := store.BeginsSentAhead()
	if err := st.InTx(ctx, func(*store.Tx) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if store.BeginsSentAhead() != sent {
		t.Error("a transaction without statements sent a BEGIN")
	}
	if err := st.InTx(ctx, draw); err != nil {
		t.Fatal(err)
	}
	if store.BeginsSentAhead() != sent+1 {
		t.Errorf("BEGINs sent ahead: %d, want %d", store.BeginsSentAhead()-sent, 1)
	}
	after := counter()
	failed := errors.New("gagal")
	if err := st.InTx(ctx, func(tx *store.Tx) error {
		if err := draw(tx); err != nil {
			return err
		}
		return failed
	}); !errors.Is(err, failed) {
		t.Fatalf("a failing transaction: %v", err)
	}
	if counter() != after {
		t.Errorf("a failed transaction's draw stayed: counter %d, want %d", counter(), after)
	}

	// One snapshot in a read transaction: an account created meanwhile
	// is not seen by its second read.
	if err := st.ReadTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.UsersWithRole(dak.RoleAdmin, ""); err != nil {
			return err
		}
		schemaUser(t, st, dak.User{Username: "auditor-baru", FullName: "Auditor Baru", Role: dak.RoleAuditor})
		auditors, err := tx.UsersWithRole(dak.RoleAuditor, "")
		if len(auditors) != 0 {
			t.Errorf("a read transaction saw an account created after its first read: %v", auditors)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}

	restore := store.BreakBegin()
	err := st.InTx(ctx, draw)
	restore()
	if err == nil {
		t.Fatal("a transaction whose BEGIN was refused succeeded")
	}
	if counter() != after {
		t.Errorf("the draw behind a refused BEGIN ran: counter %d, want %d", counter(), after)
	}
	for range 20 { // more than the pool's connections: none is left broken
		if err := st.InTx(ctx, draw); err != nil {
			t.Fatalf("after a refused BEGIN: %v", err)
		}
	}
	if counter() != after+20 {
		t.Errorf("counter %d after 20 draws, want %d", counter(), after+20)
	}
}

// TestBeginAheadOff: with begin_ahead=off in the database URL every
// transaction begins with a BEGIN of its own, and all the rest is as it was.
func TestBeginAheadOff(t *testing.T) {
	if dbtest.Engine() != "postgres" {
		t.Skip("PostgreSQL's protocol")
	}
	u, err := url.Parse(dbtest.MigratedURL(t))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("begin_ahead", "off")
	u.RawQuery = q.Encode()
	st, err := store.Open(u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	sent := store.BeginsSentAhead()
	for range 3 {
		if err := st.InTx(ctx, func(tx *store.Tx) error { _, err := tx.NextNumber("uji", 2030); return err }); err != nil {
			t.Fatal(err)
		}
	}
	var last int64
	if err := st.Query(ctx, &last, `SELECT last FROM counters WHERE kind = 'uji' AND year = 2030`); err != nil || last != 3 {
		t.Fatalf("counter after three draws: %d, %v; want 3", last, err)
	}
	if n := store.BeginsSentAhead() - sent; n != 0 {
		t.Errorf("begin_ahead=off sent %d BEGINs ahead, want none", n)
	}
}

// BenchmarkBeginAhead: one transaction of a locking read and an update,
// on a pool whose BEGIN goes with the first statement (the store's) and on
// one whose BEGIN is a round trip of its own (pgx's database/sql driver as
// it comes). Compare the two ns/op of one run.
func BenchmarkBeginAhead(b *testing.B) {
	if dbtest.Engine() != "postgres" {
		b.Skip("PostgreSQL's protocol")
	}
	url := dbtest.URL(b)
	for _, pool := range []struct {
		name  string
		ahead bool
	}{{"ahead", true}, {"separate", false}} {
		b.Run(pool.name, func(b *testing.B) {
			db, err := store.PostgresPool(url, pool.ahead)
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Exec(`CREATE TABLE IF NOT EXISTS uji (id int PRIMARY KEY, v int);
				INSERT INTO uji VALUES (1, 0) ON CONFLICT DO NOTHING`); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				tx, err := db.Begin()
				if err != nil {
					b.Fatal(err)
				}
				var v int
				if err := tx.QueryRow(`SELECT v FROM uji WHERE id = $1 FOR UPDATE`, 1).Scan(&v); err != nil {
					b.Fatal(err)
				}
				if _, err := tx.Exec(`UPDATE uji SET v = $1 WHERE id = $2`, v+1, 1); err != nil {
					b.Fatal(err)
				}
				if err := tx.Commit(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
