package dbtest

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"dakflow/internal/store"
	"dakflow/migrations"
)

// A migrated database is made once per migration set and engine, then
// copied for each test: running every migration for each of the suite's
// hundreds of databases was a large part of its time. The migrations
// themselves are still run from scratch by the migrations package's tests
// and by each template's first making.

// schemaHash names the current migration set: any change to a migration
// file makes a new template.
var schemaHash = sync.OnceValues(func() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(migrations.FS, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s %d\n", path, len(body))
		h.Write(body)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:16], err
})

// migrate opens url, migrates it and closes it.
func migrate(url string) error {
	st, err := store.Open(url)
	if err != nil {
		return err
	}
	_, err = st.Migrate(context.Background(), migrations.FS)
	return errors.Join(err, st.Close())
}

// sqliteTemplate is the bytes of a migrated SQLite file, kept in the user's
// cache directory between runs (written whole, then renamed into place, so
// that test processes running side by side never see half a file).
var sqliteTemplate = sync.OnceValues(func() ([]byte, error) {
	hash, err := schemaHash()
	if err != nil {
		return nil, err
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	dir = filepath.Join(dir, "dakflow-test")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "schema-"+hash+".db")
	if body, err := os.ReadFile(path); err == nil {
		return body, nil
	}
	tmp, err := os.MkdirTemp(dir, "make-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	file := filepath.Join(tmp, "schema.db")
	if err := migrate("sqlite:" + file); err != nil { // closing checkpoints the WAL into the file
		return nil, fmt.Errorf("migrate the template: %w", err)
	}
	body, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	if err := os.Rename(file, path); err != nil {
		return nil, err
	}
	return body, nil
})

// migratedSQLite writes a copy of the template to a fresh file.
func migratedSQLite(tb testing.TB) string {
	tb.Helper()
	body, err := sqliteTemplate()
	if err != nil {
		tb.Fatalf("dbtest: SQLite template: %v", err)
	}
	path := filepath.Join(tb.TempDir(), "dakflow.db")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		tb.Fatal(err)
	}
	return "sqlite:" + path
}

// postgresTemplate is the name of a migrated PostgreSQL database that new
// test databases are created from (CREATE DATABASE … TEMPLATE). Test
// processes share it under an advisory lock; it stays between runs. When
// a new one is made, a template of another migration set is dropped once
// it is a day old (its comment says when it was made): another checkout's
// run on the same server — a branch, a CI clone — may be using it now.
var postgresTemplate = sync.OnceValues(func() (string, error) {
	hash, err := schemaHash()
	if err != nil {
		return "", err
	}
	name := "dakflow_tpl_" + hash
	base := os.Getenv("DAKFLOW_TEST_POSTGRES_URL")
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", err
	}
	defer admin.Close()
	ctx := context.Background()
	conn, err := admin.Conn(ctx)
	if err != nil {
		return "", fmt.Errorf("connect (is PostgreSQL running? see .ci/run): %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(727002)`); err != nil {
		return "", err
	}
	defer func() { _, _ = conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock(727002)`) }()
	var exists bool
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	// A half-made one is abandoned (they are made under the lock held).
	rows, err := conn.QueryContext(ctx, `SELECT datname, COALESCE(shobj_description(oid, 'pg_database'), '') FROM pg_database
		WHERE datname LIKE 'dakflow\_tpl\_%' OR datname LIKE 'dakflow\_mk\_%'`)
	if err != nil {
		return "", err
	}
	var stale []string
	for rows.Next() {
		var n, comment string
		if err := rows.Scan(&n, &comment); err != nil {
			rows.Close()
			return "", err
		}
		made, err := time.Parse(time.RFC3339, strings.TrimPrefix(comment, templateComment))
		if strings.HasPrefix(n, "dakflow_mk_") || err != nil || time.Since(made) > 24*time.Hour {
			stale = append(stale, n)
		}
	}
	rows.Close()
	for _, n := range stale {
		if _, err := conn.ExecContext(ctx, `DROP DATABASE IF EXISTS `+n+` WITH (FORCE)`); err != nil {
			return "", err
		}
	}
	making := "dakflow_mk_" + hash
	if _, err := conn.ExecContext(ctx, `CREATE DATABASE `+making); err != nil {
		return "", err
	}
	if err := migrate(withDatabase(base, making)); err != nil {
		return "", fmt.Errorf("migrate the template: %w", err)
	}
	// Renamed only once whole: a template never holds half a schema.
	if _, err := conn.ExecContext(ctx, `ALTER DATABASE `+making+` RENAME TO `+name); err != nil {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, `COMMENT ON DATABASE `+name+` IS '`+templateComment+time.Now().UTC().Format(time.RFC3339)+`'`); err != nil {
		return "", err
	}
	return name, nil
})

// templateComment begins a template's comment, followed by when it was made.
const templateComment = "dakflow test template, made "

// withDatabase is the URL base with another database name.
func withDatabase(base, name string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	u.Path = "/" + name
	return u.String()
}
