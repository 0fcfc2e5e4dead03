package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/web/apitest"
)

// putYear is the admin's PUT of the test's fiscal year with its ceiling
// unchanged and cal as its calendar, with the reason and legal basis a
// change of an existing year's calendar needs.
func putYear(e *apitest.Env, cal map[string]any) apitest.Response {
	return e.Admin.Do("PUT", fmt.Sprintf("/api/v1/fiscal-years/%d", apitest.Year),
		map[string]any{"ceiling": int64(1_000_000_000_000), "calendar": cal, "change_reason": "penyesuaian jadwal", "legal_basis": "KMK 7/2027"}, nil)
}

// stageDeadline is the deadline of the proposal's stage n, as the API
// gives it.
func stageDeadline(t *testing.T, e *apitest.Env, id int64, n int) string {
	t.Helper()
	for _, st := range e.Get(t, id)["disbursement"].(map[string]any)["stages"].([]any) {
		if st := st.(map[string]any); int(st["number"].(float64)) == n {
			return st["deadline"].(string)
		}
	}
	t.Fatalf("proposal %d has no stage %d", id, n)
	return ""
}

// TestRKDeadline: submit_rk is refused after the year's RK deadline with a
// 422 naming the instant (guard before_rk_deadline), the proposal left as
// it was; once the admin moves the deadline, the RK goes through.
func TestRKDeadline(t *testing.T) {
	e := apitest.NewEnv(t)
	id := e.Create(t, "revitalisasi", false)
	e.WalkTo(t, id, false, "allocated")
	wib := func(v time.Time) string { return v.In(dak.WIB).Format("2006-01-02T15:04") }
	passed := time.Now().Add(-2 * time.Hour).Truncate(time.Minute)
	if r := putYear(e, map[string]any{"rk_deadline": wib(passed)}); r.Status != http.StatusOK {
		t.Fatalf("PUT RK deadline = %d %s", r.Status, r.Body)
	}
	rk := map[string]any{"activities": apitest.RK("revitalisasi", false)}
	r := e.Pemda.Fire(id, "submit_rk", "", rk, nil)
	p := expectProblem(t, "submit_rk after the RK deadline", r, http.StatusUnprocessableEntity)
	want := "batas pengajuan rencana kegiatan " + dak.FormatDateTime(passed) + " telah lewat"
	if len(p.Errors) != 1 || p.Errors[0].Guard != "before_rk_deadline" || p.Errors[0].Field != "fiscal_year" || p.Errors[0].Message != want {
		t.Errorf("submit_rk after the RK deadline: errors %+v, want one of before_rk_deadline on fiscal_year: %q", p.Errors, want)
	}
	if st := e.Get(t, id)["state"]; st != "allocated" {
		t.Errorf("refused submit_rk left the proposal %v, want allocated", st)
	}
	if r := putYear(e, map[string]any{"rk_deadline": wib(time.Now().Add(24 * time.Hour))}); r.Status != http.StatusOK {
		t.Fatalf("PUT a later RK deadline = %d %s", r.Status, r.Body)
	}
	e.Pemda.MustFire(id, "submit_rk", "", rk)
}

