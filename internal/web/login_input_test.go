package web_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"dakflow/internal/web/apitest"
)

// TestLoginRefusesImpossibleNames: a username that cannot be one (a NUL, a
// control character, 60 KiB) is a plain 401 through the API and the login
// page on both engines — never a 500 from the database; a body past the
// login form's 64 KiB is 413 unread, as the page's is.
func TestLoginRefusesImpossibleNames(t *testing.T) {
	e := apitest.NewEnv(t)
	anon := apitest.Anonymous(t, e.URL)
	for _, tc := range []struct {
		name string
		want int
	}{
		{"auditor\x00", http.StatusUnauthorized},
		{"\x00", http.StatusUnauthorized},
		{"audi\ttor", http.StatusUnauthorized},
		{"a\u0085b", http.StatusUnauthorized},
		{strings.Repeat("a", 60<<10), http.StatusUnauthorized},
		{strings.Repeat("a", 1<<20), http.StatusRequestEntityTooLarge},
	} {
		r := anon.Do("POST", "/api/v1/auth/login", map[string]any{"username": tc.name, "password": apitest.Password}, nil)
		if r.Status != tc.want {
			t.Errorf("API login as %.20q (%d bytes) = %d %s, want %d", tc.name, len(tc.name), r.Status, r.Body, tc.want)
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

// TestLoginBodyRefusedUnread: anyone may post to the API's login, so a body
// declared larger than the login form's 64 KiB is refused from its
// Content-Length, before a byte of it is read (TestMemoryUnderAbuse's
// anonymous clients declare 100 MiB): the client here sends a few bytes and
// then nothing, and still gets its 413 at once.
func TestLoginBodyRefusedUnread(t *testing.T) {
	e := apitest.NewEnv(t)
	conn, err := net.Dial("tcp", strings.TrimPrefix(e.URL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/auth/login HTTP/1.1\r\nHost: dakflow\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n{\"username\":\"", 100<<20)
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("login with 100 MiB declared: %v, want 413 at once", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("login with 100 MiB declared = %d, want 413", resp.StatusCode)
	}
}
