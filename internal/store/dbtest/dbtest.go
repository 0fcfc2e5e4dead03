// Package dbtest opens a migrated, empty database for a test: a fresh
// SQLite file, or a fresh PostgreSQL database when DAKFLOW_TEST_DATABASE is
// "postgres". In that mode a missing server fails the test, never skips it.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver to create and drop test databases
	"golang.org/x/crypto/bcrypt"

	"dakflow/internal/store"
	"dakflow/migrations"
)

// Engine is the database engine tests run against.
func Engine() string {
	if os.Getenv("DAKFLOW_TEST_DATABASE") == "postgres" {
		return "postgres"
	}
	return "sqlite"
}

// URL creates an empty database and returns its URL, dropped at cleanup.
func URL(tb testing.TB) string {
	tb.Helper()
	if Engine() == "sqlite" {
		return "sqlite:" + filepath.Join(tb.TempDir(), "dakflow.db")
	}
	return createPostgres(tb, "")
}

// MigratedURL creates a database with every migration applied (a copy of
// the template) and returns its URL, dropped at cleanup.
func MigratedURL(tb testing.TB) string {
	tb.Helper()
	if Engine() == "sqlite" {
		return migratedSQLite(tb)
	}
	if os.Getenv("DAKFLOW_TEST_POSTGRES_URL") == "" {
		tb.Fatal("DAKFLOW_TEST_DATABASE=postgres but DAKFLOW_TEST_POSTGRES_URL is not set")
	}
	tpl, err := postgresTemplate()
	if err != nil {
		tb.Fatalf("dbtest: PostgreSQL template: %v", err)
	}
	return createPostgres(tb, tpl)
}

// createPostgres creates a database with a random name, from template when
// one is given, dropped at cleanup.
func createPostgres(tb testing.TB, template string) string {
	tb.Helper()
	base := os.Getenv("DAKFLOW_TEST_POSTGRES_URL")
	if base == "" {
		tb.Fatal("DAKFLOW_TEST_DATABASE=postgres but DAKFLOW_TEST_POSTGRES_URL is not set")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("open postgres: %v", err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "dakflow_t_" + hex.EncodeToString(b)
	create := "CREATE DATABASE " + name
	if template != "" {
		create += " TEMPLATE " + template
	}
	if _, err := admin.Exec(create); err != nil {
		tb.Fatalf("create test database (is PostgreSQL running? see .ci/run): %v", err)
	}
	tb.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		_, _ = a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	return withDatabase(base, name)
}

// Open returns a migrated store on a fresh database, closed at cleanup.
func Open(tb testing.TB) *store.Store {
	tb.Helper()
	url := MigratedURL(tb)
	st, err := store.Open(url)
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	st.SetPasswordCost(bcrypt.MinCost) // tests hash many passwords
	tb.Cleanup(func() { st.Close() })
	// Nothing left to apply on a copy of the template; this checks that.
	if done, err := st.Migrate(context.Background(), migrations.FS); err != nil || len(done) > 0 {
		tb.Fatalf("migrate: %v (%d applied on a migrated database)", err, len(done))
	}
	urls.Store(st, url)
	tb.Cleanup(func() { urls.Delete(st) })
	return st
}
