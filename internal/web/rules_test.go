package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"dakflow/internal/dak"
	"dakflow/internal/web/apitest"
	"dakflow/internal/workflow"
)

// problemBody is an RFC 9457 body as the tests read it. AllowedEvents is a
// pointer so that a missing key can be told from an empty list.
type problemBody struct {
	Type          string         `json:"type"`
	Title         string         `json:"title"`
	Status        int            `json:"status"`
	Detail        string         `json:"detail"`
	Errors        []problemError `json:"errors"`
	State         string         `json:"state"`
	AllowedEvents *[]string      `json:"allowed_events"`
}

type problemError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	Guard   string `json:"guard"`
}

func (p problemBody) fields() []string {
	var out []string
	for _, f := range p.Errors {
		out = append(out, f.Field)
	}
	return out
}

// expectProblem checks that r is an application/problem+json answer with the
// given status and every member a client relies on, and returns it.
func expectProblem(t *testing.T, what string, r apitest.Response, status int) problemBody {
	t.Helper()
	if r.Status != status {
		t.Errorf("%s = %d, want %d\n%s", what, r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("%s: Content-Type = %q, want application/problem+json", what, ct)
	}
	var p problemBody
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Errorf("%s: body is not JSON: %v\n%s", what, err, r.Body)
		return p
	}
	if p.Type == "" || p.Title == "" || p.Detail == "" || p.Status != r.Status {
		t.Errorf("%s: problem lacks type, title, detail or the status %d: %s", what, r.Status, r.Body)
	}
	return p
}

// expectFields checks that the problem names every field of want.
func expectFields(t *testing.T, what string, p problemBody, want ...string) {
	t.Helper()
	got := p.fields()
	for _, f := range want {
		if !slices.Contains(got, f) {
			t.Errorf("%s: errors name fields %q, want %q among them", what, got, f)
		}
	}
}

// proposalState is what a refused request must leave as it was.
type proposalState struct {
	State       string
	Version     int64
	Events      int
	Documents   int
	Attachments int
}

// snapProposal reads a proposal and the lengths of its lists, as the auditor.
func snapProposal(t *testing.T, e *apitest.Env, id int64) proposalState {
	t.Helper()
	p := e.Get(t, id)
	s := proposalState{State: p["state"].(string), Version: int64(p["version"].(float64))}
	for _, l := range []struct {
		path string
		into *int
	}{{"events", &s.Events}, {"documents", &s.Documents}, {"attachments", &s.Attachments}} {
		r := e.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/%s", id, l.path), nil, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("GET %s of %d = %d %s", l.path, id, r.Status, r.Body)
		}
		var out struct {
			Total int `json:"total"`
		}
		r.Decode(t, &out)
		*l.into = out.Total
	}
	return s
}

// dbState is every proposal with the number of its events and
// attachments, as the auditor sees them. (A document is never written
// without its event.)
type dbState struct {
	Proposals int
	Each      map[int64]rowCounts
}

type rowCounts struct {
	State       string
	Version     int64
	Events      int
	Attachments int
}

func snapAll(t *testing.T, e *apitest.Env) dbState {
	t.Helper()
	r := e.Auditor.Do("GET", "/api/v1/proposals?per_page=200", nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET /proposals = %d %s", r.Status, r.Body)
	}
	var list struct {
		Items []struct {
			ID      int64  `json:"id"`
			State   string `json:"state"`
			Version int64  `json:"version"`
		} `json:"items"`
		Total int `json:"total"`
	}
	r.Decode(t, &list)
	s := dbState{Proposals: list.Total, Each: map[int64]rowCounts{}}
	for _, p := range list.Items {
		c := rowCounts{State: p.State, Version: p.Version}
		for _, l := range []struct {
			path string
			into *int
		}{{"events", &c.Events}, {"attachments", &c.Attachments}} {
			var out struct {
				Total int `json:"total"`
			}
			e.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/%s", p.ID, l.path), nil, nil).Decode(t, &out)
			*l.into = out.Total
		}
		s.Each[p.ID] = c
	}
	return s
}

// userID is the account id behind a client.
func userID(c *apitest.Client) int64 { return int64(c.User["id"].(float64)) }

// setRole gives the account behind c another role until the test ends.
// Users have one role each, so this is how one person comes to act twice.
func setRole(t *testing.T, e *apitest.Env, c *apitest.Client, role dak.Role) {
	t.Helper()
	ctx := context.Background()
	u, err := e.Store.UserByID(ctx, userID(c))
	if err != nil {
		t.Fatal(err)
	}
	was := u.Role
	u.Role = role
	if err := e.Store.UpdateUser(ctx, u, ""); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		u.Role = was
		if err := e.Store.UpdateUser(ctx, u, ""); err != nil {
			t.Errorf("restore role of %s: %v", u.Username, err)
		}
	})
}

