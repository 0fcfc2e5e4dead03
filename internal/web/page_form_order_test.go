package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"dakflow/internal/web/apitest"
)

// summaryFields are the fields the error summary above a form links to,
// in the order it lists them (data-field of the shared "errors" partial,
// data-problem-for of the registry's forms).
func summaryFields(t *testing.T, body string) []string {
	t.Helper()
	i := strings.Index(body, "data-form-errors")
	if i < 0 {
		t.Fatalf("no error summary on the page\n%.2000s", body)
	}
	box := body[i:]
	box = box[:strings.Index(box, "</div>")]
	var out []string
	for _, m := range regexp.MustCompile(`data-(?:field|problem-for)="(?:f-)?([^"]+)"`).FindAllStringSubmatch(box, -1) {
		if len(out) == 0 || out[len(out)-1] != m[1] {
			out = append(out, m[1])
		}
	}
	return out
}

func wantOrder(t *testing.T, what string, p htmlPage, want ...string) {
	t.Helper()
	if p.Status != http.StatusUnprocessableEntity {
		t.Errorf("%s = %d, want 422\n%.2000s", what, p.Status, p.Body)
		return
	}
	if got := summaryFields(t, p.Body); !slices.Equal(got, want) {
		t.Errorf("%s: summary lists %q, want the form's order %q", what, got, want)
	}
}

// TestPageErrorSummaryOrder: the summary above a refused form lists its
// problems in the order of the fields on the form, not in the order the
// checks found them (issue 12): the proposal form (parse errors found
// before the draft's own checks), the sentra registry form, the user form
// and the fiscal-year form.
func TestPageErrorSummaryOrder(t *testing.T) {
	e := apitest.NewEnv(t)
	pemda, admin := loggedIn(t, e, "pemda"), loggedIn(t, e, "admin")

	token := pemda.get("/proposals/new").csrf(t)
	p := pemda.post("/proposals", url.Values{"csrf_token": {token}, "fiscal_year": {"2027"}, "menu": {"pembangunan"}, "title": {""},
		"sentra.name": {"Sentra Urutan"}, "sentra.workers": {"banyak"},
		"budget_lines[0].category": {"gedung_produksi"}, "budget_lines[0].description": {"Gedung"}, "budget_lines[0].quantity": {"dua"},
		"budget_lines[0].unit": {"paket"}, "budget_lines[0].unit_price": {"300000000"},
		"budget_lines[1].category": {"mesin_peralatan"}, "budget_lines[1].description": {"Mesin"}, "budget_lines[1].quantity": {"2"},
		"budget_lines[1].unit": {"unit"}, "budget_lines[1].unit_price": {"mahal"},
		"outputs[0].description": {""}, "outputs[0].volume": {"1"}, "outputs[0].unit": {"unit"}})
	wantOrder(t, "POST /proposals", p, "title", "sentra.workers", "budget_lines[0].quantity", "budget_lines[1].unit_price",
		"outputs[0].description")

	bad := registryForm(pemda.get("/sentra/baru").csrf(t), "")
	bad.Set("established_year", "3000")
	bad.Set("latitude", "lima")
	bad.Set("status_date", "2099-01-01")
	wantOrder(t, "POST /sentra/baru", pemda.post("/sentra/baru", bad), "name", "established_year", "latitude", "status_date")

	token = admin.get("/admin/users").csrf(t)
	wantOrder(t, "POST /admin/users", admin.post("/admin/users", url.Values{"csrf_token": {token}, "username": {"x y"}, "password": {"pendek"},
		"role": {"pemda"}, "region_code": {"99.99"}, "email": {"bukan alamat"}}),
		"username", "full_name", "nip", "position", "region_code", "email", "password")

	wantOrder(t, "POST /admin/fiscal-years", admin.post("/admin/fiscal-years", url.Values{"csrf_token": {token}, "year": {"tahun"},
		"ceiling": {""}, "menu_ceilings.pembangunan": {"banyak"}}), "year", "ceiling", "menu_ceilings.pembangunan")
}

// TestPageEventFormSummaryOrder: an action's form on the proposal page
// lists the guards' refusals in the form's order too: the extension's
// legal basis (checked second) before its comment (checked first, shown
// last).
func TestPageEventFormSummaryOrder(t *testing.T) {
	e := apitest.NewEnv(t)
	id := e.Create(t, "pembangunan", false)
	e.WalkTo(t, id, false, "rk_approved")
	approver := loggedIn(t, e, "penetap")
	path := fmt.Sprintf("/proposals/%d", id)
	p := approver.get(path)
	form := url.Values{"csrf_token": {p.csrf(t)}, "version": {p.field(t, "extend_deadline", "version")}, "comment": {""},
		"data.stage": {"1"}, "data.until": {"30 September 2027"}, "data.legal_basis": {""}}
	wantOrder(t, "POST "+path+"/events/extend_deadline", approver.post(path+"/events/extend_deadline", form), "data.legal_basis", "comment")
}
