package dbtest

import (
	"database/sql"
	"net/url"
	"os"
	"strings"
	"testing"

	"dakflow/internal/store"
)

// Outage takes st's PostgreSQL database away, as a crash or a maintenance
// window would: new connections are refused and the open ones terminated.
// The returned function brings it back. On SQLite, an embedded file that
// cannot be down apart from the process, it reports ok = false.
func Outage(tb testing.TB, st *store.Store) (restore func(), ok bool) {
	tb.Helper()
	v, found := urls.Load(st)
	if !found {
		tb.Fatal("dbtest.Outage: the store was not opened by dbtest.Open")
	}
	raw := v.(string)
	if strings.HasPrefix(raw, "sqlite:") {
		return nil, false
	}
	u, err := url.Parse(raw)
	if err != nil {
		tb.Fatal(err)
	}
	name := strings.TrimPrefix(u.Path, "/")
	admin, err := sql.Open("pgx", os.Getenv("DAKFLOW_TEST_POSTGRES_URL"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { admin.Close() })
	exec := func(q string) {
		tb.Helper()
		if _, err := admin.Exec(q); err != nil {
			tb.Fatalf("outage: %s: %v", q, err)
		}
	}
	exec(`ALTER DATABASE ` + name + ` ALLOW_CONNECTIONS false`)
	exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '` + name + `' AND pid <> pg_backend_pid()`)
	return func() { exec(`ALTER DATABASE ` + name + ` ALLOW_CONNECTIONS true`) }, true
}
