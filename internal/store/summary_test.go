package store_test

import (
	"context"
	"testing"

	"dakflow/internal/dak"
	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
)

// seedMany inserts n proposals of fiscal year 2027 spread over states in
// one statement (a recursive CTE works on both engines).
func seedMany(tb testing.TB, st *store.Store, n int) {
	tb.Helper()
	ctx := context.Background()
	u, err := st.CreateUser(ctx, store.NewUser{User: dak.User{Username: "pemda", Role: dak.RolePemda, RegionCode: "18.71"}, Password: "rahasia-panjang"})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := st.SetFiscalYear(ctx, 2027, 395_000_000_000, nil); err != nil {
		tb.Fatal(err)
	}
	err = st.Exec(ctx, `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
		INSERT INTO proposals (number, fiscal_year, menu, title, region_code, state, version, workflow, workflow_version,
			content, requested_amount, recommended_amount, allocated_amount, disbursed_amount, created_by, created_at, updated_at)
		SELECT 'USL-' || i, 2027, CASE WHEN i % 2 = 0 THEN 'pembangunan' ELSE 'revitalisasi' END, 'Usulan ' || i, '18.71',
			CASE i % 6 WHEN 0 THEN 'draft' WHEN 1 THEN 'submitted' WHEN 2 THEN 'recommended' WHEN 3 THEN 'allocated'
				WHEN 4 THEN 'tranche_disbursed' ELSE 'completed' END,
			1, 'dak-fisik-ikm', 1, '{}', 1000000000 + i, 900000000, 800000000, 400000000, ?, ?, ?
		FROM s`, n, u.ID, st.Now(), st.Now())
	if err != nil {
		tb.Fatal(err)
	}
}

func TestSummary(t *testing.T) {
	st := dbtest.Open(t)
	seedMany(t, st, 600)
	sum, err := st.Summary(context.Background(), 2027)
	if err != nil {
		t.Fatal(err)
	}
	var count int64
	var requested dak.Money
	for _, s := range sum.ByState {
		count += s.Count
		requested += s.Requested
	}
	if count != 600 || len(sum.ByState) != 6 || requested != dak.Money(600*1_000_000_000+600*601/2) {
		t.Errorf("summary = %d proposals in %d states, requested %s", count, len(sum.ByState), requested)
	}
}

// BenchmarkSummary100k: the fiscal-year summary over 100,000 proposals
// (target ≤ 200 ms on PostgreSQL).
func BenchmarkSummary100k(b *testing.B) {
	st := dbtest.Open(b)
	seedMany(b, st, 100_000)
	b.ResetTimer()
	for b.Loop() {
		if _, err := st.Summary(context.Background(), 2027); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkListByState100k: the first page of a fiscal year's proposals in
// one state, of 100,000 in the year (a sixth in that state), with the count.
// Since migration 0021 no index covers state (transitions update their
// proposal in place): the year's rows are read and filtered.
func BenchmarkListByState100k(b *testing.B) {
	st := dbtest.Open(b)
	seedMany(b, st, 100_000)
	b.ResetTimer()
	for b.Loop() {
		items, total, err := st.Proposals(context.Background(), store.ProposalFilter{FiscalYear: 2027, State: []string{"submitted"}, PerPage: 20})
		if err != nil || len(items) != 20 || total != 16_667 {
			b.Fatalf("%d items of %d, %v", len(items), total, err)
		}
	}
}
