package web_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"dakflow/internal/web/apitest"
)

// TestCreateWithFiles: POST /api/v1/proposals as multipart/form-data files
// the draft with its attachments in one request (the proposal's JSON in
// the part proposal, then kind and file parts): stored in the order sent,
// as the proposal's, ready to submit. A bad file, a bad proposal or a
// file over the limit refuses the whole filing, every bad part named, and
// files nothing: no draft is left without the files it was sent with.
func TestCreateWithFiles(t *testing.T) {
	env := apitest.NewEnvWith(t, apitest.Options{MaxAttachmentBytes: 64 << 10})
	kinds := env.Engine.Current().Menus["pembangunan"].RequiredAttachments
	var files []apitest.File
	for _, k := range kinds {
		files = append(files, apitest.File{Kind: k, Name: k + ".pdf", Data: apitest.PDFBytes(k)})
	}
	count := func() int {
		r := env.Pemda.Do("GET", "/api/v1/proposals", nil, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("list = %d %s", r.Status, r.Body)
		}
		return int(r.JSON()["total"].(float64))
	}
	before := count()

	r := env.Pemda.CreateWithFiles(env.OwnSentraInput(t, "pembangunan", false), files)
	if r.Status != http.StatusCreated || r.Header.Get("Location") == "" {
		t.Fatalf("filing with %d files = %d %s, want 201 with a Location", len(files), r.Status, r.Body)
	}
	id := int64(r.JSON()["id"].(float64))
	list := env.Pemda.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/attachments", id), nil, nil)
	items, _ := list.JSON()["items"].([]any)
	if list.Status != http.StatusOK || len(items) != len(files) {
		t.Fatalf("attachments of the filing = %d, %d items; want %d: %s", list.Status, len(items), len(files), list.Body)
	}
	for i, it := range items {
		a := it.(map[string]any)
		if a["kind"] != files[i].Kind || a["file_name"] != files[i].Name || a["stage"].(float64) != 0 {
			t.Errorf("attachment %d = %v, want %s (%s), stage 0, in the order sent", i, a, files[i].Kind, files[i].Name)
		}
	}
	if sub := env.Pemda.Fire(id, "submit", "", nil, nil); sub.Status != http.StatusOK {
		t.Errorf("submitting the filing = %d %s, want 200: it was filed with what submission needs", sub.Status, sub.Body)
	}

	bad := append([]apitest.File{}, files...)
	bad[1] = apitest.File{Kind: files[1].Kind, Name: "bukan.pdf", Data: []byte("bukan PDF")}
	bad[3] = apitest.File{Kind: "tidak_dikenal", Name: files[3].Name, Data: files[3].Data}
	for _, c := range []struct {
		what   string
		body   any
		files  []apitest.File
		status int
		fields []string
	}{
		{"two bad files", env.OwnSentraInput(t, "pembangunan", false), bad, http.StatusUnsupportedMediaType, []string{"file[1]", "kind[3]"}},
		{"a file over the limit", env.OwnSentraInput(t, "pembangunan", false),
			[]apitest.File{{Kind: "rab", Name: "rab.pdf", Data: sizedPDF(65 << 10)}}, http.StatusRequestEntityTooLarge, nil},
		{"a bad proposal", map[string]any{"fiscal_year": "tahun depan"}, files, http.StatusBadRequest, []string{"fiscal_year"}},
	} {
		r := env.Pemda.CreateWithFiles(c.body, c.files)
		if r.Status != c.status {
			t.Errorf("%s: %d %s, want %d", c.what, r.Status, r.Body, c.status)
			continue
		}
		got := problemFields(t, r)
		for _, f := range c.fields {
			if !slices.Contains(got, f) {
				t.Errorf("%s: problem names %v, want %s among them", c.what, got, f)
			}
		}
	}
	if n := count(); n != before+1 {
		t.Errorf("%d proposals after one filing and three refused, want %d: a refused filing left a draft", n, before+1)
	}
}
