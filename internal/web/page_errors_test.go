package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"dakflow/internal/web/apitest"
)

// flatten turns an API body into form values named by JSON path, the
// names the pages use (PRODUCT.md §6): "sentra.name",
// "budget_lines[0].unit_price".
func flatten(prefix string, v any, into url.Values) {
	switch x := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			flatten(p, x[k], into)
		}
	case []map[string]any:
		for i, e := range x {
			flatten(fmt.Sprintf("%s[%d]", prefix, i), e, into)
		}
	default:
		into.Set(prefix, fmt.Sprint(x))
	}
}

func TestPageErrorsAndForms(t *testing.T) {
	env := apitest.NewEnv(t)
	id := env.Create(t, "revitalisasi", false)
	pemda := loggedIn(t, env, "pemda")
	path := fmt.Sprintf("/proposals/%d", id)

	t.Run("error pages are pages, in Indonesian, without internals", func(t *testing.T) {
		for _, tc := range []struct {
			c      *pageClient
			path   string
			status int
			words  string
		}{
			{pemda, "/tidak-ada", http.StatusNotFound, "Tidak ditemukan"},
			{loggedIn(t, env, "pemda-lain"), path, http.StatusNotFound, "Tidak ditemukan"},
			{loggedIn(t, env, "pemda-lain"), path + "/edit", http.StatusNotFound, "Tidak ditemukan"},
			{pemda, "/admin/users", http.StatusForbidden, "Akses ditolak"},
			{loggedIn(t, env, "verifikator"), "/proposals/new", http.StatusForbidden, "Akses ditolak"},
			{pemda, "/proposals/abc", http.StatusNotFound, "Tidak ditemukan"},
		} {
			p := tc.c.get(tc.path)
			if p.Status != tc.status || !strings.Contains(p.Body, tc.words) || !strings.HasPrefix(p.Header.Get("Content-Type"), "text/html") {
				t.Errorf("GET %s = %d %q, want %d page saying %q", tc.path, p.Status, p.Header.Get("Content-Type"), tc.status, tc.words)
			}
		}
	})

	t.Run("409: an event the state does not allow names the state", func(t *testing.T) {
		approver := loggedIn(t, env, "penetap")
		page := approver.get(path)
		p := approver.post(path+"/events/allocate", url.Values{"csrf_token": {page.csrf(t)}, "data.amount": {"1000"}, "version": {"1"}})
		if p.Status != http.StatusConflict || !strings.Contains(p.Body, "Draf") {
			t.Errorf("allocate on a draft = %d, want the 409 page naming the state", p.Status)
		}
	})

	t.Run("a double click fires once", func(t *testing.T) {
		page := pemda.get(path)
		form := url.Values{"csrf_token": {page.csrf(t)}, "version": {page.field(t, "submit", "version")},
			"idempotency_key": {page.field(t, "submit", "idempotency_key")}}
		for i := 0; i < 2; i++ {
			if p := pemda.post(path+"/events/submit", form); p.Status != http.StatusSeeOther {
				t.Fatalf("submit #%d = %d %.300s", i+1, p.Status, p.Body)
			}
		}
		if st := env.Get(t, id)["state"]; st != "submitted" {
			t.Fatalf("state = %v", st)
		}
		r := env.Auditor.Do("GET", "/api/v1"+path+"/events", nil, nil)
		if n := strings.Count(string(r.Body), `"event":"submit"`); n != 1 {
			t.Errorf("submit recorded %d times, want once", n)
		}
	})

	t.Run("412: a stale form comes back open with the input kept", func(t *testing.T) {
		draft := env.Create(t, "revitalisasi", false)
		dpath := fmt.Sprintf("/proposals/%d", draft)
		page := pemda.get(dpath)
		form := url.Values{"csrf_token": {page.csrf(t)}, "version": {page.field(t, "withdraw", "version")},
			"idempotency_key": {page.field(t, "withdraw", "idempotency_key")}, "comment": {"Ditarik untuk diperbaiki"}}
		in := apitest.ProposalInput("revitalisasi", false)
		in["title"] = "Judul yang diubah di tab lain"
		if r := env.Pemda.Do("PUT", "/api/v1"+dpath, in, nil); r.Status != http.StatusOK {
			t.Fatalf("PUT = %d %s", r.Status, r.Body)
		}
		p := pemda.post(dpath+"/events/withdraw", form)
		if p.Status != http.StatusPreconditionFailed || !strings.Contains(p.Body, "telah berubah") ||
			!strings.Contains(p.Body, "Ditarik untuk diperbaiki") || strings.Contains(p.Body, `id="form-withdraw" class="event-form" data-event-form="withdraw" novalidate hidden`) {
			t.Errorf("stale withdraw = %d; want 412 with the form open, the comment kept and a warning", p.Status)
		}
		if st := env.Get(t, draft)["state"]; st != "draft" {
			t.Errorf("state after a stale withdraw = %v, want draft", st)
		}
	})

	t.Run("the form's field names are the API's JSON paths", func(t *testing.T) {
		page := pemda.get("/proposals/new")
		form := url.Values{"csrf_token": {page.csrf(t)}}
		flatten("", apitest.ProposalInput("pembangunan", false), form)
		for name := range form {
			if name != "csrf_token" && !strings.Contains(page.Body, `name="`+name+`"`) && !strings.Contains(page.Body, `name="`+rowTemplate(name)+`"`) {
				t.Errorf("the form has no field named %s", name)
			}
		}
		p := pemda.post("/proposals", form)
		if p.Status != http.StatusSeeOther || !strings.HasSuffix(p.Location, "/edit?created=1#lampiran") {
			t.Fatalf("create from the API body as a form = %d %q %.300s", p.Status, p.Location, p.Body)
		}
	})

	t.Run("validation errors next to their fields, input kept", func(t *testing.T) {
		page := pemda.get("/proposals/new")
		form := url.Values{"csrf_token": {page.csrf(t)}}
		flatten("", apitest.ProposalInput("revitalisasi", false), form)
		form.Set("sentra.village_code", "73.71.01.1001")
		form.Set("budget_lines[1].quantity", "enam")
		form.Set("sentra.ikm_units", "-3")
		p := pemda.post("/proposals", form)
		if p.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad form = %d", p.Status)
		}
		for _, want := range []string{`data-error-for="sentra.ikm_units"`, "harus berupa bilangan bulat", `value="enam"`,
			`value="Sentra IKM Tenun Tapis"`} {
			if !strings.Contains(p.Body, want) {
				t.Errorf("re-rendered form lacks %s", want)
			}
		}
		form.Set("budget_lines[1].quantity", "6")
		form.Set("sentra.ikm_units", "15")
		p = pemda.post("/proposals", form)
		if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, `data-error-for="sentra.village_code"`) ||
			!strings.Contains(p.Body, "tidak berada di wilayah") {
			t.Errorf("a desa of another region = %d, want 422 with the engine's message next to the desa", p.Status)
		}
	})
}

// rowTemplate is a row field's name in the editor's template row.
func rowTemplate(name string) string {
	i, j := strings.IndexByte(name, '['), strings.IndexByte(name, ']')
	if i < 0 || j < i {
		return name
	}
	return name[:i] + "[__i__]" + name[j+1:]
}
