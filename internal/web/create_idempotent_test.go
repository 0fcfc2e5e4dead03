package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"testing"

	"dakflow/internal/web/apitest"
)

// TestCreateIdempotent: POST /api/v1/proposals takes an Idempotency-Key, as
// an event does (PRODUCT.md §3: a retried request with the same key returns
// the first result and does nothing twice). A pemda's system that lost the
// answer on deadline day retries and gets the draft it filed, as it is now,
// with Idempotent-Replayed — as JSON, or as a form with its files sent
// again under another boundary — and nothing is filed twice, even when the
// retries all arrive at once. The key reused for another proposal, other
// files or an event is refused (400) and changes nothing; a key is the
// user's own; a key that is not printable ASCII (or longer than 200) is refused naming the header.
func TestCreateIdempotent(t *testing.T) {
	env := apitest.NewEnv(t)
	count := func(c *apitest.Client) int {
		r := c.Do("GET", "/api/v1/proposals", nil, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("list = %d %s", r.Status, r.Body)
		}
		return int(r.JSON()["total"].(float64))
	}
	key := func(k string) map[string]string { return map[string]string{"Idempotency-Key": k} }
	idOf := func(r apitest.Response) float64 { return r.JSON()["id"].(float64) }

	in := env.OwnSentraInput(t, "pembangunan", false)
	before := count(env.Pemda)
	first := env.Pemda.Do("POST", "/api/v1/proposals", in, key("filing-1"))
	if first.Status != http.StatusCreated || first.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("first filing = %d %s (replayed %q)", first.Status, first.Body, first.Header.Get("Idempotent-Replayed"))
	}
	id := idOf(first)
	// The draft moves on between the two: the retry answers it as it is.
	if up := env.Pemda.Do("PUT", fmt.Sprintf("/api/v1/proposals/%d", int64(id)), in,
		map[string]string{"If-Match": first.Header.Get("ETag")}); up.Status != http.StatusOK {
		t.Fatalf("edit = %d %s", up.Status, up.Body)
	}
	// The answer again: the same bytes as a read of the draft.
	if got := env.Pemda.Do("GET", fmt.Sprintf("/api/v1/proposals/%d", int64(id)), nil, nil); first.JSON()["created_at"] != got.JSON()["created_at"] {
		t.Errorf("the filing answered created_at %v, a read of it %v", first.JSON()["created_at"], got.JSON()["created_at"])
	}
	retry := env.Pemda.Do("POST", "/api/v1/proposals", in, key("filing-1"))
	if retry.Status != http.StatusCreated || idOf(retry) != id || retry.Header.Get("Idempotent-Replayed") != "true" ||
		retry.JSON()["number"] != first.JSON()["number"] || retry.JSON()["version"].(float64) != 2 ||
		retry.Header.Get("Location") != first.Header.Get("Location") {
		t.Errorf("retry = %d %s (replayed %q), want 201 with proposal %v at version 2, replayed", retry.Status, retry.Body,
			retry.Header.Get("Idempotent-Replayed"), id)
	}
	other := env.OwnSentraInput(t, "pembangunan", false)
	if r := env.Pemda.Do("POST", "/api/v1/proposals", other, key("filing-1")); r.Status != http.StatusBadRequest ||
		!strings.Contains(string(r.Body), "Idempotency-Key") {
		t.Errorf("the key with another proposal = %d %s, want 400", r.Status, r.Body)
	}
	if got := count(env.Pemda); got != before+1 {
		t.Errorf("%d proposals after a filing, its retry and a reused key; want %d", got, before+1)
	}

	// A key is its user's: another pemda's filing under it is its own.
	if r := env.Other.Do("POST", "/api/v1/proposals", makassarInput(t), key("filing-1")); r.Status != http.StatusCreated ||
		r.Header.Get("Idempotent-Replayed") != "" || idOf(r) == id {
		t.Errorf("another user's filing under the same key = %d %s, want a draft of its own", r.Status, r.Body)
	}

	// With files: the retry is another form (another boundary), the same
	// proposal and files; one file's content changed is another request.
	kinds := env.Engine.Current().Menus["pembangunan"].RequiredAttachments
	var files []apitest.File
	for _, k := range kinds {
		files = append(files, apitest.File{Kind: k, Name: k + ".pdf", Data: apitest.PDFBytes(k)})
	}
	withFiles := env.OwnSentraInput(t, "pembangunan", false)
	f1 := env.Pemda.CreateWithFilesHeader(withFiles, files, key("filing-2"))
	f2 := env.Pemda.CreateWithFilesHeader(withFiles, files, key("filing-2"))
	if f1.Status != http.StatusCreated || f2.Status != http.StatusCreated || idOf(f1) != idOf(f2) || f2.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("form and its retry = %d, %d (%s), want one draft, the second replayed", f1.Status, f2.Status, f2.Body)
	}
	changed := append([]apitest.File{}, files...)
	changed[0].Data = apitest.PDFBytes("lain")
	if r := env.Pemda.CreateWithFilesHeader(withFiles, changed, key("filing-2")); r.Status != http.StatusBadRequest {
		t.Errorf("the key with another file = %d %s, want 400", r.Status, r.Body)
	}
	att := env.Pemda.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/attachments", int64(idOf(f1))), nil, nil)
	if items, _ := att.JSON()["items"].([]any); len(items) != len(files) {
		t.Errorf("the draft filed with its files has %d attachments after the retries, want %d", len(items), len(files))
	}

	// Eight retries at once: one draft; every 201 names it, any other
	// answer is 409 (the first still being filed), never a second draft.
	burst := env.OwnSentraInput(t, "pembangunan", false)
	var calls []concCall
	for range 8 {
		calls = append(calls, concCall{client: env.Pemda, method: "POST", path: "/api/v1/proposals", body: burst, header: key("filing-3")})
	}
	before = count(env.Pemda)
	ids := map[float64]bool{}
	for i, r := range concAtOnce(t, env.URL, calls) {
		switch r.Status {
		case http.StatusCreated:
			ids[idOf(r)] = true
		case http.StatusConflict:
		default:
			t.Errorf("retry %d at once = %d %s, want 201 or 409", i, r.Status, r.Body)
		}
	}
	if len(ids) != 1 || count(env.Pemda) != before+1 {
		t.Errorf("eight retries at once filed %d proposals, answered with ids %v; want one", count(env.Pemda)-before, ids)
	}

	// An event's key is not a filing's, nor the other way round.
	if r := env.Pemda.Fire(int64(id), "withdraw", "ditarik", nil, key("filing-1")); r.Status != http.StatusBadRequest {
		t.Errorf("a filing's key on an event = %d %s, want 400", r.Status, r.Body)
	}
	if r := env.Pemda.Fire(int64(idOf(f1)), "submit", "", nil, key("event-1")); r.Status != http.StatusOK {
		t.Fatalf("submit = %d %s", r.Status, r.Body)
	}
	before = count(env.Pemda)
	if r := env.Pemda.Do("POST", "/api/v1/proposals", env.OwnSentraInput(t, "pembangunan", false), key("event-1")); r.Status != http.StatusBadRequest {
		t.Errorf("an event's key on a filing = %d %s, want 400", r.Status, r.Body)
	}

	for _, k := range []string{"kunci-é", "kunci-\xff", strings.Repeat("k", 201)} {
		r := env.Pemda.Do("POST", "/api/v1/proposals", env.OwnSentraInput(t, "pembangunan", false), key(k))
		expectFields(t, fmt.Sprintf("key %q", k), expectProblem(t, fmt.Sprintf("key %q", k), r, http.StatusBadRequest), "Idempotency-Key")
	}
	if got := count(env.Pemda); got != before {
		t.Errorf("refused filings saved %d proposals", got-before)
	}
}

