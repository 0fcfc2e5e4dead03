package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"dakflow/internal/web/apitest"
)

var filingKeyField = regexp.MustCompile(`name="filing_key" value="([^"]+)"`)

// TestPageFilingKey: the new-proposal form carries a filing key of its own
// (an Idempotency-Key), so that the button pressed twice on deadline day,
// or the form resent by the browser, files one draft: both answers lead to
// it. A form refused for a mistake files nothing and keeps its key; one
// changed after it was filed (the back button) is not filed again but
// offered anew under a fresh key, naming the draft it was filed as, and sent once more it files a new draft.
// Every new form has a key of its own; the edit form has none.
func TestPageFilingKey(t *testing.T) {
	e := apitest.NewEnv(t)
	pemda := loggedIn(t, e, "pemda")
	total := func() int { return int(e.Pemda.Do("GET", "/api/v1/proposals", nil, nil).JSON()["total"].(float64)) }
	keyOf := func(p htmlPage) string {
		t.Helper()
		m := filingKeyField.FindStringSubmatch(p.Body)
		if m == nil {
			t.Fatalf("no filing_key in the form (status %d)", p.Status)
		}
		return m[1]
	}

	page := pemda.get("/proposals/new")
	key := keyOf(page)
	if other := keyOf(pemda.get("/proposals/new")); other == key {
		t.Errorf("two new forms share the filing key %s", key)
	}
	form := url.Values{"csrf_token": {page.csrf(t)}, "filing_key": {key}}
	flatten("", e.OwnSentraInput(t, "pembangunan", false), form)
	before := total()

	// A mistake first: refused, nothing filed, the same key kept.
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("land.area_m2", "luas")
	if p := pemda.post("/proposals", bad); p.Status != http.StatusUnprocessableEntity || keyOf(p) != key {
		t.Fatalf("a form with a mistake = %d, key %q; want 422 keeping %s", p.Status, keyOf(p), key)
	}

	first := pemda.post("/proposals", form)
	second := pemda.post("/proposals", form)
	if first.Status != http.StatusSeeOther || second.Status != http.StatusSeeOther || first.Location != second.Location ||
		!strings.HasPrefix(first.Location, "/proposals/") {
		t.Fatalf("the form sent twice = %d %q, %d %q; want both to lead to one draft", first.Status, first.Location,
			second.Status, second.Location)
	}
	if got := total(); got != before+1 {
		t.Errorf("the form sent twice filed %d drafts, want 1", got-before)
	}

	// Changed after it was filed: offered again under a fresh key.
	form.Set("title", form.Get("title")+" (perubahan)")
	again := pemda.post("/proposals", form)
	fresh := keyOf(again)
	number := pemdaGet(t, e, createdID(t, first.Location))["number"].(string)
	if again.Status != http.StatusUnprocessableEntity || fresh == key || !strings.Contains(again.Body, "sudah pernah dikirim") ||
		!strings.Contains(again.Body, number) {
		t.Fatalf("the filed form changed and sent = %d (key %s); want 422 saying it was filed as %s, under a fresh key",
			again.Status, fresh, number)
	}
	if got := total(); got != before+1 {
		t.Errorf("the changed form filed %d drafts more", got-before-1)
	}
	form.Set("filing_key", fresh)
	form.Set("sentra.name", form.Get("sentra.name")+" Baru")
	form.Set("sentra.commodity", form.Get("sentra.commodity")+" baru")
	if p := pemda.post("/proposals", form); p.Status != http.StatusSeeOther || p.Location == first.Location {
		t.Errorf("sent once more under the fresh key = %d %q; want a new draft", p.Status, p.Location)
	}
	if got := total(); got != before+2 {
		t.Errorf("%d drafts filed in all, want 2", got-before)
	}

	edit := pemda.get(strings.TrimSuffix(strings.SplitN(first.Location, "?", 2)[0], "#lampiran"))
	if edit.Status != http.StatusOK || strings.Contains(edit.Body, `name="filing_key"`) {
		t.Errorf("the edit form = %d, with a filing key: %v", edit.Status, strings.Contains(edit.Body, `name="filing_key"`))
	}
}

// createdID is the proposal id of a redirect to its edit page.
func createdID(t *testing.T, location string) int64 {
	t.Helper()
	m := regexp.MustCompile(`^/proposals/(\d+)/edit`).FindStringSubmatch(location)
	if m == nil {
		t.Fatalf("redirect %q is not to a proposal's edit page", location)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}
