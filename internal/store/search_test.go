package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"dakflow/internal/dak"
	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
)

// searchFixture holds four proposals of two regions, filed as a pemda
// would: every one has budget lines (the JSON key "budget_lines") and
// outputs, and no user text says "budget".
type searchFixture struct {
	st                        *store.Store
	tapis, perak, kopi, rotan dak.Proposal
	kota, makassar            dak.User
}

func newSearchFixture(t *testing.T) *searchFixture {
	t.Helper()
	st := dbtest.Open(t)
	ctx := context.Background()
	f := &searchFixture{st: st}
	for _, u := range []struct {
		to     *dak.User
		name   string
		region string
	}{{&f.kota, "pemda-bandarlampung", "18.71"}, {&f.makassar, "pemda-makassar", "73.71"}} {
		created, err := st.CreateUser(ctx, store.NewUser{User: dak.User{Username: u.name, Role: dak.RolePemda, RegionCode: u.region},
			Password: "rahasia-panjang"})
		if err != nil {
			t.Fatal(err)
		}
		*u.to = created
	}
	file := func(by dak.User, title, sentra, commodity string) dak.Proposal {
		t.Helper()
		in := dak.ProposalInput{FiscalYear: 2027, Menu: dak.MenuRevitalisasi, Title: title, RegionCode: by.RegionCode,
			Sentra: dak.SentraInput{Name: sentra, Commodity: commodity, Address: "Jl. Pahlawan No. 1"},
			BudgetLines: []dak.BudgetLine{{Category: "bangunan", Description: "Renovasi gedung produksi", Quantity: 1, Unit: "paket",
				UnitPrice: 500_000_000, Total: 500_000_000}},
			Outputs: []dak.Output{{Volume: 1, Unit: "unit gedung produksi"}}}
		p := dak.Proposal{FiscalYear: 2027, Menu: in.Menu, Title: title, RegionCode: by.RegionCode, State: "draft",
			Workflow: "dak-fisik-ikm", WorkflowVersion: 1, Content: in, RequestedAmount: 500_000_000, CreatedBy: by.ID}
		if err := st.CreateProposal(ctx, &p); err != nil {
			t.Fatal(err)
		}
		return p
	}
	f.tapis = file(f.kota, "Revitalisasi Sentra IKM Tenun Tapis", "Sentra Tenun Tapis Gedong Air", "Tenun tapis")
	f.perak = file(f.makassar, "Revitalisasi Sentra IKM Logam", "Sentra Perak Kendari", "Kerajinan perak")
	f.kopi = file(f.kota, "Revitalisasi Sentra Kopi 100% Robusta", "Sentra Kopi Way Halim", "Kopi bubuk")
	f.rotan = file(f.kota, "Revitalisasi Sentra Rotan_Anyaman", "Sentra Rotan Kemiling", "Anyaman rotan")
	return f
}

// numbers lists the numbers of ps, sorted.
func numbers(ps ...dak.Proposal) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.Number)
	}
	slices.Sort(out)
	return out
}

// TestSearchText: q finds what a user reads — the number, the title, the
// sentra's name and commodity — ignoring case, never the stored JSON's
// keys ("budget" matched every proposal through "budget_lines"), and % and
// _ are themselves, not LIKE's wildcards (issue 9, bug 4).
func TestSearchText(t *testing.T) {
	f := newSearchFixture(t)
	all := numbers(f.tapis, f.perak, f.kopi, f.rotan)
	cases := []struct {
		q    string
		want []string
	}{
		{"budget", numbers()},
		{"budget_lines", numbers()},
		{"unit_price", numbers()},
		{"%", numbers(f.kopi)},
		{"100%", numbers(f.kopi)},
		{"_", numbers(f.rotan)},
		{"rotan_", numbers(f.rotan)},
		{`\`, numbers()},
		{"tapis", numbers(f.tapis)},           // title, sentra and commodity
		{"KENDARI", numbers(f.perak)},         // the sentra's name only
		{"kerajinan perak", numbers(f.perak)}, // the commodity only
		{"robusta", numbers(f.kopi)},
		{strings.ToLower(f.rotan.Number), numbers(f.rotan)},
		{"usl-2027", all},
		{"sentra", all},
		{"gedung produksi", numbers()}, // a budget line is not the proposal's name
		{"pahlawan", numbers()},        // nor is the sentra's street address
	}
	for _, tc := range cases {
		ps, total, err := f.st.Proposals(context.Background(), store.ProposalFilter{Query: tc.q, PerPage: 100})
		if err != nil {
			t.Fatalf("Proposals(q=%q): %v", tc.q, err)
		}
		if diff := cmp.Diff(tc.want, numbers(ps...)); diff != "" || total != int64(len(tc.want)) {
			t.Errorf("Proposals(q=%q): total %d (-want +got):\n%s", tc.q, total, diff)
		}
	}
}

// TestListsKeepToViewersRegion: whatever else a filter asks — another
// region, its sentra, its number — a pemda viewer's list, queue and id
// list hold its own region's proposals only; a province's pemda does not
// see its kabupaten/kota's; an auditor sees all.
func TestListsKeepToViewersRegion(t *testing.T) {
	f := newSearchFixture(t)
	ctx := context.Background()
	province := dak.User{ID: f.kota.ID, Role: dak.RolePemda, RegionCode: "18"}
	auditor := dak.User{Role: dak.RoleAuditor}
	cases := []struct {
		name   string
		viewer dak.User
		filter store.ProposalFilter
		want   []string
	}{
		{"own region", f.kota, store.ProposalFilter{}, numbers(f.tapis, f.kopi, f.rotan)},
		{"another region asked", f.kota, store.ProposalFilter{Region: "73"}, numbers()},
		{"another region's sentra", f.kota, store.ProposalFilter{Query: "kendari"}, numbers()},
		{"another region's number", f.kota, store.ProposalFilter{Number: f.perak.Number}, numbers()},
		{"the other pemda", f.makassar, store.ProposalFilter{State: []string{"draft"}}, numbers(f.perak)},
		{"province pemda", province, store.ProposalFilter{Region: "18"}, numbers()},
		{"auditor", auditor, store.ProposalFilter{}, numbers(f.tapis, f.perak, f.kopi, f.rotan)},
		{"auditor, one region", auditor, store.ProposalFilter{Region: "73"}, numbers(f.perak)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.filter.Viewer, tc.filter.PerPage = tc.viewer, 100
			listed, total, err := f.st.Proposals(ctx, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, numbers(listed...)); diff != "" || total != int64(len(tc.want)) {
				t.Errorf("Proposals: total %d (-want +got):\n%s", total, diff)
			}
			for _, order := range []store.QueueOrder{store.ByWaiting, store.BySubmission, store.ByRecent} {
				queued, _, err := f.st.Queue(ctx, store.QueueFilter{ProposalFilter: tc.filter, Order: order})
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tc.want, numbers(queued...)); diff != "" {
					t.Errorf("Queue(order %d) (-want +got):\n%s", order, diff)
				}
			}
			ids, err := f.st.ProposalIDs(ctx, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			if len(ids) != len(tc.want) {
				t.Errorf("ProposalIDs = %v, want %d ids", ids, len(tc.want))
			}
		})
	}
}