// TestCalendarMovesPlannedStages: when the admin changes a stage's
// deadline, the stages already planned take it in the same transaction
// (the answer and the admin page say how many, the pemda is told), unless
// paid or lapsed; an approver's extension is never shortened, only
// overtaken by a later date; and the scheduler lapses on the new deadline.
func TestCalendarMovesPlannedStages(t *testing.T) {
	e := apitest.NewEnv(t)
	ctx := context.Background()
	at := func(s string) {
		v, _ := time.Parse(time.RFC3339, s)
		e.Store.SetClock(func() time.Time { return v })
	}
	defer e.Store.SetClock(time.Now)
	// The file's stage I deadline is 22 July 17.00 WIB; the year's own
	// calendar sets none, so stages are planned with the file's.
	const planned = "2027-07-22T10:00:00Z"
	lapsed := e.Create(t, "pembangunan", false)
	e.WalkTo(t, lapsed, false, "rk_approved")
	at("2027-08-01T00:00:00Z")
	if n, err := e.Engine.LapseDue(ctx); err != nil || n != 1 {
		t.Fatalf("LapseDue = %d, %v; want 1", n, err)
	}
	e.Store.SetClock(time.Now)

	pending, extended, paid := e.Create(t, "pembangunan", false), e.Create(t, "pembangunan", false), e.Create(t, "pembangunan", false)
	e.WalkTo(t, pending, false, "rk_approved")
	e.WalkTo(t, extended, false, "rk_approved")
	e.WalkTo(t, paid, false, "tranche_disbursed")
	e.Approver.MustFire(extended, "extend_deadline", "Gagal lelang",
		map[string]any{"stage": 1, "until": "2027-09-30", "legal_basis": extensionBasis})

	check := func(step string, want map[int64]string) {
		t.Helper()
		for id, w := range want {
			if got := stageDeadline(t, e, id, 1); got != w {
				t.Errorf("%s: stage 1 of %d is due %s, want %s", step, id, got, w)
			}
		}
	}
	r := putYear(e, map[string]any{"stage_deadlines": map[string]any{"1": "2027-08-15T17:00"}})
	if r.Status != http.StatusOK || r.JSON()["stages_moved"] != float64(1) {
		t.Fatalf("PUT stage deadline 15 August = %d %s, want 200 with stages_moved 1", r.Status, r.Body)
	}
	check("15 August", map[int64]string{pending: "2027-08-15T10:00:00Z", extended: "2027-09-30T10:00:00Z", paid: planned, lapsed: planned})
	if n := told(t, e.Pemda, pending, "deadline_changed"); n != 1 {
		t.Errorf("pemda told %d times of the moved deadline, want 1", n)
	}
	if n := told(t, e.Pemda, extended, "deadline_changed"); n != 0 {
		t.Errorf("pemda told %d times of a deadline that did not move, want 0", n)
	}

	r = putYear(e, map[string]any{"stage_deadlines": map[string]any{"1": "2027-10-15T17:00"}})
	if r.Status != http.StatusOK || r.JSON()["stages_moved"] != float64(2) {
		t.Fatalf("PUT stage deadline 15 October = %d %s, want 200 with stages_moved 2", r.Status, r.Body)
	}
	check("15 October", map[int64]string{pending: "2027-10-15T10:00:00Z", extended: "2027-10-15T10:00:00Z", paid: planned, lapsed: planned})

	at("2027-10-01T00:00:00Z") // past the extension, before the new date
	if n, err := e.Engine.LapseDue(ctx); err != nil || n != 0 {
		t.Errorf("LapseDue before the moved deadline = %d, %v; want 0", n, err)
	}
	at("2027-10-16T00:00:00Z")
	if n, err := e.Engine.LapseDue(ctx); err != nil || n != 2 {
		t.Errorf("LapseDue after the moved deadline = %d, %v; want 2", n, err)
	}
	e.Store.SetClock(time.Now)

	// The admin page's form does the same and says so.
	fresh := e.Create(t, "pembangunan", false)
	e.WalkTo(t, fresh, false, "rk_approved")
	admin := newPageClient(t, e.URL)
	admin.login("admin", apitest.Password)
	token := admin.get("/admin/fiscal-years").csrf(t)
	form := url.Values{"csrf_token": {token}, "year": {fmt.Sprint(apitest.Year)}, "ceiling": {"Rp1.000.000.000.000"},
		"calendar.stage_deadlines.1": {"2027-11-01T17:00"}, "change_reason": {"penyesuaian jadwal"}, "legal_basis": {"KMK 8/2027"}}
	p := admin.post("/admin/fiscal-years", form)
	if p.Status != http.StatusSeeOther {
		t.Fatalf("admin calendar form = %d %.300s", p.Status, p.Body)
	}
	if body := admin.get(p.Location).Body; !strings.Contains(body, "Batas dokumen 1 tahap penyaluran") {
		t.Errorf("the admin page does not say that one stage moved")
	}
	check("1 November", map[int64]string{fresh: "2027-11-01T10:00:00Z"})
}