// putFiscalYear sets the year's ceiling and deadline as the admin and puts
// back a large ceiling without a deadline when the test ends.
func putFiscalYear(t *testing.T, e *apitest.Env, ceiling int64, deadline string) {
	t.Helper()
	body := map[string]any{"ceiling": ceiling, "change_reason": "uji aturan", "legal_basis": "uji"}
	if deadline != "" {
		body["submission_deadline"] = deadline
	}
	path := fmt.Sprintf("/api/v1/fiscal-years/%d", apitest.Year)
	if r := e.Admin.Do("PUT", path, body, nil); r.Status != http.StatusOK {
		t.Fatalf("PUT %s = %d %s", path, r.Status, r.Body)
	}
	t.Cleanup(func() {
		if r := e.Admin.Do("PUT", path, map[string]any{"ceiling": int64(1_000_000_000_000), "change_reason": "pemulihan", "legal_basis": "uji"}, nil); r.Status != http.StatusOK {
			t.Errorf("restore fiscal year: PUT %s = %d %s", path, r.Status, r.Body)
		}
	})
}

// putRKDeadline sets the RK deadline of the test's fiscal year as the
// admin, and removes it when the test ends.
func putRKDeadline(t *testing.T, e *apitest.Env, at string) {
	t.Helper()
	path := fmt.Sprintf("/api/v1/fiscal-years/%d", apitest.Year)
	put := func(at string) apitest.Response {
		return e.Admin.Do("PUT", path, map[string]any{"ceiling": int64(1_000_000_000_000), "calendar": map[string]any{"rk_deadline": at},
			"change_reason": "uji aturan", "legal_basis": "uji"}, nil)
	}
	if r := put(at); r.Status != http.StatusOK {
		t.Fatalf("PUT %s = %d %s", path, r.Status, r.Body)
	}
	t.Cleanup(func() {
		if r := put(""); r.Status != http.StatusOK {
			t.Errorf("restore the RK deadline: PUT %s = %d %s", path, r.Status, r.Body)
		}
	})
}

// committedAmount is what the fiscal year has already allocated.
func committedAmount(t *testing.T, e *apitest.Env) int64 {
	t.Helper()
	var list struct {
		Items []dak.FiscalYear `json:"items"`
	}
	e.Admin.Do("GET", "/api/v1/fiscal-years", nil, nil).Decode(t, &list)
	for _, fy := range list.Items {
		if fy.Year == apitest.Year {
			return int64(fy.Committed)
		}
	}
	t.Fatalf("fiscal year %d not listed", apitest.Year)
	return 0
}

// guardCase is one event that a guard must refuse.
type guardCase struct {
	name    string
	client  func(e *apitest.Env) *apitest.Client
	event   string
	comment string
	data    func(e *apitest.Env) any
	setup   func(t *testing.T, e *apitest.Env) // runs inside the subtest; may register cleanups
	want    []problemError                     // guard and field of each expected failure
}

// runGuards fires each case on id and checks that exactly the guards of
// want refuse it, naming their fields, and that nothing changed.
func runGuards(t *testing.T, e *apitest.Env, id int64, covered map[string]bool, cases []guardCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := e.For(t)
			if tc.setup != nil {
				tc.setup(t, e)
			}
			var data any
			if tc.data != nil {
				data = tc.data(e)
			}
			before := snapProposal(t, e, id)
			r := tc.client(e).Fire(id, tc.event, tc.comment, data, nil)
			p := expectProblem(t, fmt.Sprintf("Fire(%q)", tc.event), r, http.StatusUnprocessableEntity)
			var wantGuards []string
			for _, w := range tc.want {
				if !slices.Contains(wantGuards, w.Guard) {
					wantGuards = append(wantGuards, w.Guard)
				}
				if !slices.ContainsFunc(p.Errors, func(f problemError) bool { return f.Guard == w.Guard && f.Field == w.Field }) {
					t.Errorf("Fire(%q): no error of guard %s on field %s in %s", tc.event, w.Guard, w.Field, r.Body)
				}
			}
			gotGuards := slices.Compact(slices.Sorted(slices.Values(r.Guards())))
			slices.Sort(wantGuards)
			if diff := cmp.Diff(wantGuards, gotGuards); diff != "" {
				t.Errorf("Fire(%q): failed guards (-want +got):\n%s", tc.event, diff)
			}
			for _, f := range p.Errors {
				if f.Message == "" {
					t.Errorf("Fire(%q): error on %s has no reason", tc.event, f.Field)
				}
			}
			if after := snapProposal(t, e, id); after != before {
				t.Errorf("Fire(%q) refused but changed the proposal: %+v, want %+v", tc.event, after, before)
			}
			if !t.Failed() {
				for _, w := range tc.want {
					covered[w.Guard] = true
				}
			}
		})
	}
}

func asPemda(e *apitest.Env) *apitest.Client     { return e.Pemda }
func asVerifier(e *apitest.Env) *apitest.Client  { return e.Verifier }
func asVerifier2(e *apitest.Env) *apitest.Client { return e.Verifier2 }
func asApprover(e *apitest.Env) *apitest.Client  { return e.Approver }
func asTreasury(e *apitest.Env) *apitest.Client  { return e.Treasury }

