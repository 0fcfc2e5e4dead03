package store_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
)

// TestCommitAheadAnswers: a COMMIT armed goes with the next write that
// runs a statement — its Parse, Bind and Execute before the statement's
// Sync — and not with a write that only prepares one. Its answers come
// last before ReadyForQuery; the connection takes them off, whatever shape
// they come in, hands pgx the statement's answers and any notice as they
// came, and tells the transaction what the COMMIT answered: committed,
// refused (the transaction is then rolled back), or skipped because the
// statement failed (the transaction is open for a ROLLBACK). Until the
// transaction ends, the connection sends nothing after the COMMIT but
// pgx's Terminate.
func TestCommitAheadAnswers(t *testing.T) {
	prepare := encode(t, &pgproto3.Parse{Name: "s1", Query: "INSERT INTO t VALUES ($1)"}, &pgproto3.Describe{ObjectType: 'S', Name: "s1"}, &pgproto3.Sync{})
	run := encode(t, &pgproto3.Bind{PreparedStatement: "s1"}, &pgproto3.Describe{ObjectType: 'P'}, &pgproto3.Execute{})
	sync := encode(t, &pgproto3.Sync{})
	commit := encode(t, &pgproto3.Parse{Query: "commit"}, &pgproto3.Bind{}, &pgproto3.Execute{})

	statement := encode(t, &pgproto3.BindComplete{}, &pgproto3.NoData{}, &pgproto3.CommandComplete{CommandTag: []byte("INSERT 0 1")})
	committed := encode(t, &pgproto3.ParseComplete{}, &pgproto3.BindComplete{}, &pgproto3.CommandComplete{CommandTag: []byte("COMMIT")})
	notice := encode(t, &pgproto3.NoticeResponse{Severity: "NOTICE", Message: "pemberitahuan"})
	refused := encode(t, &pgproto3.ErrorResponse{Severity: "ERROR", Code: "23505", Message: "duplicate key value violates unique constraint"})
	idle := encode(t, &pgproto3.ReadyForQuery{TxStatus: 'I'})
	failed := encode(t, &pgproto3.ReadyForQuery{TxStatus: 'E'})
	statementRefused := encode(t, &pgproto3.BindComplete{}, &pgproto3.NoData{},
		&pgproto3.ErrorResponse{Severity: "ERROR", Code: "23502", Message: "null value in column"})

	cases := []struct {
		name    string
		server  [][]byte // what the server writes, write by write
		want    []byte   // what pgx reads
		sent    bool     // the COMMIT ran
		errCode string   // and failed with this code
	}{
		{name: "committed", server: [][]byte{slices.Concat(statement, committed, idle)}, want: slices.Concat(statement, idle), sent: true},
		{name: "committed, byte by byte", server: split(slices.Concat(statement, committed, idle), 1), want: slices.Concat(statement, idle), sent: true},
		{name: "a notice among the COMMIT's answers", server: split(slices.Concat(statement, committed[:5], notice, committed[5:], idle), 6),
			want: slices.Concat(statement, notice, idle), sent: true},
		{name: "the COMMIT refused", server: [][]byte{slices.Concat(statement, committed[:10], refused, idle)},
			want: slices.Concat(statement, idle), sent: true, errCode: "23505"},
		{name: "the statement refused", server: split(slices.Concat(statementRefused, failed), 4), want: slices.Concat(statementRefused, failed)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			conn, server := pipeConn(t)

			// takes reads what the client wrote until it ends with want's end.
			takes := func(n int) []byte {
				buf := make([]byte, n)
				if _, err := readFull(server, buf); err != nil {
					t.Fatal(err)
				}
				return buf
			}
			if err := conn.ArmCommit(); err != nil {
				t.Fatal(err)
			}
			// A write that prepares, and runs nothing, goes as it is.
			go conn.Write(prepare)
			if got := takes(len(prepare)); !bytes.Equal(got, prepare) {
				t.Fatalf("the prepare went as %q, want it alone", got)
			}
			wrote := make(chan error, 1)
			go func() {
				_, err := conn.Write(slices.Concat(run, sync))
				wrote <- err
			}()
			want := slices.Concat(run, commit, sync)
			if got := takes(len(want)); !bytes.Equal(got, want) {
				t.Fatalf("the statement went as %q\nwant %q", got, want)
			}
			if err := <-wrote; err != nil {
				t.Fatal(err)
			}
			go func() {
				for _, w := range c.server {
					if _, err := server.Write(w); err != nil {
						return
					}
				}
			}()
			got := make([]byte, 0, len(c.want))
			buf := make([]byte, 3) // small reads: pgx's may end anywhere
			for len(got) < len(c.want) {
				n, err := conn.Read(buf)
				got = append(got, buf[:n]...)
				if err != nil {
					t.Fatalf("read %q: %v", got, err)
				}
			}
			if !bytes.Equal(got, c.want) {
				t.Fatalf("pgx read %q\nwant %q", got, c.want)
			}
			if c.sent {
				if _, err := conn.Write(slices.Concat(run, sync)); err == nil {
					t.Fatal("a statement went after the COMMIT")
				}
			}
			sent, err := conn.EndCommit()
			var pgErr *pgconn.PgError
			switch {
			case sent != c.sent:
				t.Errorf("the COMMIT ran: %v, want %v", sent, c.sent)
			case c.errCode == "" && err != nil:
				t.Errorf("the COMMIT answered %v, want nothing wrong", err)
			case c.errCode != "" && (!errors.As(err, &pgErr) || pgErr.Code != c.errCode):
				t.Errorf("the COMMIT answered %v, want the error %s", err, c.errCode)
			}
			// The transaction over, the connection writes again.
			go conn.Write(sync)
			if got := takes(len(sync)); !bytes.Equal(got, sync) {
				t.Fatalf("after the transaction %q went, want a Sync", got)
			}
		})
	}
}

