package store_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
)

// TestMigrationVersionsUnique: two files of one engine with the same
// number are refused, naming both, before anything is applied — one would
// otherwise silently replace the other (issue 9, bug 5). The same number
// in the other engine's directory is that engine's business.
func TestMigrationVersionsUnique(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	dir, other := "sqlite", "postgres"
	if st.Dialect() == store.Postgres {
		dir, other = other, dir
	}
	table := &fstest.MapFile{Data: []byte("CREATE TABLE uji_migrasi (x INTEGER);\n")}
	dup := fstest.MapFS{
		dir + "/0001_init.sql":         table,
		dir + "/0002_tambah_kolom.sql": table,
		dir + "/0002_indeks.sql":       table,
	}
	for name, run := range map[string]func() error{
		"Migrate":         func() error { _, err := st.Migrate(ctx, dup); return err },
		"MigrationStatus": func() error { _, err := st.MigrationStatus(ctx, dup); return err },
		"Pending":         func() error { _, err := st.Pending(ctx, dup); return err },
	} {
		err := run()
		if err == nil || !strings.Contains(err.Error(), dir+"/0002_indeks.sql") || !strings.Contains(err.Error(), dir+"/0002_tambah_kolom.sql") {
			t.Errorf("%s with two migrations 0002 = %v, want an error naming both files", name, err)
		}
	}
	var n int64
	if err := st.Query(ctx, &n, `SELECT COUNT(*) FROM schema_migrations WHERE name = '0002_indeks.sql' OR name = '0002_tambah_kolom.sql'`); err != nil || n != 0 {
		t.Errorf("applied %d of the clashing migrations (%v), want none", n, err)
	}

	apart := fstest.MapFS{dir + "/0001_init.sql": table, other + "/0001_init.sql": table, other + "/0001_lain.sql": table}
	if _, err := st.MigrationStatus(ctx, apart); err != nil {
		t.Errorf("MigrationStatus with a clash in the %s directory only = %v, want it ignored", other, err)
	}
}
