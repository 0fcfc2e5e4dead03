package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"

	"dakflow/internal/web/apitest"
)

// TestAttachmentsCapped: one proposal holds at most the workflow file's
// max_attachments files; the next upload is a 422 naming the file and
// stores nothing.
func TestAttachmentsCapped(t *testing.T) {
	e := apitest.NewEnv(t)
	id := e.Create(t, "revitalisasi", false) // uploads the required ones
	limit := e.Engine.Current().Parameters.MaxAttachments
	count := func() int {
		var list struct {
			Total int `json:"total"`
		}
		e.Pemda.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/attachments", id), nil, nil).Decode(t, &list)
		return list.Total
	}
	for n := count(); n < limit; n++ {
		if r := e.Pemda.Upload(id, "lainnya", fmt.Sprintf("lain-%d.pdf", n), apitest.PDFBytes("lain")); r.Status != http.StatusCreated {
			t.Fatalf("upload %d = %d %s", n+1, r.Status, r.Body)
		}
	}
	r := e.Pemda.Upload(id, "lainnya", "satu-lagi.pdf", apitest.PDFBytes("lain"))
	if r.Status != http.StatusUnprocessableEntity || !slices.Contains(r.Fields(), "file") {
		t.Fatalf("upload past %d = %d %s, want 422 naming file", limit, r.Status, r.Body)
	}
	if got := count(); got != limit {
		t.Errorf("%d attachments stored, want %d", got, limit)
	}
}

// TestConcurrentUploadsTakeTurns: more uploads at once than there are
// upload slots all complete (each waits its turn, none is lost or left
// holding a slot), and each file is stored whole.
func TestConcurrentUploadsTakeTurns(t *testing.T) {
	e := apitest.NewEnv(t)
	id := e.Create(t, "revitalisasi", false)
	const n = 8
	body := append(apitest.PDFBytes("besar"), bytes.Repeat([]byte("x"), 3<<20)...)
	errs := make(chan string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := e.Pemda.With(t).Upload(id, "lainnya", fmt.Sprintf("bersamaan-%d.pdf", i), body)
			if r.Status != http.StatusCreated {
				errs <- fmt.Sprintf("upload %d = %d %s", i, r.Status, r.Body)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for msg := range errs {
		t.Error(msg)
	}
	var list struct {
		Items []struct {
			Size int64 `json:"size"`
		} `json:"items"`
	}
	e.Pemda.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/attachments", id), nil, nil).Decode(t, &list)
	big := 0
	for _, a := range list.Items {
		if a.Size == int64(len(body)) {
			big++
		}
	}
	if big != n {
		t.Errorf("%d of %d concurrent uploads stored whole", big, n)
	}
}
