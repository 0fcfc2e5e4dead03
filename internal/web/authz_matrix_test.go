package web_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/web/apitest"
)

// The authorization matrix: every route the server registered × every kind
// of caller, each cell with the answer it must get (issue 10, item 2;
// PRODUCT.md §1 and §6). The routes come from the running server
// (web.Server.Routes), not from a list kept here, so a route added to
// routes.go without a line in authzMatrix fails the test, and
// so does a line whose route is gone.
//
// The matrix checks authorization, not input: a cell is "allowed" when the
// answer is anything but 401, 403, 404 or a redirect to /login (a minimal
// body may well answer 400, 409 or 422), "unauthenticated" for 401 or the
// redirect to the login form, "forbidden" for 403, "not found" for 404. A 5xx fails
// any cell. Which events a role may fire is TestEventRolesAndStates's.

// reach says how a route is reached.
type reach int

const (
	open   reach = iota // public: anyone, logged in or not
	bearer              // the API: Authorization: Bearer TOKEN, else 401
	cookie              // a page: the session cookie, else a redirect to /login
)

// authzRule is one line of the matrix: a route as registered (method and
// echo path), how it is reached, the roles that may use it (space
// separated; none for an open route) and whether it is about one
// proposal or something of one (scoped), which another region's pemda
// must get 404 for, as for a proposal that does not exist.
type authzRule struct {
	method, path string
	reach        reach
	roles        string
	scoped       bool
}

// everyone is every role a person can hold.
const everyone = "pemda verifier approver treasury auditor admin"