// TestYearSavedWhole: the ceilings and the calendar of one request are one
// transaction, from the API and from the admin page: a calendar the store
// refuses (stage II due before stage I) leaves the new ceiling unsaved
// and no ceiling change on record.
func TestYearSavedWhole(t *testing.T) {
	e := apitest.NewEnv(t)
	path := fmt.Sprintf("/api/v1/fiscal-years/%d", apitest.Year)
	ceiling := func() (dak.Money, int) {
		t.Helper()
		var fy dak.FiscalYear
		var list struct {
			Items []dak.FiscalYear `json:"items"`
		}
		e.Admin.Do("GET", "/api/v1/fiscal-years", nil, nil).Decode(t, &list)
		for _, y := range list.Items {
			if y.Year == apitest.Year {
				fy = y
			}
		}
		var hist struct {
			Items []map[string]any `json:"items"`
		}
		e.Admin.Do("GET", path+"/ceiling-history", nil, nil).Decode(t, &hist)
		return fy.Ceiling, len(hist.Items)
	}
	before, changes := ceiling()
	r := e.Admin.Do("PUT", path, map[string]any{"ceiling": 2_000_000_000_000, "change_reason": "APBN-P", "legal_basis": "UU 1/2027",
		"calendar": map[string]any{"stage_deadlines": map[string]any{"1": "2027-11-01T17:00", "2": "2027-10-01T17:00"}}}, nil)
	pb := expectProblem(t, "PUT stage II before stage I", r, http.StatusUnprocessableEntity)
	expectFields(t, "PUT stage II before stage I", pb, "calendar.stage_deadlines.2")
	if now, n := ceiling(); now != before || n != changes {
		t.Errorf("after the refused calendar: ceiling %s with %d changes on record, want %s with %d", now, n, before, changes)
	}

	admin := newPageClient(t, e.URL)
	admin.login("admin", apitest.Password)
	token := admin.get("/admin/fiscal-years").csrf(t)
	form := url.Values{"csrf_token": {token}, "year": {fmt.Sprint(apitest.Year)}, "ceiling": {"Rp2.000.000.000.000"},
		"change_reason": {"APBN-P"}, "legal_basis": {"UU 1/2027"},
		"calendar.stage_deadlines.1": {"2027-11-01T17:00"}, "calendar.stage_deadlines.2": {"2027-10-01T17:00"}}
	if p := admin.post("/admin/fiscal-years", form); p.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(p.Body, `data-error-for="calendar.stage_deadlines.2"`) {
		t.Errorf("admin form with stage II before stage I = %d, want 422 naming calendar.stage_deadlines.2", p.Status)
	}
	if now, n := ceiling(); now != before || n != changes {
		t.Errorf("after the refused form: ceiling %s with %d changes on record, want %s with %d", now, n, before, changes)
	}
}

// TestReminderAfterDeadlineMoves: the 7-day reminder of a stage deadline
// is sent once per instant; after an approver's extension, and again
// after the admin moves the deadline, the reminder of the new date goes
// out, once.
func TestReminderAfterDeadlineMoves(t *testing.T) {
	e := apitest.NewEnv(t)
	ctx := context.Background()
	id := e.Create(t, "pembangunan", false)
	e.WalkTo(t, id, false, "rk_approved")
	day := 24 * time.Hour
	remind := func(step string, v time.Time, want int) {
		t.Helper()
		e.Store.SetClock(func() time.Time { return v })
		defer e.Store.SetClock(time.Now)
		if n, err := e.Engine.SendReminders(ctx); err != nil || n != want {
			t.Errorf("%s: SendReminders = %d, %v; want %d", step, n, err, want)
		}
	}
	first := time.Date(2027, 7, 22, 17, 0, 0, 0, dak.WIB)
	remind("six days before 22 July", first.Add(-6*day), 1)
	remind("rerun", first.Add(-6*day), 0)

	e.Approver.MustFire(id, "extend_deadline", "Gagal lelang", map[string]any{"stage": 1, "until": "2027-08-05", "legal_basis": extensionBasis})
	extended := first.Add(14 * day)
	remind("six days before 22 July, extended", first.Add(-6*day), 0)
	remind("six days before 5 August", extended.Add(-6*day), 1)
	remind("rerun", extended.Add(-6*day), 0)

	if r := putYear(e, map[string]any{"stage_deadlines": map[string]any{"1": "2027-08-19T17:00"}}); r.Status != http.StatusOK || r.JSON()["stages_moved"] != float64(1) {
		t.Fatalf("PUT stage deadline 19 August = %d %s", r.Status, r.Body)
	}
	moved := extended.Add(14 * day)
	remind("six days before 19 August", moved.Add(-6*day), 1)
	remind("rerun", moved.Add(-6*day), 0)
	if n := told(t, e.Pemda, id, "reminder"); n != 3 {
		t.Errorf("pemda told %d reminders, want 3 (one per deadline)", n)
	}
}
