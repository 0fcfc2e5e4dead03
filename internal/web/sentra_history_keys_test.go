package web_test

import (
	"bytes"
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

// TestPageFormKeysSentraHistory: the status form (/sentra/{id}/status) and
// the field visit form (/sentra/{id}/laporan) carry an Idempotency-Key of
// their own, fresh in every form shown, so that the button pressed twice,
// or the form resent by the browser, adds one line to the sentra's status
// history and both answers lead to the same page. A refused form adds
// nothing and keeps its key; the used key sent with other content (the
// back button) adds nothing and offers the form anew under a fresh key,
// saying the first is recorded; sent under that key it is recorded.
func TestPageFormKeysSentraHistory(t *testing.T) {
	e := apitest.NewEnv(t)
	s := mustSentra(t, e.Pemda, tapis("Sentra Tenun Tapis Formulir Riwayat"))
	verifier := loggedIn(t, e, "verifikator")
	today := e.Store.Now().In(dak.WIB).Format("2006-01-02")
	lines := historyLines(t, e, s.ID)
	expect := func(what string, added int) {
		t.Helper()
		lines += added
		if n := historyLines(t, e, s.ID); n != lines {
			t.Fatalf("%s: %d history lines, want %d", what, n, lines)
		}
	}

	forms := []struct {
		name, page, action, marker, notice string
		fields                             url.Values
		other                              url.Values // a field changed
		invalid                            url.Values // a field refused
	}{
		{"status", fmt.Sprintf("/sentra/%d/status", s.ID), fmt.Sprintf("/sentra/%d/status", s.ID), "data-status-form",
			"sudah tercatat pada riwayat status",
			url.Values{"status": {"kurang_aktif"}, "date": {today}, "basis": {"Pendataan ulang sentra 2026"}},
			url.Values{"status": {"aktif"}}, url.Values{"basis": {""}}},
		{"visit", fmt.Sprintf("/sentra/%d/laporan", s.ID), fmt.Sprintf("/sentra/%d/kunjungan", s.ID), "data-visit-form",
			"kunjungan ini sudah tercatat",
			url.Values{"date": {today}, "findings": {"Rumah produksi bersama dipakai 6 IKM"}},
			url.Values{"findings": {"Tidak ada kegiatan"}}, url.Values{"findings": {""}}},
	}
	for _, f := range forms {
		send := func(csrf, key string, change url.Values) htmlPage {
			t.Helper()
			v := url.Values{"csrf_token": {csrf}, "idempotency_key": {key}}
			for k, x := range f.fields {
				v[k] = x
			}
			for k, x := range change {
				v[k] = x
			}
			return verifier.post(f.action, v)
		}
		page := verifier.get(f.page)
		key := formKeyIn(t, page, f.marker)
		if k := formKeyIn(t, verifier.get(f.page), f.marker); k == key {
			t.Errorf("%s: two renders of the form share the key %s", f.name, key)
		}
		csrf := page.csrf(t)

		// Refused first: nothing added, the same key kept.
		if p := send(csrf, key, f.invalid); p.Status != http.StatusUnprocessableEntity || formKeyIn(t, p, f.marker) != key {
			t.Fatalf("%s refused = %d, key %q; want 422 keeping %s", f.name, p.Status, formKeyIn(t, p, f.marker), key)
		}
		expect(f.name+" refused", 0)

		first, second := send(csrf, key, nil), send(csrf, key, nil)
		if first.Status != http.StatusSeeOther || second.Status != first.Status || second.Location != first.Location {
			t.Fatalf("%s sent twice = %d %q, %d %q; want both 303 to one page", f.name, first.Status, first.Location,
				second.Status, second.Location)
		}
		expect(f.name+" sent twice", 1)

		// Other content under the used key: the form anew, nothing added.
		again := send(csrf, key, f.other)
		fresh := formKeyIn(t, again, f.marker)
		if again.Status != http.StatusUnprocessableEntity || fresh == key || !strings.Contains(again.Body, f.notice) ||
			!strings.Contains(again.Body, "isian sesudahnya belum dicatat") {
			t.Fatalf("%s: other content under the used key = %d (key %s); want 422 saying the first is recorded, under a fresh key",
				f.name, again.Status, fresh)
		}
		expect(f.name+" resent with other content", 0)
		if p := send(again.csrf(t), fresh, f.other); p.Status != http.StatusSeeOther {
			t.Fatalf("%s under the fresh key = %d", f.name, p.Status)
		}
		expect(f.name+" under the fresh key", 1)
	}
}
