package web_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"dakflow/internal/web/apitest"
)

// departureBasis is an approver's stated basis for an RK that departs from
// the assessed RAB.
const departureBasis = "Harga mesin tenun naik menurut survei harga pasar; empat unit mencukupi kapasitas sentra menurut kajian dinas"

// departingRK departs from the RAB of apitest.ProposalInput(menu, false) as
// the issue found it: machines 6 → 4, the sign dropped; total Rp800.000.000.
func departingRK() map[string]any {
	return map[string]any{"activities": []map[string]any{
		{"category": "gedung_produksi", "description": "Gedung produksi bersama", "quantity": 1, "unit": "paket", "unit_price": 350_000_000},
		{"category": "mesin_peralatan", "description": "Mesin tenun ATBM", "quantity": 4, "unit": "unit", "unit_price": 75_000_000},
		{"category": "ipal", "description": "Instalasi pengolahan air limbah", "quantity": 1, "unit": "paket", "unit_price": 150_000_000},
	}}
}

// documentText reads back, with pdftotext, the latest document of kind
// issued on a proposal.
func documentText(t *testing.T, e *apitest.Env, id int64, kind string) string {
	return apitest.DocumentText(t, e.Auditor, id, kind)
}

// flat is a PDF's text on one line with single spaces, so that a phrase
// broken over lines or columns can be found.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// expectText checks that every phrase is in the document's text.
func expectText(t *testing.T, what, text string, phrases ...string) {
	t.Helper()
	f := flat(text)
	for _, p := range phrases {
		if !strings.Contains(f, flat(p)) {
			t.Errorf("%s does not say %q:\n%s", what, p, text)
		}
	}
}

// TestRKDepartures: an RK that departs from the assessed RAB (IPAL dropped,
// machines 6 → 4, another category) is received with its departures
// listed; its approval is refused, each departure named, until the
// approver states a basis, which the approval letter prints; the API and
// the page show the departures, and the completion report quotes the
// outputs the RK kept (4 machines, no IPAL), not the RAB's.
func TestRKDepartures(t *testing.T) {
	e := apitest.NewEnv(t)
	id := e.Create(t, "pembangunan", false)
	e.WalkTo(t, id, false, "allocated")

	rk := map[string]any{"activities": []map[string]any{
		{"category": "gedung_produksi", "description": "Gedung produksi bersama", "quantity": 1, "unit": "paket", "unit_price": 400_000_000},
		{"category": "mesin_peralatan", "description": "Mesin tenun ATBM", "quantity": 4, "unit": "unit", "unit_price": 50_000_000},
		{"category": "sarana_penunjang", "description": "Meubelair kantor pengelola", "quantity": 1, "unit": "paket", "unit_price": 185_000_000},
		{"category": "papan_identitas", "description": "Papan identitas sentra", "quantity": 1, "unit": "buah", "unit_price": 15_000_000},
	}}
	e.Pemda.MustFire(id, "submit_rk", "", rk)

	var p struct {
		RKDepartures []struct {
			Kind        string `json:"kind"`
			Category    string `json:"category"`
			Unit        string `json:"unit"`
			RABQuantity int64  `json:"rab_quantity"`
			RKQuantity  int64  `json:"rk_quantity"`
			Description string `json:"description"`
		} `json:"rk_departures"`
	}
	e.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d", id), nil, nil).Decode(t, &p)
	var got []string
	for _, d := range p.RKDepartures {
		got = append(got, fmt.Sprintf("%s %s %s %d→%d", d.Kind, d.Category, d.Unit, d.RABQuantity, d.RKQuantity))
		if d.Description == "" {
			t.Errorf("departure %+v has no description", d)
		}
	}
	want := []string{"reduced mesin_peralatan unit 6→4", "dropped ipal  1→0", "added sarana_penunjang  0→1"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rk_departures (-want +got):\n%s", diff)
	}

	receipt := documentText(t, e, id, "tanda_terima_rk")
	rows := []string{"Mesin dan peralatan Berkurang dari 6 unit menjadi 4 unit 300.000.000 200.000.000",
		"Tidak ada dalam Rencana Kegiatan 150.000.000 -", "Sarana penunjang Tidak ada dalam RAB yang dinilai - 185.000.000"}
	expectText(t, "tanda_terima_rk", receipt, append([]string{"Perbedaan terhadap RAB yang dinilai"}, rows...)...)

	// Refused without a basis: one error per departure, on the field to fill.
	for _, data := range []any{nil, map[string]any{"departure_basis": "   "}} {
		before := snapProposal(t, e, id)
		r := e.Approver.Fire(id, "approve_rk", "", data, nil)
		pb := expectProblem(t, "approve_rk without a basis", r, http.StatusUnprocessableEntity)
		if len(pb.Errors) != 3 {
			t.Errorf("approve_rk without a basis: %d errors, want one per departure (3): %s", len(pb.Errors), r.Body)
		}
		for i, f := range pb.Errors {
			if f.Guard != "rk_departures_justified" || f.Field != "data.departure_basis" {
				t.Errorf("error %d = %s on %s, want rk_departures_justified on data.departure_basis", i, f.Guard, f.Field)
			}
		}
		for _, label := range []string{"Mesin dan peralatan", "Instalasi pengolahan air limbah (IPAL)", "Sarana penunjang"} {
			if !slices.ContainsFunc(pb.Errors, func(f problemError) bool { return strings.Contains(f.Message, label) }) {
				t.Errorf("approve_rk without a basis: no error names %q: %s", label, r.Body)
			}
		}
		if after := snapProposal(t, e, id); after != before {
			t.Errorf("refused approve_rk changed the proposal: %+v, want %+v", after, before)
		}
	}

	e.Approver.MustFire(id, "approve_rk", "", map[string]any{"departure_basis": departureBasis})
	letter := documentText(t, e, id, "surat_persetujuan_rk")
	expectText(t, "surat_persetujuan_rk", letter, append([]string{
		"berbeda dari rencana anggaran biaya (RAB) yang dinilai dan direkomendasikan",
		"Perbedaan tersebut disetujui atas dasar: " + departureBasis + "."}, rows...)...)

	// The page lists the departures and the basis.
	page := loggedIn(t, e, "auditor").get(fmt.Sprintf("/proposals/%d", id))
	if n := strings.Count(page.Body, "data-rk-departure>"); n != 3 {
		t.Errorf("proposal page lists %d departures, want 3", n)
	}
	if !strings.Contains(page.Body, departureBasis) {
		t.Errorf("proposal page does not show the stated basis")
	}

	// The completion report quotes the outputs as the RK kept them.
	steps := e.Path(t, id, false)
	for _, s := range steps[slices.IndexFunc(steps, func(s apitest.Step) bool { return s.Event == "approve_rk" })+1:] {
		e.Fire(t, id, s)
	}
	var done struct {
		PlannedOutputs []struct {
			Description string `json:"description"`
			Volume      int64  `json:"volume"`
		} `json:"planned_outputs"`
	}
	e.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d", id), nil, nil).Decode(t, &done)
	if len(done.PlannedOutputs) != 2 || done.PlannedOutputs[1].Description != "Mesin tenun" || done.PlannedOutputs[1].Volume != 4 {
		t.Errorf("planned_outputs = %+v, want the RK's 4 machines", done.PlannedOutputs)
	}
	report := flat(documentText(t, e, id, "laporan_penyelesaian"))
	if !strings.Contains(report, "Mesin tenun 4 unit") || strings.Contains(report, "Mesin tenun 6 unit") {
		t.Errorf("laporan_penyelesaian does not quote the RK's 4 machines:\n%s", report)
	}
}

