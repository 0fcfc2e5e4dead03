package web_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"dakflow/internal/web/apitest"
)

// TestVerifyPage: anyone, without logging in, can check a document by its
// code and compare a PDF they hold with the stored bytes.
func TestVerifyPage(t *testing.T) {
	e := apitest.NewEnv(t)
	id := e.Create(t, "revitalisasi", true)
	res := e.Pemda.MustFire(id, "submit", "", nil)
	doc := res["document"].(map[string]any)
	code, sha := doc["verify_code"].(string), doc["sha256"].(string)
	if want := e.URL + "/verify/" + code; doc["verify_url"] != want {
		t.Errorf("verify_url = %v, want %s", doc["verify_url"], want)
	}
	pdf := e.Pemda.Do("GET", fmt.Sprintf("/api/v1/documents/%v/pdf", doc["id"]), nil, nil).Body

	resp, err := http.Get(e.URL + "/verify/" + code)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /verify/%s = %d", code, resp.StatusCode)
	}
	for _, want := range []string{sha, doc["number"].(string), "TANDA TERIMA USULAN", "Kota Bandar Lampung", "bukan tanda tangan elektronik tersertifikasi"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("verification page lacks %q", want)
		}
	}
	upload := func(data []byte) string {
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		fw, _ := w.CreateFormFile("file", "dokumen.pdf")
		fw.Write(data)
		w.Close()
		resp, err := http.Post(e.URL+"/verify/"+code, w.FormDataContentType(), &buf)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	if got := upload(pdf); !strings.Contains(got, `data-result="match"`) {
		t.Errorf("uploading the issued PDF does not match")
	}
	tampered := append(bytes.Clone(pdf), ' ')
	if got := upload(tampered); !strings.Contains(got, `data-result="mismatch"`) {
		t.Errorf("uploading a changed PDF matches")
	}
	if r := apitest.Anonymous(t, e.URL).Do("GET", "/api/v1/verify/"+code, nil, nil); r.Status != http.StatusOK || r.JSON()["sha256"] != sha {
		t.Errorf("GET /api/v1/verify/%s = %d %s", code, r.Status, r.Body)
	}
	resp, err = http.Get(e.URL + "/verify/TIDAK-ADA-KODE")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown code = %d, want 404", resp.StatusCode)
	}
	// Codes that cannot be codes are not found, never a server error.
	for _, bad := range []string{"AB%00CD", "%FF%FE", strings.Repeat("A", 5000), "ab-cd"} {
		for _, path := range []string{"/verify/" + bad, "/api/v1/verify/" + bad} {
			resp, err := http.Get(e.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("GET %.40s = %d, want 404", path, resp.StatusCode)
			}
		}
	}
	// An upload past the limit is 413, read as a stream, never whole.
	var big bytes.Buffer
	w := multipart.NewWriter(&big)
	fw, _ := w.CreateFormFile("file", "besar.pdf")
	fw.Write(bytes.Repeat([]byte("x"), 30<<20+4096))
	w.Close()
	resp, err = http.Post(e.URL+"/verify/"+code, w.FormDataContentType(), &big)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("upload over 30 MiB = %d, want 413", resp.StatusCode)
	}
	// The stored bytes are served unchanged: downloading twice gives the same hash.
	again := e.Auditor.Do("GET", fmt.Sprintf("/api/v1/documents/%v/pdf", doc["id"]), nil, nil)
	if !bytes.Equal(again.Body, pdf) || again.Header.Get("X-Content-SHA256") != sha {
		t.Errorf("second download differs from the first")
	}
}