// authzMatrix has one line per route. A new route needs a line here (and,
// if it takes a path parameter this test does not know, a value in
// authzFixture.fill).
var authzMatrix = []authzRule{
	// Public: health, the transparency log, verification, login, assets.
	{"GET", "/healthz", open, "", false},
	{"GET", "/readyz", open, "", false},
	{"GET", "/metrics", open, "", false},
	{"GET", "/verify/:code", open, "", false},
	{"POST", "/verify/:code", open, "", false},
	{"POST", "/api/v1/auth/login", open, "", false},
	{"GET", "/api/v1/verify/:code", open, "", false},
	{"GET", "/api/v1/trail-key", open, "", false},
	{"GET", "/api/v1/keys", open, "", false},
	{"GET", "/api/v1/checkpoints/latest", open, "", false},
	{"GET", "/api/v1/checkpoints/proof", open, "", false},
	{"GET", "/api/v1/openapi.json", open, "", false},
	{"GET", "/static/*", open, "", false},
	{"GET", "/login", open, "", false},
	{"POST", "/login", open, "", false},

	// The API.
	{"POST", "/api/v1/auth/logout", bearer, everyone, false},
	{"GET", "/api/v1/me", bearer, everyone, false},
	{"PUT", "/api/v1/me/notifications", bearer, everyone, false},
	{"GET", "/api/v1/notifications", bearer, everyone, false},
	{"POST", "/api/v1/notifications/read-all", bearer, everyone, false},
	{"POST", "/api/v1/notifications/:id/read", bearer, everyone, false},
	{"GET", "/api/v1/regions", bearer, everyone, false},
	{"GET", "/api/v1/workflows", bearer, everyone, false},
	{"GET", "/api/v1/workflows/:name", bearer, everyone, false},
	{"POST", "/api/v1/users", bearer, "admin", false},
	{"GET", "/api/v1/users", bearer, "admin", false},
	{"GET", "/api/v1/fiscal-years", bearer, everyone, false},
	{"PUT", "/api/v1/fiscal-years/:year", bearer, "admin", false},
	{"GET", "/api/v1/fiscal-years/:year/summary", bearer, "verifier approver treasury auditor admin", false},
	{"GET", "/api/v1/fiscal-years/:year/ceiling-history", bearer, everyone, false},
	{"GET", "/api/v1/fiscal-years/:year/calendar-history", bearer, everyone, false},
	{"GET", "/api/v1/coverage", bearer, everyone, false},
	{"POST", "/api/v1/proposals", bearer, "pemda", false},
	{"GET", "/api/v1/proposals/import-template", bearer, "pemda", false},
	{"POST", "/api/v1/proposals/import", bearer, "pemda", false},
	{"GET", "/api/v1/proposals", bearer, everyone, false},
	{"GET", "/api/v1/proposals/:id", bearer, everyone, true},
	{"PUT", "/api/v1/proposals/:id", bearer, "pemda", true},
	{"POST", "/api/v1/proposals/:id/events", bearer, everyone, true},
	{"GET", "/api/v1/proposals/:id/events", bearer, everyone, true},
	{"GET", "/api/v1/proposals/:id/documents", bearer, everyone, true},
	{"GET", "/api/v1/proposals/:id/revisions", bearer, everyone, true},
	{"POST", "/api/v1/proposals/:id/attachments", bearer, "pemda", true},
	{"GET", "/api/v1/proposals/:id/attachments", bearer, everyone, true},
	{"GET", "/api/v1/attachments/:id/file", bearer, everyone, true},
	{"GET", "/api/v1/proposals/:id/trail", bearer, everyone, true},
	{"GET", "/api/v1/documents/:id", bearer, everyone, true},
	{"GET", "/api/v1/documents/:id/pdf", bearer, everyone, true},
	{"POST", "/api/v1/trail-exports", bearer, "auditor", false},
	{"GET", "/api/v1/trail-exports", bearer, "auditor", false},
	{"GET", "/api/v1/trail-exports/:id", bearer, "auditor", false},
	{"GET", "/api/v1/trail-exports/:id/zip", bearer, "auditor", false},
	{"GET", "/api/v1/access-log", bearer, "auditor admin", false},
	{"GET", "/api/v1/sentra", bearer, everyone, false},
	{"POST", "/api/v1/sentra", bearer, "pemda verifier admin", false},
	{"POST", "/api/v1/sentra/import", bearer, "pemda verifier admin", false},
	{"GET", "/api/v1/sentra/:id", bearer, everyone, true},
	{"PUT", "/api/v1/sentra/:id", bearer, "pemda verifier admin", true},
	{"POST", "/api/v1/sentra/:id/status", bearer, "pemda verifier", true},
	{"POST", "/api/v1/sentra/:id/reports", bearer, "pemda", true},
	{"GET", "/api/v1/sentra/:id/reports", bearer, everyone, true},
	{"POST", "/api/v1/sentra/:id/reports/:rid/photos", bearer, "pemda", true},
	{"GET", "/api/v1/sentra/:id/reports/:rid/photos/:pid", bearer, everyone, true},
	{"POST", "/api/v1/sentra/:id/visits", bearer, "verifier", true},
	{"GET", "/api/v1/monitoring", bearer, "pemda verifier auditor admin", false},

	// The pages.
	{"POST", "/logout", cookie, everyone, false},
	{"GET", "/", cookie, everyone, false},
	{"GET", "/proposals", cookie, everyone, false},
	{"GET", "/proposals/ekspor", cookie, everyone, false},
	{"GET", "/ringkasan/ekspor", cookie, "verifier approver treasury auditor admin", false},
	{"GET", "/proposals/impor", cookie, "pemda", false},
	{"POST", "/proposals/impor", cookie, "pemda", false},
	{"GET", "/proposals/impor/templat.xlsx", cookie, "pemda", false},
	{"GET", "/proposals/new", cookie, "pemda", false},
	{"POST", "/proposals", cookie, "pemda", false},
	{"GET", "/proposals/:id", cookie, everyone, true},
	{"GET", "/proposals/:id/edit", cookie, "pemda", true},
	{"POST", "/proposals/:id/edit", cookie, "pemda", true},
	{"POST", "/proposals/:id/attachments", cookie, "pemda", true},
	{"POST", "/proposals/:id/events/:event", cookie, everyone, true},
	{"GET", "/proposals/:id/trail", cookie, everyone, true},
	{"GET", "/documents/:id/pdf", cookie, everyone, true},
	{"GET", "/attachments/:id/file", cookie, everyone, true},
	{"GET", "/ui/regions", cookie, everyone, false},
	{"GET", "/exports", cookie, "auditor", false},
	{"POST", "/exports", cookie, "auditor", false},
	{"GET", "/exports/:id", cookie, "auditor", false},
	{"GET", "/exports/:id/zip", cookie, "auditor", false},
	{"GET", "/access-log", cookie, "auditor admin", false},
	{"GET", "/coverage", cookie, everyone, false},
	{"GET", "/sentra", cookie, everyone, false},
	{"GET", "/sentra/ekspor", cookie, everyone, false},
	{"GET", "/sentra/:id", cookie, everyone, true},
	{"GET", "/sentra/baru", cookie, "pemda verifier admin", false},
	{"POST", "/sentra/baru", cookie, "pemda verifier admin", false},
	{"GET", "/sentra/:id/ubah", cookie, "pemda verifier admin", true},
	{"POST", "/sentra/:id/ubah", cookie, "pemda verifier admin", true},
	{"GET", "/sentra/:id/status", cookie, "pemda verifier", true},
	{"POST", "/sentra/:id/status", cookie, "pemda verifier", true},
	{"GET", "/sentra/impor", cookie, "pemda verifier admin", false},
	{"POST", "/sentra/impor", cookie, "pemda verifier admin", false},
	{"GET", "/sentra/impor/templat.csv", cookie, "pemda verifier admin", false},
	{"GET", "/pemantauan", cookie, "pemda verifier auditor admin", false},
	{"GET", "/dasbor", cookie, "approver auditor admin", false},
	{"GET", "/sentra/:id/laporan", cookie, everyone, true},
	{"POST", "/sentra/:id/laporan", cookie, "pemda", true},
	{"POST", "/sentra/:id/laporan/:rid/foto", cookie, "pemda", true},
	{"GET", "/sentra/:id/laporan/:rid/foto/:pid", cookie, everyone, true},
	{"POST", "/sentra/:id/kunjungan", cookie, "verifier", true},
	{"GET", "/notifikasi", cookie, everyone, false},
	{"POST", "/notifikasi/baca-semua", cookie, everyone, false},
	{"POST", "/notifikasi/email", cookie, everyone, false},
	{"POST", "/notifikasi/:id/baca", cookie, everyone, false},
	{"GET", "/admin/users", cookie, "admin", false},
	{"POST", "/admin/users", cookie, "admin", false},
	{"GET", "/admin/users/:id", cookie, "admin", false},
	{"POST", "/admin/users/:id", cookie, "admin", false},
	{"POST", "/admin/users/:id/password", cookie, "admin", false},
	{"POST", "/admin/users/:id/status", cookie, "admin", false},
	{"GET", "/admin/fiscal-years", cookie, "admin", false},
	{"POST", "/admin/fiscal-years", cookie, "admin", false},
}

