package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"dakflow/internal/web/apitest"
)

// walkAfter: what the auditor, the other region and the administrator see
// of the completed proposal, the phone layout, and logging out.
func walkAfter(t *testing.T, b *browser, env *apitest.Env, id int64) {
	t.Log("auditor: search, the trail, documents that download and verify")
	auditor := b.login("auditor", 1366, 768)
	number := env.Get(t, id)["number"].(string)
	auditor.open("/?q=" + number)
	row := fmt.Sprintf(`tr[data-proposal="%d"]`, id)
	if !auditor.exists(row) {
		t.Fatalf("auditor search for %s finds nothing", number)
	}
	auditor.open("/?state=rejected")
	if auditor.exists(row) {
		t.Errorf("auditor search by state rejected shows a completed proposal")
	}
	auditor.open("/?q=" + number)
	auditor.shot("12-home-auditor", true)
	auditor.open(fmt.Sprintf("/proposals/%d", id))
	if auditor.exists("[data-event]") {
		t.Errorf("the auditor is offered a workflow action")
	}
	docs := eval[int](auditor, `document.querySelectorAll('[data-document]').length`)
	events := eval[int](auditor, `document.querySelectorAll('[data-timeline-event]').length`)
	if docs < 15 || events < 16 {
		t.Errorf("completed proposal shows %d documents and %d events", docs, events)
	}
	if !auditor.exists(`[data-diagram-state="completed"].current`) && !auditor.exists(`g.current[data-diagram-state="completed"]`) {
		t.Errorf("diagram does not mark the current state")
	}
	got := eval[string](auditor, `fetch(document.querySelector('[data-download]').href).then(r => r.status + ' ' + r.headers.get('content-type'))`)
	if got != "200 application/pdf" {
		t.Errorf("document download = %q, want 200 application/pdf", got)
	}
	got = eval[string](auditor, `fetch(document.querySelector('[data-trail]').href).then(r => r.status + ' ' + r.headers.get('content-type'))`)
	if got != "200 application/zip" {
		t.Errorf("trail download = %q, want 200 application/zip", got)
	}
	href := eval[string](auditor, `document.querySelector('[data-download]').getAttribute('href')`)
	auditor.open(eval[string](auditor, `document.querySelector('[data-verify]').getAttribute('href')`))
	if !strings.Contains(auditor.text("main"), "Dokumen terdaftar") {
		t.Errorf("verification link: %s", auditor.text("main"))
	}
	other := b.login("pemda-lain", 1366, 768)
	if st := other.open(href); st != http.StatusNotFound {
		t.Errorf("another region's pemda downloads %s: status %d, want 404", href, st)
	}
	if st := other.open(fmt.Sprintf("/proposals/%d/edit", id)); st != http.StatusNotFound {
		t.Errorf("another region's pemda opens the edit page: status %d, want 404", st)
	}

	t.Log("admin: users and fiscal years")
	admin := b.login("admin", 1366, 768)
	admin.shot("13-home-admin", true)
	admin.open("/admin/users")
	admin.typeIn("#f-username", "pemda-baru")
	admin.typeIn("#f-full_name", "Pengguna Baru")
	admin.set("#f-role", "pemda")
	admin.typeIn("#f-region_code", "74.05")
	admin.typeIn("#f-nip", "198503142010011002")
	admin.typeIn("#f-position", "Kepala Seksi Industri Agro, Dinas Perindustrian Kabupaten Konawe Selatan")
	admin.typeIn("#f-password", "kata-sandi-baru-1")
	admin.submit(`form[data-create-user] button[type=submit]`)
	if !admin.exists(`tr[data-user-row="pemda-baru"]`) {
		t.Fatalf("created user not listed: %s", admin.formErrors())
	}
	admin.shot("14-admin-users", true)
	admin.open("/admin/fiscal-years")
	admin.typeIn("#f-year", "2028")
	admin.typeIn("#f-ceiling", "395.000.000.000")
	admin.set("#f-submission_deadline", "2027-03-31")
	admin.submit(`form[data-set-year] button[type=submit]`)
	if row := admin.text(`tr[data-year="2028"]`); !strings.Contains(row, "Rp395.000.000.000") || strings.Contains(row, ",00") {
		t.Errorf("fiscal year 2028 row = %q, want Rp395.000.000.000 without ,00", row)
	}
	admin.shot("15-admin-fiscal-years", true)
	if st := auditor.open("/admin/users"); st != http.StatusForbidden {
		t.Errorf("auditor opens /admin/users: status %d, want 403", st)
	}

	t.Log("phone: home, proposal, form")
	phone := b.login("pemda", 390, 844)
	phone.shot("16-home-pemda-phone", true)
	phone.open(fmt.Sprintf("/proposals/%d", id))
	phone.shot("17-proposal-phone", false)
	phone.open("/proposals/new")
	phone.shot("18-form-phone", false)
	if w := eval[int](phone, `document.documentElement.scrollWidth`); w > 400 {
		t.Errorf("form page is %dpx wide on a 390px phone", w)
	}

	t.Log("logout")
	phone.submit(`[data-action="logout"]`)
	if phone.open("/"); !strings.Contains(phone.location(), "/login") {
		t.Errorf("after logout / shows %s, want the login page", phone.location())
	}
}
