package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
)

// TestGenericPlansUseIndexes: a pooled PostgreSQL connection keeps one
// plan per statement, made while the tables were small; a transition's
// locking read must still reach a proposal's attachments, events and
// sentra through their indexes, or on deadline day it reads every
// attachment ever filed for each submission (random_page_cost, pools.go).
// The attachments table here holds a few hundred rows, freshly analyzed:
// the size at which PostgreSQL's default settings read it whole.
func TestGenericPlansUseIndexes(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	if st.Dialect() != store.Postgres {
		t.Skip("PostgreSQL's plan cache")
	}
	f := newFixture(t, st)
	// A small database, as a new installation's first weeks hold: sixty
	// proposals (copies of the fixture's), each with its events and six
	// attachments, freshly analyzed.
	copyRows := func(table, set string) {
		t.Helper()
		var cols string
		if err := st.Query(ctx, &cols, `SELECT string_agg(quote_ident(column_name), ',' ORDER BY ordinal_position)
			FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? AND column_name <> 'id'`, table); err != nil {
			t.Fatal(err)
		}
		values := cols
		for _, kv := range strings.Split(set, ";") {
			name, expr, _ := strings.Cut(kv, "=")
			values = strings.Replace(values, name, expr, 1)
		}
		if err := st.Exec(ctx, `INSERT INTO `+table+` (`+cols+`) SELECT `+values+` FROM `+table+` t, generate_series(1, 60) g WHERE t.`+
			map[bool]string{true: "id", false: "proposal_id"}[table == "proposals"]+` = ?`, f.id); err != nil {
			t.Fatalf("copy %s: %v", table, err)
		}
	}
	copyRows("proposals", "number=t.number || '-' || g")
	copyRows("events", "proposal_id=(SELECT max(id) FROM proposals) - 60 + g")
	if err := st.Exec(ctx, `INSERT INTO attachments (proposal_id, kind, stage, file_name, content_type, size, sha256, data, uploaded_by, created_at)
		SELECT p.id, 'foto_lokasi', k, 'lokasi.jpg', 'image/jpeg', 4, md5(p.id || '-' || k), '\x00', ?, now()
		FROM proposals p, generate_series(1, 6) k WHERE p.id <> ?`, f.user.ID, f.id); err != nil {
		t.Fatal(err)
	}
	if err := st.Exec(ctx, `ANALYZE attachments, events, proposals, sentra`); err != nil {
		t.Fatal(err)
	}
	var setting string
	if err := st.Query(ctx, &setting, `SHOW random_page_cost`); err != nil || setting != "1.1" {
		t.Errorf("random_page_cost = %q, %v; want the pools' 1.1", setting, err)
	}
	stop := st.RecordStatements()
	err := st.InTx(ctx, func(tx *store.Tx) error {
		_, err := tx.LockForTransition(f.id, store.LockReads{Files: true, Sentra: true, FiscalYear: true})
		return err
	})
	statements := stop()
	if err != nil || len(statements) != 1 {
		t.Fatalf("LockForTransition: %v in %d statements, want 1", err, len(statements))
	}
	plan, err := st.GenericPlan(ctx, statements[0], "bigint", fmt.Sprint(f.id))
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"attachments", "events", "proposals"} {
		if strings.Contains(plan, "Seq Scan on "+table) {
			t.Errorf("the locking read's generic plan reads %s whole:\n%s", table, plan)
		}
	}
	if !strings.Contains(plan, "attachments_proposal") {
		t.Errorf("the locking read's generic plan does not use attachments_proposal:\n%s", plan)
	}
}
