package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"dakflow/internal/dak"
	"dakflow/internal/web/apitest"
)

// TestRegionCeilings: an indicative ceiling per region holds under
// concurrent allocations; a ceiling is never lowered below what is
// allocated under it; every change is a dated record with its reason and
// legal basis, listed by the API and on the admin page.
func TestRegionCeilings(t *testing.T) {
	e := apitest.NewEnv(t)
	const alloc = int64(apitest.SmallAllocation)
	path := fmt.Sprintf("/api/v1/fiscal-years/%d", apitest.Year)
	put := func(body map[string]any) apitest.Response {
		body["ceiling"] = int64(1_000_000_000_000) // unchanged from the environment's
		return e.Admin.Do("PUT", path, body, nil)
	}

	r := put(map[string]any{"region_ceilings": map[string]any{"99.99": 1, "18.71.01": 1, "18.71": 1}, "change_reason": "a\x00b"})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad region codes = %d %s", r.Status, r.Body)
	}
	for _, f := range []string{"region_ceilings.99.99", "region_ceilings.18.71.01", "change_reason"} {
		if !slices.Contains(problemFields(t, r), f) {
			t.Errorf("bad input: %s not named: %s", f, r.Body)
		}
	}
	// A first setting needs no reason.
	r = put(map[string]any{"region_ceilings": map[string]any{"18.71": 2*alloc + alloc/2}})
	if r.Status != http.StatusOK || !strings.Contains(string(r.Body), fmt.Sprintf(`"region_ceilings":{"18.71":{"ceiling":%d,"committed":0}}`, 2*alloc+alloc/2)) {
		t.Fatalf("set region ceiling = %d %s", r.Status, r.Body)
	}

	// Four allocations at once into Kota Bandar Lampung: two fit.
	ids := concWalked(t, e, 4, "revitalisasi", false, "recommended")
	var calls []concCall
	for i, id := range ids {
		approver := e.Approver
		if i%2 == 1 {
			approver = e.Approver2
		}
		calls = append(calls, concFire(approver, id, "allocate", "", map[string]any{"amount": alloc}, nil))
	}
	wins := 0
	for i, r := range concAtOnce(t, e.URL, calls) {
		switch r.Status {
		case http.StatusOK:
			wins++
		case http.StatusUnprocessableEntity:
			if g := r.Guards(); !slices.Equal(g, []string{"ceiling_available"}) || !strings.Contains(string(r.Body), "pagu wilayah") {
				t.Errorf("proposal %d: 422 with guards %v: %s", ids[i], g, r.Body)
			}
		default:
			t.Errorf("allocate %d = %d %s", ids[i], r.Status, r.Body)
		}
	}
	if wins != 2 {
		t.Fatalf("%d allocations passed the region ceiling, want exactly 2", wins)
	}
	var fy dak.FiscalYear
	e.Auditor.Do("GET", path+"/summary", nil, nil).Decode(t, &fy)
	if got := fy.Regions["18.71"]; got.Committed != dak.Money(2*alloc) || fy.Committed != dak.Money(2*alloc) {
		t.Errorf("committed: region %d, national %d; want %d", got.Committed, fy.Committed, 2*alloc)
	}

	// Below what is allocated: refused, naming the ceiling and the amount.
	r = put(map[string]any{"region_ceilings": map[string]any{"18.71": alloc}, "change_reason": "efisiensi", "legal_basis": "KMK 1/2027"})
	committed := dak.Money(2 * alloc).String()
	if r.Status != http.StatusUnprocessableEntity || !slices.Contains(problemFields(t, r), "region_ceilings.18.71") || !strings.Contains(string(r.Body), committed) {
		t.Errorf("region ceiling below committed = %d %s", r.Status, r.Body)
	}
	r = e.Admin.Do("PUT", path, map[string]any{"ceiling": alloc, "change_reason": "efisiensi", "legal_basis": "KMK 1/2027"}, nil)
	if r.Status != http.StatusUnprocessableEntity || !slices.Contains(problemFields(t, r), "ceiling") || !strings.Contains(string(r.Body), committed) {
		t.Errorf("national ceiling below committed = %d %s", r.Status, r.Body)
	}
	// A change without reason and legal basis: refused, nothing saved.
	r = put(map[string]any{"region_ceilings": map[string]any{"18.71": 3 * alloc}})
	if f := problemFields(t, r); r.Status != http.StatusUnprocessableEntity || !slices.Contains(f, "change_reason") || !slices.Contains(f, "legal_basis") {
		t.Errorf("change without reason = %d %s", r.Status, r.Body)
	}
	r = put(map[string]any{"region_ceilings": map[string]any{"18.71": 3 * alloc}, "change_reason": "tambahan usulan prioritas", "legal_basis": "KMK 12/2027"})
	if r.Status != http.StatusOK {
		t.Fatalf("raise region ceiling = %d %s", r.Status, r.Body)
	}

	var hist struct {
		Items []struct {
			Scope, Key    string
			OldCeiling    *int64 `json:"old_ceiling"`
			NewCeiling    int64  `json:"new_ceiling"`
			ChangeReason  string `json:"change_reason"`
			LegalBasis    string `json:"legal_basis"`
			ChangedByName string `json:"changed_by_name"`
		} `json:"items"`
		Total int `json:"total"`
	}
	e.Pemda.Do("GET", path+"/ceiling-history", nil, nil).Decode(t, &hist)
	if hist.Total != 3 || len(hist.Items) != 3 {
		t.Fatalf("history = %+v, want the national setting and two region changes", hist)
	}
	first, last := hist.Items[1], hist.Items[2]
	if hist.Items[0].Scope != "national" || first.Scope != "region" || first.Key != "18.71" || first.OldCeiling != nil || first.ChangeReason != "" ||
		last.OldCeiling == nil || *last.OldCeiling != 2*alloc+alloc/2 || last.NewCeiling != 3*alloc ||
		last.ChangeReason != "tambahan usulan prioritas" || last.LegalBasis != "KMK 12/2027" || last.ChangedByName == "" {
		t.Errorf("history = %+v", hist.Items)
	}
	if r := e.Auditor.Do("GET", "/api/v1/fiscal-years/2099/ceiling-history", nil, nil); r.Status != http.StatusNotFound {
		t.Errorf("history of an unknown year = %d", r.Status)
	}

	// The admin page: region ceilings set through the form, the history dated in Indonesian.
	admin := loggedIn(t, e, "admin")
	token := admin.get("/admin/fiscal-years").csrf(t)
	form := url.Values{"csrf_token": {token}, "year": {fmt.Sprint(apitest.Year)}, "ceiling": {"1000000000000"},
		"region_code": {"18", ""}, "region_ceiling": {"Rp5.000.000.000", ""}}
	if p := admin.post("/admin/fiscal-years", form); p.Status != http.StatusSeeOther {
		t.Fatalf("set a province ceiling on the page = %d %.300s", p.Status, p.Body)
	}
	form.Set("region_ceiling", "Rp6.000.000.000")
	if p := admin.post("/admin/fiscal-years", form); p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, `data-error-for="change_reason"`) {
		t.Errorf("a change on the page without reason = %d", p.Status)
	}
	body := admin.get("/admin/fiscal-years").Body
	for _, want := range []string{"Riwayat perubahan pagu 2027", "Pagu wilayah Kota Bandar Lampung (18.71)", "tambahan usulan prioritas", "KMK 12/2027",
		"Rp2.400.000.000<", "Lampung (18)", "Rp5.000.000.000<", dak.FormatDate(e.Store.Now())} {
		if !strings.Contains(body, want) {
			t.Errorf("admin page lacks %q", want)
		}
	}
}

// problemFields are the fields a problem names.
func problemFields(t *testing.T, r apitest.Response) []string {
	t.Helper()
	var p struct {
		Errors []struct{ Field string } `json:"errors"`
	}
	r.Decode(t, &p)
	var out []string
	for _, f := range p.Errors {
		out = append(out, f.Field)
	}
	return out
}
