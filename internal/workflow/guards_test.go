package workflow

import (
	"maps"
	"slices"
	"testing"
	"time"

	"dakflow/internal/dak"
)

// The guards are tested one by one on a constructed guardContext, with no
// database: each table names the fields a guard's failures name.

// guardCase is one guard judged on one context: want lists the fields its
// failures name, in order; none means the guard lets the event fire.
type guardCase struct {
	name string
	c    *guardContext
	want []string
}

// TestGuards runs the table of every guard and wants every guard of the
// registry covered (guards_review_test.go, guards_stage_test.go,
// guards_sentra_test.go).
func TestGuards(t *testing.T) {
	tables := map[string][]guardCase{}
	for _, part := range []func(*testing.T) map[string][]guardCase{reviewGuardCases, rkGuardCases, stageGuardCases, sentraGuardCases} {
		maps.Copy(tables, part(t))
	}
	for _, name := range slices.Sorted(maps.Keys(guards)) {
		if len(tables[name]) == 0 {
			t.Errorf("guard %q has no table", name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(tables)) {
		g, ok := guards[name]
		if !ok {
			t.Errorf("table for guard %q, which is not registered", name)
			continue
		}
		for _, tc := range tables[name] {
			t.Run(name+"/"+tc.name, func(t *testing.T) {
				var got []string
				for _, f := range g.check(tc.c) {
					if f.Message == "" {
						t.Errorf("%s: failure on %s without a message", name, f.Field)
					}
					got = append(got, f.Field)
				}
				if !slices.Equal(got, tc.want) {
					t.Errorf("%s fails on %q, want %q", name, got, tc.want)
				}
			})
		}
	}
}

// TestOffered: the list of events a user may fire runs the guards that
// read only the proposal and the caller (reviewer_assigned), and no other.
func TestOffered(t *testing.T) {
	d := shipped(t)
	recommend, _ := d.Event("recommend")
	submit, _ := d.Event("submit")
	verifier := dak.User{ID: 7, Role: dak.RoleVerifier}
	for _, tc := range []struct {
		name     string
		ev       EventDef
		reviewer int64
		want     bool
	}{
		{"no reviewer yet", recommend, 0, true},
		{"the caller reviews", recommend, 7, true},
		{"another verifier reviews", recommend, 8, false},
		{"guards needing data are left to Fire", submit, 8, true},
	} {
		p := tapis()
		p.ReviewerID = tc.reviewer
		if got := offered(d, tc.ev, p, verifier); got != tc.want {
			t.Errorf("%s: offered = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestGuardsNeed: Fire loads the history, the fiscal year and the sentra
// only for the events whose guards read them.
func TestGuardsNeed(t *testing.T) {
	d := shipped(t)
	for event, want := range map[string]needs{
		"submit": needsFiscalYear | needsSentra | needsFiles, "allocate": needsHistory | needsFiscalYear, "record_disbursement": needsHistory,
		"submit_rk": needsFiscalYear, "start_review": 0, "complete": needsFiles, "request_disbursement": needsFiles,
	} {
		ev, _ := d.Event(event)
		if got := guardsNeed(ev); got != want {
			t.Errorf("guardsNeed(%s) = %b, want %b", event, got, want)
		}
	}
	// Every guard that wants files says so, or Fire would not read them.
	for _, r := range fileRules {
		if guards[r.guard].needs&needsFiles == 0 {
			t.Errorf("guard %s checks attachments but does not declare needsFiles", r.guard)
		}
	}
}

// on is the context of the shipped workflow's event on the revitalisation
// of Sentra Tenun Tapis (tapis) at 1 March 2027, fired by user 7, changed
// by each mod in turn.
func on(t *testing.T, event string, mods ...func(c *guardContext)) *guardContext {
	t.Helper()
	d := shipped(t)
	ev, ok := d.Event(event)
	if !ok {
		t.Fatalf("event %q is not in the shipped workflow", event)
	}
	c := &guardContext{def: d, event: ev, proposal: tapis(), now: wib(2027, 3, 1, 10), filesRead: true,
		actor: dak.User{ID: 7, Username: "pengguna", Role: dak.Role(ev.Roles[0]), RegionCode: "18.71"}}
	for _, m := range mods {
		m(c)
	}
	return c
}

// tapis is a complete revitalisasi proposal of Kota Bandar Lampung whose
// RAB of 815 million rupiah adds up to its requested amount.
func tapis() *dak.Proposal {
	return &dak.Proposal{ID: 1, FiscalYear: 2027, Menu: dak.MenuRevitalisasi, RegionCode: "18.71",
		Title: "Revitalisasi Sentra IKM Tenun Tapis", RequestedAmount: 815_000_000,
		Content: dak.ProposalInput{FiscalYear: 2027, Menu: dak.MenuRevitalisasi, Title: "Revitalisasi Sentra IKM Tenun Tapis",
			Sentra: dak.SentraInput{Name: "Sentra IKM Tenun Tapis", Commodity: "Kain tenun tapis", VillageCode: "18.71.01.1003",
				Address: "Jalan Way Halim No. 5", IKMUnits: 15, Workers: 60, DecreeNumber: "188.45/112/IV.40/2019", DecreeDate: "2019-04-15"},
			BudgetLines: rab(), Outputs: []dak.Output{{Description: "Gedung produksi", Volume: 1, Unit: "unit"}}}}
}

// rab is tapis's RAB.
func rab() []dak.BudgetLine {
	return []dak.BudgetLine{
		{Category: "gedung_produksi", Description: "Gedung produksi bersama", Quantity: 1, Unit: "paket", UnitPrice: 350_000_000},
		{Category: "mesin_peralatan", Description: "Mesin tenun ATBM", Quantity: 6, Unit: "unit", UnitPrice: 50_000_000},
		{Category: "ipal", Description: "Instalasi pengolahan air limbah", Quantity: 1, Unit: "paket", UnitPrice: 150_000_000},
		{Category: "papan_identitas", Description: "Papan identitas sentra", Quantity: 1, Unit: "buah", UnitPrice: 15_000_000},
	}
}

// attached is one file of kind for stage (0: the proposal itself).
func attached(kind string, stage int) dak.Attachment {
	return dak.Attachment{Kind: kind, Stage: stage, FileName: kind + ".pdf"}
}

func wib(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, dak.WIB) }

func money(v int64) *dak.Money { m := dak.Money(v); return &m }

func percent(v int64) *dak.Percent { p := dak.Percent(v); return &p }

func yes() *bool { b := true; return &b }

func no() *bool { b := false; return &b }
