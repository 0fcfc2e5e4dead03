package web_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"dakflow/internal/dak"
	"dakflow/internal/web/apitest"
)

// accessLine is one item of GET /api/v1/access-log, as the contract names
// its fields.
type accessLine struct {
	ID           int64     `json:"id"`
	At           time.Time `json:"at"`
	User         string    `json:"user"`
	Role         string    `json:"role"`
	Action       string    `json:"action"`
	ObjectType   string    `json:"object_type"`
	ObjectID     int64     `json:"object_id"`
	ProposalID   *int64    `json:"proposal_id"`
	RemoteAddr   string    `json:"remote_addr"`
	ForwardedFor string    `json:"forwarded_for"`
}

func accessLog(t *testing.T, c *apitest.Client, query string) ([]accessLine, int64) {
	t.Helper()
	r := c.Do("GET", "/api/v1/access-log?"+query, nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET /api/v1/access-log?%s = %d %s", query, r.Status, r.Body)
	}
	var body struct {
		Items []accessLine `json:"items"`
		Total int64        `json:"total"`
	}
	r.Decode(t, &body)
	return body.Items, body.Total
}

// firstID is the id of the first item of a list.
func firstID(t *testing.T, c *apitest.Client, path string) int64 {
	t.Helper()
	r := c.Do("GET", path, nil, nil)
	items, _ := r.JSON()["items"].([]any)
	if r.Status != http.StatusOK || len(items) == 0 {
		t.Fatalf("GET %s = %d %s", path, r.Status, r.Body)
	}
	return int64(items[0].(map[string]any)["id"].(float64))
}

