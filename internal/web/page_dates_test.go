package web_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/web/apitest"
)

// wantDateField checks that a page draws the date field name as a text
// field with the example under it: no browser date picker, whose display
// follows the browser's language, not Indonesian.
func wantDateField(t *testing.T, what, body, id, name string) {
	t.Helper()
	if strings.Contains(body, `type="date"`) || strings.Contains(body, `type="datetime-local"`) {
		t.Errorf("%s still has a browser date input", what)
	}
	for _, want := range []string{`id="` + id + `" name="` + name + `"`, `autocomplete="off"`, `id="` + id + `-words"`,
		`<div class="field-hint" id="` + id + `-hint">`} {
		if !strings.Contains(body, want) {
			t.Errorf("%s: the %s field lacks %s", what, name, want)
		}
	}
}

// TestPageDatesSentraForm: the registry's form takes a date however an
// officer writes it and stores the API's YYYY-MM-DD; a refused form shows
// the date back in words, and a date that is not one is named beside its
// field with the example.
func TestPageDatesSentraForm(t *testing.T) {
	e := apitest.NewEnv(t)
	pemda := loggedIn(t, e, "pemda")
	form := pemda.get("/sentra/baru")
	token := form.csrf(t)
	if !strings.Contains(form.Body, dak.FormDateHint) {
		t.Errorf("the register form does not show %q", dak.FormDateHint)
	}
	wantDateField(t, "GET /sentra/baru", form.Body, "f-decree_date", "decree_date")
	wantDateField(t, "GET /sentra/baru", form.Body, "f-status_date", "status_date")
	today := e.Store.Now().In(dak.WIB)
	if !strings.Contains(form.Body, `value="`+dak.FormatDate(today)+`"`) {
		t.Errorf("the status date is not today in words (%s)", dak.FormatDate(today))
	}

	for i, typed := range []string{"15-04-2019", "15/04/2019", "15 April 2019", "15 apr 2019", "15 APR. 2019", "2019-04-15",
		"Senin, 15 April 2019", "15-4-2019"} {
		t.Run(typed, func(t *testing.T) {
			v := registryForm(token, fmt.Sprintf("Sentra Tanggal %d", i))
			v.Set("decree_date", typed)
			status := strings.ReplaceAll(typed, "2019", "2020")
			if strings.HasPrefix(typed, "Senin") { // 15 April 2020 was a Wednesday
				status = "Rabu, 15 April 2020"
			}
			v.Set("status_date", status)
			r := pemda.post("/sentra/baru", v)
			m := createdSentra.FindStringSubmatch(r.Location)
			if r.Status != http.StatusSeeOther || m == nil {
				t.Fatalf("POST /sentra/baru with dates %q = %d\n%.2000s", typed, r.Status, r.Body)
			}
			got := e.Pemda.Do("GET", "/api/v1/sentra/"+m[1], nil, nil).JSON()
			if got["decree_date"] != "2019-04-15" || got["status_date"] != "2020-04-15" {
				t.Errorf("dates typed %q stored as decree_date %v, status_date %v; want 2019-04-15, 2020-04-15",
					typed, got["decree_date"], got["status_date"])
			}
		})
	}

	t.Run("a refused form shows the date in words", func(t *testing.T) {
		v := registryForm(token, "")
		v.Set("decree_date", "15-04-2019")
		r := pemda.post("/sentra/baru", v)
		wantErrors(t, "a form without its name", r, http.StatusUnprocessableEntity, "name")
		if !strings.Contains(r.Body, `name="decree_date" value="15 April 2019"`) {
			t.Errorf("the refused form does not show the decree date as 15 April 2019")
		}
	})

	for _, tc := range []struct{ typed, says string }{
		{"31-02-2019", "Februari 2019 hanya sampai tanggal 28"},
		{"15-04-19", "empat angka"},
		{"15 Apirl 2019", "tidak dikenal"},
	} {
		t.Run("refused "+tc.typed, func(t *testing.T) {
			v := registryForm(token, "Sentra Salah Tanggal")
			v.Set("decree_date", tc.typed)
			r := pemda.post("/sentra/baru", v)
			wantErrors(t, "a decree date "+tc.typed, r, http.StatusUnprocessableEntity, "decree_date")
			body := html.UnescapeString(r.Body)
			if !strings.Contains(body, "Tanggal SK penetapan</strong>: ") || !strings.Contains(body, tc.says) ||
				strings.Count(body, dak.FormDateHint) < 2 {
				t.Errorf("the refusal of %q does not name the field with %q and the example", tc.typed, tc.says)
			}
			if !strings.Contains(body, `name="decree_date" value="`+tc.typed+`"`) {
				t.Errorf("the refused date does not come back as typed")
			}
			if strings.Contains(body, "tahun-bulan-tanggal") {
				t.Errorf("the page asks for the API's YYYY-MM-DD")
			}
		})
	}

	t.Run("status form", func(t *testing.T) {
		total, _ := sentraTotal(t, e.Pemda, "")
		if total == 0 {
			t.Fatal("no sentra registered")
		}
		r := pemda.post("/sentra/baru", registryForm(token, "Sentra Status Tanggal"))
		m := createdSentra.FindStringSubmatch(r.Location)
		if m == nil {
			t.Fatalf("POST /sentra/baru = %d", r.Status)
		}
		path := "/sentra/" + m[1] + "/status"
		page := pemda.get(path)
		wantDateField(t, "GET "+path, page.Body, "f-date", "date")
		in := url.Values{"csrf_token": {token}, "status": {"kurang_aktif"}, "date": {"31-02-2026"}, "basis": {"Pendataan ulang"}}
		wantErrors(t, "a status on 31-02-2026", pemda.post(path, in), http.StatusUnprocessableEntity, "date")
		day := today // not before the status it was registered with, today
		in.Set("date", day.Format("2/1/2006"))
		if r := pemda.post(path, in); r.Status != http.StatusSeeOther {
			t.Fatalf("POST %s dated %s = %d\n%.2000s", path, in.Get("date"), r.Status, r.Body)
		}
		got := e.Pemda.Do("GET", "/api/v1/sentra/"+m[1], nil, nil).JSON()
		if got["status"] != "kurang_aktif" || got["status_date"] != day.Format("2006-01-02") {
			t.Errorf("status recorded as %v on %v, want kurang_aktif on %s", got["status"], got["status_date"], day.Format("2006-01-02"))
		}

		// A field visit, by the verifier, on the report page's form.
		verifier := loggedIn(t, e, "verifikator")
		visitPath := "/sentra/" + m[1] + "/kunjungan"
		vpage := verifier.get("/sentra/" + m[1] + "/laporan")
		wantDateField(t, "the visit form", vpage.Body, "f-date", "date")
		visit := url.Values{"csrf_token": {vpage.csrf(t)}, "date": {"30 Februari 2026"}, "status": {"aktif"}, "findings": {"Dipakai lagi"}}
		r = verifier.post(visitPath, visit)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `data-error-for="date"`) ||
			!strings.Contains(r.Body, `name="date" value="30 Februari 2026"`) {
			t.Errorf("a visit on 30 Februari 2026 = %d, want 422 beside the date, as typed", r.Status)
		}
		visit.Set("date", day.Format("02/01/2006"))
		if r := verifier.post(visitPath, visit); r.Status != http.StatusSeeOther {
			t.Fatalf("POST %s dated %s = %d\n%.2000s", visitPath, visit.Get("date"), r.Status, r.Body)
		}
		if got := e.Pemda.Do("GET", "/api/v1/sentra/"+m[1], nil, nil).JSON(); got["status"] != "aktif" || got["status_date"] != day.Format("2006-01-02") {
			t.Errorf("after the visit: status %v on %v, want aktif on %s", got["status"], got["status_date"], day.Format("2006-01-02"))
		}
	})

	// The API keeps to YYYY-MM-DD.
	in := map[string]any{"name": "Sentra API", "commodity": "Kopi", "village_code": apitest.TapisVillage, "ikm_units": 3, "workers": 9,
		"decree_number": "1/2019", "decree_date": "15 April 2019", "status": "aktif"}
	if r := e.Pemda.Do("POST", "/api/v1/sentra", in, nil); r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), "decree_date") {
		t.Errorf("POST /api/v1/sentra with decree_date 15 April 2019 = %d, want 422: the API takes YYYY-MM-DD", r.Status)
	}
}

