package apitest

import (
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"testing"

	"dakflow/internal/dak"
)

// Allocations used by the walkers: bertahap above Rp1 miliar, sekaligus at
// or below it.
const (
	BigAllocation   = 3_200_000_000
	SmallAllocation = 800_000_000
)

// ProposalInput is a complete proposal body for Kota Bandar Lampung.
// big makes it bertahap-sized (requested Rp3.215.000.000), else sekaligus
// (Rp815.000.000).
func ProposalInput(menu string, big bool) map[string]any {
	scale := int64(1)
	if big {
		scale = 4
	}
	in := map[string]any{
		"fiscal_year": Year, "menu": menu, "title": "Revitalisasi Sentra IKM Tenun Tapis",
		"sentra": map[string]any{"name": "Sentra IKM Tenun Tapis", "commodity": "Kain tenun tapis",
			"village_code": "18.71.01.1003", "address": "Jalan Way Halim No. 5", "latitude": -5.41, "longitude": 105.26,
			"ikm_units": 15, "workers": 60},
		"budget_lines": []map[string]any{
			{"category": "gedung_produksi", "description": "Gedung produksi bersama", "quantity": 1, "unit": "paket", "unit_price": 350_000_000 * scale},
			{"category": "mesin_peralatan", "description": "Mesin tenun ATBM", "quantity": 6, "unit": "unit", "unit_price": 50_000_000 * scale},
			{"category": "ipal", "description": "Instalasi pengolahan air limbah", "quantity": 1, "unit": "paket", "unit_price": 150_000_000 * scale},
			{"category": "papan_identitas", "description": "Papan identitas sentra", "quantity": 1, "unit": "buah", "unit_price": 15_000_000},
		},
		"outputs": []map[string]any{{"description": "Gedung produksi", "volume": 1, "unit": "unit"}, {"description": "Mesin tenun", "volume": 6, "unit": "unit"}},
	}
	if menu == "pembangunan" {
		in["title"] = "Pembangunan Sentra IKM Tenun Tapis"
		in["land"] = map[string]any{"area_m2": 2500, "ownership": "milik_pemda", "certificate_number": "SHP 12/2019"}
	} else {
		s := in["sentra"].(map[string]any)
		s["decree_number"], s["decree_date"] = "188.45/112/IV.40/2019", "2019-04-15"
	}
	return in
}

// Create files a proposal for a sentra of its own (OwnSentraInput) as the
// pemda, uploads its required attachments and returns its id.
func (e *Env) Create(tb testing.TB, menu string, big bool) int64 {
	tb.Helper()
	r := e.Pemda.Do("POST", "/api/v1/proposals", e.OwnSentraInput(tb, menu, big), nil)
	if r.Status != http.StatusCreated {
		tb.Fatalf("create proposal = %d %s", r.Status, r.Body)
	}
	id := int64(r.JSON()["id"].(float64))
	for _, kind := range e.Engine.Current().Menus[menu].RequiredAttachments {
		if up := e.Pemda.Upload(id, kind, kind+".pdf", PDFBytes(kind)); up.Status != http.StatusCreated {
			tb.Fatalf("upload %s = %d %s", kind, up.Status, up.Body)
		}
	}
	return id
}

// Checklist answers the checklist for a revitalisasi proposal:
// ChecklistFor("revitalisasi").
func (e *Env) Checklist() []map[string]any { return e.ChecklistFor("revitalisasi") }

// ChecklistFor answers every item of the checklist that applies to menu as
// met, and every other item as not applicable (Tidak Relevan).
func (e *Env) ChecklistFor(menu string) []map[string]any {
	var out []map[string]any
	for _, item := range e.Engine.Current().Checklist {
		if item.AppliesTo(dak.Menu(menu)) {
			out = append(out, map[string]any{"id": item.ID, "met": true, "note": "Sesuai TOR, RAB dan DED"})
		} else {
			out = append(out, map[string]any{"id": item.ID, "not_applicable": true, "note": ""})
		}
	}
	return out
}

// AmountReason is the reason the walkers give for recommending less than
// was requested (the walkers' allocations are Rp15.000.000 below it).
const AmountReason = "Harga satuan gedung produksi dikoreksi menurut tiga pembanding harga"

// RK is a Rencana Kegiatan that keeps to the RAB of ProposalInput(menu,
// big): the same lines, the first one's unit price lowered so that the
// total is the walkers' allocation. It departs from the RAB in nothing.
func RK(menu string, big bool) []map[string]any {
	alloc, requested := int64(SmallAllocation), int64(815_000_000)
	if big {
		alloc, requested = BigAllocation, 3_215_000_000
	}
	var out []map[string]any
	for i, l := range ProposalInput(menu, big)["budget_lines"].([]map[string]any) {
		line := maps.Clone(l)
		if i == 0 {
			line["unit_price"] = toInt64(line["unit_price"]) - (requested - alloc)
		}
		out = append(out, line)
	}
	return out
}

func toInt64(v any) int64 {
	switch n := v.(type) {
	case int:
		return int64(n)
	case int64:
		return n
	}
	panic(fmt.Sprintf("apitest: %v (%T) is not an integer", v, v))
}

