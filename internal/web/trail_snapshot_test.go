package web_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"

	"dakflow/internal/trail"
	"dakflow/internal/web/apitest"
)

// TestTrailExportDuringTransitions: the auditor exports a proposal's trail
// again and again while the proposal walks from submitted to completed; every
// ZIP verifies, and every PDF in it has its event and every event's
// document its PDF (the trail is read in one snapshot, issue 8 item 6).
func TestTrailExportDuringTransitions(t *testing.T) {
	e := apitest.NewEnv(t)
	id := e.Create(t, "revitalisasi", false)
	steps := e.Path(t, id, false)
	e.Fire(t, id, steps[0]) // submit: from here on the trail has events
	done := make(chan struct{})
	var wg sync.WaitGroup
	exports := 0
	wg.Add(1)
	go func() {
		defer wg.Done()
		for running := true; running; exports++ {
			select {
			case <-done:
				running = false
			default:
			}
			r := e.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/trail", id), nil, nil)
			if r.Status != http.StatusOK {
				t.Errorf("export %d: GET trail = %d %s", exports, r.Status, r.Body)
				return
			}
			if err := trailConsistent(r.Body); err != nil {
				t.Errorf("export %d: %v", exports, err)
				return
			}
		}
	}()
	for _, s := range steps[1:] {
		e.Fire(t, id, s)
	}
	close(done)
	wg.Wait()
	t.Logf("%d trails exported during the walk", exports)
}

// trailConsistent verifies a trail ZIP and checks that its PDFs and its
// events name each other exactly.
func trailConsistent(b []byte) error {
	rep, err := trail.Verify(b, "")
	if err != nil {
		return err
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return err
	}
	var events []trail.Event
	for _, f := range zr.File {
		if f.Name != trail.EventsName {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return err
		}
		if err := json.Unmarshal(data, &events); err != nil {
			return err
		}
	}
	withEvent := map[int64]bool{}
	for _, ev := range events {
		if ev.DocumentID != nil {
			withEvent[*ev.DocumentID] = true
		}
	}
	pdfs := 0
	for _, f := range rep.Manifest.Files {
		if f.DocumentID == 0 {
			continue
		}
		pdfs++
		if !withEvent[f.DocumentID] {
			return fmt.Errorf("%s (document %d) has no event in the trail", f.Path, f.DocumentID)
		}
	}
	if pdfs != len(withEvent) {
		return fmt.Errorf("%d PDFs for %d events with a document", pdfs, len(withEvent))
	}
	return nil
}