// TestAccessLog: every download — a document PDF, an attachment, a trail,
// through the API or a page — is in the access log with who, what, when
// and from where; auditors and administrators read it, filtered, and
// nobody else; the database refuses to change it; and when a line cannot
// be written the download is refused.
func TestAccessLog(t *testing.T) {
	e := apitest.NewEnv(t)
	id := e.Create(t, "revitalisasi", false)
	e.WalkTo(t, id, false, "in_review")
	other := e.Create(t, "revitalisasi", false)
	doc := firstID(t, e.Auditor, fmt.Sprintf("/api/v1/proposals/%d/documents", id))
	att := firstID(t, e.Auditor, fmt.Sprintf("/api/v1/proposals/%d/attachments", id))
	number := e.Get(t, id)["number"].(string)

	downloads := []struct {
		c    *apitest.Client
		path string
	}{
		{e.Auditor, fmt.Sprintf("/api/v1/documents/%d/pdf", doc)},
		{e.Auditor, fmt.Sprintf("/api/v1/attachments/%d/file", att)},
		{e.Auditor, fmt.Sprintf("/api/v1/proposals/%d/trail", id)},
		{e.Pemda, fmt.Sprintf("/api/v1/proposals/%d/trail", other)},
	}
	for _, d := range downloads {
		if r := d.c.Do("GET", d.path, nil, map[string]string{"X-Forwarded-For": "203.0.113.7\xff"}); r.Status != http.StatusOK {
			t.Fatalf("GET %s = %d %s", d.path, r.Status, r.Body)
		}
	}
	// Refused downloads are not downloads.
	if r := e.Other.Do("GET", fmt.Sprintf("/api/v1/documents/%d/pdf", doc), nil, nil); r.Status != http.StatusNotFound {
		t.Fatalf("another region's PDF = %d, want 404", r.Status)
	}
	// A page download, with the session cookie.
	page := loggedIn(t, e, "verifikator")
	if p := page.get(fmt.Sprintf("/documents/%d/pdf", doc)); p.Status != http.StatusOK {
		t.Fatalf("page PDF download = %d", p.Status)
	}

	lines, total := accessLog(t, e.Auditor, "")
	type row struct {
		User, Role, Object string
		ID, Proposal       int64
		Addr, Claim        string
	}
	var got []row
	for _, a := range lines {
		var p int64
		if a.ProposalID != nil {
			p = *a.ProposalID
		}
		if a.Action != "download" || a.At.IsZero() || time.Since(a.At) > time.Minute {
			t.Errorf("line %+v: want a download just now", a)
		}
		got = append(got, row{a.User, a.Role, a.ObjectType, a.ObjectID, p, a.RemoteAddr, a.ForwardedFor})
	}
	want := []row{ // newest first
		{"verifikator", "verifier", "document", doc, id, "127.0.0.1", ""},
		{"pemda", "pemda", "trail", other, other, "127.0.0.1", "203.0.113.7"},
		{"auditor", "auditor", "trail", id, id, "127.0.0.1", "203.0.113.7"},
		{"auditor", "auditor", "attachment", att, id, "127.0.0.1", "203.0.113.7"},
		{"auditor", "auditor", "document", doc, id, "127.0.0.1", "203.0.113.7"},
	}
	if diff := cmp.Diff(want, got); diff != "" || total != 5 {
		t.Errorf("access log (total %d) (-want +got):\n%s", total, diff)
	}

	today := time.Now().In(dak.WIB).Format("2006-01-02")
	yesterday := time.Now().In(dak.WIB).AddDate(0, 0, -1).Format("2006-01-02")
	for _, tc := range []struct {
		query string
		want  int64
	}{
		{"user=pemda", 1},
		{"user=AUDITOR", 3},
		{"user=" + fmt.Sprint(int64(e.Verifier.User["id"].(float64))), 1},
		{"proposal=" + number, 4},
		{"proposal=" + strings.ToLower(number), 4},
		{fmt.Sprintf("proposal=%d", other), 1},
		{"from=" + today + "&to=" + today, 5},
		{"to=" + yesterday, 0},
		{"user=auditor&proposal=" + number + "&from=" + today, 3},
		{"per_page=2&page=3", 5},
	} {
		if _, n := accessLog(t, e.Auditor, tc.query); n != tc.want {
			t.Errorf("?%s: total %d, want %d", tc.query, n, tc.want)
		}
	}
	if items, _ := accessLog(t, e.Auditor, "per_page=2&page=3"); len(items) != 1 {
		t.Errorf("page 3 of 2 has %d lines, want 1", len(items))
	}
	if _, n := accessLog(t, e.Admin, ""); n != 5 {
		t.Errorf("admin reads %d lines, want 5", n)
	}
	for _, q := range []string{"from=2027-13-01", "to=x", "from=2027-03-02&to=2027-03-01", "user=%00", "proposal=USL%25", "per_page=501", "page=-1"} {
		if r := e.Auditor.Do("GET", "/api/v1/access-log?"+q, nil, nil); r.Status != http.StatusBadRequest || len(r.Fields()) == 0 {
			t.Errorf("?%s = %d %s, want 400 naming the parameter", q, r.Status, r.Body)
		}
	}
	for name, c := range map[string]*apitest.Client{"pemda": e.Pemda, "verifier": e.Verifier, "treasury": e.Treasury} {
		if r := c.Do("GET", "/api/v1/access-log", nil, nil); r.Status != http.StatusForbidden {
			t.Errorf("%s GET access-log = %d, want 403", name, r.Status)
		}
	}

	// The page lists the same lines, for auditors only.
	auditor := loggedIn(t, e, "auditor")
	p := auditor.get("/access-log?user=pemda")
	if p.Status != http.StatusOK || strings.Count(p.Body, "<tr data-access=") != 1 || !strings.Contains(p.Body, `data-object-type="trail"`) {
		t.Errorf("access-log page = %d, want pemda's one trail download:\n%s", p.Status, p.Body)
	}
	if p := auditor.get("/access-log?from=2027-02-30"); p.Status != http.StatusBadRequest || !strings.Contains(p.Body, "data-form-errors") {
		t.Errorf("access-log page with a bad date = %d, want 400 with the problem shown", p.Status)
	}
	if p := loggedIn(t, e, "pemda").get("/access-log"); p.Status != http.StatusForbidden {
		t.Errorf("pemda's access-log page = %d, want 403", p.Status)
	}

	// The database refuses to change or remove a line.
	ctx := context.Background()
	for _, stmt := range []string{`UPDATE access_log SET user_name = 'orang-lain'`, `DELETE FROM access_log`} {
		if err := e.Store.Exec(ctx, stmt); !errors.Is(err, dak.ErrIntegrity) {
			t.Errorf("Exec(%q) = %v, want ErrIntegrity", stmt, err)
		}
	}
	if _, n := accessLog(t, e.Auditor, "user=orang-lain"); n != 0 {
		t.Errorf("after the refused UPDATE, %d lines name orang-lain", n)
	}

	// No line, no download.
	if err := e.Store.Exec(ctx, `ALTER TABLE access_log RENAME TO access_log_hilang`); err != nil {
		t.Fatal(err)
	}
	for _, d := range downloads {
		r := d.c.Do("GET", d.path, nil, nil)
		if r.Status != http.StatusServiceUnavailable || r.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("GET %s without an access log = %d %s, want 503 problem", d.path, r.Status, r.Header.Get("Content-Type"))
		}
	}
}
