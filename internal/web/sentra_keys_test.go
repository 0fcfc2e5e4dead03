package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dakflow/internal/dak"
	"dakflow/internal/web/apitest"
)

// historyLines counts the lines of sentra id's status history.
func historyLines(t *testing.T, e *apitest.Env, id int64) int {
	return rowCount(t, e, `SELECT COUNT(*) FROM sentra_status_history WHERE sentra_id = ?`, id)
}

// TestSentraHistoryIdempotent: a status change (POST
// /api/v1/sentra/{id}/status) and a field visit (POST
// /api/v1/sentra/{id}/visits) each add a line to the sentra's status
// history, and under an Idempotency-Key a retry adds none: it answers the
// record as it is now, or the line the visit wrote, with
// Idempotent-Replayed. The key with another change, another visit or on
// another sentra is 400 and adds nothing; without a key each request adds
// its line as before.
func TestSentraHistoryIdempotent(t *testing.T) {
	e := apitest.NewEnv(t)
	s := mustSentra(t, e.Pemda, tapis("Sentra Tenun Tapis Riwayat"))
	other := mustSentra(t, e.Pemda, tapis("Sentra Tenun Tapis Riwayat Lain"))
	today := e.Store.Now().In(dak.WIB).Format("2006-01-02")
	post := func(c *apitest.Client, path string, body any, key string) apitest.Response {
		t.Helper()
		return c.Do("POST", path, body, map[string]string{"Idempotency-Key": key})
	}
	status := func(id int64) string { return fmt.Sprintf("/api/v1/sentra/%d/status", id) }
	visits := func(id int64) string { return fmt.Sprintf("/api/v1/sentra/%d/visits", id) }
	before := historyLines(t, e, s.ID)

	change := map[string]any{"status": "kurang_aktif", "date": today, "basis": "Pendataan ulang sentra 2026", "note": "8 IKM aktif"}
	first := post(e.Verifier, status(s.ID), change, "status-1")
	if first.Status != http.StatusOK || first.Header.Get("Idempotent-Replayed") != "" || first.JSON()["status"] != "kurang_aktif" {
		t.Fatalf("status change = %d %s (replayed %q)", first.Status, first.Body, first.Header.Get("Idempotent-Replayed"))
	}
	retry := post(e.Verifier, status(s.ID), change, "status-1")
	if retry.Status != http.StatusOK || retry.Header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(retry.Body, first.Body) {
		t.Fatalf("status change retried = %d %s (replayed %q)\nfirst = %s", retry.Status, retry.Body,
			retry.Header.Get("Idempotent-Replayed"), first.Body)
	}
	if n := historyLines(t, e, s.ID); n != before+1 {
		t.Fatalf("a status change and its retry left %d history lines, want %d", n, before+1)
	}

	visit := map[string]any{"date": today, "findings": "Rumah produksi bersama dipakai 6 IKM"}
	firstVisit := post(e.Verifier, visits(s.ID), visit, "kunjungan-1")
	if firstVisit.Status != http.StatusCreated || firstVisit.Header.Get("Idempotent-Replayed") != "" ||
		!strings.HasPrefix(fmt.Sprint(firstVisit.JSON()["basis"]), "Kunjungan lapangan") {
		t.Fatalf("visit = %d %s", firstVisit.Status, firstVisit.Body)
	}
	retryVisit := post(e.Verifier, visits(s.ID), visit, "kunjungan-1")
	if retryVisit.Status != http.StatusCreated || retryVisit.Header.Get("Idempotent-Replayed") != "true" ||
		!bytes.Equal(retryVisit.Body, firstVisit.Body) {
		t.Fatalf("visit retried = %d %s (replayed %q)\nfirst = %s", retryVisit.Status, retryVisit.Body,
			retryVisit.Header.Get("Idempotent-Replayed"), firstVisit.Body)
	}
	if n := historyLines(t, e, s.ID); n != before+2 {
		t.Fatalf("a visit and its retry: %d history lines, want %d", n, before+2)
	}

	// The key sent with anything else: 400, nothing added.
	for _, c := range []struct {
		what string
		path string
		body any
		key  string
	}{
		{"another status", status(s.ID), map[string]any{"status": "aktif", "date": today, "basis": "Pendataan ulang sentra 2026"}, "status-1"},
		{"another sentra", status(other.ID), change, "status-1"},
		{"a visit", visits(s.ID), visit, "status-1"},
		{"other findings", visits(s.ID), map[string]any{"date": today, "findings": "Tidak ada kegiatan"}, "kunjungan-1"},
		{"a visit on another sentra", visits(other.ID), visit, "kunjungan-1"},
		{"a status change", status(s.ID), change, "kunjungan-1"},
	} {
		p := expectProblem(t, "the key with "+c.what, post(e.Verifier, c.path, c.body, c.key), http.StatusBadRequest)
		if !strings.Contains(p.Detail, "Idempotency-Key sudah dipakai") {
			t.Errorf("the key with %s: detail %q, want the reused key named", c.what, p.Detail)
		}
	}
	if n, m := historyLines(t, e, s.ID), historyLines(t, e, other.ID); n != before+2 || m != before {
		t.Fatalf("refused requests: %d and %d history lines, want %d and %d", n, m, before+2, before)
	}

	// A key is its user's: the pemda's own "status-1" is a change of its own.
	if r := post(e.Pemda, status(s.ID), change, "status-1"); r.Status != http.StatusOK || r.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("the pemda's change under the verifier's key = %d %s", r.Status, r.Body)
	}
	// Without a key every request adds its line.
	for range 2 {
		if r := e.Verifier.Do("POST", visits(s.ID), visit, nil); r.Status != http.StatusCreated {
			t.Fatalf("visit without a key = %d %s", r.Status, r.Body)
		}
	}
	if n := historyLines(t, e, s.ID); n != before+5 {
		t.Fatalf("after a keyless change and two keyless visits: %d history lines, want %d", n, before+5)
	}
}

