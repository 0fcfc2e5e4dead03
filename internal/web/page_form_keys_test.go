package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"dakflow/internal/dak"
	"dakflow/internal/web/apitest"
)

var idempotencyKeyField = regexp.MustCompile(`name="idempotency_key" value="([^"]+)"`)

// formKeyIn is the idempotency_key of the form that follows marker on the
// page.
func formKeyIn(t *testing.T, p htmlPage, marker string) string {
	t.Helper()
	i := strings.Index(p.Body, marker)
	if i < 0 {
		t.Fatalf("no %s on the page (status %d)", marker, p.Status)
	}
	end := strings.Index(p.Body[i:], "</form>")
	if end < 0 {
		end = len(p.Body) - i
	}
	m := idempotencyKeyField.FindStringSubmatch(p.Body[i : i+end])
	if m == nil {
		t.Fatalf("no idempotency_key in the form %s (status %d)", marker, p.Status)
	}
	return m[1]
}

// TestPageFormKeysPhoto: a use report's photo form carries an
// Idempotency-Key of its own, fresh in every form rendered, so that the
// button pressed twice, or the form resent by the browser, stores one
// photo, and both answers lead to the same page. An upload refused stores
// nothing and keeps its key; the key sent again with another file (the
// back button) stores nothing but offers the form anew under a fresh key,
// saying the first photo is stored; sent under that key the file is stored.
func TestPageFormKeysPhoto(t *testing.T) {
	e := apitest.NewEnv(t)
	s := mustSentra(t, e.Pemda, tapis("Sentra Tenun Tapis Formulir Foto"))
	rid := insertReport(t, e, s.ID, "2027-S2", e.Pemda)
	other := insertReport(t, e, s.ID, "2028-S1", e.Pemda)
	pemda := loggedIn(t, e, "pemda")
	reports := fmt.Sprintf("/sentra/%d/laporan", s.ID)
	form := func(rid int64) string { return fmt.Sprintf(`data-photo-form="%d"`, rid) }
	stored := func() int {
		t.Helper()
		var n int
		if err := e.Store.Query(context.Background(), &n, `SELECT COUNT(*) FROM sentra_report_photos WHERE report_id = ?`, rid); err != nil {
			t.Fatal(err)
		}
		return n
	}
	upload := func(csrf, name string, data []byte, key string) htmlPage {
		t.Helper()
		body, ct := multipartBody(t, name, data, map[string]string{"csrf_token": csrf, "idempotency_key": key,
			"latitude": "-5,41", "longitude": "105,26"})
		req, err := http.NewRequest(http.MethodPost, fmt.Sprintf("%s%s/%d/foto", e.URL, reports, rid), bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", ct)
		return pemda.do(req)
	}

	page := pemda.get(reports)
	key := formKeyIn(t, page, form(rid))
	if k := formKeyIn(t, page, form(other)); k == key {
		t.Errorf("the photo forms of two reports share the key %s", key)
	}
	if k := formKeyIn(t, pemda.get(reports), form(rid)); k == key {
		t.Errorf("two renders of the photo form share the key %s", key)
	}
	csrf := page.csrf(t)

	// Refused first (a PDF): nothing stored, the same key kept.
	if p := upload(csrf, "foto.pdf", apitest.PDFBytes("foto"), key); p.Status != http.StatusUnsupportedMediaType ||
		formKeyIn(t, p, form(rid)) != key {
		t.Fatalf("a PDF as photo = %d, key %q; want 415 keeping %s", p.Status, formKeyIn(t, p, form(rid)), key)
	}

	first := upload(csrf, "gedung.png", pngBytes, key)
	second := upload(csrf, "gedung.png", pngBytes, key)
	if first.Status != http.StatusSeeOther || second.Status != first.Status || second.Location != first.Location ||
		!strings.HasPrefix(first.Location, reports+"?photo=1") {
		t.Fatalf("the photo form sent twice = %d %q, %d %q; want both 303 to the report page", first.Status, first.Location,
			second.Status, second.Location)
	}
	if n := stored(); n != 1 {
		t.Fatalf("the photo form sent twice stored %d photos, want 1", n)
	}

	// Another file under the used key: the form anew, nothing stored.
	again := upload(csrf, "pasar.jpg", jpegBytes, key)
	fresh := formKeyIn(t, again, form(rid))
	if again.Status != http.StatusUnprocessableEntity || fresh == key || !strings.Contains(again.Body, "data-photo-error") ||
		!strings.Contains(again.Body, "sudah tersimpan") || !strings.Contains(again.Body, "Pilih berkasnya sekali lagi") {
		t.Fatalf("another file under the used key = %d (key %s); want 422 saying the first photo is stored, under a fresh key",
			again.Status, fresh)
	}
	if n := stored(); n != 1 {
		t.Fatalf("another file under the used key stored %d photos more", n-1)
	}
	if p := upload(csrf, "pasar.jpg", jpegBytes, fresh); p.Status != http.StatusSeeOther || p.Location != first.Location {
		t.Errorf("the file sent under the fresh key = %d %q, want 303 %q", p.Status, p.Location, first.Location)
	}
	if n := stored(); n != 2 {
		t.Errorf("%d photos stored in all, want 2", n)
	}
}

// TestPageFormKeysExport: the trail export form carries an Idempotency-Key
// of its own, fresh in every form rendered, so that the button pressed
// twice, or the form resent by the browser, queues one export (one
// request in the access log), and both answers lead to its page. A request
// refused queues nothing and keeps its key; the key sent again with other
// choices queues nothing but offers the form anew under a fresh key, naming
// the export it queued; sent under that key it queues another.
func TestPageFormKeysExport(t *testing.T) {
	e := apitest.NewEnv(t)
	e.Create(t, "revitalisasi", false)
	count := func(query string, args ...any) int { return rowCount(t, e, query, args...) }
	exports := func() int { return count(`SELECT COUNT(*) FROM trail_exports`) }
	requests := func() int { return count(`SELECT COUNT(*) FROM access_log WHERE action = ?`, dak.AccessExportRequest) }
	auditor := loggedIn(t, e, "auditor")
	const marker = "data-request-export"

	page := auditor.get("/exports")
	key := formKeyIn(t, page, marker)
	if k := formKeyIn(t, auditor.get("/exports"), marker); k == key {
		t.Errorf("two renders of the export form share the key %s", key)
	}
	form := url.Values{"csrf_token": {page.csrf(t)}, "idempotency_key": {key}, "region": {"18.71"}, "fiscal_year": {"2027"}}

	// Refused first (a region without proposals): nothing queued, the
	// same key kept.
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("region", "18.72")
	if p := auditor.post("/exports", bad); p.Status != http.StatusUnprocessableEntity || formKeyIn(t, p, marker) != key {
		t.Fatalf("a region without proposals = %d, key %q; want 422 keeping %s", p.Status, formKeyIn(t, p, marker), key)
	}
	if n := exports(); n != 0 {
		t.Fatalf("a refused request queued %d exports", n)
	}

	first := auditor.post("/exports", form)
	second := auditor.post("/exports", form)
	if first.Status != http.StatusSeeOther || second.Status != first.Status || second.Location != first.Location ||
		!strings.HasPrefix(first.Location, "/exports/") {
		t.Fatalf("the export form sent twice = %d %q, %d %q; want both 303 to one export", first.Status, first.Location,
			second.Status, second.Location)
	}
	if n, r := exports(), requests(); n != 1 || r != 1 {
		t.Fatalf("the export form sent twice queued %d exports, logged %d requests; want 1, 1", n, r)
	}

	// Other choices under the used key: the form anew, nothing queued.
	form.Set("fiscal_year", "")
	again := auditor.post("/exports", form)
	fresh := formKeyIn(t, again, marker)
	id := strings.TrimPrefix(first.Location, "/exports/")
	if again.Status != http.StatusUnprocessableEntity || fresh == key || !strings.Contains(again.Body, "sudah pernah dikirim") ||
		!strings.Contains(again.Body, "ekspor "+id+" (") || !strings.Contains(again.Body, `<option value="18.71" selected>`) {
		t.Fatalf("other choices under the used key = %d (key %s); want 422 naming export %s, the choices kept, under a fresh key",
			again.Status, fresh, id)
	}
	if n, r := exports(), requests(); n != 1 || r != 1 {
		t.Fatalf("other choices under the used key: %d exports, %d requests; want 1, 1", n, r)
	}
	form.Set("idempotency_key", fresh)
	if p := auditor.post("/exports", form); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/exports/") ||
		p.Location == first.Location {
		t.Errorf("sent under the fresh key = %d %q; want 303 to another export", p.Status, p.Location)
	}
	if n := exports(); n != 2 {
		t.Errorf("%d exports queued in all, want 2", n)
	}
}
