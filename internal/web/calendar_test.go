package web_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/web/apitest"
	"dakflow/internal/workflow"
)

// TestCalendarWindowAndReminders walks the clock through a fiscal year's
// calendar (PRODUCT.md §10): the admin sets it, submission is refused
// before it opens and after it closes (naming the instant), and the
// scheduler reminds the pemda 7 and 1 days before each deadline, once
// each, only of proposals that have not acted, even when two runs race.
// A new year takes the workflow file's defaults.
func TestCalendarWindowAndReminders(t *testing.T) {
	e := apitest.NewEnv(t)
	ctx := context.Background()
	// The calendar is laid around the real now, so that the HTTP calls
	// (whose sessions follow the store's clock) run at it; the clock
	// moves only for the engine's own calls, and comes back after each.
	now := time.Now().Truncate(time.Minute)
	opens, closes, rk, stage1 := now.Add(-24*time.Hour), now.Add(10*24*time.Hour), now.Add(20*24*time.Hour), now.Add(40*24*time.Hour)
	wib := func(t time.Time) string { return t.In(dak.WIB).Format("2006-01-02T15:04") }
	utc := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	at := func(v time.Time) { e.Store.SetClock(func() time.Time { return v }) }
	defer e.Store.SetClock(time.Now)
	path := fmt.Sprintf("/api/v1/fiscal-years/%d", apitest.Year)
	cal := map[string]any{"submission_opens": wib(opens), "submission_closes": wib(closes),
		"rk_deadline": wib(rk), "stage_deadlines": map[string]any{"1": wib(stage1)}}
	r := e.Admin.Do("PUT", path, map[string]any{"ceiling": 1_000_000_000_000, "calendar": cal, "change_reason": "jadwal tahun berjalan", "legal_basis": "KMK 2/2027"}, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("PUT calendar = %d %s", r.Status, r.Body)
	}
	want := map[string]any{"submission_opens": utc(opens), "submission_closes": utc(closes), "rk_deadline": utc(rk)}
	got := r.JSON()["calendar"].(map[string]any)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("calendar.%s = %v, want %v", k, got[k], v)
		}
	}
	if s, _ := got["stage_deadlines"].(map[string]any); s["1"] != utc(stage1) {
		t.Errorf("stage deadlines = %v", got["stage_deadlines"])
	}

	// Bad input: 422 naming the field, nothing saved.
	for _, bad := range []struct {
		cal   map[string]any
		field string
	}{
		{map[string]any{"submission_opens": "2026-12-21T00:00", "submission_closes": "2026-12-01T00:00"}, "calendar.submission_closes"},
		{map[string]any{"rk_deadline": "besok pagi"}, "calendar.rk_deadline"},
		{map[string]any{"submission_opens": "2026-12-01T00:00\x00"}, "calendar.submission_opens"},
		{map[string]any{"stage_deadlines": map[string]any{"9": "2027-07-15T17:00"}}, "calendar.stage_deadlines"},
	} {
		r := e.Admin.Do("PUT", path, map[string]any{"ceiling": 1_000_000_000_000, "calendar": bad.cal}, nil)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(strings.Join(r.Fields(), " "), bad.field) {
			t.Errorf("PUT %v = %d %v, want 422 naming %s", bad.cal, r.Status, r.Fields(), bad.field)
		}
	}
	var list struct {
		Items []struct {
			Year     int            `json:"year"`
			Calendar map[string]any `json:"calendar"`
		} `json:"items"`
	}
	e.Pemda.Do("GET", "/api/v1/fiscal-years", nil, nil).Decode(t, &list)
	for _, fy := range list.Items {
		if fy.Year == apitest.Year && (fy.Calendar["submission_opens"] != want["submission_opens"] || fy.Calendar["rk_deadline"] != want["rk_deadline"]) {
			t.Errorf("after refused edits the calendar is %v", fy.Calendar)
		}
	}

	early, late, acted := e.Create(t, "revitalisasi", false), e.Create(t, "revitalisasi", false), e.Create(t, "revitalisasi", true)
	pemda := user(t, e, e.Pemda)
	submitAt := func(v time.Time, id int64) error {
		at(v)
		defer e.Store.SetClock(time.Now)
		_, err := e.Engine.Fire(ctx, pemda, id, workflow.Request{Event: "submit"})
		return err
	}
	if err := submitAt(opens.Add(-time.Hour), early); err == nil || !strings.Contains(refusal(err), dak.FormatDateTime(opens)) {
		t.Errorf("submit before the window opens: %v, want it refused naming %s", err, dak.FormatDateTime(opens))
	}
	if d := fmt.Sprint(e.Pemda.Do("GET", fmt.Sprintf("/api/v1/proposals/%d", early), nil, nil).JSON()["deadlines"]); !strings.Contains(d, "submission_closes") || !strings.Contains(d, utc(closes)) {
		t.Errorf("draft's deadlines = %s", d)
	}
	e.WalkTo(t, acted, true, "allocated") // submitted inside the window: it has acted
	remind := func(step string, v time.Time, want int) {
		t.Helper()
		at(v)
		defer e.Store.SetClock(time.Now)
		if n, err := e.Engine.SendReminders(ctx); err != nil || n != want {
			t.Errorf("%s: SendReminders = %d, %v; want %d", step, n, err, want)
		}
	}
	day := 24 * time.Hour
	remind("eight days before", closes.Add(-8*day), 0)
	remind("six days before", closes.Add(-6*day), 2) // early and late, not acted
	remind("rerun", closes.Add(-6*day), 0)
	if n := told(t, e.Pemda, early, "reminder"); n != 1 {
		t.Errorf("pemda told %d reminders of the draft, want 1", n)
	}
	if n := told(t, e.Pemda, acted, "reminder"); n != 0 {
		t.Errorf("pemda told %d reminders of the submitted proposal, want 0", n)
	}
	e.Pemda.MustFire(late, "submit", "", nil)
	at(closes.Add(-12 * time.Hour))
	var wg sync.WaitGroup
	sent := make([]int, 2)
	for i := range sent {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := e.Engine.SendReminders(ctx)
			if err != nil {
				t.Errorf("racing SendReminders: %v", err)
			}
			sent[i] = n
		}()
	}
	wg.Wait()
	e.Store.SetClock(time.Now)
	if sent[0]+sent[1] != 1 {
		t.Errorf("two racing runs a day before sent %v reminders, want 1 in all", sent)
	}
	if n, m := told(t, e.Pemda, early, "reminder"), told(t, e.Pemda, late, "reminder"); n != 2 || m != 1 {
		t.Errorf("reminders: draft %d (want 2), submitted late %d (want 1)", n, m)
	}
	if l := unreadOf(t, e.Other); len(l.Items) != 0 {
		t.Errorf("another region's pemda told %v", l.Items)
	}
	if err := submitAt(closes.Add(time.Hour), early); err == nil || !strings.Contains(refusal(err), dak.FormatDateTime(closes)) {
		t.Errorf("submit after the window closes: %v, want it refused naming %s", err, dak.FormatDateTime(closes))
	}

	// The RK deadline, then the stage deadline the calendar set.
	remind("RK due in 6 days", rk.Add(-6*day), 1)
	if n := told(t, e.Pemda, acted, "reminder"); n != 1 {
		t.Errorf("RK reminders = %d, want 1", n)
	}
	e.Pemda.MustFire(acted, "submit_rk", "", map[string]any{"activities": apitest.RK("revitalisasi", true)})
	e.Approver.MustFire(acted, "approve_rk", "", nil)
	if d := fmt.Sprint(e.Pemda.Do("GET", fmt.Sprintf("/api/v1/proposals/%d", acted), nil, nil).JSON()["deadlines"]); !strings.Contains(d, "stage_1") || !strings.Contains(d, utc(stage1)) {
		t.Errorf("rk_approved deadlines = %s, want stage 1 at the calendar's %s", d, utc(stage1))
	}
	remind("stage 1 due within a day", stage1.Add(-12*time.Hour), 1) // the 1-day reminder only, not the missed 7-day one too
	remind("rerun", stage1.Add(-12*time.Hour), 0)
	if n := told(t, e.Pemda, acted, "reminder"); n != 2 {
		t.Errorf("reminders of the allocated proposal = %d, want 2 (RK, stage 1)", n)
	}

	// A date that reads but lies years away is named as it was read, not
	// with the API's format (a page's user typed it in words).
	r = e.Admin.Do("PUT", "/api/v1/fiscal-years/2029", map[string]any{"ceiling": 1_000_000,
		"calendar": map[string]any{"rk_deadline": "2040-02-28T23:59"}}, nil)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), "28 Februari 2040 pukul 23.59 WIB di luar tahun 2024–2034") {
		t.Errorf("PUT 2029 with an RK deadline in 2040 = %d %s", r.Status, r.Body)
	}

	// A year the admin opens without a calendar takes the workflow
	// file's defaults.
	r = e.Admin.Do("PUT", "/api/v1/fiscal-years/2029", map[string]any{"ceiling": 1_000_000}, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("PUT 2029 = %d %s", r.Status, r.Body)
	}
	defaults := r.JSON()["calendar"].(map[string]any)
	if defaults["submission_opens"] != "2028-05-31T17:00:00Z" || defaults["submission_closes"] != "2028-11-22T16:59:00Z" ||
		defaults["rk_deadline"] != "2029-02-28T16:59:00Z" || defaults["stage_deadlines"].(map[string]any)["2"] != "2029-10-21T10:00:00Z" {
		t.Errorf("2029 calendar = %v", defaults)
	}
	if r.JSON()["submission_deadline"] != "2028-11-22T16:59:00Z" {
		t.Errorf("submission_deadline = %v, want the calendar's close", r.JSON()["submission_deadline"])
	}

	// The pages: the admin edits a calendar on the fiscal-year form, the
	// pemda's home and the draft's page show the deadlines.
	admin := newPageClient(t, e.URL)
	admin.login("admin", apitest.Password)
	token := admin.get("/admin/fiscal-years").csrf(t)
	form := url.Values{"csrf_token": {token}, "year": {"2030"}, "ceiling": {"Rp1.000.000"},
		"calendar.submission_opens": {"2029-06-01T08:00"}, "calendar.stage_deadlines.3": {"2030-12-10T17:00"}}
	if p := admin.post("/admin/fiscal-years", form); p.Status != http.StatusSeeOther {
		t.Fatalf("admin calendar form = %d %.300s", p.Status, p.Body)
	}
	if body := admin.get("/admin/fiscal-years").Body; !strings.Contains(body, "1 Juni 2029 pukul 08.00 WIB") || !strings.Contains(body, "10 Desember 2030 pukul 17.00 WIB") {
		t.Errorf("the admin page does not show the 2030 calendar")
	}
	form.Set("calendar.rk_deadline", "besok")
	if p := admin.post("/admin/fiscal-years", form); p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, `data-error-for="calendar.rk_deadline"`) {
		t.Errorf("admin calendar form with a bad RK deadline = %d", p.Status)
	}
	pemdaPages := newPageClient(t, e.URL)
	pemdaPages.login("pemda", apitest.Password)
	if body := pemdaPages.get("/").Body; !strings.Contains(body, `data-deadline="rk"`) || !strings.Contains(body, dak.FormatDateTime(rk)) {
		t.Errorf("the pemda's home does not show the RK deadline %s", dak.FormatDateTime(rk))
	}
	if body := pemdaPages.get(fmt.Sprintf("/proposals/%d", early)).Body; !strings.Contains(body, `data-deadline="submission_closes"`) || !strings.Contains(body, dak.FormatDateTime(closes)) {
		t.Errorf("the draft's page does not show the submission deadline")
	}
}

// refusal is what an engine error says, with its fields' messages.
func refusal(err error) string {
	var de *dak.Error
	if errors.As(err, &de) {
		return fmt.Sprint(de.Detail, de.Fields)
	}
	return fmt.Sprint(err)
}