func constData(v any) func(*apitest.Env) any { return func(*apitest.Env) any { return v } }

// draftWith files a proposal from in as the pemda and uploads the
// attachments of kinds; it returns the id.
func draftWith(t *testing.T, e *apitest.Env, in map[string]any, kinds ...string) int64 {
	t.Helper()
	r := e.Pemda.Do("POST", "/api/v1/proposals", in, nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("POST /proposals = %d %s", r.Status, r.Body)
	}
	id := int64(r.JSON()["id"].(float64))
	for _, kind := range kinds {
		if up := e.Pemda.Upload(id, kind, kind+".pdf", apitest.PDFBytes(kind)); up.Status != http.StatusCreated {
			t.Fatalf("upload %s = %d %s", kind, up.Status, up.Body)
		}
	}
	return id
}

// walkStep fires the named step of the proposal's path, which must succeed.
func walkStep(t *testing.T, e *apitest.Env, id int64, big bool, event string) {
	t.Helper()
	for _, s := range e.Path(t, id, big) {
		if s.Event == event {
			e.Fire(t, id, s)
			return
		}
	}
	t.Fatalf("no step %s in the path", event)
}

// TestGuards makes every guard of the workflow refuse an event through the
// HTTP API: a 422 that lists the guard and the field it is about, with the
// proposal's state, version, events, documents and attachments untouched.
// stage_deadline_passed belongs to the scheduler and is TestLapse's.
func TestGuards(t *testing.T) {
	e := apitest.NewEnv(t)
	d := e.Engine.Current()
	covered := map[string]bool{}
	const alloc = apitest.SmallAllocation

	t.Run("submit", func(t *testing.T) {
		e := e.For(t)
		revit := d.Menus["revitalisasi"].RequiredAttachments

		noDecree := e.OwnSentraInput(t, "revitalisasi", false)
		delete(noDecree["sentra"].(map[string]any), "decree_number")
		incomplete := draftWith(t, e, noDecree) // and no attachments
		runGuards(t, e, incomplete, covered, []guardCase{{
			name: "proposal_complete", client: asPemda, event: "submit",
			want: []problemError{{Guard: "proposal_complete", Field: "sentra.decree_number"},
				{Guard: "proposal_complete", Field: "attachments.surat_usulan"},
				{Guard: "proposal_complete", Field: "attachments.sk_sentra"}},
		}})

		// Revitalisasi caps a new production building (workflow file).
		overCap := e.OwnSentraInput(t, "revitalisasi", false)
		overCap["budget_lines"].([]map[string]any)[0]["unit_price"] = 2_000_000_000
		capped := draftWith(t, e, overCap, revit...)
		runGuards(t, e, capped, covered, []guardCase{{
			name: "budget_consistent", client: asPemda, event: "submit",
			want: []problemError{{Guard: "budget_consistent", Field: "budget_lines"}},
		}})

		// Without a desa it names no registered sentra either.
		noVillage := apitest.ProposalInput("revitalisasi", false)
		noVillage["sentra"].(map[string]any)["village_code"] = ""
		unplaced := draftWith(t, e, noVillage, revit...)
		runGuards(t, e, unplaced, covered, []guardCase{{
			name: "village_in_region", client: asPemda, event: "submit",
			want: []problemError{{Guard: "village_in_region", Field: "sentra.village_code"},
				{Guard: "proposal_complete", Field: "sentra.village_code"}, {Guard: "sentra_alive", Field: "sentra_id"}},
		}})

		// The registry records the sentra dead after the draft named it.
		dying := e.OwnSentraInput(t, "revitalisasi", false)
		dead := draftWith(t, e, dying, revit...)
		e.SetSentraStatus(t, dying["sentra_id"].(int64), dak.SentraTidakAktif)
		runGuards(t, e, dead, covered, []guardCase{{
			name: "sentra_alive", client: asPemda, event: "submit",
			want: []problemError{{Guard: "sentra_alive", Field: "sentra_id"}},
		}})

		// A second draft for a sentra that already has one under way.
		first := e.OwnSentraInput(t, "revitalisasi", false)
		draftWith(t, e, first, revit...)
		second := apitest.ProposalInput("revitalisasi", false)
		second["sentra_id"] = first["sentra_id"]
		twice := draftWith(t, e, second, revit...)
		runGuards(t, e, twice, covered, []guardCase{{
			name: "no_double_funding", client: asPemda, event: "submit",
			want: []problemError{{Guard: "no_double_funding", Field: "sentra_id"}},
		}})

		nextYear := e.OwnSentraInput(t, "revitalisasi", false)
		nextYear["fiscal_year"] = apitest.Year + 1 // not opened by the admin
		unopened := draftWith(t, e, nextYear, revit...)
		runGuards(t, e, unopened, covered, []guardCase{{
			name: "before_deadline/year_not_open", client: asPemda, event: "submit",
			want: []problemError{{Guard: "before_deadline", Field: "fiscal_year"}},
		}})

		id := draftWith(t, e, e.OwnSentraInput(t, "revitalisasi", false), revit...)
		runGuards(t, e, id, covered, []guardCase{
			{name: "before_deadline/passed", client: asPemda, event: "submit",
				setup: func(t *testing.T, e *apitest.Env) { putFiscalYear(t, e, 1_000_000_000_000, "2026-01-31") },
				want:  []problemError{{Guard: "before_deadline", Field: "fiscal_year"}}},
			{name: "comment_required/withdraw", client: asPemda, event: "withdraw", comment: "  ",
				want: []problemError{{Guard: "comment_required", Field: "comment"}}},
		})
	})

	// One sekaligus proposal walks the whole path; at each state the events
	// that can leave it are first refused by each of their guards.
	id := e.Create(t, "revitalisasi", false)
	other := e.Create(t, "pembangunan", false) // records an SP2D number first
	e.WalkTo(t, other, false, "tranche_disbursed")
	takenSP2D := fmt.Sprintf("SP2D-%d-1", other)

	walkStep(t, e, id, false, "submit")
	walkStep(t, e, id, false, "start_review")
	checklist := func(e *apitest.Env) []map[string]any { return e.Checklist() }
	t.Run("in_review", func(t *testing.T) {
		e := e.For(t)
		full := checklist(e)
		runGuards(t, e, id, covered, []guardCase{
			{name: "reviewer_assigned/request_revision", client: asVerifier2, event: "request_revision",
				data: constData(map[string]any{"notes": []map[string]any{{"field": "budget_lines", "note": "Rinci harga satuan"}}}),
				want: []problemError{{Guard: "reviewer_assigned", Field: "reviewer"}}},
			{name: "reviewer_assigned/recommend", client: asVerifier2, event: "recommend",
				data: constData(map[string]any{"recommended_amount": alloc, "amount_reason": apitest.AmountReason, "checklist": full}),
				want: []problemError{{Guard: "reviewer_assigned", Field: "reviewer"}}},
			{name: "reviewer_assigned/reject", client: asVerifier2, event: "reject", comment: "Tidak layak",
				want: []problemError{{Guard: "reviewer_assigned", Field: "reviewer"}}},
			{name: "notes_required/none", client: asVerifier, event: "request_revision",
				want: []problemError{{Guard: "notes_required", Field: "data.notes"}}},
			{name: "notes_required/no_field", client: asVerifier, event: "request_revision",
				data: constData(map[string]any{"notes": []map[string]any{{"note": "Lengkapi"}}}),
				want: []problemError{{Guard: "notes_required", Field: "data.notes[0].field"}}},
			{name: "checklist_answered/missing_item", client: asVerifier, event: "recommend",
				data: constData(map[string]any{"recommended_amount": alloc, "amount_reason": apitest.AmountReason, "checklist": full[:len(full)-1]}),
				want: []problemError{{Guard: "checklist_answered", Field: "data.checklist." + d.Checklist[len(d.Checklist)-1].ID}}},
			{name: "checklist_answered/unknown_item", client: asVerifier, event: "recommend",
				data: constData(map[string]any{"recommended_amount": alloc, "amount_reason": apitest.AmountReason,
					"checklist": append(checklist(e), map[string]any{"id": "tidak_ada", "met": true})}),
				want: []problemError{{Guard: "checklist_answered", Field: fmt.Sprintf("data.checklist[%d].id", len(full))}}},
			{name: "recommended_within_requested/over", client: asVerifier, event: "recommend",
				data: constData(map[string]any{"recommended_amount": 815_000_001, "checklist": full}),
				want: []problemError{{Guard: "recommended_within_requested", Field: "data.recommended_amount"}}},
			{name: "recommended_within_requested/missing", client: asVerifier, event: "recommend",
				data: constData(map[string]any{"checklist": full}),
				want: []problemError{{Guard: "recommended_within_requested", Field: "data.recommended_amount"}}},
			{name: "comment_required/reject", client: asVerifier, event: "reject",
				want: []problemError{{Guard: "comment_required", Field: "comment"}}},
			{name: "amount_correction_reasoned/recommend", client: asVerifier, event: "recommend",
				data: constData(map[string]any{"recommended_amount": alloc, "amount_reason": "  ", "checklist": full}),
				want: []problemError{{Guard: "amount_correction_reasoned", Field: "data.amount_reason"}}},
		})
		// Each item answered once, in the answer its menu allows (the
		// workflow file's checklist menus): this proposal is revitalisasi.
		answer := func(id string, set map[string]any) []map[string]any {
			out := checklist(e)
			for _, a := range out {
				if a["id"] == id {
					delete(a, "met")
					delete(a, "not_applicable")
					maps.Copy(a, set)
				}
			}
			return out
		}
		at := func(id string) string {
			return fmt.Sprintf("data.checklist[%d]", slices.IndexFunc(d.Checklist, func(it workflow.ChecklistItem) bool { return it.ID == id }))
		}
		recommend := func(list []map[string]any) func(*apitest.Env) any {
			return constData(map[string]any{"recommended_amount": 815_000_000, "checklist": list})
		}
		runGuards(t, e, id, covered, []guardCase{
			{name: "checklist_answered/both", client: asVerifier, event: "recommend",
				data: recommend(answer("dokumen_lengkap", map[string]any{"met": true, "not_applicable": true})),
				want: []problemError{{Guard: "checklist_answered", Field: at("dokumen_lengkap")}}},
			{name: "checklist_answered/neither", client: asVerifier, event: "recommend",
				data: recommend(answer("dokumen_lengkap", map[string]any{"not_applicable": false})),
				want: []problemError{{Guard: "checklist_answered", Field: at("dokumen_lengkap")}}},
			{name: "checklist_answered/not_relevant_where_it_applies", client: asVerifier, event: "recommend",
				data: recommend(answer("sentra_terorganisasi", map[string]any{"not_applicable": true})),
				want: []problemError{{Guard: "checklist_answered", Field: at("sentra_terorganisasi")}}},
			{name: "checklist_answered/met_where_it_does_not_apply", client: asVerifier, event: "recommend",
				data: recommend(answer("kesiapan_lahan", map[string]any{"met": true})),
				want: []problemError{{Guard: "checklist_answered", Field: at("kesiapan_lahan")}}},
			{name: "checklist_answered/unmet_without_note", client: asVerifier, event: "recommend",
				data: recommend(answer("kewajaran_biaya", map[string]any{"met": false, "note": " "})),
				want: []problemError{{Guard: "checklist_answered", Field: at("kewajaran_biaya") + ".note"}}},
		})
	})

	walkStep(t, e, id, false, "recommend")
	t.Run("recommended", func(t *testing.T) {
		e := e.For(t)
		runGuards(t, e, id, covered, []guardCase{
			{name: "amount_within_recommended", client: asApprover, event: "allocate",
				data: constData(map[string]any{"amount": alloc + 1}),
				want: []problemError{{Guard: "amount_within_recommended", Field: "data.amount"}}},
			{name: "amount_correction_reasoned/allocate", client: asApprover, event: "allocate",
				data: constData(map[string]any{"amount": alloc - 1}),
				want: []problemError{{Guard: "amount_correction_reasoned", Field: "data.amount_reason"}}},
			{name: "ceiling_available", client: asApprover, event: "allocate",
				setup: func(t *testing.T, e *apitest.Env) { putFiscalYear(t, e, committedAmount(t, e)+alloc-1, "") },
				data:  constData(map[string]any{"amount": alloc}),
				want:  []problemError{{Guard: "ceiling_available", Field: "data.amount"}}},
			// The verifier who recommended is made an approver: the same
			// person may not also allocate.
			{name: "four_eyes/allocate", client: asVerifier, event: "allocate",
				setup: func(t *testing.T, e *apitest.Env) { setRole(t, e, e.Verifier, dak.RoleApprover) },
				data:  constData(map[string]any{"amount": alloc}),
				want:  []problemError{{Guard: "four_eyes", Field: "actor"}}},
			{name: "comment_required/decline", client: asApprover, event: "decline",
				want: []problemError{{Guard: "comment_required", Field: "comment"}}},
		})
	})

	walkStep(t, e, id, false, "allocate")
	t.Run("allocated", func(t *testing.T) {
		e := e.For(t)
		runGuards(t, e, id, covered, []guardCase{
			{name: "rk_within_allocation/over", client: asPemda, event: "submit_rk",
				data: constData(map[string]any{"activities": []map[string]any{
					{"category": "gedung_produksi", "description": "Gedung produksi", "quantity": 1, "unit": "paket",
						"unit_price": alloc + d.Parameters.RKTolerance + 1}}}),
				want: []problemError{{Guard: "rk_within_allocation", Field: "data.activities"}}},
			{name: "rk_within_allocation/empty", client: asPemda, event: "submit_rk",
				want: []problemError{{Guard: "rk_within_allocation", Field: "data.activities"}}},
			{name: "before_rk_deadline", client: asPemda, event: "submit_rk",
				setup: func(t *testing.T, e *apitest.Env) { putRKDeadline(t, e, "2026-11-01T23:59") },
				data:  constData(map[string]any{"activities": apitest.RK("revitalisasi", false)}),
				want:  []problemError{{Guard: "before_rk_deadline", Field: "fiscal_year"}}},
			// Revitalisasi caps a production building (the workflow file's
			// category_limits), in the RK as in the RAB.
			{name: "rk_within_category_limits", client: asPemda, event: "submit_rk",
				data: constData(map[string]any{"activities": []map[string]any{
					{"category": "gedung_produksi", "description": "Gedung produksi", "quantity": 1, "unit": "paket",
						"unit_price": d.Menus["revitalisasi"].CategoryLimits["gedung_produksi"].MaxAmount + 1}}}),
				want: []problemError{{Guard: "rk_within_allocation", Field: "data.activities"},
					{Guard: "rk_within_category_limits", Field: "data.activities[0].unit_price"}}},
		})
	})

	// The RK departs from the assessed RAB (machines 6 → 4, the sign
	// dropped): submit_rk takes it, approve_rk wants a stated basis.
	e.Pemda.MustFire(id, "submit_rk", "", departingRK())
	t.Run("rk_submitted", func(t *testing.T) {
		e := e.For(t)
		runGuards(t, e, id, covered, []guardCase{
			{name: "notes_required/request_rk_revision", client: asVerifier, event: "request_rk_revision",
				data: constData(map[string]any{"notes": []map[string]any{}}),
				want: []problemError{{Guard: "notes_required", Field: "data.notes"}}},
			{name: "rk_departures_justified", client: asApprover, event: "approve_rk",
				data: constData(map[string]any{"departure_basis": " "}),
				want: []problemError{{Guard: "rk_departures_justified", Field: "data.departure_basis"}}},
		})
	})

	e.Approver.MustFire(id, "approve_rk", "", map[string]any{"departure_basis": departureBasis})
	request := map[string]any{"stage": 1, "contract_value": alloc * 9 / 10, "absorbed_amount": 0, "output_percent": 0, "kppn": "KPPN Bandar Lampung"}
	t.Run("rk_approved", func(t *testing.T) {
		e := e.For(t)
		runGuards(t, e, id, covered, []guardCase{
			{name: "stage_attachments", client: asPemda, event: "request_disbursement", data: constData(request),
				want: []problemError{{Guard: "stage_attachments", Field: "attachments.daftar_kontrak"}}},
		})
		e.UploadStageFiles(t, id, 1, false)
		runGuards(t, e, id, covered, []guardCase{
			{name: "stage_conditions", client: asPemda, event: "request_disbursement",
				data: constData(map[string]any{"stage": 2, "absorbed_amount": 0, "output_percent": 0}),
				want: []problemError{{Guard: "stage_conditions", Field: "data.stage"},
					{Guard: "stage_conditions", Field: "data.contract_value"}}},
		})
	})

	e.Pemda.MustFire(id, "request_disbursement", "", request)
	t.Run("disbursement_requested", func(t *testing.T) {
		e := e.For(t)
		runGuards(t, e, id, covered, []guardCase{
			{name: "notes_required/return_request", client: asApprover, event: "return_request",
				want: []problemError{{Guard: "notes_required", Field: "data.notes"}}},
		})
	})

	walkStep(t, e, id, false, "recommend_disbursement")
	t.Run("disbursement_recommended", func(t *testing.T) {
		e := e.For(t)
		amount := e.StageAmount(t, id, 1)
		record := func(amount int64, sp2d, date string) func(*apitest.Env) any {
			return constData(map[string]any{"amount": amount, "sp2d_number": sp2d, "sp2d_date": date})
		}
		runGuards(t, e, id, covered, []guardCase{
			{name: "amount_equals_stage", client: asTreasury, event: "record_disbursement",
				data: record(amount-1, "SP2D-BARU-1", "2027-03-15"),
				want: []problemError{{Guard: "amount_equals_stage", Field: "data.amount"}}},
			{name: "sp2d_unique/taken", client: asTreasury, event: "record_disbursement",
				data: record(amount, takenSP2D, "2027-03-15"),
				want: []problemError{{Guard: "sp2d_unique", Field: "data.sp2d_number"}}},
			{name: "sp2d_unique/missing", client: asTreasury, event: "record_disbursement",
				data: record(amount, "", "15-03-2027"),
				want: []problemError{{Guard: "sp2d_unique", Field: "data.sp2d_number"}, {Guard: "sp2d_unique", Field: "data.sp2d_date"}}},
			// The approver who allocated is made treasury: the same person
			// may not also record the transfer.
			{name: "four_eyes/record_disbursement", client: asApprover, event: "record_disbursement",
				setup: func(t *testing.T, e *apitest.Env) { setRole(t, e, e.Approver, dak.RoleTreasury) },
				data:  record(amount, "SP2D-BARU-1", "2027-03-15"),
				want:  []problemError{{Guard: "four_eyes", Field: "actor"}}},
		})
	})

	walkStep(t, e, id, false, "record_disbursement")
	t.Run("tranche_disbursed/all_paid", func(t *testing.T) {
		e := e.For(t)
		paid := int64(e.Get(t, id)["disbursed_amount"].(float64))
		done := map[string]any{"output_percent": 100, "absorbed_amount": paid, "bast_number": "BAST/027/2027"}
		runGuards(t, e, id, covered, []guardCase{
			{name: "stage_left", client: asPemda, event: "request_disbursement",
				data: constData(map[string]any{"stage": 2, "contract_value": 1, "absorbed_amount": paid, "output_percent": 100}),
				want: []problemError{{Guard: "stage_left", Field: "data.stage"}}},
			{name: "bast_attached", client: asPemda, event: "complete", data: constData(done),
				want: []problemError{{Guard: "bast_attached", Field: "attachments.bast"}}},
		})
		if up := e.Pemda.Upload(id, "bast", "bast.pdf", apitest.PDFBytes("bast")); up.Status != http.StatusCreated {
			t.Fatalf("upload bast = %d %s", up.Status, up.Body)
		}
		runGuards(t, e, id, covered, []guardCase{
			{name: "output_complete_or_shortfall/no_shortfall", client: asPemda, event: "complete",
				data: constData(map[string]any{"output_percent": 90, "absorbed_amount": paid, "bast_number": "BAST/027/2027"}),
				want: []problemError{{Guard: "output_complete_or_shortfall", Field: "data.shortfall"}}},
			{name: "output_complete_or_shortfall/over_disbursed", client: asPemda, event: "complete",
				data: constData(map[string]any{"output_percent": 100, "absorbed_amount": paid + 1}),
				want: []problemError{{Guard: "output_complete_or_shortfall", Field: "data.absorbed_amount"},
					{Guard: "output_complete_or_shortfall", Field: "data.bast_number"}}},
		})
		e.Pemda.MustFire(id, "complete", "", done)
	})

	// A bertahap proposal after its first stage: stages are left.
	big := e.Create(t, "revitalisasi", true)
	e.WalkTo(t, big, true, "tranche_disbursed")
	t.Run("tranche_disbursed/stages_left", func(t *testing.T) {
		e := e.For(t)
		paid := int64(e.Get(t, big)["disbursed_amount"].(float64))
		if up := e.Pemda.Upload(big, "bast", "bast.pdf", apitest.PDFBytes("bast")); up.Status != http.StatusCreated {
			t.Fatalf("upload bast = %d %s", up.Status, up.Body)
		}
		e.UploadStageFiles(t, big, 2, true)
		runGuards(t, e, big, covered, []guardCase{
			{name: "all_stages_paid", client: asPemda, event: "complete",
				data: constData(map[string]any{"output_percent": 100, "absorbed_amount": paid, "bast_number": "BAST/028/2027"}),
				want: []problemError{{Guard: "all_stages_paid", Field: "stages"}}},
			// An extension names the stage due next (II) and a later date in the year.
			{name: "extension_valid", client: asApprover, event: "extend_deadline", comment: "Kontrak terlambat ditandatangani",
				data: constData(map[string]any{"stage": 1, "until": "2027-01-01"}),
				want: []problemError{{Guard: "extension_valid", Field: "data.stage"}, {Guard: "extension_valid", Field: "data.until"},
					{Guard: "extension_valid", Field: "data.legal_basis"}}},
			// Stage II needs 75% of the funds received absorbed.
			{name: "stage_conditions/absorption", client: asPemda, event: "request_disbursement",
				data: constData(map[string]any{"stage": 2, "absorbed_amount": paid / 2, "output_percent": 40}),
				want: []problemError{{Guard: "stage_conditions", Field: "data.absorbed_amount"}}},
		})
	})

	// Every guard the workflow names has been made to fail; the scheduler's
	// own guard is checked by TestLapse.
	for _, ev := range d.Events {
		for _, g := range ev.Guards {
			if !covered[g] && g != "stage_deadline_passed" {
				t.Errorf("guard %s (event %s) was never made to fail", g, ev.Name)
			}
		}
	}
}

