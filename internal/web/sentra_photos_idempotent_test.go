package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"

	"dakflow/internal/web/apitest"
)

// photoKeyed posts a photo to a report under an Idempotency-Key, a form of
// its own each time (another boundary), without touching testing.T, so
// that it may run on any goroutine.
func photoKeyed(base, token, path, name string, data []byte, fields map[string]string, key string) (apitest.Response, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			return apitest.Response{}, err
		}
	}
	fw, err := w.CreateFormFile("file", name)
	if err != nil {
		return apitest.Response{}, err
	}
	if _, err := fw.Write(data); err != nil {
		return apitest.Response{}, err
	}
	if err := w.Close(); err != nil {
		return apitest.Response{}, err
	}
	req, err := http.NewRequest("POST", base+path, &buf)
	if err != nil {
		return apitest.Response{}, err
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	return concDo(req)
}

// TestReportPhotoIdempotent: POST /api/v1/sentra/{id}/reports/{rid}/photos
// takes an Idempotency-Key as an attachment upload does. A pemda's client
// that lost the answer retries and gets the first answer again (the same
// status and body, the same photo), with Idempotent-Replayed, and nothing
// is stored twice, even when eight retries arrive at once. The key reused
// with another file, other coordinates, on another report, or one an
// event or an attachment upload used, is refused (400) and stores
// nothing; a photo's key is refused on an upload or an event; a key is its
// user's own; a key that is not printable ASCII is refused naming the
// header.
func TestReportPhotoIdempotent(t *testing.T) {
	e := apitest.NewEnv(t)
	s := mustSentra(t, e.Pemda, tapis("Sentra Tenun Tapis Foto Ulang"))
	rid := insertReport(t, e, s.ID, "2027-S2", e.Pemda)
	other := insertReport(t, e, s.ID, "2028-S1", e.Pemda)
	path := func(rid int64) string { return fmt.Sprintf("/api/v1/sentra/%d/reports/%d/photos", s.ID, rid) }
	where := map[string]string{"latitude": "-5,41", "longitude": "105.26"}
	// Through the client, so that each call is checked against openapi.yaml.
	post := func(c *apitest.Client, rid int64, name string, data []byte, fields map[string]string, key string) apitest.Response {
		t.Helper()
		body, ct := multipartBody(t, name, data, fields)
		return c.Do("POST", path(rid), body, map[string]string{"Content-Type": ct, "Idempotency-Key": key})
	}
	stored := func(rid int64) []int64 {
		t.Helper()
		var ids []int64
		if err := e.Store.Query(context.Background(), &ids, `SELECT id FROM sentra_report_photos WHERE report_id = ? ORDER BY id`, rid); err != nil {
			t.Fatal(err)
		}
		return ids
	}
	idOf := func(r apitest.Response) int64 { id, _ := r.JSON()["id"].(float64); return int64(id) }

	// A retry: the first answer again, byte for byte; one photo.
	first := post(e.Pemda, rid, "gedung.jpg", jpegBytes, where, "foto-1")
	if first.Status != http.StatusCreated || first.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("first upload = %d %s (replayed %q)", first.Status, first.Body, first.Header.Get("Idempotent-Replayed"))
	}
	// The same place written with a decimal point is the same request.
	retry := post(e.Pemda, rid, "gedung.jpg", jpegBytes, map[string]string{"latitude": "-5.41", "longitude": "105,26"}, "foto-1")
	if retry.Status != first.Status || !bytes.Equal(retry.Body, first.Body) || retry.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry = %d %s (replayed %q)\nfirst = %d %s", retry.Status, retry.Body, retry.Header.Get("Idempotent-Replayed"),
			first.Status, first.Body)
	}
	if got := stored(rid); !slices.Equal(got, []int64{idOf(first)}) {
		t.Fatalf("photos of the report after an upload and its retry = %v, want [%d]", got, idOf(first))
	}

	// The key reused for another request: 400, nothing stored.
	id := e.Create(t, "revitalisasi", false)
	if r, err := uploadKeyed(e.URL, e.Pemda.Token, id, []apitest.File{{Kind: "tor", Name: "tor.pdf", Data: apitest.PDFBytes("tor")}},
		"lampiran-1"); err != nil || r.Status != http.StatusCreated {
		t.Fatalf("attachment upload = %v %d %s", err, r.Status, r.Body)
	}
	if r := e.Pemda.Fire(id, "submit", "", nil, map[string]string{"Idempotency-Key": "ajukan-1"}); r.Status != http.StatusOK {
		t.Fatalf("submit = %d %s", r.Status, r.Body)
	}
	for _, c := range []struct {
		what   string
		rid    int64
		name   string
		data   []byte
		fields map[string]string
		key    string
	}{
		{"another file", rid, "gedung.png", pngBytes, where, "foto-1"},
		{"other coordinates", rid, "gedung.jpg", jpegBytes, map[string]string{"latitude": "-5.42", "longitude": "105.26"}, "foto-1"},
		{"no coordinates", rid, "gedung.jpg", jpegBytes, nil, "foto-1"},
		{"another report", other, "gedung.jpg", jpegBytes, where, "foto-1"},
		{"an event's key", rid, "gedung.jpg", jpegBytes, where, "ajukan-1"},
		{"an attachment upload's key", rid, "gedung.jpg", jpegBytes, where, "lampiran-1"},
	} {
		r := post(e.Pemda, c.rid, c.name, c.data, c.fields, c.key)
		p := expectProblem(t, "the key with "+c.what, r, http.StatusBadRequest)
		if !strings.Contains(p.Detail, "Idempotency-Key sudah dipakai") {
			t.Errorf("the key with %s: detail %q, want the reused key named", c.what, p.Detail)
		}
	}
	if got, more := stored(rid), stored(other); len(got) != 1 || len(more) != 0 {
		t.Errorf("refused uploads stored photos: %v on the report, %v on the other", got, more)
	}
	// A photo's key is refused on an attachment upload and on an event.
	if r, err := uploadKeyed(e.URL, e.Pemda.Token, id, []apitest.File{{Kind: "rab", Name: "rab.pdf", Data: apitest.PDFBytes("rab")}},
		"foto-1"); err != nil || r.Status != http.StatusBadRequest {
		t.Errorf("a photo's key on an attachment upload = %v %d %s, want 400", err, r.Status, r.Body)
	}
	if r := e.Pemda.Fire(id, "withdraw", "ditarik", nil, map[string]string{"Idempotency-Key": "foto-1"}); r.Status != http.StatusBadRequest {
		t.Errorf("a photo's key on an event = %d %s, want 400", r.Status, r.Body)
	}

	// A key is its user's: another pemda of the region stores its own.
	if r := e.Admin.Do("POST", "/api/v1/users", map[string]any{"username": "pemda.bandarlampung2", "password": "sandi-yang-panjang",
		"role": "pemda", "region_code": "18.71", "full_name": "Pengguna pemda kedua", "nip": apitest.NIP,
		"position": "Kepala Dinas Perindustrian Kota Bandar Lampung"}, nil); r.Status != http.StatusCreated {
		t.Fatalf("POST /users = %d %s", r.Status, r.Body)
	}
	second := apitest.Login(t, e.URL, "pemda.bandarlampung2", "sandi-yang-panjang")
	if r := post(second, rid, "gedung.jpg", jpegBytes, where, "foto-1"); r.Status != http.StatusCreated ||
		r.Header.Get("Idempotent-Replayed") != "" || idOf(r) == idOf(first) {
		t.Errorf("another user's upload under the same key = %d %s, want a photo of its own", r.Status, r.Body)
	}

	// Eight at once under one key: the sentra's lock queues them; the
	// first stores, the others find its answer.
	before := stored(rid)
	first, replayed := keyedAtOnce(t, "upload", http.StatusCreated, func(int) (apitest.Response, error) {
		return photoKeyed(e.URL, e.Pemda.Token, path(rid), "pasar.png", pngBytes, nil, "foto-bersamaan")
	})
	after := stored(rid)
	if len(after) != len(before)+1 || after[len(after)-1] != idOf(first) || replayed != 7 {
		t.Errorf("eight uploads at once: photos %v after %v, %d replayed; want one photo (%d), 7 replays", after, before, replayed,
			idOf(first))
	}

	// A key that is not printable ASCII names the header; nothing stored.
	for _, k := range []string{"kunci-\u00e9", "kunci-\xff", "kunci\tx", strings.Repeat("k", 201)} {
		r := post(e.Pemda, rid, "gedung.jpg", jpegBytes, where, k)
		expectFields(t, fmt.Sprintf("key %q", k), expectProblem(t, fmt.Sprintf("key %q", k), r, http.StatusBadRequest), "Idempotency-Key")
	}
	if got := stored(rid); len(got) != len(after) {
		t.Errorf("refused keys stored %d photos", len(got)-len(after))
	}
}