// readFull reads len(buf) bytes from c.
func readFull(c net.Conn, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := c.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// TestCommitAheadOnPostgres: a COMMIT sent with a transaction's last
// statement commits it as that statement runs — another connection sees
// the row before the transaction's Commit is called — and the rest is as
// with a COMMIT of its own: a statement refused leaves nothing, and its
// transaction is rolled back as usual; a COMMIT refused (a deferred
// constraint) fails the transaction at its Commit, with nothing kept; no
// statement can follow the COMMIT; and the pool's connections serve on.
func TestCommitAheadOnPostgres(t *testing.T) {
	st := dbtest.Open(t)
	if st.Dialect() != store.Postgres {
		t.Skip("PostgreSQL's protocol; SQLite has no round trips")
	}
	ctx := context.Background()
	if err := st.Exec(ctx, `CREATE TABLE commit_ahead (id int PRIMARY KEY, v int,
		CONSTRAINT commit_ahead_v UNIQUE (v) DEFERRABLE INITIALLY DEFERRED)`); err != nil {
		t.Fatal(err)
	}
	ids := func() (out []int) {
		t.Helper()
		if err := st.Query(ctx, &out, `SELECT id FROM commit_ahead ORDER BY id`); err != nil {
			t.Fatal(err)
		}
		return out
	}
	// insert writes the rows (id, v) in one transaction, a statement
	// each, the COMMIT armed before the last; seen is what another
	// connection sees after it. The statements take arguments: pgx sends
	// one without by the simple protocol, which carries no COMMIT.
	insert := func(rows ...[2]int) (seen []int, err error) {
		err = st.InTx(ctx, func(tx *store.Tx) error {
			for i, r := range rows {
				if i == len(rows)-1 {
					if ok, err := tx.CommitWithNext(); !ok || err != nil {
						t.Fatalf("CommitWithNext = %v, %v", ok, err)
					}
				}
				if err := tx.Exec(`INSERT INTO commit_ahead VALUES (?, ?)`, r[0], r[1]); err != nil {
					return err
				}
			}
			seen = ids()
			return nil
		})
		return seen, err
	}

	sent := store.CommitsSentAhead()
	seen, err := insert([2]int{1, 1}, [2]int{2, 2})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(seen, []int{1, 2}) {
		t.Errorf("before its Commit another connection saw %v, want the rows committed with the last statement", seen)
	}
	if store.CommitsSentAhead() != sent+1 {
		t.Errorf("COMMITs sent ahead: %d, want 1", store.CommitsSentAhead()-sent)
	}

	// A statement refused: the COMMIT behind it is skipped.
	_, err = insert([2]int{3, 3}, [2]int{1, 4})
	if !uniqueViolation(err) {
		t.Errorf("a refused last statement = %v, want its unique violation", err)
	}
	// The COMMIT refused: the deferred constraint.
	if _, err := insert([2]int{5, 5}, [2]int{6, 1}); !uniqueViolation(err) {
		t.Errorf("a refused COMMIT = %v, want the deferred unique violation", err)
	}
	if got := ids(); !slices.Equal(got, []int{1, 2}) {
		t.Errorf("rows %v after the refusals, want 1 and 2 alone", got)
	}

	// Nothing after the COMMIT.
	err = st.InTx(ctx, func(tx *store.Tx) error {
		if _, err := tx.CommitWithNext(); err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO commit_ahead VALUES (?, ?)`, 7, 7); err != nil {
			return err
		}
		return tx.Exec(`INSERT INTO commit_ahead VALUES (?, ?)`, 8, 8)
	})
	if err == nil {
		t.Error("a statement after the COMMIT went")
	}
	if got := ids(); !slices.Equal(got, []int{1, 2, 7}) {
		t.Errorf("rows %v, want 1, 2 and 7 (committed), not 8", got)
	}

	for i := range 20 { // more than the pool's connections: none is left broken
		if _, err := insert([2]int{10 + i, 10 + i}); err != nil {
			t.Fatalf("transaction %d after: %v", i, err)
		}
	}
	if err := st.InTx(ctx, func(tx *store.Tx) error { return tx.Exec(`INSERT INTO commit_ahead VALUES (?, ?)`, 100, 100) }); err != nil {
		t.Fatal(err)
	}
	if got := ids(); len(got) != 24 || got[23] != 100 {
		t.Errorf("rows %v, want 24 ending at 100", got)
	}

	// A statement refused behind a savepoint, undone to it: the
	// transaction goes on, and its last statement carries the COMMIT.
	if err := st.InTx(ctx, func(tx *store.Tx) error {
		refused := tx.Part("sp", func() error {
			if _, err := tx.CommitWithNext(); err != nil {
				return err
			}
			return tx.Exec(`INSERT INTO commit_ahead VALUES (?, ?)`, 1, 50)
		})
		if !uniqueViolation(refused) {
			t.Errorf("the part = %v, want its unique violation", refused)
		}
		if _, err := tx.CommitWithNext(); err != nil {
			return err
		}
		return tx.Exec(`INSERT INTO commit_ahead VALUES (?, ?)`, 50, 50)
	}); err != nil {
		t.Fatal(err)
	}
	if got := ids(); len(got) != 25 || got[24] != 100 || !slices.Contains(got, 50) {
		t.Errorf("rows %v, want 50 among 25", got)
	}
}

// uniqueViolation reports whether err is PostgreSQL's unique violation.
func uniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}