// TestSentraRegisterReportIdempotent: a sentra's registration (POST
// /api/v1/sentra) and a use report (POST /api/v1/sentra/{id}/reports)
// take an Idempotency-Key: a retry answers what the first request
// registered or filed, with Idempotent-Replayed, and records nothing —
// where without a key it is refused, the name taken or the period
// reported. The key with another record, another report or on another
// sentra is 400 and records nothing.
func TestSentraRegisterReportIdempotent(t *testing.T) {
	u := newUseEnv(t)
	u.at(t, "2028-02-10 09:00") // 2027-S2 and 2028-S1 are owed
	post := func(path string, body any, key string) apitest.Response {
		t.Helper()
		return u.Pemda.Do("POST", path, body, map[string]string{"Idempotency-Key": key})
	}
	sentra := func() int { return rowCount(t, u.Env, `SELECT COUNT(*) FROM sentra`) }
	reports := func() int { return rowCount(t, u.Env, `SELECT COUNT(*) FROM sentra_reports`) }
	nSentra, nReports := sentra(), reports()

	record := tapis("Sentra Tenun Tapis Kunci")
	first := post("/api/v1/sentra", record, "daftar-1")
	retry := post("/api/v1/sentra", record, "daftar-1")
	if first.Status != http.StatusCreated || first.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("registration = %d %s", first.Status, first.Body)
	}
	if retry.Status != http.StatusCreated || retry.Header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(retry.Body, first.Body) ||
		retry.Header.Get("Location") != first.Header.Get("Location") {
		t.Fatalf("registration retried = %d %s (replayed %q)\nfirst = %s", retry.Status, retry.Body,
			retry.Header.Get("Idempotent-Replayed"), first.Body)
	}
	if r := u.Pemda.Do("POST", "/api/v1/sentra", record, nil); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("the same registration without a key = %d, want 422 (the name taken)", r.Status)
	}

	body := report("2027-S2", 12, 80)
	path := u.path("/reports")
	firstReport := post(path, body, "lapor-1")
	retryReport := post(path, body, "lapor-1")
	if firstReport.Status != http.StatusCreated || firstReport.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("report = %d %s", firstReport.Status, firstReport.Body)
	}
	if retryReport.Status != http.StatusCreated || retryReport.Header.Get("Idempotent-Replayed") != "true" ||
		!bytes.Equal(retryReport.Body, firstReport.Body) {
		t.Fatalf("report retried = %d %s (replayed %q)\nfirst = %s", retryReport.Status, retryReport.Body,
			retryReport.Header.Get("Idempotent-Replayed"), firstReport.Body)
	}
	if r := u.Pemda.Do("POST", path, body, nil); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("the same report without a key = %d, want 422 (the period reported)", r.Status)
	}
	if n, m := sentra(), reports(); n != nSentra+1 || m != nReports+1 {
		t.Fatalf("a registration, a report and their retries: %d sentra, %d reports; want %d and %d", n, m, nSentra+1, nReports+1)
	}

	// Eight registrations at once under one key: one sentra, the others
	// answer it (on PostgreSQL they meet its name or its key, then read the
	// key again).
	once, err := json.Marshal(tapis("Sentra Tenun Tapis Bersamaan"))
	if err != nil {
		t.Fatal(err)
	}
	_, replayed := keyedAtOnce(t, "registration", http.StatusCreated, func(int) (apitest.Response, error) {
		req, err := http.NewRequest("POST", u.URL+"/api/v1/sentra", bytes.NewReader(once))
		if err != nil {
			return apitest.Response{}, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+u.Pemda.Token)
		req.Header.Set("Idempotency-Key", "daftar-bersamaan")
		return concDo(req)
	})
	if n := sentra(); n != nSentra+2 || replayed != 7 {
		t.Fatalf("eight registrations at once: %d sentra, %d replayed; want %d and 7", n, replayed, nSentra+2)
	}
	nSentra++

	other := mustSentra(t, u.Pemda, tapis("Sentra Tenun Tapis Kunci Lain"))
	for _, c := range []struct {
		what, path string
		body       any
		key        string
	}{
		{"another record", "/api/v1/sentra", tapis("Sentra Tenun Tapis Kunci Kedua"), "daftar-1"},
		{"a report", path, report("2028-S1", 12, 80), "daftar-1"},
		{"another period", path, report("2028-S1", 12, 80), "lapor-1"},
		{"another sentra", fmt.Sprintf("/api/v1/sentra/%d/reports", other.ID), body, "lapor-1"},
		{"a registration", "/api/v1/sentra", tapis("Sentra Tenun Tapis Kunci Ketiga"), "lapor-1"},
	} {
		p := expectProblem(t, "the key with "+c.what, post(c.path, c.body, c.key), http.StatusBadRequest)
		if !strings.Contains(p.Detail, "Idempotency-Key sudah dipakai") {
			t.Errorf("the key with %s: detail %q, want the reused key named", c.what, p.Detail)
		}
	}
	if n, m := sentra(), reports(); n != nSentra+2 || m != nReports+1 {
		t.Fatalf("refused requests: %d sentra, %d reports; want %d and %d", n, m, nSentra+2, nReports+1)
	}
}

