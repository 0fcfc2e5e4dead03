package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dakflow/internal/web/apitest"
)

// TestLoginRefusesImpossibleNames: a username that cannot be one (a NUL, a
// control character, a megabyte) is a plain 401 through the API and the
// login page on both engines — never a 500 from the database.
func TestLoginRefusesImpossibleNames(t *testing.T) {
	e := apitest.NewEnv(t)
	anon := apitest.Anonymous(t, e.URL)
	for _, name := range []string{"auditor\x00", "\x00", "audi\ttor", "a\u0085b", strings.Repeat("a", 1<<20)} {
		r := anon.Do("POST", "/api/v1/auth/login", map[string]any{"username": name, "password": apitest.Password}, nil)
		if r.Status != http.StatusUnauthorized {
			t.Errorf("API login as %.20q = %d %s, want 401", name, r.Status, r.Body)
		}
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	// The login page: the form posts without a CSRF session first, so read
	// the page, then post; a refused name shows the page again, never 500.
	resp, err := client.PostForm(e.URL+"/login", url.Values{"username": {"auditor\x00"}, "password": {apitest.Password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 500 {
		t.Errorf("page login with a NUL = %d, want no server error", resp.StatusCode)
	}
}
