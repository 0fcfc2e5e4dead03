package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"dakflow/internal/web/apitest"
)

// TestPageFormsNeedTheirVersion: an event form or an edit form without a
// readable version is refused (400) and changes nothing — never taken as
// "no precondition".
func TestPageFormsNeedTheirVersion(t *testing.T) {
	env := apitest.NewEnv(t)
	id := env.Create(t, "revitalisasi", false)
	c := loggedIn(t, env, "pemda")
	before := env.Get(t, id)["version"]
	for _, v := range []string{"", "abc", "-3", "0"} {
		page := c.get(fmt.Sprintf("/proposals/%d", id))
		form := url.Values{"csrf_token": {page.csrf(t)}, "idempotency_key": {"k-" + v}}
		if v != "" {
			form.Set("version", v)
		}
		if got := c.post(fmt.Sprintf("/proposals/%d/events/submit", id), form); got.Status != http.StatusBadRequest {
			t.Errorf("submit with version %q = %d, want 400", v, got.Status)
		}
		edit := c.get(fmt.Sprintf("/proposals/%d/edit", id))
		form = url.Values{"csrf_token": {edit.csrf(t)}, "title": {"Judul lain"}}
		if v != "" {
			form.Set("version", v)
		}
		if got := c.post(fmt.Sprintf("/proposals/%d/edit", id), form); got.Status != http.StatusBadRequest {
			t.Errorf("edit with version %q = %d, want 400", v, got.Status)
		}
	}
	if p := env.Get(t, id); p["version"] != before || p["state"] != "draft" {
		t.Errorf("after refused forms: version %v state %v, want %v and draft", p["version"], p["state"], before)
	}
}