// keyedForm is a page's form that records something under an
// Idempotency-Key: where it is shown and sent, the marker before it, the
// words of its notice when its used key comes back with other content,
// its fields, a change of them and a change that is refused.
type keyedForm struct {
	name, page, action, marker, notice string
	fields, other, invalid             url.Values
}

// checkFormKey walks f as c: the form shown twice carries two keys; a
// refused form adds nothing and keeps its key; sent twice it adds one
// thing (added counts them) and both answers lead to the same page; sent
// again with other content under the used key it adds nothing and is
// offered anew under a fresh key, saying the first is recorded; sent under
// that key it adds one more.
func checkFormKey(t *testing.T, c *pageClient, f keyedForm, added func() int) {
	t.Helper()
	count := added()
	expect := func(what string, more int) {
		t.Helper()
		count += more
		if n := added(); n != count {
			t.Fatalf("%s %s: %d recorded, want %d", f.name, what, n, count)
		}
	}
	send := func(csrf, key string, change url.Values) htmlPage {
		t.Helper()
		v := url.Values{"csrf_token": {csrf}, "idempotency_key": {key}}
		for k, x := range f.fields {
			v[k] = x
		}
		for k, x := range change {
			v[k] = x
		}
		return c.post(f.action, v)
	}
	page := c.get(f.page)
	key := formKeyIn(t, page, f.marker)
	if k := formKeyIn(t, c.get(f.page), f.marker); k == key {
		t.Errorf("%s: two renders of the form share the key %s", f.name, key)
	}
	csrf := page.csrf(t)

	if p := send(csrf, key, f.invalid); p.Status != http.StatusUnprocessableEntity || formKeyIn(t, p, f.marker) != key {
		t.Fatalf("%s refused = %d, key %q; want 422 keeping %s", f.name, p.Status, formKeyIn(t, p, f.marker), key)
	}
	expect("refused", 0)

	first, second := send(csrf, key, nil), send(csrf, key, nil)
	if first.Status != http.StatusSeeOther || second.Status != first.Status || second.Location != first.Location {
		t.Fatalf("%s sent twice = %d %q, %d %q; want both 303 to one page", f.name, first.Status, first.Location,
			second.Status, second.Location)
	}
	expect("sent twice", 1)

	again := send(csrf, key, f.other)
	fresh := formKeyIn(t, again, f.marker)
	if again.Status != http.StatusUnprocessableEntity || fresh == key || !strings.Contains(again.Body, f.notice) ||
		!strings.Contains(again.Body, "isian sesudahnya belum dicatat") {
		t.Fatalf("%s: other content under the used key = %d (key %s); want 422 saying the first is recorded, under a fresh key",
			f.name, again.Status, fresh)
	}
	expect("resent with other content", 0)
	if p := send(again.csrf(t), fresh, f.other); p.Status != http.StatusSeeOther {
		t.Fatalf("%s under the fresh key = %d %s", f.name, p.Status, p.Body)
	}
	expect("under the fresh key", 1)
}

