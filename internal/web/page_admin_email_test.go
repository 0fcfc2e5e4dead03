package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"dakflow/internal/web/apitest"
)

// TestPageAdminUserEmail: the administrator's user forms carry the
// account's e-mail address for notifications (issue 12): checked as the
// API checks it (a bad address named beside its field), saved on create
// and on edit, shown in the users table and in GET /users.
func TestPageAdminUserEmail(t *testing.T) {
	e := apitest.NewEnv(t)
	admin := loggedIn(t, e, "admin")
	list := admin.get("/admin/users")
	token := list.csrf(t)
	if !strings.Contains(list.Body, `name="email"`) || !strings.Contains(list.Body, `type="email"`) {
		t.Fatalf("the create form has no e-mail field")
	}
	form := url.Values{"csrf_token": {token}, "username": {"auditor-surel"}, "role": {"auditor"}, "full_name": {"Auditor Surel"},
		"password": {"sandi-awal-123"}, "email": {"auditor@@kemenperin"}}
	p := admin.post("/admin/users", form)
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, `data-error-for="email">alamat e-mail tidak valid`) ||
		!strings.Contains(p.Body, `value="auditor@@kemenperin"`) || !strings.Contains(p.Body, `data-field="email"`) {
		t.Fatalf("a bad address = %d, want 422 with the message beside the field and the address as typed\n%.2000s", p.Status, p.Body)
	}
	form.Set("email", " auditor.surel@kemenperin.go.id ")
	if p := admin.post("/admin/users", form); p.Status != http.StatusSeeOther {
		t.Fatalf("create with an address = %d %.500s", p.Status, p.Body)
	}
	list = admin.get("/admin/users")
	row := regexp.MustCompile(`(?s)<tr data-user-row="auditor-surel">.*?</tr>`).FindString(list.Body)
	if !strings.Contains(row, `data-user-email>auditor.surel@kemenperin.go.id<`) {
		t.Errorf("the users table does not show the address: %q", row)
	}
	if email := apiEmail(t, e, "auditor-surel"); email != "auditor.surel@kemenperin.go.id" {
		t.Errorf("GET /users: e-mail %q", email)
	}

	user := regexp.MustCompile(`href="(/admin/users/\d+)">auditor-surel<`).FindStringSubmatch(list.Body)[1]
	edit := admin.get(user)
	if !strings.Contains(edit.Body, `value="auditor.surel@kemenperin.go.id"`) {
		t.Fatalf("the edit form does not show the address")
	}
	upd := url.Values{"csrf_token": {token}, "role": {"auditor"}, "full_name": {"Auditor Surel"}, "email": {"bukan alamat"}}
	if p := admin.post(user, upd); p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, `data-error-for="email"`) {
		t.Errorf("edit with a bad address = %d, want 422 beside the field", p.Status)
	}
	upd.Set("email", "auditor.baru@kemenperin.go.id")
	if p := admin.post(user, upd); p.Status != http.StatusSeeOther {
		t.Fatalf("edit the address = %d %.500s", p.Status, p.Body)
	}
	if email := apiEmail(t, e, "auditor-surel"); email != "auditor.baru@kemenperin.go.id" {
		t.Errorf("after the edit, GET /users: e-mail %q", email)
	}
	// A password reset keeps the address; an emptied field removes it.
	if p := admin.post(user+"/password", url.Values{"csrf_token": {token}, "password": {"sandi-baru-4567"}}); p.Status != http.StatusSeeOther {
		t.Fatalf("reset password = %d", p.Status)
	}
	if email := apiEmail(t, e, "auditor-surel"); email != "auditor.baru@kemenperin.go.id" {
		t.Errorf("after a password reset, GET /users: e-mail %q", email)
	}
	upd.Set("email", "")
	if p := admin.post(user, upd); p.Status != http.StatusSeeOther {
		t.Fatalf("empty the address = %d %.500s", p.Status, p.Body)
	}
	if email := apiEmail(t, e, "auditor-surel"); email != "" {
		t.Errorf("after emptying it, GET /users: e-mail %q", email)
	}
}

// apiEmail is an account's address as GET /api/v1/users shows it.
func apiEmail(t *testing.T, e *apitest.Env, username string) string {
	t.Helper()
	var l struct {
		Items []struct {
			Username string `json:"username"`
			Email    string `json:"email"`
		} `json:"items"`
	}
	e.Admin.Do("GET", "/api/v1/users", nil, nil).Decode(t, &l)
	for _, u := range l.Items {
		if u.Username == username {
			return u.Email
		}
	}
	t.Fatalf("GET /users has no %s", username)
	return ""
}
