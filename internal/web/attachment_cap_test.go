package web_test

import (
	"fmt"
	"net/http"
	"slices"
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