// Get reads a proposal as the auditor.
func (e *Env) Get(tb testing.TB, id int64) map[string]any {
	tb.Helper()
	r := e.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d", id), nil, nil)
	if r.Status != http.StatusOK {
		tb.Fatalf("get %d = %d %s", id, r.Status, r.Body)
	}
	return r.JSON()
}

// Step is one event of a walk: who fires it and with what.
type Step struct {
	Client  *Client
	Event   string
	Comment string
	Data    func() any
	Before  func() // e.g. uploads the stage's attachments
}

// Path returns the steps from draft to completed for a proposal of the
// given size; stop after the step that reaches target.
func (e *Env) Path(tb testing.TB, id int64, big bool) []Step {
	alloc := int64(SmallAllocation)
	stages := 1
	if big {
		alloc, stages = BigAllocation, 3
	}
	steps := []Step{
		{Client: e.Pemda, Event: "submit"},
		{Client: e.Verifier, Event: "start_review"},
		{Client: e.Verifier, Event: "recommend", Data: func() any {
			return map[string]any{"recommended_amount": alloc, "amount_reason": AmountReason,
				"checklist": e.ChecklistFor(e.Get(tb, id)["menu"].(string))}
		}},
		{Client: e.Approver, Event: "allocate", Data: func() any { return map[string]any{"amount": alloc} }},
		{Client: e.Pemda, Event: "submit_rk", Data: func() any {
			return map[string]any{"activities": RK(e.Get(tb, id)["menu"].(string), big)}
		}},
		{Client: e.Approver, Event: "approve_rk"},
	}
	for n := 1; n <= stages; n++ {
		n := n
		steps = append(steps,
			Step{Client: e.Pemda, Event: "request_disbursement", Before: func() { e.UploadStageFiles(tb, id, n, big) }, Data: func() any {
				p := e.Get(tb, id)
				disbursed := int64(p["disbursed_amount"].(float64))
				out := 0.0
				if n == 3 {
					out = 75.5
				}
				req := map[string]any{"stage": n, "contract_value": alloc * 9 / 10, "absorbed_amount": disbursed * 95 / 100,
					"output_percent": out, "kppn": "KPPN Bandar Lampung"}
				if n == 3 {
					req["completion_need"] = alloc*9/10 - disbursed
				}
				return req
			}},
			Step{Client: e.Approver, Event: "recommend_disbursement"},
			Step{Client: e.Treasury, Event: "record_disbursement", Data: func() any {
				return map[string]any{"amount": e.StageAmount(tb, id, n), "sp2d_number": "SP2D-" + strconv.FormatInt(id, 10) + "-" + strconv.Itoa(n), "sp2d_date": "2027-03-15"}
			}},
		)
	}
	steps = append(steps, Step{Client: e.Pemda, Event: "complete",
		Before: func() {
			if up := e.Pemda.Upload(id, "bast", "bast.pdf", PDFBytes("bast")); up.Status != http.StatusCreated {
				tb.Fatalf("upload bast = %d %s", up.Status, up.Body)
			}
		},
		Data: func() any {
			p := e.Get(tb, id)
			return map[string]any{"output_percent": 100, "absorbed_amount": int64(p["disbursed_amount"].(float64)), "bast_number": "BAST/" + strconv.FormatInt(id, 10) + "/2027"}
		}})
	return steps
}

// UploadStageFiles uploads what stage n needs.
func (e *Env) UploadStageFiles(tb testing.TB, id int64, n int, big bool) {
	tb.Helper()
	d := e.Engine.Current()
	kinds := d.Parameters.Sekaligus.Attachments
	if big {
		kinds = d.Parameters.Bertahap.Stages[n-1].Attachments
	}
	for _, kind := range kinds {
		if up := e.Pemda.Upload(id, kind, kind+".pdf", PDFBytes(kind)); up.Status != http.StatusCreated {
			tb.Fatalf("upload %s = %d %s", kind, up.Status, up.Body)
		}
	}
}

// StageAmount is the recommended amount of stage n.
func (e *Env) StageAmount(tb testing.TB, id int64, n int) int64 {
	tb.Helper()
	p := e.Get(tb, id)
	for _, s := range p["disbursement"].(map[string]any)["stages"].([]any) {
		st := s.(map[string]any)
		if int(st["number"].(float64)) == n {
			return int64(st["amount"].(float64))
		}
	}
	tb.Fatalf("stage %d not found", n)
	return 0
}

// WalkTo fires the path's events until the proposal is in state target.
func (e *Env) WalkTo(tb testing.TB, id int64, big bool, target string) {
	tb.Helper()
	if e.Get(tb, id)["state"] == target {
		return
	}
	for _, s := range e.Path(tb, id, big) {
		e.Fire(tb, id, s)
		if e.Get(tb, id)["state"] == target {
			return
		}
	}
	tb.Fatalf("walk: state %q never reached", target)
}

// Fire runs one step, which must succeed.
func (e *Env) Fire(tb testing.TB, id int64, s Step) map[string]any {
	tb.Helper()
	if s.Before != nil {
		s.Before()
	}
	var data any
	if s.Data != nil {
		data = s.Data()
	}
	return s.Client.MustFire(id, s.Event, s.Comment, data)
}
