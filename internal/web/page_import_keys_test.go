package web_test

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"dakflow/internal/web/apitest"
)

var (
	importKeyField  = regexp.MustCompile(`name="import_key" value="([^"]+)"`)
	importDataField = regexp.MustCompile(`name="data" value="([^"]+)"`)
)

// TestPageImportKeys: both import pages' forms carry an Idempotency-Key of
// their own, fresh in every form rendered, so that the commit button
// pressed twice (or the form resent by the browser) imports once and both
// answers lead to the same result; a form that imported one file and is
// sent with another (the back button) imports nothing, shows that file's
// check and offers its commit under a fresh key.
func TestPageImportKeys(t *testing.T) {
	e := apitest.NewEnv(t)
	pemda := loggedIn(t, e, "pemda")
	keyOf := func(p htmlPage) string {
		t.Helper()
		m := importKeyField.FindAllStringSubmatch(p.Body, -1)
		if len(m) == 0 {
			t.Fatalf("no import_key in the page (status %d)\n%.3000s", p.Status, p.Body)
		}
		for _, k := range m[1:] {
			if k[1] != m[0][1] {
				t.Fatalf("the page's forms carry keys %q and %q", m[0][1], k[1])
			}
		}
		return m[0][1]
	}
	dataOf := func(p htmlPage) string {
		t.Helper()
		m := importDataField.FindStringSubmatch(p.Body)
		if m == nil {
			t.Fatalf("no commit button carrying the file (status %d)\n%.3000s", p.Status, p.Body)
		}
		return html.UnescapeString(m[1])
	}

	t.Run("proposals", func(t *testing.T) {
		form := pemda.get("/proposals/impor")
		token := form.csrf(t)
		if keyOf(form) == keyOf(pemda.get("/proposals/impor")) {
			t.Errorf("two import forms share a key")
		}
		template := []byte(pemda.get("/proposals/impor/templat.xlsx").Body)
		row := func(title, sentra, commodity, desa string) []any {
			return []any{1, apitest.Year, "pembangunan", title, "", sentra, commodity, desa, "Jalan Sentra 1", 10, 30, 800, "milik_pemda", ""}
		}
		rab := [][]any{{1, "mesin_peralatan", "Mesin anyam rotan", 2, "unit", 20_000_000}}
		first := filled(t, template, [][]any{row("Pembangunan Sentra IKM Rotan Kunci", "Sentra Rotan Kunci", "Rotan", "18.71.01.1005")}, rab, nil)
		other := filled(t, template, [][]any{row("Pembangunan Sentra IKM Keripik Lain", "Sentra Keripik Lain", "Keripik", "18.71.02.1004")}, rab, nil)

		dry := pemda.postFile("/proposals/impor", map[string]string{"csrf_token": token, "import_key": keyOf(form)}, "usulan.xlsx", first)
		key := keyOf(dry)
		if key == keyOf(form) {
			t.Errorf("the report's commit button carries the upload form's key")
		}
		before := proposalCount(t, e.Pemda)
		commit := map[string]string{"csrf_token": token, "commit": "1", "import_key": key, "file_name": "usulan.xlsx", "data": dataOf(dry)}
		a, b := pemda.postFile("/proposals/impor", commit, "", nil), pemda.postFile("/proposals/impor", commit, "", nil)
		if a.Status != http.StatusSeeOther || b.Status != http.StatusSeeOther || a.Location != b.Location ||
			!strings.HasPrefix(a.Location, "/proposals/impor?dibuat=") {
			t.Fatalf("the commit sent twice = %d %q, %d %q; want both to lead to one import", a.Status, a.Location, b.Status, b.Location)
		}
		if n := proposalCount(t, e.Pemda); n != before+1 {
			t.Fatalf("the commit sent twice filed %d drafts, want 1", n-before)
		}

		// The same form sent with another file: checked, not imported.
		again := pemda.postFile("/proposals/impor", map[string]string{"csrf_token": token, "commit": "1", "import_key": key},
			"lain.xlsx", other)
		if again.Status != http.StatusOK || !strings.Contains(again.Body, "data-import-reused") || !strings.Contains(again.Body, "Impor 1 usulan") {
			t.Fatalf("a used form with another file = %d %q (count +%d), want its check with a notice\n%.3000s", again.Status, again.Location, proposalCount(t, e.Pemda)-before, again.Body)
		}
		if n := proposalCount(t, e.Pemda); n != before+1 {
			t.Fatalf("a used form with another file filed %d drafts more", n-before-1)
		}
		fresh := keyOf(again)
		if fresh == key {
			t.Fatalf("the used form's key offered again")
		}
		commit = map[string]string{"csrf_token": token, "commit": "1", "import_key": fresh, "file_name": "lain.xlsx", "data": dataOf(again)}
		if r := pemda.postFile("/proposals/impor", commit, "", nil); r.Status != http.StatusSeeOther || r.Location == a.Location {
			t.Fatalf("the other file's commit = %d %q\n%.3000s", r.Status, r.Location, r.Body)
		}
		if n := proposalCount(t, e.Pemda); n != before+2 {
			t.Errorf("%d drafts filed in all, want 2", n-before)
		}
	})

	t.Run("sentra", func(t *testing.T) {
		form := pemda.get("/sentra/impor")
		token := form.csrf(t)
		if keyOf(form) == keyOf(pemda.get("/sentra/impor")) {
			t.Errorf("two import forms share a key")
		}
		csv := pemda.get("/sentra/impor/templat.csv").Body
		first := strings.ReplaceAll(csv, "Sentra Tenun Tapis", "Sentra Tenun Kunci")
		other := strings.ReplaceAll(csv, "Sentra Tenun Tapis", "Sentra Tenun Lain")
		dry := pemda.postFile("/sentra/impor", map[string]string{"csrf_token": token, "import_key": keyOf(form)}, "sentra.csv", []byte(first))
		key := keyOf(dry)
		before, _ := sentraTotal(t, e.Verifier, "")
		commit := map[string]string{"csrf_token": token, "commit": "1", "import_key": key, "file_name": "sentra.csv", "data": dataOf(dry)}
		a, b := pemda.postFile("/sentra/impor", commit, "", nil), pemda.postFile("/sentra/impor", commit, "", nil)
		if a.Status != http.StatusSeeOther || b.Status != http.StatusSeeOther || a.Location != "/sentra/impor?imported=1" || b.Location != a.Location {
			t.Fatalf("the commit sent twice = %d %q, %d %q; want both to lead to one import", a.Status, a.Location, b.Status, b.Location)
		}
		if n, _ := sentraTotal(t, e.Verifier, ""); n != before+1 {
			t.Fatalf("the commit sent twice registered %d sentra, want 1", n-before)
		}
		again := pemda.postFile("/sentra/impor", map[string]string{"csrf_token": token, "commit": "1", "import_key": key},
			"lain.csv", []byte(other))
		if again.Status != http.StatusOK || !strings.Contains(again.Body, "data-import-reused") || keyOf(again) == key {
			t.Fatalf("a used form with another file = %d, want its check with a notice and a fresh key\n%.3000s", again.Status, again.Body)
		}
		if n, _ := sentraTotal(t, e.Verifier, ""); n != before+1 {
			t.Errorf("a used form with another file registered %d sentra more", n-before-1)
		}
	})
}
