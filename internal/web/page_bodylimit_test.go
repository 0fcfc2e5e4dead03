package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"dakflow/internal/web/apitest"
)

// TestPageBodiesBounded: an upload past the limit through the page is
// "terlalu besar" (413), not an expired form; a login body past 64 KiB is
// refused from its Content-Length before anything is parsed.
func TestPageBodiesBounded(t *testing.T) {
	env := apitest.NewEnv(t)
	id := env.Create(t, "revitalisasi", false)
	c := loggedIn(t, env, "pemda")
	page := c.get(fmt.Sprintf("/proposals/%d", id))
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	w.WriteField("csrf_token", page.csrf(t))
	w.WriteField("kind", "lainnya")
	fw, _ := w.CreateFormFile("file", "besar.pdf")
	fw.Write(append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("x"), 22<<20)...))
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.base+fmt.Sprintf("/proposals/%d/attachments", id), &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	got := c.do(req)
	if got.Status != http.StatusRequestEntityTooLarge || !strings.Contains(got.Body, "terlalu besar") || strings.Contains(got.Body, "kedaluwarsa") {
		t.Errorf("22 MiB upload through the page = %d, want 413 saying terlalu besar:\n%.400s", got.Status, got.Body)
	}
	big := strings.NewReader("username=a&password=" + strings.Repeat("x", 1<<20))
	req, _ = http.NewRequest(http.MethodPost, c.base+"/login", big)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if got := newPageClient(t, c.base).do(req); got.Status != http.StatusRequestEntityTooLarge {
		t.Errorf("1 MiB login body = %d, want 413", got.Status)
	}
}