func (r authzRule) key() string { return r.method + " " + r.path }

// answer is the class of a response.
type answer int

const (
	allowed answer = iota
	unauthenticated
	forbidden
	notFound
)

func (a answer) String() string {
	return [...]string{"allowed", "unauthenticated", "forbidden (403)", "not found (404)"}[a]
}

// classify puts a response in its class. The pages send a caller without
// a session to /login?next=… (a GET) or /login?expired=1 (a form); a
// logout's /login?out=1 is a success.
func classify(status int, location string) answer {
	toLogin := false
	if u, err := url.Parse(location); err == nil && status/100 == 3 && u.Path == "/login" {
		q := u.Query()
		toLogin = q.Has("next") || q.Has("expired")
	}
	switch {
	case status == http.StatusUnauthorized, toLogin:
		return unauthenticated
	case status == http.StatusForbidden:
		return forbidden
	case status == http.StatusNotFound:
		return notFound
	}
	return allowed
}

// authzColumn is one kind of caller: a role, the pemda of another region
// (scoped routes are called on Kota Bandar Lampung's objects by Kota
// Makassar's pemda and the other way round), or nobody.
type authzColumn struct {
	name  string
	role  dak.Role // "" for no token and no session
	other bool
}

var authzColumns = []authzColumn{
	{"pemda", dak.RolePemda, false},
	{"pemda-other", dak.RolePemda, true},
	{"verifier", dak.RoleVerifier, false},
	{"approver", dak.RoleApprover, false},
	{"treasury", dak.RoleTreasury, false},
	{"auditor", dak.RoleAuditor, false},
	{"admin", dak.RoleAdmin, false},
	{"anonymous", "", false},
}

// want is the class of answer a cell must get.
func (r authzRule) want(col authzColumn) answer {
	switch {
	case r.reach == open:
		return allowed
	case col.role == "":
		return unauthenticated
	case !slices.Contains(strings.Fields(r.roles), string(col.role)):
		return forbidden
	case col.other && r.scoped:
		return notFound
	}
	return allowed
}

