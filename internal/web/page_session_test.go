package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dakflow/internal/web/apitest"
)

func TestPageSessions(t *testing.T) {
	env := apitest.NewEnv(t)

	t.Run("unauthenticated pages go to the login page and back", func(t *testing.T) {
		c := newPageClient(t, env.URL)
		p := c.get("/proposals/1?tab=x")
		if p.Status != http.StatusSeeOther || p.Location != "/login?next=%2Fproposals%2F1%3Ftab%3Dx" {
			t.Fatalf("GET /proposals/1 = %d %q, want 303 to the login page", p.Status, p.Location)
		}
		form := c.get("/login?next=%2Fproposals%2F1")
		p = c.post("/login", url.Values{"csrf_token": {form.csrf(t)}, "username": {"pemda"}, "password": {apitest.Password},
			"next": {"/proposals/1"}})
		if p.Status != http.StatusSeeOther || p.Location != "/proposals/1" {
			t.Errorf("login with next = %d %q, want 303 to /proposals/1", p.Status, p.Location)
		}
	})

	t.Run("the session cookie", func(t *testing.T) {
		c := newPageClient(t, env.URL)
		p := c.login("verifikator", apitest.Password)
		var ck *http.Cookie
		for _, k := range (&http.Response{Header: p.Header}).Cookies() {
			if k.Name == "dakflow_session" {
				ck = k
			}
		}
		if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Secure || ck.Expires.IsZero() {
			t.Fatalf("session cookie = %+v, want HttpOnly, SameSite=Lax, Path=/, an expiry, not Secure over http", ck)
		}
		if home := c.get("/"); home.Status != http.StatusOK || !strings.Contains(home.Body, "Antrean penilaian") {
			t.Errorf("verifier home = %d", home.Status)
		}
	})

	t.Run("a redirect never leaves dakflow", func(t *testing.T) {
		for _, next := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example"} {
			c := newPageClient(t, env.URL)
			form := c.get("/login")
			p := c.post("/login", url.Values{"csrf_token": {form.csrf(t)}, "username": {"auditor"}, "password": {apitest.Password}, "next": {next}})
			if p.Location != "/" {
				t.Errorf("login with next=%q redirects to %q, want /", next, p.Location)
			}
		}
	})

	t.Run("wrong password in place, then 429 after repeated failures", func(t *testing.T) {
		c := newPageClient(t, env.URL)
		var p htmlPage
		for i := 0; i < 5; i++ {
			form := c.get("/login")
			p = c.post("/login", url.Values{"csrf_token": {form.csrf(t)}, "username": {"penetap2"}, "password": {"keliru"}})
			if p.Status != http.StatusUnauthorized || !strings.Contains(p.Body, "Nama pengguna atau kata sandi salah") {
				t.Fatalf("attempt %d = %d, want 401 with the message in place", i+1, p.Status)
			}
		}
		if !strings.Contains(p.Body, `value="penetap2"`) {
			t.Errorf("the username is not kept after a failed login")
		}
		form := c.get("/login")
		p = c.post("/login", url.Values{"csrf_token": {form.csrf(t)}, "username": {"penetap2"}, "password": {apitest.Password}})
		if p.Status != http.StatusTooManyRequests || !strings.Contains(p.Body, "Terlalu banyak percobaan") {
			t.Errorf("after five failures = %d, want 429 saying so", p.Status)
		}
	})

	t.Run("login form without its token", func(t *testing.T) {
		c := newPageClient(t, env.URL)
		p := c.post("/login", url.Values{"username": {"pemda"}, "password": {apitest.Password}})
		if p.Status != http.StatusForbidden {
			t.Errorf("login without csrf_token = %d, want 403", p.Status)
		}
	})

	t.Run("every form checks the session's CSRF token", func(t *testing.T) {
		c := loggedIn(t, env, "pemda")
		for _, token := range []string{"", "palsu"} {
			p := c.post("/proposals", url.Values{"csrf_token": {token}, "title": {"x"}})
			if p.Status != http.StatusForbidden || !strings.Contains(p.Body, `data-error-status="403"`) {
				t.Errorf("POST /proposals with token %q = %d, want the 403 page", token, p.Status)
			}
		}
		token := c.get("/proposals/new").csrf(t)
		if p := c.post("/proposals", url.Values{"csrf_token": {token}}); p.Status != http.StatusUnprocessableEntity {
			t.Errorf("POST /proposals with the token and an empty form = %d, want 422", p.Status)
		}
		other := loggedIn(t, env, "pemda-lain")
		if p := other.post("/proposals", url.Values{"csrf_token": {token}}); p.Status != http.StatusForbidden {
			t.Errorf("another session's token = %d, want 403", p.Status)
		}
	})

	t.Run("logout ends the session", func(t *testing.T) {
		c := loggedIn(t, env, "auditor")
		token := c.get("/").csrf(t)
		if p := c.post("/logout", url.Values{"csrf_token": {token}}); p.Status != http.StatusSeeOther || p.Location != "/login?out=1" {
			t.Fatalf("logout = %d %q", p.Status, p.Location)
		}
		if p := c.get("/"); p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location, "/login") {
			t.Errorf("after logout / = %d %q, want the login page", p.Status, p.Location)
		}
	})

	t.Run("the region list for pages needs a session", func(t *testing.T) {
		if p := newPageClient(t, env.URL).get("/ui/regions?parent=18.71"); p.Status != http.StatusSeeOther {
			t.Errorf("anonymous /ui/regions = %d, want 303", p.Status)
		}
		p := loggedIn(t, env, "pemda").get("/ui/regions?parent=18.71.01")
		var body struct {
			Items []struct{ Code, Name string } `json:"items"`
		}
		if err := json.Unmarshal([]byte(p.Body), &body); err != nil || len(body.Items) == 0 || !strings.HasPrefix(body.Items[0].Code, "18.71.01.") {
			t.Errorf("/ui/regions?parent=18.71.01 = %d %.200s", p.Status, p.Body)
		}
	})
}
