package web_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/web/apitest"
)

// calendarRecord is one item of GET /fiscal-years/{year}/calendar-history.
type calendarRecord struct {
	ID            int64   `json:"id"`
	Year          int     `json:"year"`
	What          string  `json:"what"`
	Stage         *int    `json:"stage"`
	OldAt         *string `json:"old_at"`
	NewAt         *string `json:"new_at"`
	StagesMoved   *int    `json:"stages_moved"`
	ChangeReason  string  `json:"change_reason"`
	LegalBasis    string  `json:"legal_basis"`
	ChangedBy     *int64  `json:"changed_by"`
	ChangedByName string  `json:"changed_by_name"`
	ChangedAt     string  `json:"changed_at"`
}

func (r calendarRecord) String() string {
	s := func(p *string) string {
		if p == nil {
			return "null"
		}
		return *p
	}
	n := func(p *int) string {
		if p == nil {
			return "null"
		}
		return fmt.Sprint(*p)
	}
	return fmt.Sprintf("{%s stage %s: %s → %s, moved %s, %q/%q by %q}", r.What, n(r.Stage), s(r.OldAt), s(r.NewAt), n(r.StagesMoved),
		r.ChangeReason, r.LegalBasis, r.ChangedByName)
}

// calendarHistory is the year's calendar history as c reads it.
func calendarHistory(t *testing.T, c *apitest.Client, year int) []calendarRecord {
	t.Helper()
	var hist struct {
		Items []calendarRecord `json:"items"`
		Total int              `json:"total"`
	}
	r := c.Do("GET", fmt.Sprintf("/api/v1/fiscal-years/%d/calendar-history", year), nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET calendar-history of %d = %d %s", year, r.Status, r.Body)
	}
	r.Decode(t, &hist)
	if hist.Total != len(hist.Items) {
		t.Errorf("calendar-history total %d, %d items", hist.Total, len(hist.Items))
	}
	return hist.Items
}

