package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"dakflow/internal/web/apitest"
)

// TestUploadsLeaveNoTemporaryFiles: a file part past the in-memory share
// of a multipart form is parsed into a temporary file. Every upload, the
// API's and the page's, stored or refused, removes them when it ends: they
// are copies of the pemda's documents, and left behind they filled the
// disk (a few thousand uploads, tens of gigabytes). Not parallel: the
// temporary directory is the process's own ($TMPDIR).
func TestUploadsLeaveNoTemporaryFiles(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	env := apitest.NewEnvWith(t, apitest.Options{MaxAttachmentBytes: 2 << 20})
	id := env.Create(t, "revitalisasi", false)

	if r := env.Pemda.Upload(id, "lainnya", "besar.pdf", sizedPDF(1<<20)); r.Status != http.StatusCreated {
		t.Fatalf("1 MiB upload = %d %.300s, want 201", r.Status, r.Body)
	}
	assertNoTempFiles(t, tmp, "a stored API upload")
	if r := env.Pemda.Upload(id, "lainnya", "terlalu-besar.pdf", sizedPDF(2<<20+1)); r.Status != http.StatusRequestEntityTooLarge {
		t.Fatalf("2 MiB + 1 byte upload = %d %.300s, want 413", r.Status, r.Body)
	}
	assertNoTempFiles(t, tmp, "a refused API upload")

	c := loggedIn(t, env, "pemda")
	page := c.get(fmt.Sprintf("/proposals/%d", id))
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, kv := range [][2]string{{"csrf_token", page.csrf(t)}, {"kind", "lainnya"}} {
		if err := w.WriteField(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	fw, err := w.CreateFormFile("file", "halaman.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fw.Write(sizedPDF(1 << 20)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, c.base+fmt.Sprintf("/proposals/%d/attachments", id), &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	if got := c.do(req); got.Status >= 400 {
		t.Fatalf("1 MiB upload through the page = %d:\n%.400s", got.Status, got.Body)
	}
	assertNoTempFiles(t, tmp, "an upload through the page")
}

// assertNoTempFiles fails unless dir holds no multipart temporary file
// within a moment (the request's cleanup runs just after its answer).
func assertNoTempFiles(t *testing.T, dir, after string) {
	t.Helper()
	var left []string
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		left, _ = filepath.Glob(filepath.Join(dir, "multipart-*"))
		if len(left) == 0 || time.Now().After(deadline) {
			break
		}
	}
	if len(left) > 0 {
		var sizes []int64
		for _, f := range left {
			if fi, err := os.Stat(f); err == nil {
				sizes = append(sizes, fi.Size())
			}
		}
		t.Errorf("after %s, %d temporary files remain in %s (sizes %v)", after, len(left), dir, sizes)
	}
}