// TestPageDatesCalendar: the administrator's fiscal-year form takes the
// submission deadline and the calendar's deadlines with their hour as
// officers write them, and the API gives back the same instants.
func TestPageDatesCalendar(t *testing.T) {
	e := apitest.NewEnv(t)
	admin := loggedIn(t, e, "admin")
	page := admin.get("/admin/fiscal-years")
	token := page.csrf(t)
	wantDateField(t, "GET /admin/fiscal-years", page.Body, "f-submission_deadline", "submission_deadline")
	wantDateField(t, "GET /admin/fiscal-years", page.Body, "f-calendar-rk_deadline", "calendar.rk_deadline")
	if !strings.Contains(page.Body, dak.FormDateTimeHint) {
		t.Errorf("the calendar fields lack the example %q", dak.FormDateTimeHint)
	}
	for i, tc := range []struct{ deadline, rk string }{
		{"31-03-%d", "15-06-%d 16:30"},
		{"31/03/%d", "15/06/%d 16.30"},
		{"31 Maret %d", "15 Juni %d 16.30"},
		{"31 mar %d", "15 jun %d pukul 16.30 WIB"},
		{"%d-03-31", "%d-06-15T16:30"},
	} {
		year := 2031 + i
		form := url.Values{"csrf_token": {token}, "year": {fmt.Sprint(year)}, "ceiling": {"Rp1.000.000"},
			"submission_deadline": {fmt.Sprintf(tc.deadline, year-1)}, "calendar.rk_deadline": {fmt.Sprintf(tc.rk, year)}}
		if p := admin.post("/admin/fiscal-years", form); p.Status != http.StatusSeeOther {
			t.Fatalf("fiscal year %d with %q, %q = %d\n%.2000s", year, form.Get("submission_deadline"), form.Get("calendar.rk_deadline"), p.Status, p.Body)
		}
		fy := fiscalYearJSON(t, e, year)
		closes, rk := instant(t, fy["submission_deadline"]), instant(t, fy["calendar"].(map[string]any)["rk_deadline"])
		if got, want := closes.In(dak.WIB).Format("2006-01-02 15:04"), fmt.Sprintf("%d-03-31 23:59", year-1); got != want {
			t.Errorf("%d: submission deadline typed %q stored as %v, want the end of 31 March %d WIB", year, form.Get("submission_deadline"), closes, year-1)
		}
		if want := time.Date(year, 6, 15, 16, 30, 0, 0, dak.WIB); !rk.Equal(want) {
			t.Errorf("%d: RK deadline typed %q stored as %v, want %v", year, form.Get("calendar.rk_deadline"), rk, want)
		}
	}

	form := url.Values{"csrf_token": {token}, "year": {"2031"}, "ceiling": {"Rp1.000.000"},
		"calendar.rk_deadline": {"15-06-2031 16:30"}, "calendar.stage_deadlines.1": {"31-02-2031 10.00"}, "submission_deadline": {"1-4-31"}}
	p := admin.post("/admin/fiscal-years", form)
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, `data-error-for="calendar.stage_deadlines.1"`) ||
		!strings.Contains(p.Body, `data-error-for="submission_deadline"`) {
		t.Fatalf("bad dates on the fiscal-year form = %d, want 422 beside both fields\n%.3000s", p.Status, p.Body)
	}
	body := html.UnescapeString(p.Body)
	for _, want := range []string{"Februari 2031 hanya sampai tanggal 28", "empat angka", dak.FormDateTimeHint,
		`name="calendar.rk_deadline" value="15 Juni 2031 16.30"`, `name="calendar.stage_deadlines.1" value="31-02-2031 10.00"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the refused fiscal-year form lacks %s", want)
		}
	}
}

// TestPageDatesAccessLogFilter: the access log's filter reads dates as
// officers write them and shows them back in words; the API's filter
// keeps to YYYY-MM-DD.
func TestPageDatesAccessLogFilter(t *testing.T) {
	e := apitest.NewEnv(t)
	auditor := loggedIn(t, e, "auditor")
	for _, from := range []string{"1-3-2027", "01/03/2027", "1 Maret 2027", "1 mar 2027", "2027-03-01"} {
		p := auditor.get("/access-log?from=" + url.QueryEscape(from) + "&to=" + url.QueryEscape("31 Maret 2027"))
		if p.Status != http.StatusOK || !strings.Contains(p.Body, `name="from" value="1 Maret 2027"`) ||
			!strings.Contains(p.Body, `name="to" value="31 Maret 2027"`) {
			t.Errorf("GET /access-log?from=%s = %d, want 200 with the range in words", from, p.Status)
		}
		wantDateField(t, "GET /access-log", p.Body, "a-from", "from")
	}
	p := auditor.get("/access-log?from=" + url.QueryEscape("31-02-2027"))
	if body := html.UnescapeString(p.Body); p.Status != http.StatusBadRequest || !strings.Contains(body, "Sejak tanggal</strong>: ") ||
		!strings.Contains(body, "hanya sampai tanggal 28") || !strings.Contains(body, dak.FormDateHint) {
		t.Errorf("GET /access-log?from=31-02-2027 = %d, want 400 naming the field with the example", p.Status)
	}
	if r := e.Auditor.Do("GET", "/api/v1/access-log?from=1-3-2027", nil, nil); r.Status != http.StatusBadRequest {
		t.Errorf("GET /api/v1/access-log?from=1-3-2027 = %d, want 400: the API takes YYYY-MM-DD", r.Status)
	}
	if r := e.Auditor.Do("GET", "/api/v1/access-log?from=2027-03-01", nil, nil); r.Status != http.StatusOK {
		t.Errorf("GET /api/v1/access-log?from=2027-03-01 = %d", r.Status)
	}
}

// fiscalYearJSON is the year as GET /api/v1/fiscal-years lists it.
func fiscalYearJSON(t *testing.T, e *apitest.Env, year int) map[string]any {
	t.Helper()
	var list struct {
		Items []map[string]any `json:"items"`
	}
	e.Admin.Do("GET", "/api/v1/fiscal-years", nil, nil).Decode(t, &list)
	for _, fy := range list.Items {
		if fy["year"] == float64(year) {
			return fy
		}
	}
	t.Fatalf("fiscal year %d not listed", year)
	return nil
}

// instant reads an RFC 3339 instant of the API.
func instant(t *testing.T, v any) time.Time {
	t.Helper()
	s, _ := v.(string)
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("instant %v: %v", v, err)
	}
	return at
}

// TestBrowserDates: in Chromium, a date typed as officers write it is
// shown in words beside the field as it is typed, a date that is not one
// is flagged at once, and the form saves what was typed.
func TestBrowserDates(t *testing.T) {
	e := apitest.NewEnv(t)
	b := newBrowser(t, e.URL)
	in := map[string]any{"name": "Sentra Tanggal Peramban", "commodity": "Kopi", "village_code": apitest.TapisVillage,
		"ikm_units": 3, "workers": 9, "status": "aktif"}
	r := e.Pemda.Do("POST", "/api/v1/sentra", in, nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("POST /api/v1/sentra = %d %s", r.Status, r.Body)
	}
	id := int64(r.JSON()["id"].(float64))

	pemda := b.login("pemda", 1366, 768)
	pemda.open("/sentra/baru")
	pemda.set("#f-decree_date", "")
	pemda.typeIn("#f-decree_date", "31 Maret 2027")
	if got := pemda.text("#f-decree_date-words"); got != "Rabu, 31 Maret 2027" {
		t.Errorf("typing 31 Maret 2027 shows %q beside the field, want Rabu, 31 Maret 2027", got)
	}
	pemda.set("#f-decree_date", "")
	pemda.typeIn("#f-decree_date", "31-02-2027")
	if got, state := pemda.text("#f-decree_date-words"), eval[string](pemda, `document.querySelector('#f-decree_date-words').dataset.state||''`); state != "bad" ||
		!strings.Contains(got, dak.FormDateHint) {
		t.Errorf("typing 31-02-2027 shows %q (state %q), want it flagged with the example", got, state)
	}
	if hint := pemda.text("#f-decree_date-hint"); hint != dak.FormDateHint {
		t.Errorf("the hint under the field is %q", hint)
	}

	// The status form, typed in words and saved.
	path := fmt.Sprintf("/sentra/%d/status", id)
	pemda.open(path)
	today := dak.FormatDate(e.Store.Now())
	pemda.set("#f-date", "")
	pemda.typeIn("#f-date", today)
	if got, want := pemda.text("#f-date-words"), dak.DayName(e.Store.Now())+", "+today; got != want {
		t.Errorf("typing %s shows %q, want %q", today, got, want)
	}
	pemda.set("#f-status", "kurang_aktif")
	pemda.set("#f-basis", "Kunjungan lapangan")
	pemda.submit(`form[data-status-form] button[type=submit]`)
	got := e.Pemda.Do("GET", fmt.Sprintf("/api/v1/sentra/%d", id), nil, nil).JSON()
	if want := e.Store.Now().In(dak.WIB).Format("2006-01-02"); got["status"] != "kurang_aktif" || got["status_date"] != want {
		t.Errorf("after the status form: status %v on %v, want kurang_aktif on %s (page: %s)", got["status"], got["status_date"], want, pemda.formErrors())
	}

	// The administrator's calendar: a deadline with its hour.
	admin := b.login("admin", 1366, 768)
	admin.open("/admin/fiscal-years")
	admin.typeIn("#f-calendar-rk_deadline", "31-03-2027 23:59")
	if got := admin.text("#f-calendar-rk_deadline-words"); got != "Rabu, 31 Maret 2027 pukul 23.59 WIB" {
		t.Errorf("typing 31-03-2027 23:59 shows %q, want Rabu, 31 Maret 2027 pukul 23.59 WIB", got)
	}
}

// TestPageDatesEventForm: an action's form (extend_deadline) takes its
// date as officers write it; the event the API lists carries YYYY-MM-DD.
func TestPageDatesEventForm(t *testing.T) {
	e := apitest.NewEnv(t)
	id := e.Create(t, "pembangunan", false)
	e.WalkTo(t, id, false, "rk_approved")
	approver := loggedIn(t, e, "penetap")
	path := fmt.Sprintf("/proposals/%d", id)
	p := approver.get(path)
	wantDateField(t, "GET "+path, p.Body, "extend_deadline-f-data-until", "data.until")
	form := url.Values{"csrf_token": {p.csrf(t)}, "version": {p.field(t, "extend_deadline", "version")}, "comment": {"Gagal tender"},
		"data.stage": {"1"}, "data.until": {"31-09-2027"}, "data.legal_basis": {extensionBasis}}
	r := approver.post(path+"/events/extend_deadline", form)
	if body := html.UnescapeString(r.Body); r.Status != http.StatusUnprocessableEntity || !strings.Contains(body, `data-error-for="data.until"`) ||
		!strings.Contains(body, "September 2027 hanya sampai tanggal 30") || !strings.Contains(body, `value="31-09-2027"`) {
		t.Fatalf("an extension to 31-09-2027 = %d, want 422 beside the date, as typed\n%.3000s", r.Status, r.Body)
	}
	form.Set("data.until", "30 Sep 2027")
	if r := approver.post(path+"/events/extend_deadline", form); r.Status != http.StatusSeeOther {
		t.Fatalf("an extension to 30 Sep 2027 = %d %.2000s", r.Status, r.Body)
	}
	var events struct {
		Items []struct {
			Event string         `json:"event"`
			Data  map[string]any `json:"data"`
		} `json:"items"`
	}
	e.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/events", id), nil, nil).Decode(t, &events)
	last := events.Items[len(events.Items)-1]
	if last.Event != "extend_deadline" || last.Data["until"] != "2027-09-30" {
		t.Errorf("the last event is %s with %v, want extend_deadline until 2027-09-30", last.Event, last.Data)
	}
}