// TestRKWithinCategoryLimits: the caps of the workflow file hold for the RK
// as for the RAB: a revitalisasi RK whose production building passes the
// cap is refused even within the allocation, naming the line.
func TestRKWithinCategoryLimits(t *testing.T) {
	e := apitest.NewEnv(t)
	d := e.Engine.Current()
	max := int64(d.Menus["revitalisasi"].CategoryLimits["gedung_produksi"].MaxAmount)
	id := e.Create(t, "revitalisasi", true)
	e.WalkTo(t, id, true, "allocated")
	over := apitest.RK("revitalisasi", true)
	over[0]["unit_price"] = max + 1
	over[2]["unit_price"] = over[2]["unit_price"].(int64) - (max + 1 - 1_385_000_000) // the same total
	before := snapProposal(t, e, id)
	r := e.Pemda.Fire(id, "submit_rk", "", map[string]any{"activities": over}, nil)
	pb := expectProblem(t, "submit_rk over the cap", r, http.StatusUnprocessableEntity)
	if diff := cmp.Diff([]string{"rk_within_category_limits"}, slices.Compact(r.Guards())); diff != "" {
		t.Errorf("submit_rk over the cap: failed guards (-want +got):\n%s", diff)
	}
	expectFields(t, "submit_rk over the cap", pb, "data.activities[0].unit_price")
	if after := snapProposal(t, e, id); after != before {
		t.Errorf("refused submit_rk changed the proposal: %+v, want %+v", after, before)
	}
	// Two lines of the category together over the cap: the activities.
	split := apitest.RK("revitalisasi", true) // gedung 1.385, mesin 6 × 200, IPAL 600, papan 15 (juta)
	split = append(split, map[string]any{"category": "gedung_produksi", "description": "Perluasan gedung produksi",
		"quantity": 1, "unit": "paket", "unit_price": max})
	split[0]["unit_price"] = int64(1)
	split[2]["unit_price"] = int64(484_000_000) // total Rp3.199.000.001
	r = e.Pemda.Fire(id, "submit_rk", "", map[string]any{"activities": split}, nil)
	pb = expectProblem(t, "submit_rk over the cap on two lines", r, http.StatusUnprocessableEntity)
	expectFields(t, "submit_rk over the cap on two lines", pb, "data.activities")
	e.Pemda.MustFire(id, "submit_rk", "", map[string]any{"activities": apitest.RK("revitalisasi", true)})
}
