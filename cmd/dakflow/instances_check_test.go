package main

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"dakflow/internal/workflow"
)

// reader is a plain read connection to the test database, for checking
// invariants over all of it after the load (never writes).
type reader struct {
	t  *testing.T
	db *gorm.DB
}

func openReader(t *testing.T, url string) *reader {
	t.Helper()
	var dial gorm.Dialector
	if path, ok := strings.CutPrefix(url, "sqlite:"); ok {
		dial = sqlite.Open(path + "?_pragma=busy_timeout(10000)")
	} else {
		dial = postgres.Open(url)
	}
	db, err := gorm.Open(dial, &gorm.Config{Logger: logger.Discard, SkipDefaultTransaction: true})
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sqlDB.Close() })
	return &reader{t: t, db: db}
}

func (r *reader) int(sql string, args ...any) int64 {
	r.t.Helper()
	var n int64
	if err := r.db.Raw(sql, args...).Scan(&n).Error; err != nil {
		r.t.Fatalf("%s: %v", sql, err)
	}
	return n
}

func (r *reader) scan(dest any, sql string, args ...any) {
	r.t.Helper()
	if err := r.db.Raw(sql, args...).Scan(dest).Error; err != nil {
		r.t.Fatalf("%s: %v", sql, err)
	}
}

// Default number patterns: documents B-{seq}/IKMA/DAK.{KIND}/{MM}/{YYYY},
// proposals USL-{year}-{region}-{seq:05d}.
var (
	docNumber      = regexp.MustCompile(`^B-(\d+)/.*/(\d{4})$`)
	proposalNumber = regexp.MustCompile(`^USL-(\d{4})-.*-(\d+)$`)
)

