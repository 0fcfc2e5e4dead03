package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"dakflow/internal/trail"
	"dakflow/internal/web/apitest"
)

// TestTrailDownloadVerifies: the auditor downloads a completed proposal's
// trail and verifies it offline against the published key; a pemda of
// another region cannot download it.
func TestTrailDownloadVerifies(t *testing.T) {
	e := apitest.NewEnv(t)
	id := e.Create(t, "pembangunan", false)
	e.WalkTo(t, id, false, "completed")
	r := e.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/trail", id), nil, nil)
	if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("GET trail = %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	key := apitest.Anonymous(t, e.URL).Do("GET", "/api/v1/trail-key", nil, nil).JSON()["public_key"].(string)
	rep, err := trail.Verify(r.Body, key)
	if err != nil {
		t.Fatalf("Verify(downloaded trail) = %v", err)
	}
	docs := 0
	for _, f := range rep.Manifest.Files {
		if strings.HasPrefix(f.Path, "documents/") {
			docs++
		}
	}
	if !rep.Pinned || rep.Manifest.Events != 10 || docs != 9 {
		t.Errorf("trail has %d events and %d documents (pinned %v), want 10 and 9", rep.Manifest.Events, docs, rep.Pinned)
	}
	if r := e.Other.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/trail", id), nil, nil); r.Status != http.StatusNotFound {
		t.Errorf("another region's trail = %d, want 404", r.Status)
	}
	if r := e.Pemda.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/trail", id), nil, nil); r.Status != http.StatusOK {
		t.Errorf("own region's trail = %d, want 200", r.Status)
	}
}
