package web_test

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"dakflow/internal/web/apitest"
)

// pageClient is a browser without a browser: a cookie jar that does not
// follow redirects, for checking the pages' HTTP behaviour exactly.
type pageClient struct {
	t    *testing.T
	base string
	http *http.Client
}

// htmlPage is one answer.
type htmlPage struct {
	Status   int
	Header   http.Header
	Body     string
	Location string
}

func newPageClient(t *testing.T, base string) *pageClient {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &pageClient{t: t, base: base, http: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *pageClient) do(req *http.Request) htmlPage {
	c.t.Helper()
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return htmlPage{Status: resp.StatusCode, Header: resp.Header, Body: string(b), Location: resp.Header.Get("Location")}
}

func (c *pageClient) get(path string) htmlPage {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}

func (c *pageClient) post(path string, form url.Values) htmlPage {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// csrf is the form token of a page.
func (p htmlPage) csrf(t *testing.T) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no csrf_token on the page (status %d)", p.Status)
	}
	return m[1]
}

// field reads the value of a hidden input of the page.
func (p htmlPage) field(t *testing.T, form, name string) string {
	t.Helper()
	i := strings.Index(p.Body, `id="form-`+form+`"`)
	if i < 0 {
		t.Fatalf("no form %s on the page", form)
	}
	m := regexp.MustCompile(`name="` + regexp.QuoteMeta(name) + `" value="([^"]*)"`).FindStringSubmatch(p.Body[i:])
	if m == nil {
		t.Fatalf("no field %s in form %s", name, form)
	}
	return m[1]
}

// login logs in through the login form and returns the session cookie.
func (c *pageClient) login(user, password string) htmlPage {
	c.t.Helper()
	form := c.get("/login")
	return c.post("/login", url.Values{"csrf_token": {form.csrf(c.t)}, "username": {user}, "password": {password}, "next": {"/"}})
}

// loggedIn is a client logged in as user with the test password.
func loggedIn(t *testing.T, env *apitest.Env, user string) *pageClient {
	t.Helper()
	c := newPageClient(t, env.URL)
	if p := c.login(user, apitest.Password); p.Status != http.StatusSeeOther {
		t.Fatalf("login %s = %d, want 303", user, p.Status)
	}
	return c
}