// TestPageFormKeysSentra: the forms that register a sentra (/sentra/baru),
// record its status (/sentra/{id}/status), a field visit and a use report
// (/sentra/{id}/laporan) carry an Idempotency-Key of their own, fresh in
// every form shown (checkFormKey): pressed twice, or resent by the
// browser, each records once — one sentra, one report, one line of the
// status history, which cannot be changed afterwards — and both answers
// lead to the same page, where before the second press added a second
// line, or was refused (the name taken, the period reported) though the
// first had succeeded.
func TestPageFormKeysSentra(t *testing.T) {
	e := apitest.NewEnv(t)
	s := mustSentra(t, e.Pemda, tapis("Sentra Tenun Tapis Formulir Riwayat"))
	today := e.Store.Now().In(dak.WIB).Format("2006-01-02")
	history := func() int { return historyLines(t, e, s.ID) }
	checkFormKey(t, loggedIn(t, e, "verifikator"), keyedForm{"status", fmt.Sprintf("/sentra/%d/status", s.ID),
		fmt.Sprintf("/sentra/%d/status", s.ID), "data-status-form", "sudah tercatat pada riwayat status",
		url.Values{"status": {"kurang_aktif"}, "date": {today}, "basis": {"Pendataan ulang sentra 2026"}},
		url.Values{"status": {"aktif"}}, url.Values{"basis": {""}}}, history)
	checkFormKey(t, loggedIn(t, e, "verifikator"), keyedForm{"visit", fmt.Sprintf("/sentra/%d/laporan", s.ID),
		fmt.Sprintf("/sentra/%d/kunjungan", s.ID), "data-visit-form", "kunjungan ini sudah tercatat",
		url.Values{"date": {today}, "findings": {"Rumah produksi bersama dipakai 6 IKM"}},
		url.Values{"findings": {"Tidak ada kegiatan"}}, url.Values{"findings": {""}}}, history)

	pemda := loggedIn(t, e, "pemda")
	form := registryForm("", "Sentra Tenun Tapis Formulir Baru")
	delete(form, "csrf_token")
	checkFormKey(t, pemda, keyedForm{"registration", "/sentra/baru", "/sentra/baru", "data-sentra-form",
		"sudah terdaftar", form, url.Values{"name": {"Sentra Tenun Tapis Formulir Lain"}}, url.Values{"name": {""}}},
		func() int { return rowCount(t, e, `SELECT COUNT(*) FROM sentra`) })

	u := newUseEnv(t)
	u.at(t, "2028-02-10 09:00") // 2027-S2 and 2028-S1 are owed
	reports := fmt.Sprintf("/sentra/%d/laporan", u.sentra)
	checkFormKey(t, loggedIn(t, u.Env, "pemda"), keyedForm{"report", reports, reports, "data-report-form",
		"laporan yang dikirim dengan formulir ini sudah tersimpan",
		url.Values{"period": {"2027-S2"}, "ikm_using": {"12"}, "workers": {"35"}, "production_value": {"150.000.000"},
			"occupancy_percent": {"80"}, "condition": {"baik"}, "operating_budget": {"25.000.000"}, "issues": {"Pemasaran terbatas"}},
		url.Values{"period": {"2028-S1"}}, url.Values{"condition": {""}}},
		func() int {
			return rowCount(t, u.Env, `SELECT COUNT(*) FROM sentra_reports WHERE sentra_id = ?`, u.sentra)
		})
}