// TestAuthzMatrix calls every route as every kind of caller and checks the
// class of each answer against authzMatrix; it fails for a registered route
// without a line and for a line without a route.
func TestAuthzMatrix(t *testing.T) {
	e := apitest.NewEnv(t)
	registered := map[string]bool{}
	for _, r := range e.Server.Routes() {
		if r.Method == echo.RouteNotFound { // a group's catch-all, so its middleware runs on 404s
			continue
		}
		registered[r.Method+" "+r.Path] = true
	}
	rules := map[string]authzRule{}
	for _, r := range authzMatrix {
		if _, dup := rules[r.key()]; dup {
			t.Errorf("authzMatrix has %s twice", r.key())
		}
		rules[r.key()] = r
		if !registered[r.key()] {
			t.Errorf("authzMatrix has a line for %s, which the server does not register: remove it", r.key())
		}
	}
	for k := range registered {
		if _, ok := rules[k]; !ok {
			t.Errorf("route %s has no line in authzMatrix: add one saying who may use it", k)
		}
	}

	f := newAuthzFixture(t, e)
	cells := 0
	for _, r := range authzMatrix {
		if !registered[r.key()] {
			continue
		}
		t.Run(r.key(), func(t *testing.T) {
			for _, col := range authzColumns {
				want := r.want(col)
				for _, call := range f.calls(t, r, col) {
					status, location, body := call.do(t)
					cells++
					got := classify(status, location)
					if status >= 500 || got != want {
						t.Errorf("%s %s as %s = %d %s (%s), want %s\n%.300q", r.method, call.url, call.who, status, location, got, want, body)
					}
				}
			}
		})
	}
	t.Logf("%d routes, %d columns, %d requests", len(authzMatrix), len(authzColumns), cells)
}

// authzObjects are one region's proposal (submitted, with its receipt and
// an attachment), the document's verification code, and the proposal's
// sentra in the registry.
type authzObjects struct {
	proposal, document, attachment, sentra int64
	report, photo                          int64 // of the sentra (sentra_reports_test.go)
	notification                           int64 // the caller's own (call sets it)
	code                                   string
}

// authzFixture holds what the cells need: the objects, a trail export, a
// user to administer, a checkpoint, and a token and a session per account.
type authzFixture struct {
	e          *apitest.Env
	own, other authzObjects // Kota Bandar Lampung's (18.71), Kota Makassar's (73.71)
	export     int64
	user       int64
	treeSize   string
	tokens     map[string]string      // by username
	sessions   map[string]*pageClient // by username
	csrf       map[string]string      // by username
	notes      map[string]int64       // a notification of each account, by username
}

// accounts are the usernames of apitest.NewEnv by column.
var accounts = map[string]string{
	"pemda": "pemda", "pemda-other": "pemda-lain", "verifier": "verifikator", "approver": "penetap",
	"treasury": "perbendaharaan", "auditor": "auditor", "admin": "admin",
}

func newAuthzFixture(t *testing.T, e *apitest.Env) *authzFixture {
	t.Helper()
	f := &authzFixture{e: e, tokens: map[string]string{}, sessions: map[string]*pageClient{}, csrf: map[string]string{}}
	id, doc, att := submittedWithFiles(t, e)
	f.own = authzObjects{proposal: id, document: doc, attachment: att, code: verifyCode(t, e.Pemda, doc)}
	f.other = makassarSubmitted(t, e)
	f.own.sentra, f.other.sentra = proposalSentra(t, e.Pemda, f.own.proposal), proposalSentra(t, e.Other, f.other.proposal)
	f.own.report, f.own.photo = authzReport(t, e, f.own.sentra, e.Pemda)
	f.other.report, f.other.photo = authzReport(t, e, f.other.sentra, e.Other)

	r := e.Auditor.Do("POST", "/api/v1/trail-exports", map[string]any{"region": "18.71"}, nil)
	if r.Status != http.StatusAccepted {
		t.Fatalf("POST /trail-exports = %d %s", r.Status, r.Body)
	}
	f.export = int64(r.JSON()["id"].(float64))
	r = e.Admin.Do("POST", "/api/v1/users", map[string]any{"username": "matriks", "full_name": "Pengguna Matriks",
		"role": "verifier", "nip": apitest.NIP, "position": apitest.VerifierPosition, "password": apitest.Password}, nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("POST /users = %d %s", r.Status, r.Body)
	}
	f.user = int64(r.JSON()["id"].(float64))
	// The first trail signs a checkpoint.
	if r := e.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/trail", id), nil, nil); r.Status != http.StatusOK {
		t.Fatalf("GET trail = %d %s", r.Status, r.Body)
	}
	r = e.Auditor.Do("GET", "/api/v1/checkpoints/latest", nil, nil)
	if f.treeSize = r.Header.Get("X-Dakflow-Tree-Size"); r.Status != http.StatusOK || f.treeSize == "" {
		t.Fatalf("GET /checkpoints/latest = %d %s", r.Status, r.Body)
	}

	for _, c := range []*apitest.Client{e.Pemda, e.Other, e.Verifier, e.Approver, e.Treasury, e.Auditor, e.Admin} {
		f.tokens[c.User["username"].(string)] = c.Token
	}
	for _, u := range accounts {
		f.sessions[u], f.csrf[u] = f.session(t, u)
	}
	f.notes = authzNotifications(t, e)
	return f
}

