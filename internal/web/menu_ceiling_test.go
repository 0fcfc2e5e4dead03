package web_test

import (
	"net/http"
	"strings"
	"testing"

	"dakflow/internal/web/apitest"
)

// TestMenuCeilings: a fiscal year may cap each menu inside its national
// ceiling; an allocation must fit both.
func TestMenuCeilings(t *testing.T) {
	e := apitest.NewEnv(t)
	put := func(body map[string]any) apitest.Response {
		body["change_reason"], body["legal_basis"] = "penyesuaian pagu", "uji"
		return e.Admin.Do("PUT", "/api/v1/fiscal-years/2027", body, nil)
	}
	if r := put(map[string]any{"ceiling": 10_000_000_000, "menu_ceilings": map[string]any{"pembangunan": 6_000_000_000, "revitalisasi": 5_000_000_000}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("menu ceilings above the national one = %d, want 422", r.Status)
	}
	if r := put(map[string]any{"ceiling": 10_000_000_000, "menu_ceilings": map[string]any{"kuliner": 1}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("unknown menu = %d, want 422", r.Status)
	}
	r := put(map[string]any{"ceiling": 10_000_000_000, "menu_ceilings": map[string]any{"pembangunan": 1_000_000_000}})
	if r.Status != http.StatusOK || !strings.Contains(string(r.Body), `"menu_ceilings":{"pembangunan":{"ceiling":1000000000,"committed":0}}`) {
		t.Fatalf("PUT menu ceiling = %d %s", r.Status, r.Body)
	}
	first, second, other := e.Create(t, "pembangunan", false), e.Create(t, "pembangunan", false), e.Create(t, "revitalisasi", false)
	for _, id := range []int64{first, second, other} {
		e.WalkTo(t, id, false, "recommended")
	}
	e.Approver.MustFire(first, "allocate", "", map[string]any{"amount": apitest.SmallAllocation})
	r = e.Approver.Fire(second, "allocate", "", map[string]any{"amount": apitest.SmallAllocation}, nil)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), "ceiling_available") || !strings.Contains(string(r.Body), "pagu menu pembangunan") {
		t.Errorf("allocation past the menu ceiling = %d %s", r.Status, r.Body)
	}
	e.Approver.MustFire(other, "allocate", "", map[string]any{"amount": apitest.SmallAllocation})
	if r := put(map[string]any{"ceiling": 10_000_000_000, "menu_ceilings": map[string]any{"pembangunan": 500_000_000}}); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("menu ceiling below what it has allocated = %d, want 422", r.Status)
	}
	var fy struct {
		Committed int64 `json:"committed"`
		Menus     map[string]struct {
			Ceiling, Committed int64
		} `json:"menu_ceilings"`
	}
	e.Auditor.Do("GET", "/api/v1/fiscal-years/2027/summary", nil, nil).Decode(t, &fy)
	if fy.Committed != 2*apitest.SmallAllocation || fy.Menus["pembangunan"].Committed != apitest.SmallAllocation {
		t.Errorf("committed = %d (pembangunan %d), want %d (%d)", fy.Committed, fy.Menus["pembangunan"].Committed, 2*apitest.SmallAllocation, apitest.SmallAllocation)
	}
}
