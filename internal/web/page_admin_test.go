package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"dakflow/internal/web/apitest"
)

// TestPageAdmin manages an account and a fiscal year through the admin
// pages, with the API's own rules.
func TestPageAdmin(t *testing.T) {
	env := apitest.NewEnv(t)
	admin := loggedIn(t, env, "admin")
	token := admin.get("/admin/users").csrf(t)

	p := admin.post("/admin/users", url.Values{"csrf_token": {token}, "username": {"x y"}, "role": {"pemda"}, "region_code": {"99.99"}, "password": {"pendek"}})
	for _, field := range []string{"username", "region_code"} {
		if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, `data-error-for="`+field+`"`) {
			t.Errorf("bad account = %d; no error next to %s", p.Status, field)
		}
	}
	p = admin.post("/admin/users", url.Values{"csrf_token": {token}, "username": {"operator-ntb"}, "role": {"pemda"},
		"region_code": {"52.71"}, "full_name": {"Operator NTB"}, "nip": {"198407162009011002"},
		"position": {"Kepala Dinas Perindustrian Kota Mataram"}, "password": {"sandi-awal-123"}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("create = %d %.300s", p.Status, p.Body)
	}
	list := admin.get("/admin/users")
	m := regexp.MustCompile(`href="(/admin/users/\d+)">operator-ntb<`).FindStringSubmatch(list.Body)
	if m == nil {
		t.Fatalf("new account not listed")
	}
	user := m[1]
	if c := newPageClient(t, env.URL); c.login("operator-ntb", "sandi-awal-123").Status != http.StatusSeeOther {
		t.Errorf("the new account cannot log in")
	}

	steps := []struct {
		name, path string
		form       url.Values
		status     int
	}{
		{"disable", "/status", url.Values{"disabled": {"true"}}, http.StatusSeeOther},
		{"verifier with a region", "", url.Values{"role": {"verifier"}, "region_code": {"52.71"}}, http.StatusUnprocessableEntity},
		{"verifier", "", url.Values{"role": {"verifier"}, "full_name": {"Verifikator NTB"}, "nip": {"198407162009011002"},
			"position": {"Verifikator Direktorat Jenderal Industri Kecil, Menengah, dan Aneka"}}, http.StatusSeeOther},
		{"short password", "/password", url.Values{"password": {"123"}}, http.StatusUnprocessableEntity},
		{"reset password", "/password", url.Values{"password": {"sandi-baru-4567"}}, http.StatusSeeOther},
		{"enable", "/status", url.Values{"disabled": {"false"}}, http.StatusSeeOther},
		// An enabled account that signs needs its NIP (a disabled one signs nothing).
		{"verifier without a NIP", "", url.Values{"role": {"verifier"}, "full_name": {"Verifikator NTB"}, "position": {"Verifikator"}}, http.StatusUnprocessableEntity},
	}
	for _, s := range steps {
		s.form.Set("csrf_token", token)
		if p := admin.post(user+s.path, s.form); p.Status != s.status {
			t.Errorf("%s = %d, want %d %.300s", s.name, p.Status, s.status, p.Body)
		}
		if s.name == "disable" {
			if c := newPageClient(t, env.URL); c.login("operator-ntb", "sandi-awal-123").Status != http.StatusUnauthorized {
				t.Errorf("a disabled account can log in")
			}
		}
	}
	c := newPageClient(t, env.URL)
	if c.login("operator-ntb", "sandi-baru-4567").Status != http.StatusSeeOther || !strings.Contains(c.get("/").Body, "Antrean penilaian") {
		t.Errorf("after enable, reset and a new role the account does not log in as a verifier")
	}

	self := regexp.MustCompile(`href="(/admin/users/\d+)">admin<`).FindStringSubmatch(list.Body)[1]
	if p := admin.post(self+"/status", url.Values{"csrf_token": {token}, "disabled": {"true"}}); p.Status != http.StatusUnprocessableEntity {
		t.Errorf("an administrator disabling their own account = %d, want 422", p.Status)
	}

	p = admin.post("/admin/fiscal-years", url.Values{"csrf_token": {token}, "year": {"2028"}, "ceiling": {"Rp395.000.000.000"},
		"submission_deadline": {"2027-03-31"}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("set fiscal year = %d %.300s", p.Status, p.Body)
	}
	// The table writes amounts as every table does, without the ",00"
	// of letters (issue 12).
	if body := admin.get("/admin/fiscal-years").Body; !strings.Contains(body, `class="num">Rp395.000.000.000</td>`) || !strings.Contains(body, "31 Maret 2027 pukul 23.59 WIB") {
		t.Errorf("fiscal year 2028 not shown with its ceiling and deadline")
	} else if strings.Contains(body, ",00") {
		t.Errorf("the fiscal years table writes an amount with ,00")
	}
	if p := admin.post("/admin/fiscal-years", url.Values{"csrf_token": {token}, "year": {"2028"}, "ceiling": {"banyak"}}); p.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(p.Body, `data-error-for="ceiling"`) {
		t.Errorf("a ceiling in words = %d, want 422 next to the field", p.Status)
	}
	// The deadline typed again: a blank one would remove it, a change of
	// the calendar that needs a reason.
	p = admin.post("/admin/fiscal-years", url.Values{"csrf_token": {token}, "year": {"2028"}, "ceiling": {"Rp395.000.000.000"},
		"submission_deadline": {"2027-03-31"}, "menu_ceilings.pembangunan": {"Rp150.000.000.000"}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("set a menu ceiling = %d %.300s", p.Status, p.Body)
	}
	if body := admin.get("/admin/fiscal-years").Body; !strings.Contains(body, "Pembangunan Sentra IKM") || !strings.Contains(body, `class="num">Rp150.000.000.000</td>`) {
		t.Errorf("the menu ceiling is not shown")
	}
	if p := admin.post("/admin/fiscal-years", url.Values{"csrf_token": {token}, "year": {"2028"}, "ceiling": {"Rp395.000.000.000"},
		"submission_deadline": {"2027-03-31"}, "menu_ceilings.revitalisasi": {"Rp300.000.000.000"}}); p.Status != http.StatusUnprocessableEntity {
		t.Errorf("menu ceilings above the national one = %d, want 422", p.Status)
	}
}
