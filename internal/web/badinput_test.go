package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"dakflow/internal/web/apitest"
)

// proposalWith is a complete revitalisasi body for Kota Bandar Lampung
// changed by edit.
func proposalWith(edit func(in map[string]any)) map[string]any {
	in := apitest.ProposalInput("revitalisasi", false)
	edit(in)
	return in
}

// firstLine is the first RAB line of a proposal body.
func firstLine(in map[string]any) map[string]any { return in["budget_lines"].([]map[string]any)[0] }

// TestBadInput sends what a careless or hostile client might: each answer
// is a problem+json with the right status that names the offending field,
// never a 500, and the database is as it was.
func TestBadInput(t *testing.T) {
	e := apitest.NewEnv(t)
	draft := e.Create(t, "revitalisasi", false)
	// One edit, so that version 1 is stale.
	if r := e.Pemda.Do("PUT", fmt.Sprintf("/api/v1/proposals/%d", draft), apitest.ProposalInput("revitalisasi", false), map[string]string{"If-Match": `"1"`}); r.Status != http.StatusOK {
		t.Fatalf("PUT draft = %d %s", r.Status, r.Body)
	}
	submitted := e.Create(t, "revitalisasi", false)
	e.Pemda.MustFire(submitted, "submit", "", nil)
	approved := e.Create(t, "pembangunan", false)
	e.WalkTo(t, approved, false, "rk_approved")

	proposals := "/api/v1/proposals"
	put := func(id int64) string { return fmt.Sprintf("/api/v1/proposals/%d", id) }
	events := func(id int64) string { return fmt.Sprintf("/api/v1/proposals/%d/events", id) }
	asJSON := func(v any) []byte {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	request := func(extra map[string]any) map[string]any {
		d := map[string]any{"stage": 1, "contract_value": 700_000_000, "absorbed_amount": 0, "output_percent": 0}
		for k, v := range extra {
			d[k] = v
		}
		return map[string]any{"event": "request_disbursement", "data": d}
	}
	elf := append([]byte("\x7fELF\x02\x01\x01\x00"), make([]byte, 200)...)
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), make([]byte, 200)...)
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 200)...)

	cases := []struct {
		name   string
		do     func(e *apitest.Env) apitest.Response
		status int
		fields []string // named by errors[].field
		state  string   // named by a 409
	}{
		// Proposal bodies.
		{name: "malformed JSON", status: http.StatusBadRequest, fields: []string{"body"},
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("POST", proposals, `{"fiscal_year": 2027,`, nil)
			}},
		{name: "empty body", status: http.StatusBadRequest, fields: []string{"body"},
			do: func(e *apitest.Env) apitest.Response { return e.Pemda.Do("POST", proposals, "", nil) }},
		{name: "two JSON values", status: http.StatusBadRequest, fields: []string{"body"},
			do: func(e *apitest.Env) apitest.Response {
				b := asJSON(apitest.ProposalInput("revitalisasi", false))
				return e.Pemda.Do("POST", proposals, string(b)+string(b), nil)
			}},
		{name: "unknown field", status: http.StatusBadRequest, fields: []string{"colour"},
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("POST", proposals, proposalWith(func(in map[string]any) { in["colour"] = "merah" }), nil)
			}},
		{name: "unknown nested field", status: http.StatusBadRequest, fields: []string{"sentra.colour"},
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("POST", proposals, proposalWith(func(in map[string]any) { in["sentra"].(map[string]any)["colour"] = "merah" }), nil)
			}},
		{name: "unknown field in a budget line", status: http.StatusBadRequest, fields: []string{"budget_lines[0].total_price"},
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("POST", proposals, proposalWith(func(in map[string]any) { firstLine(in)["total_price"] = 5 }), nil)
			}},
		{name: "negative amount", status: http.StatusBadRequest, fields: []string{"budget_lines[0].unit_price"},
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("POST", proposals, proposalWith(func(in map[string]any) { firstLine(in)["unit_price"] = -5 }), nil)
			}},
		{name: "overflowing amount", status: http.StatusBadRequest, fields: []string{"budget_lines[0].unit_price"},
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("POST", proposals, proposalWith(func(in map[string]any) {
					firstLine(in)["unit_price"] = json.Number("99999999999999999999")
				}), nil)
			}},
		{name: "fractional amount", status: http.StatusBadRequest, fields: []string{"budget_lines[0].unit_price"},
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("POST", proposals, proposalWith(func(in map[string]any) { firstLine(in)["unit_price"] = 1.5 }), nil)
			}},
		{name: "fractional quantity", status: http.StatusBadRequest, fields: []string{"budget_lines[0].quantity"},
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("POST", proposals, proposalWith(func(in map[string]any) { firstLine(in)["quantity"] = 1.5 }), nil)
			}},
		{name: "amount as a string", status: http.StatusBadRequest, fields: []string{"budget_lines[0].unit_price"},
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("POST", proposals, proposalWith(func(in map[string]any) { firstLine(in)["unit_price"] = "350000000" }), nil)
			}},
		{name: "year as a string", status: http.StatusBadRequest, fields: []string{"fiscal_year"},
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("POST", proposals, proposalWith(func(in map[string]any) { in["fiscal_year"] = "2027" }), nil)
			}},
		{name: "wrong year and menu", status: http.StatusUnprocessableEntity, fields: []string{"fiscal_year", "menu"},
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("POST", proposals, proposalWith(func(in map[string]any) { in["fiscal_year"], in["menu"] = 2019, "perluasan" }), nil)
			}},
		{name: "desa outside the region", status: http.StatusUnprocessableEntity, fields: []string{"sentra.village_code"},
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("POST", proposals, proposalWith(func(in map[string]any) {
					in["sentra"].(map[string]any)["village_code"] = makassarVillage(t)
				}), nil)
			}},
		{name: "another region's code", status: http.StatusUnprocessableEntity, fields: []string{"region_code"},
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("POST", proposals, proposalWith(func(in map[string]any) { in["region_code"] = "73.71" }), nil)
			}},
		{name: "unknown category", status: http.StatusUnprocessableEntity, fields: []string{"budget_lines[0].category"},
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("POST", proposals, proposalWith(func(in map[string]any) { firstLine(in)["category"] = "gedung_kantor" }), nil)
			}},
		{name: "text the documents cannot print", status: http.StatusUnprocessableEntity, fields: []string{"title"},
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("POST", proposals, proposalWith(func(in map[string]any) { in["title"] = "Sentra 漢字" }), nil)
			}},
		{name: "wrong content type", status: http.StatusUnsupportedMediaType,
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("POST", proposals, asJSON(apitest.ProposalInput("revitalisasi", false)), map[string]string{"Content-Type": "text/plain"})
			}},
		{name: "form instead of JSON", status: http.StatusUnsupportedMediaType,
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("POST", proposals, "fiscal_year=2027&menu=revitalisasi", map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
			}},

		// Editing.
		{name: "PUT malformed JSON", status: http.StatusBadRequest, fields: []string{"body"},
			do: func(e *apitest.Env) apitest.Response { return e.Pemda.Do("PUT", put(draft), `{"title": }`, nil) }},
		{name: "PUT negative amount", status: http.StatusBadRequest, fields: []string{"budget_lines[0].unit_price"},
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("PUT", put(draft), proposalWith(func(in map[string]any) { firstLine(in)["unit_price"] = -5 }), nil)
			}},
		{name: "PUT wrong content type", status: http.StatusUnsupportedMediaType,
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("PUT", put(draft), asJSON(apitest.ProposalInput("revitalisasi", false)), map[string]string{"Content-Type": "text/xml"})
			}},
		{name: "PUT stale If-Match", status: http.StatusPreconditionFailed,
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("PUT", put(draft), apitest.ProposalInput("revitalisasi", false), map[string]string{"If-Match": `"1"`})
			}},
		{name: "PUT unreadable If-Match", status: http.StatusPreconditionFailed,
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("PUT", put(draft), apitest.ProposalInput("revitalisasi", false), map[string]string{"If-Match": "versi-lama"})
			}},
		{name: "PUT on a submitted proposal", status: http.StatusConflict, state: "submitted",
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("PUT", put(submitted), apitest.ProposalInput("revitalisasi", false), nil)
			}},

		// Uploads.
		{name: "oversized upload", status: http.StatusRequestEntityTooLarge,
			do: func(e *apitest.Env) apitest.Response {
				big := append(apitest.PDFBytes("besar"), make([]byte, 20<<20)...)
				return e.Pemda.Upload(draft, "ded", "ded.pdf", big)
			}},
		{name: "text named .pdf", status: http.StatusUnsupportedMediaType,
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Upload(draft, "tor", "tor.pdf", []byte(strings.Repeat("Kerangka acuan kerja. ", 50)))
			}},
		{name: "ELF executable named .pdf", status: http.StatusUnsupportedMediaType,
			do: func(e *apitest.Env) apitest.Response { return e.Pemda.Upload(draft, "tor", "tor.pdf", elf) }},
		{name: "Windows executable named .pdf", status: http.StatusUnsupportedMediaType,
			do: func(e *apitest.Env) apitest.Response { return e.Pemda.Upload(draft, "tor", "tor.pdf", exe) }},
		{name: "PNG named .pdf", status: http.StatusUnsupportedMediaType,
			do: func(e *apitest.Env) apitest.Response { return e.Pemda.Upload(draft, "tor", "tor.pdf", png) }},
		{name: "unknown attachment kind", status: http.StatusUnprocessableEntity, fields: []string{"kind"},
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Upload(draft, "surat_cinta", "surat.pdf", apitest.PDFBytes("surat"))
			}},
		{name: "upload as JSON", status: http.StatusUnsupportedMediaType,
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("POST", fmt.Sprintf("/api/v1/proposals/%d/attachments", draft), map[string]any{"kind": "tor"}, nil)
			}},

		// Events.
		{name: "event malformed JSON", status: http.StatusBadRequest, fields: []string{"body"},
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("POST", events(draft), `{"event": "submit"`, nil)
			}},
		{name: "event unknown field", status: http.StatusBadRequest, fields: []string{"colour"},
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("POST", events(draft), map[string]any{"event": "submit", "colour": "merah"}, nil)
			}},
		{name: "event without a name", status: http.StatusBadRequest, fields: []string{"event"},
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("POST", events(draft), map[string]any{"comment": "uji"}, nil)
			}},
		{name: "event wrong content type", status: http.StatusUnsupportedMediaType,
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("POST", events(draft), `{"event": "submit"}`, map[string]string{"Content-Type": "text/plain"})
			}},
		{name: "unknown event", status: http.StatusUnprocessableEntity, fields: []string{"event"},
			do: func(e *apitest.Env) apitest.Response { return e.Pemda.Fire(draft, "approve_everything", "", nil, nil) }},
		{name: "event data the event does not take", status: http.StatusBadRequest, fields: []string{"data.x"},
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Fire(draft, "submit", "", map[string]any{"x": 1}, nil)
			}},
		{name: "event data of another event", status: http.StatusBadRequest, fields: []string{"data.amount"},
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("POST", events(approved), request(map[string]any{"amount": 5}), nil)
			}},
		{name: "event data not an object", status: http.StatusBadRequest, fields: []string{"data"},
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("POST", events(approved), map[string]any{"event": "request_disbursement", "data": []int{1}}, nil)
			}},
		{name: "percent with three decimals", status: http.StatusBadRequest, fields: []string{"data.output_percent"},
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("POST", events(approved), request(map[string]any{"output_percent": json.Number("70.125")}), nil)
			}},
		{name: "negative event amount", status: http.StatusBadRequest, fields: []string{"data.contract_value"},
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("POST", events(approved), request(map[string]any{"contract_value": -5}), nil)
			}},
		{name: "stage as a string", status: http.StatusBadRequest, fields: []string{"data.stage"},
			do: func(e *apitest.Env) apitest.Response {
				return e.Pemda.Do("POST", events(approved), request(map[string]any{"stage": "satu"}), nil)
			}},
		{name: "comment the documents cannot print", status: http.StatusUnprocessableEntity, fields: []string{"comment"},
			do: func(e *apitest.Env) apitest.Response { return e.Pemda.Fire(draft, "withdraw", "撤回", nil, nil) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := e.For(t)
			before := snapAll(t, e)
			r := tc.do(e)
			if r.Status >= 500 {
				t.Fatalf("%s = %d, a server error for bad input:\n%s", tc.name, r.Status, r.Body)
			}
			p := expectProblem(t, tc.name, r, tc.status)
			expectFields(t, tc.name, p, tc.fields...)
			if tc.state != "" && p.State != tc.state {
				t.Errorf("%s: problem state = %q, want %q", tc.name, p.State, tc.state)
			}
			if diff := cmp.Diff(before, snapAll(t, e)); diff != "" {
				t.Errorf("%s changed the database (-before +after):\n%s", tc.name, diff)
			}
		})
	}
}