// session logs username in through the login form and returns the client
// and the session's form token.
func (f *authzFixture) session(t *testing.T, username string) (*pageClient, string) {
	t.Helper()
	c := loggedIn(t, f.e, username)
	return c, c.get("/").csrf(t)
}

// proposalSentra is the registry record a proposal names.
func proposalSentra(t *testing.T, c *apitest.Client, proposal int64) int64 {
	t.Helper()
	r := c.Do("GET", fmt.Sprintf("/api/v1/proposals/%d", proposal), nil, nil)
	id, _ := r.JSON()["sentra_id"].(float64)
	if r.Status != http.StatusOK || id == 0 {
		t.Fatalf("GET /proposals/%d = %d, no sentra_id: %s", proposal, r.Status, r.Body)
	}
	return int64(id)
}

func verifyCode(t *testing.T, c *apitest.Client, doc int64) string {
	t.Helper()
	r := c.Do("GET", fmt.Sprintf("/api/v1/documents/%d", doc), nil, nil)
	code, _ := r.JSON()["verify_code"].(string)
	if r.Status != http.StatusOK || code == "" {
		t.Fatalf("GET /documents/%d = %d %s", doc, r.Status, r.Body)
	}
	return code
}

// makassarSubmitted files and submits a proposal as Kota Makassar's pemda.
func makassarSubmitted(t *testing.T, e *apitest.Env) authzObjects {
	t.Helper()
	e.RegisterSentra(t, makassarVillage(t), "Sentra IKM Tenun Tapis", "Kain tenun tapis", dak.SentraAktif) // the revitalisasi's
	r := e.Other.Do("POST", "/api/v1/proposals", makassarInput(t), nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("POST /proposals as Makassar = %d %s", r.Status, r.Body)
	}
	id := int64(r.JSON()["id"].(float64))
	for _, kind := range e.Engine.Current().Menus["revitalisasi"].RequiredAttachments {
		if up := e.Other.Upload(id, kind, kind+".pdf", apitest.PDFBytes(kind)); up.Status != http.StatusCreated {
			t.Fatalf("upload %s as Makassar = %d %s", kind, up.Status, up.Body)
		}
	}
	e.Other.MustFire(id, "submit", "", nil)
	first := func(path string) int64 {
		var list struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		e.Other.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/%s", id, path), nil, nil).Decode(t, &list)
		if len(list.Items) == 0 {
			t.Fatalf("Makassar's proposal has no %s", path)
		}
		return list.Items[0].ID
	}
	doc := first("documents")
	return authzObjects{proposal: id, document: doc, attachment: first("attachments"), code: verifyCode(t, e.Other, doc)}
}

// authzCall is one request of a cell.
type authzCall struct {
	who, url string
	req      *http.Request
	client   *http.Client
}

var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