// TestLapse moves the clock past a stage's document deadline: the
// scheduler lapses a proposal whose next stage is overdue, with a berita
// acara, and not a second before; it leaves proposals with no stage left or
// not yet disbursing alone. Lapse is the scheduler's (role system), so its
// guards are checked through the engine; that no user may fire it is
// TestEventRolesAndStates's.
func TestLapse(t *testing.T) {
	e := apitest.NewEnv(t)
	ctx := context.Background()
	lapsing := e.Create(t, "revitalisasi", false) // stage I (sekaligus) not requested
	e.WalkTo(t, lapsing, false, "rk_approved")
	staged := e.Create(t, "revitalisasi", true) // bertahap, stage I paid
	e.WalkTo(t, staged, true, "tranche_disbursed")
	paid := e.Create(t, "pembangunan", false) // sekaligus, its one stage paid
	e.WalkTo(t, paid, false, "tranche_disbursed")
	draft := e.Create(t, "pembangunan", false)

	deadline := func(id int64, n int) time.Time {
		var p struct {
			Disbursement struct {
				Stages []struct {
					Number   int       `json:"number"`
					Deadline time.Time `json:"deadline"`
				} `json:"stages"`
			} `json:"disbursement"`
		}
		e.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d", id), nil, nil).Decode(t, &p)
		for _, st := range p.Disbursement.Stages {
			if st.Number == n {
				return st.Deadline
			}
		}
		t.Fatalf("proposal %d has no stage %d", id, n)
		return time.Time{}
	}
	first, second := deadline(lapsing, 1), deadline(staged, 2)
	if !second.After(first) {
		t.Fatalf("stage II deadline %s is not after stage I's %s", second, first)
	}

	// The store's clock also expires sessions: it is moved only around the
	// engine's calls, never around the API's.
	defer e.Store.SetClock(time.Now)
	lapseAt := func(now time.Time) int {
		t.Helper()
		e.Store.SetClock(func() time.Time { return now })
		n, err := e.Engine.LapseDue(ctx)
		e.Store.SetClock(time.Now)
		if err != nil {
			t.Fatalf("LapseDue at %s: %v", now, err)
		}
		return n
	}
	refusedAt := func(now time.Time, id int64, want ...string) {
		t.Helper()
		e.Store.SetClock(func() time.Time { return now })
		_, err := e.Engine.Fire(ctx, dak.User{Username: "sistem", Role: dak.RoleSystem}, id, workflow.Request{Event: "lapse"})
		e.Store.SetClock(time.Now)
		de, _ := dak.AsError(err)
		var got []string
		if errors.Is(err, dak.ErrRule) {
			for _, f := range de.Fields {
				got = append(got, f.Guard+":"+f.Field)
			}
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Fire(%q) on %d at %s = %v; failed guards (-want +got):\n%s", "lapse", id, now, err, diff)
		}
	}
	states := func() map[int64]proposalState {
		out := map[int64]proposalState{}
		for _, id := range []int64{lapsing, staged, paid, draft} {
			out[id] = snapProposal(t, e, id)
		}
		return out
	}

	before := states()
	if n := lapseAt(first); n != 0 {
		t.Errorf("LapseDue at the stage I deadline %s lapsed %d, want 0", first, n)
	}
	refusedAt(first, lapsing, "stage_deadline_passed:stages")
	if diff := cmp.Diff(before, states()); diff != "" {
		t.Fatalf("nothing was due, yet (-before +after):\n%s", diff)
	}

	if n := lapseAt(first.Add(time.Second)); n != 1 {
		t.Errorf("LapseDue a second after the stage I deadline lapsed %d, want 1", n)
	}
	refusedAt(first.Add(time.Second), paid, "stage_left:data.stage", "stage_deadline_passed:stages")
	refusedAt(first.Add(time.Second), staged, "stage_deadline_passed:stages") // its next stage is II
	want := maps.Clone(before)
	lapsed := snapProposal(t, e, lapsing)
	if lapsed.State != "lapsed" || lapsed.Events != before[lapsing].Events+1 || lapsed.Documents != before[lapsing].Documents+1 {
		t.Errorf("after the deadline: %+v, want lapsed with one more event and document than %+v", lapsed, before[lapsing])
	}
	want[lapsing] = lapsed
	if diff := cmp.Diff(want, states()); diff != "" {
		t.Errorf("only proposal %d should have lapsed (-want +got):\n%s", lapsing, diff)
	}
	if n := lapseAt(first.Add(time.Second)); n != 0 {
		t.Errorf("LapseDue again lapsed %d, want 0", n)
	}

	if n := lapseAt(second); n != 0 {
		t.Errorf("LapseDue at the stage II deadline lapsed %d, want 0", n)
	}
	if n := lapseAt(second.Add(time.Second)); n != 1 {
		t.Errorf("LapseDue after the stage II deadline lapsed %d, want 1", n)
	}
	for id, want := range map[int64]string{lapsing: "lapsed", staged: "lapsed", paid: "tranche_disbursed", draft: "draft"} {
		if got := e.Get(t, id)["state"]; got != want {
			t.Errorf("proposal %d is %v, want %s", id, got, want)
		}
	}

	for _, id := range []int64{lapsing, staged} {
		var events struct {
			Items []struct {
				Event      string `json:"event"`
				Role       string `json:"role"`
				DocumentID *int64 `json:"document_id"`
			} `json:"items"`
		}
		e.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/events", id), nil, nil).Decode(t, &events)
		last := events.Items[len(events.Items)-1]
		if last.Event != "lapse" || last.Role != string(dak.RoleSystem) || last.DocumentID == nil {
			t.Errorf("proposal %d: last event = %+v, want lapse by system with a document", id, last)
			continue
		}
		doc := e.Pemda.Do("GET", fmt.Sprintf("/api/v1/documents/%d", *last.DocumentID), nil, nil).JSON()
		if doc["kind"] != "berita_acara_hangus" {
			t.Errorf("proposal %d: lapse document is %v, want berita_acara_hangus", id, doc["kind"])
		}
		r := e.Pemda.Do("GET", fmt.Sprintf("/api/v1/documents/%d/pdf", *last.DocumentID), nil, nil)
		if r.Status != http.StatusOK || !strings.HasPrefix(string(r.Body), "%PDF") {
			t.Errorf("proposal %d: GET berita_acara_hangus pdf = %d, %.8q", id, r.Status, r.Body)
		}
	}
	// Paid stages stay paid; the rest lapse.
	for id, want := range map[int64][]string{lapsing: {dak.StageLapsed}, staged: {dak.StagePaid, dak.StageLapsed, dak.StageLapsed}} {
		var got []string
		for _, s := range e.Get(t, id)["disbursement"].(map[string]any)["stages"].([]any) {
			got = append(got, s.(map[string]any)["state"].(string))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("proposal %d: stage states (-want +got):\n%s", id, diff)
		}
	}
}