// TestCalendarHistory: every change the admin makes to a year's calendar
// (issue 12) is a dated, append-only record — old and new instant, the
// stages a stage deadline moved, the reason, legal basis and who — written
// in the PUT's transaction: none for a PUT that changes nothing or is
// refused, a reason and legal basis required for an existing year, none
// for a new year's first calendar. The API lists the records newest first,
// the admin page shows them, and the database refuses to rewrite them.
func TestCalendarHistory(t *testing.T) {
	e := apitest.NewEnv(t)
	ctx := context.Background()
	path := fmt.Sprintf("/api/v1/fiscal-years/%d", apitest.Year)
	put := func(body map[string]any) apitest.Response {
		body["ceiling"] = int64(1_000_000_000_000) // unchanged
		return e.Admin.Do("PUT", path, body, nil)
	}
	if h := calendarHistory(t, e.Admin, apitest.Year); len(h) != 0 {
		t.Fatalf("history before any change = %v, want none", h)
	}
	var me struct {
		ID       int64  `json:"id"`
		FullName string `json:"full_name"`
	}
	e.Admin.Do("GET", "/api/v1/me", nil, nil).Decode(t, &me)

	// A stage planned with the file's default deadline (22 July 17.00 WIB).
	id := e.Create(t, "pembangunan", false)
	e.WalkTo(t, id, false, "rk_approved")

	// A change without reason and legal basis: 422 naming both, nothing
	// saved, nothing on record.
	r := put(map[string]any{"calendar": map[string]any{"rk_deadline": "2027-03-15T23:59"}})
	expectFields(t, "calendar change without reason", expectProblem(t, "calendar change without reason", r, http.StatusUnprocessableEntity),
		"change_reason", "legal_basis")
	if !strings.Contains(string(r.Body), "alasan perubahan jadwal wajib diisi") {
		t.Errorf("calendar change without reason: %s", r.Body)
	}
	// A calendar out of order: refused, nothing on record.
	r = put(map[string]any{"change_reason": "x", "legal_basis": "y",
		"calendar": map[string]any{"rk_deadline": "2027-03-15T23:59", "stage_deadlines": map[string]any{"1": "2027-11-01T17:00", "2": "2027-10-01T17:00"}}})
	expectFields(t, "stage II before stage I", expectProblem(t, "stage II before stage I", r, http.StatusUnprocessableEntity), "calendar.stage_deadlines.2")
	if h := calendarHistory(t, e.Admin, apitest.Year); len(h) != 0 {
		t.Fatalf("history after two refused PUTs = %v, want none", h)
	}

	// The RK deadline and stage I's deadline: two records, newest first.
	r = put(map[string]any{"change_reason": "revisi jadwal DAK", "legal_basis": "KMK 12/2027",
		"calendar": map[string]any{"rk_deadline": "2027-03-15T23:59", "stage_deadlines": map[string]any{"1": "2027-08-15T17:00"}}})
	if r.Status != http.StatusOK || r.JSON()["stages_moved"] != float64(1) {
		t.Fatalf("PUT RK and stage I deadlines = %d %s", r.Status, r.Body)
	}
	h := calendarHistory(t, e.Pemda, apitest.Year)
	if len(h) != 2 {
		t.Fatalf("history = %v, want the stage I and the RK deadline", h)
	}
	stage, rk := h[0], h[1]
	if stage.What != "stage_deadline" || stage.Stage == nil || *stage.Stage != 1 || stage.OldAt != nil ||
		stage.NewAt == nil || *stage.NewAt != "2027-08-15T10:00:00Z" || stage.StagesMoved == nil || *stage.StagesMoved != 1 {
		t.Errorf("newest record = %v, want stage 1 from none to 2027-08-15T10:00:00Z, 1 stage moved", stage)
	}
	if rk.What != "rk_deadline" || rk.Stage != nil || rk.OldAt != nil || rk.NewAt == nil || *rk.NewAt != "2027-03-15T16:59:00Z" || rk.StagesMoved != nil {
		t.Errorf("older record = %v, want rk_deadline from none to 2027-03-15T16:59:00Z", rk)
	}
	for _, c := range h {
		at, err := time.Parse(time.RFC3339, c.ChangedAt)
		if c.Year != apitest.Year || c.ChangeReason != "revisi jadwal DAK" || c.LegalBasis != "KMK 12/2027" ||
			c.ChangedBy == nil || *c.ChangedBy != me.ID || c.ChangedByName != me.FullName || me.FullName == "" ||
			err != nil || time.Since(at) > time.Hour {
			t.Errorf("record %v: year %d, by %v, at %q; want %d, the admin %d %q, now", c, c.Year, c.ChangedBy, c.ChangedAt, apitest.Year, me.ID, me.FullName)
		}
	}
	if h[0].ID <= h[1].ID {
		t.Errorf("history not newest first: ids %d, %d", h[0].ID, h[1].ID)
	}

	// The same calendar again, and a PUT without a calendar: no record.
	r = put(map[string]any{"calendar": map[string]any{"rk_deadline": "2027-03-15T23:59", "stage_deadlines": map[string]any{"1": "2027-08-15T17:00"}}})
	if r.Status != http.StatusOK {
		t.Fatalf("PUT the same calendar = %d %s", r.Status, r.Body)
	}
	if r := put(map[string]any{}); r.Status != http.StatusOK {
		t.Fatalf("PUT without a calendar = %d %s", r.Status, r.Body)
	}
	if n := len(calendarHistory(t, e.Admin, apitest.Year)); n != 2 {
		t.Errorf("after PUTs that change nothing: %d records, want 2", n)
	}

	// The RK deadline moved again: its old instant is on record.
	if r := put(map[string]any{"change_reason": "permohonan daerah", "legal_basis": "S-99/IKMA/2027",
		"calendar": map[string]any{"rk_deadline": "2027-03-31T23:59"}}); r.Status != http.StatusOK {
		t.Fatalf("PUT a later RK deadline = %d %s", r.Status, r.Body)
	}
	h = calendarHistory(t, e.Admin, apitest.Year)
	if len(h) != 3 || h[0].What != "rk_deadline" || h[0].OldAt == nil || *h[0].OldAt != "2027-03-15T16:59:00Z" ||
		h[0].NewAt == nil || *h[0].NewAt != "2027-03-31T16:59:00Z" || h[0].ChangeReason != "permohonan daerah" || h[0].LegalBasis != "S-99/IKMA/2027" {
		t.Errorf("history after the second RK change = %v", h)
	}

	// A new year's first calendar (the workflow file's defaults) needs no
	// reason; each value is on record from none.
	r = e.Admin.Do("PUT", "/api/v1/fiscal-years/2029", map[string]any{"ceiling": 1_000_000}, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("PUT 2029 = %d %s", r.Status, r.Body)
	}
	first := calendarHistory(t, e.Admin, 2029)
	whats := map[string]bool{}
	for _, c := range first {
		whats[c.What] = true
		if c.OldAt != nil || c.NewAt == nil || c.ChangeReason != "" {
			t.Errorf("2029 first calendar record %v, want from none, without reason", c)
		}
	}
	if !whats["submission_opens"] || !whats["submission_closes"] || !whats["rk_deadline"] || !whats["stage_deadline"] {
		t.Errorf("2029 first calendar records = %v, want every value of the defaults", first)
	}
	if r := e.Auditor.Do("GET", "/api/v1/fiscal-years/2099/calendar-history", nil, nil); r.Status != http.StatusNotFound {
		t.Errorf("calendar history of an unknown year = %d, want 404", r.Status)
	}

	// The admin page: the form asks for the reason too, and the history
	// is shown with its instants in Indonesian.
	admin := loggedIn(t, e, "admin")
	token := admin.get("/admin/fiscal-years").csrf(t)
	form := url.Values{"csrf_token": {token}, "year": {fmt.Sprint(apitest.Year)}, "ceiling": {"Rp1.000.000.000.000"},
		"calendar.rk_deadline": {"2027-03-31T23:59"}, "calendar.stage_deadlines.1": {"2027-09-01T17:00"}}
	if p := admin.post("/admin/fiscal-years", form); p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, `data-error-for="change_reason"`) {
		t.Errorf("a calendar change on the page without reason = %d, want 422 naming change_reason", p.Status)
	}
	form.Set("change_reason", "penyesuaian tahap")
	form.Set("legal_basis", "KMK 15/2027")
	if p := admin.post("/admin/fiscal-years", form); p.Status != http.StatusSeeOther {
		t.Fatalf("a calendar change on the page = %d %.300s", p.Status, p.Body)
	}
	if h = calendarHistory(t, e.Admin, apitest.Year); len(h) != 4 || h[0].What != "stage_deadline" || h[0].ChangeReason != "penyesuaian tahap" {
		t.Errorf("history after the page's change = %v, want one more stage deadline record", h)
	}
	body := admin.get("/admin/fiscal-years").Body
	start := strings.Index(body, fmt.Sprintf(`<section class="card wide" data-calendar-history="%d">`, apitest.Year))
	if start < 0 {
		t.Fatalf("admin page has no full-width calendar history of %d", apitest.Year)
	}
	section := body[start:]
	section = section[:strings.Index(section, "</section>")]
	wib := func(s string) string {
		v, _ := time.Parse(time.RFC3339, s)
		return dak.FormatDateTime(v)
	}
	for _, want := range []string{fmt.Sprintf("Riwayat perubahan jadwal %d", apitest.Year), "Batas dokumen tahap 1", "Batas pengajuan rencana kegiatan",
		"15 Agustus 2027 pukul 17.00 WIB", "1 September 2027 pukul 17.00 WIB", "31 Maret 2027 pukul 23.59 WIB", "15 Maret 2027 pukul 23.59 WIB",
		"revisi jadwal DAK", "KMK 12/2027", "penyesuaian tahap", me.FullName, wib(h[0].ChangedAt)} {
		if !strings.Contains(section, want) {
			t.Errorf("calendar history on the admin page lacks %q", want)
		}
	}
	if n := strings.Count(section, "<tr data-calendar-change>"); n != 4 {
		t.Errorf("calendar history on the admin page has %d rows, want 4", n)
	}
	if strings.Contains(section, "Rp") {
		t.Errorf("calendar history on the admin page shows an amount")
	}

	// A ceiling changed on the page with the deadline field left blank
	// keeps the year's deadline ("kosong = tidak diubah", as every field
	// of the form): no silent clearing, no calendar record.
	deadlineOf := func() any {
		var years struct {
			Items []struct {
				Year               int     `json:"year"`
				SubmissionDeadline *string `json:"submission_deadline"`
			} `json:"items"`
		}
		e.Admin.Do("GET", "/api/v1/fiscal-years", nil, nil).Decode(t, &years)
		for _, y := range years.Items {
			if y.Year == apitest.Year && y.SubmissionDeadline != nil {
				return *y.SubmissionDeadline
			}
		}
		return nil
	}
	form = url.Values{"csrf_token": {token}, "year": {fmt.Sprint(apitest.Year)}, "ceiling": {"Rp1.000.000.000.000"},
		"submission_deadline": {"30 November 2026"}, "change_reason": {"batas pengajuan"}, "legal_basis": {"KMK 16/2026"}}
	if p := admin.post("/admin/fiscal-years", form); p.Status != http.StatusSeeOther {
		t.Fatalf("a deadline set on the page = %d %.300s", p.Status, p.Body)
	}
	before := deadlineOf()
	if before == nil {
		t.Fatalf("year %d has no submission deadline to keep", apitest.Year)
	}
	records := len(calendarHistory(t, e.Admin, apitest.Year))
	form = url.Values{"csrf_token": {token}, "year": {fmt.Sprint(apitest.Year)}, "ceiling": {"Rp1.100.000.000.000"},
		"change_reason": {"tambahan pagu"}, "legal_basis": {"KMK 16/2027"}}
	if p := admin.post("/admin/fiscal-years", form); p.Status != http.StatusSeeOther {
		t.Fatalf("a ceiling change on the page = %d %.300s", p.Status, p.Body)
	}
	if after := deadlineOf(); after != before {
		t.Errorf("submission deadline after a ceiling change with the field blank = %v, want %v kept", after, before)
	}
	if h = calendarHistory(t, e.Admin, apitest.Year); len(h) != records {
		t.Errorf("calendar history after a ceiling-only change = %d records, want still %d", len(h), records)
	}

	// Append-only in the database itself.
	for _, q := range []string{`UPDATE calendar_changes SET reason = 'diubah', new_at = NULL`, `DELETE FROM calendar_changes`} {
		if err := e.Store.Exec(ctx, q); !errors.Is(err, dak.ErrIntegrity) {
			t.Errorf("%s = %v, want the append-only refusal", q, err)
		}
	}
	if after := calendarHistory(t, e.Admin, apitest.Year); len(after) != records || after[len(after)-1].ChangeReason != "revisi jadwal DAK" {
		t.Errorf("history after the refused UPDATE and DELETE = %v", after)
	}
}