func (c authzCall) do(t *testing.T) (status int, location, body string) {
	t.Helper()
	resp, err := c.client.Do(c.req)
	if err != nil {
		t.Fatalf("%s %s: %v", c.req.Method, c.url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

// calls builds the requests of a cell: one, or for another region's pemda
// on a scoped route two, Makassar on Bandar Lampung's objects and Bandar
// Lampung on Makassar's.
func (f *authzFixture) calls(t *testing.T, r authzRule, col authzColumn) []authzCall {
	t.Helper()
	user := accounts[col.name]
	calls := []authzCall{f.call(t, r, user, f.own)}
	if col.other && r.scoped {
		calls = append(calls, f.call(t, r, accounts["pemda"], f.other))
	}
	for i := range calls {
		calls[i].who = col.name + " (" + calls[i].who + ")"
	}
	return calls
}

// call is r's request as username ("" for nobody) on the objects o, with
// the credentials its path takes: a token for /api/, a session otherwise.
// Calls that end a session (logout) get a fresh one; the login form gets
// its own form token and the account's password.
func (f *authzFixture) call(t *testing.T, r authzRule, username string, o authzObjects) authzCall {
	t.Helper()
	o.notification = f.notes[username]
	path := f.fill(t, r, o)
	if r.key() == "GET /api/v1/checkpoints/proof" {
		path += "?old=" + f.treeSize + "&new=" + f.treeSize
	}
	api := strings.HasPrefix(path, "/api/")
	token, session, csrf := f.tokens[username], f.sessions[username], f.csrf[username]
	switch {
	case username == "":
		token, session, csrf = "", nil, ""
	case r.key() == "POST /api/v1/auth/logout":
		token = apitest.Login(t, f.e.URL, username, apitest.Password).Token
	case r.key() == "POST /logout":
		session, csrf = f.session(t, username)
	}

	var body io.Reader
	ct := ""
	switch {
	case r.key() == "POST /api/v1/auth/login" || r.key() == "POST /login":
		login := username
		if login == "" {
			login = "auditor"
		}
		if r.key() == "POST /login" {
			fresh := newPageClient(t, f.e.URL)
			form := url.Values{"csrf_token": {fresh.get("/login").csrf(t)}, "username": {login}, "password": {apitest.Password}}
			session, body, ct = fresh, strings.NewReader(form.Encode()), "application/x-www-form-urlencoded"
			break
		}
		body, ct = strings.NewReader(fmt.Sprintf(`{"username":%q,"password":%q}`, login, apitest.Password)), "application/json"
	case r.key() == "POST /api/v1/proposals/:id/attachments" || r.key() == "POST /verify/:code":
		// A real file: the API reads the upload before it looks the
		// proposal up (a malformed one is 400 whoever's it is).
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		_ = w.WriteField("kind", "foto_lokasi")
		fw, _ := w.CreateFormFile("file", "foto.pdf")
		_, _ = fw.Write(apitest.PDFBytes("matriks"))
		_ = w.Close()
		body, ct = &buf, w.FormDataContentType()
	case r.method == http.MethodGet:
	case api:
		// An event the workflow does not know: 400 for whoever may see
		// the proposal, after the look-up; no event is fired.
		b := "{}"
		if r.key() == "POST /api/v1/proposals/:id/events" {
			b = `{"event":"uji_matriks"}`
		}
		body, ct = strings.NewReader(b), "application/json"
	default: // a page form: the session's token and nothing else
		form := url.Values{}
		if csrf != "" {
			form.Set("csrf_token", csrf)
		}
		body, ct = strings.NewReader(form.Encode()), "application/x-www-form-urlencoded"
	}

	req, err := http.NewRequest(r.method, f.e.URL+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	who := username
	if who == "" {
		who = "nobody"
	}
	call := authzCall{who: who, url: path, req: req, client: noRedirects}
	switch {
	case api && token != "":
		req.Header.Set("Authorization", "Bearer "+token)
	case !api && session != nil:
		call.client = session.http
	}
	return call
}

// fill puts real values in the route's path parameters: the id that
// follows "proposals" is o's proposal, and so on.
func (f *authzFixture) fill(t *testing.T, r authzRule, o authzObjects) string {
	t.Helper()
	parts := strings.Split(r.path, "/")
	for i, p := range parts {
		if !strings.HasPrefix(p, ":") && p != "*" {
			continue
		}
		prev := ""
		if i > 0 {
			prev = parts[i-1]
		}
		var v string
		switch {
		case p == "*" && prev == "static":
			v = "app.css"
		case p == ":code":
			v = o.code
		case p == ":name" && prev == "workflows":
			v = f.e.Engine.Current().Name
		case p == ":year":
			v = fmt.Sprint(apitest.Year)
		case p == ":event":
			v = "submit"
		case p == ":id" && prev == "proposals":
			v = fmt.Sprint(o.proposal)
		case p == ":id" && prev == "documents":
			v = fmt.Sprint(o.document)
		case p == ":id" && prev == "attachments":
			v = fmt.Sprint(o.attachment)
		case p == ":id" && (prev == "trail-exports" || prev == "exports"):
			v = fmt.Sprint(f.export)
		case p == ":id" && prev == "users":
			v = fmt.Sprint(f.user)
		case p == ":id" && prev == "sentra":
			v = fmt.Sprint(o.sentra)
		case p == ":id" && (prev == "notifications" || prev == "notifikasi"):
			v = fmt.Sprint(o.notification)
		case p == ":rid":
			v = fmt.Sprint(o.report)
		case p == ":pid":
			v = fmt.Sprint(o.photo)
		default:
			t.Fatalf("%s: no value for %s after %q; add one to authzFixture.fill", r.key(), p, prev)
		}
		parts[i] = v
	}
	return strings.Join(parts, "/")
}
