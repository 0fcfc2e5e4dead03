package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"dakflow/internal/web/apitest"
)

// sizedPDF is a PDF of n bytes, padded after its header.
func sizedPDF(n int) []byte {
	b := apitest.PDFBytes("ukuran")
	return append(b, bytes.Repeat([]byte("x"), n-len(b))...)
}

// TestUploadLimitConfigured: the largest attachment is the configured one
// (DAKFLOW_MAX_UPLOAD_BYTES, passed to workflow.NewEngine), enforced alike
// by the API, the pages and the engine. Below the 20 MiB default a larger
// file is a 413 problem+json naming the limit; above it a file past 20 MiB
// is stored, which the engine refused while its limit was fixed.
func TestUploadLimitConfigured(t *testing.T) {
	t.Run("smaller", func(t *testing.T) {
		env := apitest.NewEnvWith(t, apitest.Options{MaxAttachmentBytes: 64 << 10})
		id := env.Create(t, "revitalisasi", false)
		r := env.Pemda.Upload(id, "lainnya", "besar.pdf", sizedPDF(100<<10))
		if r.Status != http.StatusRequestEntityTooLarge {
			t.Fatalf("100 KiB upload under a 64 KiB limit = %d %s, want 413", r.Status, r.Body)
		}
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
			t.Errorf("Content-Type = %q, want application/problem+json", ct)
		}
		var p struct {
			Type   string `json:"type"`
			Title  string `json:"title"`
			Status int    `json:"status"`
			Detail string `json:"detail"`
		}
		if err := json.Unmarshal(r.Body, &p); err != nil {
			t.Fatalf("problem %s: %v", r.Body, err)
		}
		if p.Type != "/problems/too-large" || p.Status != http.StatusRequestEntityTooLarge || p.Title == "" || p.Detail != "berkas melebihi 64 KB" {
			t.Errorf("problem = %+v, want type /problems/too-large, status 413, detail %q", p, "berkas melebihi 64 KB")
		}
		if r := env.Pemda.Upload(id, "lainnya", "kecil.pdf", sizedPDF(60<<10)); r.Status != http.StatusCreated {
			t.Errorf("60 KiB upload under a 64 KiB limit = %d %s, want 201", r.Status, r.Body)
		}

		c := loggedIn(t, env, "pemda")
		page := c.get(fmt.Sprintf("/proposals/%d", id))
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		for k, v := range map[string]string{"csrf_token": page.csrf(t), "kind": "lainnya"} {
			if err := w.WriteField(k, v); err != nil {
				t.Fatal(err)
			}
		}
		fw, err := w.CreateFormFile("file", "besar.pdf")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write(sizedPDF(100 << 10)); err != nil {
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
		if got := c.do(req); got.Status != http.StatusRequestEntityTooLarge || !strings.Contains(got.Body, "berkas melebihi 64 KB") {
			t.Errorf("100 KiB upload through the page = %d, want 413 saying berkas melebihi 64 KB:\n%.400s", got.Status, got.Body)
		}
	})
	t.Run("larger", func(t *testing.T) {
		env := apitest.NewEnvWith(t, apitest.Options{MaxAttachmentBytes: 22 << 20})
		id := env.Create(t, "revitalisasi", false)
		if r := env.Pemda.Upload(id, "lainnya", "besar.pdf", sizedPDF(21<<20)); r.Status != http.StatusCreated {
			t.Errorf("21 MiB upload under a 22 MiB limit = %d %.300s, want 201", r.Status, r.Body)
		}
		if r := env.Pemda.Upload(id, "lainnya", "terlalu-besar.pdf", sizedPDF(22<<20+1)); r.Status != http.StatusRequestEntityTooLarge {
			t.Errorf("22 MiB + 1 byte upload under a 22 MiB limit = %d %.300s, want 413", r.Status, r.Body)
		}
	})
}
