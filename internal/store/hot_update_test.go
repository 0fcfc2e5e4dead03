package store_test

import (
	"database/sql"
	"slices"
	"testing"
	"time"

	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
)

// TestTransitionsUpdateInPlace: on PostgreSQL a transition's save of its
// proposal is an in-place (HOT) update, which writes no index entry —
// possible only while no index of proposals covers a column a transition
// writes, and while a page has room for the row's new version (fillfactor,
// migration 0021). It checks the indexes' columns, then runs transitions
// and reads PostgreSQL's count of HOT updates.
func TestTransitionsUpdateInPlace(t *testing.T) {
	if dbtest.Engine() != "postgres" {
		t.Skip("PostgreSQL's HOT updates; SQLite updates rows otherwise")
	}
	url := dbtest.MigratedURL(t)
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	// What a transition never changes: the row's identity and what it was
	// filed with, its sentra, and the BAST number (set once, at completion).
	unchanged := []string{"id", "number", "fiscal_year", "region_code", "sentra_id", "bast_number"}
	rows, err := db.Query(`SELECT c.relname, a.attname FROM pg_index i
		JOIN pg_class c ON c.oid = i.indexrelid
		JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
		WHERE i.indrelid = 'proposals'::regclass
		UNION ALL
		SELECT c.relname, 'an expression or predicate' FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
		WHERE i.indrelid = 'proposals'::regclass AND i.indexprs IS NOT NULL
		UNION ALL
		SELECT c.relname, a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
		JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum > 0
			AND pg_get_expr(i.indpred, i.indrelid) ~ ('\m' || a.attname || '\M')
		WHERE i.indrelid = 'proposals'::regclass AND i.indpred IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	indexed := 0
	for rows.Next() {
		var index, column string
		if err := rows.Scan(&index, &column); err != nil {
			t.Fatal(err)
		}
		indexed++
		if !slices.Contains(unchanged, column) {
			t.Errorf("index %s of proposals covers %s, which a transition may change: every transition would write every index", index, column)
		}
	}
	if err := rows.Err(); err != nil || indexed == 0 {
		t.Fatalf("read the indexes of proposals: %v (%d columns)", err, indexed)
	}

	st, err := store.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, st) // a draft submitted and recommended: three saves
	f.step(t, f.id, "start_review", "under_review")
	f.step(t, f.id, "request_revision", "revision_requested")
	st.Close() // a backend hands its counts over as it exits

	// Five saves of the proposal (submit, recommend, start_review,
	// request_revision, and the filing's own number), all but the filing's
	// with room on the page.
	var updated, hot int64
	for deadline := time.Now().Add(10 * time.Second); ; {
		if err := db.QueryRow(`SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relid = 'proposals'::regclass`).Scan(&updated, &hot); err != nil {
			t.Fatal(err)
		}
		if hot >= 4 || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
		if _, err := db.Exec(`SELECT pg_stat_clear_snapshot()`); err != nil {
			t.Fatal(err)
		}
	}
	if hot < 4 {
		t.Errorf("proposals: %d updates, %d of them in place (HOT); want the transitions' four at least", updated, hot)
	}
}