// checkInvariants checks, over the whole database, what no number of
// instances may break (PRODUCT.md §3–§5, issue 10 item 4):
//   - every fiscal year's committed amount is within its ceiling and equals
//     the sum of its proposals' allocations (and so for menu ceilings);
//   - document and proposal numbers are unique, and per kind and year they
//     are exactly 1..N, N being the counter row: no hole, no repeat, no
//     number drawn by a transaction that did not commit;
//   - every event that issues a document links one of its kind, and every
//     document is linked by exactly the event that issued it;
//   - every proposal's events are numbered 1..n, its state is the last
//     event's target, and the global log links every event once, 1..N.
//
// The hash chains themselves are checked by `audit verify`, run after it.
func checkInvariants(t *testing.T, rd *reader, def *workflow.Definition, alloc int64) {
	t.Helper()
	// Ceilings.
	var years []struct {
		Year               int
		Ceiling, Committed int64
	}
	rd.scan(&years, `SELECT year, ceiling, committed FROM fiscal_years ORDER BY year`)
	for _, y := range years {
		sum := rd.int(`SELECT COALESCE(SUM(allocated_amount), 0) FROM proposals WHERE fiscal_year = ?`, y.Year)
		if y.Committed > y.Ceiling || sum != y.Committed {
			t.Errorf("fiscal year %d: ceiling %d, committed %d, allocations sum to %d: want committed ≤ ceiling and equal to the sum", y.Year, y.Ceiling, y.Committed, sum)
		}
		if n := rd.int(`SELECT COUNT(*) FROM proposals WHERE fiscal_year = ? AND allocated_amount > 0 AND allocated_amount <> ?`, y.Year, alloc); n > 0 {
			t.Errorf("fiscal year %d: %d proposals allocated another amount than %d", y.Year, n, alloc)
		}
		t.Logf("fiscal year %d: ceiling %d, committed %d (%d allocations)", y.Year, y.Ceiling, y.Committed, y.Committed/alloc)
	}
	var menus []struct {
		Year               int
		Menu               string
		Ceiling, Committed int64
	}
	rd.scan(&menus, `SELECT year, menu, ceiling, committed FROM menu_ceilings`)
	for _, m := range menus {
		sum := rd.int(`SELECT COALESCE(SUM(allocated_amount), 0) FROM proposals WHERE fiscal_year = ? AND menu = ?`, m.Year, m.Menu)
		if m.Committed > m.Ceiling || sum != m.Committed {
			t.Errorf("menu ceiling %d %s: ceiling %d, committed %d, allocations %d", m.Year, m.Menu, m.Ceiling, m.Committed, sum)
		}
	}

	// Numbers: unique, and 1..counter per kind and year.
	seqs := map[string][]int64{} // "kind/year" → sequence parts
	seen := map[string]bool{}
	add := func(kind, year, seq, number string) {
		if seen[kind+" "+number] {
			t.Errorf("%s number %s issued twice", kind, number)
		}
		seen[kind+" "+number] = true
		n, _ := strconv.ParseInt(seq, 10, 64)
		seqs[kind+"/"+year] = append(seqs[kind+"/"+year], n)
	}
	var docs []struct {
		ID, ProposalID int64
		Kind, Number   string
		EventSeq       int
	}
	rd.scan(&docs, `SELECT id, proposal_id, kind, number, event_seq FROM documents`)
	for _, d := range docs {
		m := docNumber.FindStringSubmatch(d.Number)
		if m == nil {
			t.Errorf("document %d: number %q is not B-{seq}/…/{YYYY}", d.ID, d.Number)
			continue
		}
		add(d.Kind, m[2], m[1], d.Number)
	}
	var props []struct {
		ID            int64
		Number, State string
	}
	rd.scan(&props, `SELECT id, number, state FROM proposals`)
	for _, p := range props {
		m := proposalNumber.FindStringSubmatch(p.Number)
		if m == nil {
			t.Errorf("proposal %d: number %q is not USL-{year}-…-{seq}", p.ID, p.Number)
			continue
		}
		add("usulan", m[1], m[2], p.Number)
	}
	var counters []struct {
		Kind       string
		Year, Last int64
	}
	rd.scan(&counters, `SELECT kind, year, last FROM counters`)
	last := map[string]int64{}
	for _, c := range counters {
		last[fmt.Sprintf("%s/%d", c.Kind, c.Year)] = c.Last
	}
	for key, s := range seqs {
		slices.Sort(s)
		for i, n := range s {
			if n != int64(i+1) {
				t.Errorf("%s numbers are not 1..%d without hole or repeat: %v", key, len(s), s)
				break
			}
		}
		if last[key] != int64(len(s)) {
			t.Errorf("%s: the counter stands at %d but %d numbers were issued", key, last[key], len(s))
		}
		delete(last, key)
	}
	for key, n := range last {
		t.Errorf("%s: the counter stands at %d but no number was issued", key, n)
	}

	// Events and documents, one to one.
	issues := map[string]string{}
	for _, ev := range def.Events {
		issues[ev.Name] = ev.Document
	}
	var events []struct {
		ID, ProposalID int64
		Seq            int
		Event, ToState string
		DocumentID     *int64
	}
	rd.scan(&events, `SELECT id, proposal_id, seq, event, to_state, document_id FROM events ORDER BY proposal_id, seq`)
	docByID := map[int64]int{}
	for i, d := range docs {
		docByID[d.ID] = i
	}
	linked := map[int64]int{}
	lastEvent := map[int64]string{}
	wantSeq := map[int64]int{}
	for _, e := range events {
		if wantSeq[e.ProposalID]++; e.Seq != wantSeq[e.ProposalID] {
			t.Errorf("proposal %d: event %d (%s) is number %d of its chain, want %d", e.ProposalID, e.ID, e.Event, e.Seq, wantSeq[e.ProposalID])
		}
		lastEvent[e.ProposalID] = e.ToState
		kind, known := issues[e.Event]
		switch {
		case !known:
			t.Errorf("proposal %d event %d: %q is not an event of the workflow", e.ProposalID, e.Seq, e.Event)
		case kind == "" && e.DocumentID != nil:
			t.Errorf("proposal %d event %d (%s) issues no document but links document %d", e.ProposalID, e.Seq, e.Event, *e.DocumentID)
		case kind != "" && e.DocumentID == nil:
			t.Errorf("proposal %d event %d (%s) links no document, want a %s", e.ProposalID, e.Seq, e.Event, kind)
		case kind != "":
			i, ok := docByID[*e.DocumentID]
			if !ok {
				t.Errorf("proposal %d event %d (%s) links document %d, which does not exist", e.ProposalID, e.Seq, e.Event, *e.DocumentID)
				break
			}
			if d := docs[i]; d.Kind != kind || d.ProposalID != e.ProposalID || d.EventSeq != e.Seq {
				t.Errorf("proposal %d event %d (%s) links document %d, a %s of proposal %d event %d", e.ProposalID, e.Seq, e.Event, d.ID, d.Kind, d.ProposalID, d.EventSeq)
			}
			linked[*e.DocumentID]++
		}
	}
	for _, d := range docs {
		if linked[d.ID] != 1 {
			t.Errorf("document %d (%s %s) is linked by %d events, want exactly its own", d.ID, d.Kind, d.Number, linked[d.ID])
		}
	}

	// State = last event (a proposal without events is still in the
	// initial state).
	for _, p := range props {
		want, ok := lastEvent[p.ID]
		if !ok {
			want = def.Initial
		}
		if p.State != want {
			t.Errorf("proposal %d (%s) is %q, its last event leads to %q", p.ID, p.Number, p.State, want)
		}
	}

	// The global log: every event once, positions 1..N.
	n := rd.int(`SELECT COUNT(*) FROM events`)
	if g, d, mx := rd.int(`SELECT COUNT(*) FROM global_chain`), rd.int(`SELECT COUNT(DISTINCT event_id) FROM global_chain`), rd.int(`SELECT COALESCE(MAX(seq), 0) FROM global_chain`); g != n || d != n || mx != n {
		t.Errorf("global log: %d entries for %d distinct events, last position %d; want %d of each", g, d, mx, n)
	}
	t.Logf("checked %d proposals, %d events, %d documents, %d counters", len(props), n, len(docs), len(counters))
}