// uploadKeyed posts files to a proposal's attachments under an
// Idempotency-Key, a form of its own each time (another boundary), without
// touching testing.T, so that it may run on any goroutine.
func uploadKeyed(base, token string, id int64, files []apitest.File, key string) (apitest.Response, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, f := range files {
		if err := w.WriteField("kind", f.Kind); err != nil {
			return apitest.Response{}, err
		}
		fw, err := w.CreateFormFile("file", f.Name)
		if err != nil {
			return apitest.Response{}, err
		}
		if _, err := fw.Write(f.Data); err != nil {
			return apitest.Response{}, err
		}
	}
	if err := w.Close(); err != nil {
		return apitest.Response{}, err
	}
	req, err := http.NewRequest("POST", fmt.Sprintf("%s/api/v1/proposals/%d/attachments", base, id), &buf)
	if err != nil {
		return apitest.Response{}, err
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Idempotency-Key", key)
	return concDo(req)
}

// TestUploadIdempotent: POST /api/v1/proposals/{id}/attachments takes an
// Idempotency-Key: a retry — of one file or several, sent as another form,
// or eight at once — answers the attachments the first request stored,
// with Idempotent-Replayed, and stores nothing again. The key reused with
// another file, on another proposal, or one a filing used, is refused (400)
// and stores nothing.
func TestUploadIdempotent(t *testing.T) {
	env := apitest.NewEnv(t)
	filed := env.Pemda.Do("POST", "/api/v1/proposals", env.OwnSentraInput(t, "pembangunan", false),
		map[string]string{"Idempotency-Key": "filing-u"})
	other := env.Pemda.Do("POST", "/api/v1/proposals", env.OwnSentraInput(t, "pembangunan", false), nil)
	if filed.Status != http.StatusCreated || other.Status != http.StatusCreated {
		t.Fatalf("filings = %d, %d", filed.Status, other.Status)
	}
	id, otherID := int64(filed.JSON()["id"].(float64)), int64(other.JSON()["id"].(float64))
	upload := func(id int64, files []apitest.File, key string) apitest.Response {
		t.Helper()
		r, err := uploadKeyed(env.URL, env.Pemda.Token, id, files, key)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	stored := func(id int64) int {
		t.Helper()
		r := env.Pemda.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/attachments", id), nil, nil)
		items, _ := r.JSON()["items"].([]any)
		return len(items)
	}
	one := []apitest.File{{Kind: "tor", Name: "tor.pdf", Data: apitest.PDFBytes("tor")}}
	first, retry := upload(id, one, "upload-1"), upload(id, one, "upload-1")
	if first.Status != http.StatusCreated || retry.Status != http.StatusCreated || retry.JSON()["id"] != first.JSON()["id"] ||
		retry.Header.Get("Idempotent-Replayed") != "true" || first.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("an upload and its retry = %d %s, %d %s; want one attachment, the second replayed", first.Status, first.Body,
			retry.Status, retry.Body)
	}
	several := []apitest.File{{Kind: "rab", Name: "rab.pdf", Data: apitest.PDFBytes("rab")},
		{Kind: "ded", Name: "ded.pdf", Data: apitest.PDFBytes("ded")}}
	a, b := upload(id, several, "upload-2"), upload(id, several, "upload-2")
	if a.Status != http.StatusCreated || b.Status != http.StatusCreated || !bytes.Equal(a.Body, b.Body) || b.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("several files and their retry = %d %s, %d %s; want the same list, replayed", a.Status, a.Body, b.Status, b.Body)
	}
	if n := stored(id); n != 3 {
		t.Errorf("%d attachments after two uploads and their retries, want 3", n)
	}

	changed := []apitest.File{{Kind: "tor", Name: "tor.pdf", Data: apitest.PDFBytes("tor lain")}}
	for _, c := range []struct {
		what  string
		id    int64
		files []apitest.File
		key   string
	}{
		{"another file", id, changed, "upload-1"},
		{"another proposal", otherID, one, "upload-1"},
		{"a filing's key", id, one, "filing-u"},
	} {
		if r := upload(c.id, c.files, c.key); r.Status != http.StatusBadRequest {
			t.Errorf("the key with %s = %d %s, want 400", c.what, r.Status, r.Body)
		}
	}
	if n, m := stored(id), stored(otherID); n != 3 || m != 0 {
		t.Errorf("refused uploads stored %d and %d attachments", n-3, m)
	}

	// Eight at once: the proposal's lock queues them; the first stores,
	// the others find its answer.
	burst := []apitest.File{{Kind: "lainnya", Name: "foto.pdf", Data: apitest.PDFBytes("foto")}}
	replies := make([]apitest.Response, 8)
	errs := make([]error, 8)
	var wg sync.WaitGroup
	for i := range replies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			replies[i], errs[i] = uploadKeyed(env.URL, env.Pemda.Token, id, burst, "upload-3")
		}()
	}
	wg.Wait()
	ids, replayed := map[any]bool{}, 0
	for i, r := range replies {
		if errs[i] != nil || r.Status != http.StatusCreated {
			t.Fatalf("upload %d at once = %v %d %s", i, errs[i], r.Status, r.Body)
		}
		ids[r.JSON()["id"]] = true
		if r.Header.Get("Idempotent-Replayed") == "true" {
			replayed++
		}
	}
	if len(ids) != 1 || replayed != 7 || stored(id) != 4 {
		t.Errorf("eight uploads at once: ids %v, %d replayed, %d stored; want one attachment, 7 replays", ids, replayed, stored(id)-3)
	}
}
