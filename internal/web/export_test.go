package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"dakflow/internal/dak"
	"dakflow/internal/store"
	"dakflow/internal/trail"
	"dakflow/internal/web"
	"dakflow/internal/web/apitest"
)

// exportStatus is GET /api/v1/trail-exports/{id}.
type exportStatus struct {
	ID          int64  `json:"id"`
	Region      string `json:"region"`
	FiscalYear  int    `json:"fiscal_year"`
	State       string `json:"state"`
	Total       int    `json:"total"`
	Done        int    `json:"done"`
	Problems    int    `json:"problems"`
	Attempts    int    `json:"attempts"`
	Percent     int    `json:"percent"`
	SHA256      string `json:"sha256"`
	Size        int64  `json:"size"`
	Error       string `json:"error"`
	StatusURL   string `json:"status_url"`
	DownloadURL string `json:"download_url"`
}

func getExport(t *testing.T, c *apitest.Client, id int64) exportStatus {
	t.Helper()
	r := c.Do("GET", fmt.Sprintf("/api/v1/trail-exports/%d", id), nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET export %d = %d %s", id, r.Status, r.Body)
	}
	var s exportStatus
	r.Decode(t, &s)
	return s
}

// TestTrailExport: an auditor asks for a region's trails; while another
// worker holds the job the server's worker leaves it alone and its
// progress shows; when that worker stops beating (its process died) the
// server's worker takes the job over and finishes it. The ZIP streams
// whole, its SHA-256 is the one announced, its index names every proposal
// of the region and no other with each trail's SHA-256, and every trail
// inside verifies against the published key.
func TestTrailExport(t *testing.T) {
	e := apitest.NewEnv(t)
	completed := e.Create(t, "pembangunan", false)
	e.WalkTo(t, completed, false, "completed")
	inReview := e.Create(t, "revitalisasi", true)
	e.WalkTo(t, inReview, true, "in_review")
	draft := e.Create(t, "revitalisasi", false)
	r := e.Other.Do("POST", "/api/v1/proposals", makassarInput(t), nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("create Makassar proposal = %d %s", r.Status, r.Body)
	}
	want := []int64{completed, inReview, draft}

	r = e.Auditor.Do("POST", "/api/v1/trail-exports", map[string]any{"region": "18.71"}, nil)
	if r.Status != http.StatusAccepted {
		t.Fatalf("POST trail-exports = %d %s", r.Status, r.Body)
	}
	var job exportStatus
	r.Decode(t, &job)
	if job.State != dak.ExportQueued || job.Region != "18.71" || r.Header.Get("Location") != job.StatusURL {
		t.Fatalf("created export = %+v (Location %q), want queued for 18.71", job, r.Header.Get("Location"))
	}

	// Another process's worker claims it first and reports progress.
	ctx := context.Background()
	claim := store.ExportClaim{Worker: "proses-lain", Lease: 2 * time.Minute, MaxRunning: 2, MaxAttempts: 3}
	if got, ok, err := e.Store.ClaimTrailExport(ctx, claim); err != nil || !ok || got.ID != job.ID {
		t.Fatalf("claim by another worker = %+v, %v, %v", got, ok, err)
	}
	if err := e.Store.TrailExportProgress(ctx, job.ID, "proses-lain", 3, 1, 0); err != nil {
		t.Fatal(err)
	}
	e.RunExports(t)
	time.Sleep(300 * time.Millisecond) // many polls of the server's worker
	if s := getExport(t, e.Auditor, job.ID); s.State != dak.ExportRunning || s.Done != 1 || s.Total != 3 || s.Percent != 33 || s.Attempts != 1 {
		t.Fatalf("while another worker holds it: %+v, want running 1/3 (33%%), attempt 1", s)
	}

	// That process dies: a lease later the server's worker takes over.
	e.Store.SetClock(func() time.Time { return time.Now().Add(3 * time.Minute) })
	defer e.Store.SetClock(time.Now)
	var s exportStatus
	deadline := time.Now().Add(60 * time.Second)
	for {
		s = getExport(t, e.Auditor, job.ID)
		if s.Done > s.Total {
			t.Fatalf("progress %d of %d", s.Done, s.Total)
		}
		if s.State == dak.ExportDone || s.State == dak.ExportFailed || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if s.State != dak.ExportDone || s.Done != 3 || s.Total != 3 || s.Attempts != 2 || s.Problems != 0 || s.Percent != 100 {
		t.Fatalf("export = %+v, want done 3/3 on attempt 2%s", s, exportProblems(t, e, s))
	}

	r = e.Auditor.Do("GET", s.DownloadURL, nil, nil)
	if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("GET %s = %d %s", s.DownloadURL, r.Status, r.Header.Get("Content-Type"))
	}
	if sum := dak.SHA256Hex(r.Body); sum != s.SHA256 || r.Header.Get("X-Content-SHA256") != sum || int64(len(r.Body)) != s.Size {
		t.Fatalf("downloaded %d bytes with SHA-256 %s (header %s), announced %d bytes %s",
			len(r.Body), sum, r.Header.Get("X-Content-SHA256"), s.Size, s.SHA256)
	}
	key := apitest.Anonymous(t, e.URL).Do("GET", "/api/v1/trail-key", nil, nil).JSON()["public_key"].(string)
	checkExportZIP(t, r.Body, key, want)

	// A range request reads part of the file from disk.
	part := e.Auditor.Do("GET", s.DownloadURL, nil, map[string]string{"Range": "bytes=0-3"})
	if part.Status != http.StatusPartialContent || string(part.Body) != "PK\x03\x04" {
		t.Errorf("range request = %d %q, want 206 PK\\x03\\x04", part.Status, part.Body)
	}

	// The request and the downloads are in the access log.
	var log struct {
		Items []dak.Access `json:"items"`
		Total int64        `json:"total"`
	}
	e.Auditor.Do("GET", "/api/v1/access-log?user=auditor", nil, nil).Decode(t, &log)
	var seen []string
	for _, a := range log.Items {
		if a.ObjectType == dak.ObjectTrailExport && a.ObjectID == job.ID {
			seen = append(seen, a.Action)
		}
	}
	if diff := cmp.Diff([]string{"download", "download", "export_request"}, seen); diff != "" {
		t.Errorf("access log of the export (-want +got):\n%s", diff)
	}
}

// exportProblems lists the errors an export's index names, for a message.
func exportProblems(t *testing.T, e *apitest.Env, s exportStatus) string {
	t.Helper()
	if s.DownloadURL == "" {
		return ""
	}
	r := e.Auditor.Do("GET", s.DownloadURL, nil, nil)
	zr, err := zip.NewReader(bytes.NewReader(r.Body), int64(len(r.Body)))
	if err != nil {
		return ""
	}
	var index web.ExportIndex
	for _, f := range zr.File {
		if f.Name == "index.json" {
			rc, _ := f.Open()
			_ = json.NewDecoder(rc).Decode(&index)
			rc.Close()
		}
	}
	out := ""
	for _, it := range index.Items {
		if it.Error != "" {
			out += fmt.Sprintf("\n  proposal %d: %s", it.ProposalID, it.Error)
		}
	}
	return out
}

// checkExportZIP opens an export: no entry twice, BACA-SAYA.txt, an index
// (JSON and CSV) of exactly the proposals want with each trail's SHA-256,
// and each trail verifying against key.
func checkExportZIP(t *testing.T, body []byte, key string, want []int64) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("export is not a ZIP: %v", err)
	}
	files := map[string][]byte{}
	for _, f := range zr.File {
		if _, dup := files[f.Name]; dup {
			t.Fatalf("entry %s twice", f.Name)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("read %s: %v", f.Name, err)
		}
		files[f.Name] = b
	}
	if len(files["BACA-SAYA.txt"]) == 0 {
		t.Error("BACA-SAYA.txt is missing")
	}
	var index web.ExportIndex
	if err := json.Unmarshal(files["index.json"], &index); err != nil {
		t.Fatalf("index.json: %v", err)
	}
	var got []int64
	for _, it := range index.Items {
		got = append(got, it.ProposalID)
		b, ok := files[it.File]
		if !ok {
			t.Errorf("index names %s, not in the ZIP (error %q)", it.File, it.Error)
			continue
		}
		if dak.SHA256Hex(b) != it.SHA256 || int64(len(b)) != it.Size {
			t.Errorf("%s: SHA-256 %s size %d, index says %s size %d", it.File, dak.SHA256Hex(b), len(b), it.SHA256, it.Size)
		}
		rep, err := trail.Verify(b, key)
		if err != nil {
			t.Errorf("Verify(%s) = %v", it.File, err)
			continue
		}
		if !rep.Pinned || rep.Manifest.Proposal.ID != it.ProposalID || rep.Manifest.Proposal.Number != it.Number {
			t.Errorf("%s is the trail of %+v (pinned %v), index says %d %s", it.File, rep.Manifest.Proposal, rep.Pinned, it.ProposalID, it.Number)
		}
	}
	sort.Slice(got, func(i, j int) bool { return got[i] < got[j] })
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("index.json proposals (-want +got):\n%s", diff)
	}
	if index.Proposals != len(want) || index.Problems != 0 {
		t.Errorf("index counts %d proposals, %d problems; want %d, 0", index.Proposals, index.Problems, len(want))
	}
	if len(files) != len(want)+3 {
		t.Errorf("the ZIP has %d entries, want %d trails + BACA-SAYA.txt + index.json + index.csv", len(files), len(want))
	}
	rows, err := csv.NewReader(bytes.NewReader(files["index.csv"])).ReadAll()
	if err != nil {
		t.Fatalf("index.csv: %v", err)
	}
	if len(rows) != len(want)+1 || rows[0][0] != "proposal_id" || rows[0][8] != "sha256" {
		t.Fatalf("index.csv = %v", rows)
	}
	for i, it := range index.Items {
		if row := rows[i+1]; row[0] != strconv.FormatInt(it.ProposalID, 10) || row[6] != it.File || row[8] != it.SHA256 {
			t.Errorf("index.csv row %d = %v, index.json says %+v", i+1, row, it)
		}
	}
}

// TestTrailExportInput: the scope is checked and named when wrong, only
// an auditor may export, and an unfinished export cannot be downloaded.
func TestTrailExportInput(t *testing.T) {
	e := apitest.NewEnv(t)
	e.Create(t, "revitalisasi", false)
	cases := []struct {
		name   string
		c      *apitest.Client
		body   any
		status int
		field  string
	}{
		{"empty scope", e.Auditor, map[string]any{}, http.StatusUnprocessableEntity, "region"},
		{"malformed region", e.Auditor, map[string]any{"region": "18.7x"}, http.StatusUnprocessableEntity, "region"},
		{"unknown region", e.Auditor, map[string]any{"region": "99.99"}, http.StatusUnprocessableEntity, "region"},
		{"year out of range", e.Auditor, map[string]any{"fiscal_year": 1999}, http.StatusUnprocessableEntity, "fiscal_year"},
		{"no proposals", e.Auditor, map[string]any{"region": "18.72"}, http.StatusUnprocessableEntity, "region"},
		{"no proposals that year", e.Auditor, map[string]any{"fiscal_year": 2030}, http.StatusUnprocessableEntity, "fiscal_year"},
		{"unknown field", e.Auditor, map[string]any{"region": "18.71", "state": "done"}, http.StatusBadRequest, "state"},
		{"wrong type", e.Auditor, `{"fiscal_year": "2027"}`, http.StatusBadRequest, "fiscal_year"},
		{"NUL in region", e.Auditor, map[string]any{"region": "18\x00.71"}, http.StatusUnprocessableEntity, "region"},
		{"pemda", e.Pemda, map[string]any{"region": "18.71"}, http.StatusForbidden, ""},
		{"verifier", e.Verifier, map[string]any{"fiscal_year": 2027}, http.StatusForbidden, ""},
	}
	for _, tc := range cases {
		r := tc.c.Do("POST", "/api/v1/trail-exports", tc.body, nil)
		if r.Status != tc.status || (tc.field != "" && !contains(r.Fields(), tc.field)) {
			t.Errorf("%s: POST = %d %s, want %d naming %q", tc.name, r.Status, r.Body, tc.status, tc.field)
		}
	}
	r := e.Auditor.Do("POST", "/api/v1/trail-exports", map[string]any{"fiscal_year": 2027}, nil)
	if r.Status != http.StatusAccepted {
		t.Fatalf("POST year export = %d %s", r.Status, r.Body)
	}
	id := int64(r.JSON()["id"].(float64))
	if r := e.Auditor.Do("GET", fmt.Sprintf("/api/v1/trail-exports/%d/zip", id), nil, nil); r.Status != http.StatusConflict {
		t.Errorf("download of a queued export = %d, want 409", r.Status)
	}
	for _, path := range []string{fmt.Sprintf("/api/v1/trail-exports/%d", id), fmt.Sprintf("/api/v1/trail-exports/%d/zip", id), "/api/v1/trail-exports"} {
		if r := e.Pemda.Do("GET", path, nil, nil); r.Status != http.StatusForbidden {
			t.Errorf("pemda GET %s = %d, want 403", path, r.Status)
		}
	}
	if r := e.Auditor.Do("GET", "/api/v1/trail-exports/999999", nil, nil); r.Status != http.StatusNotFound {
		t.Errorf("unknown export = %d, want 404", r.Status)
	}
	for i := 0; i < 2; i++ {
		e.Auditor.Do("POST", "/api/v1/trail-exports", map[string]any{"fiscal_year": 2027}, nil)
	}
	if r := e.Auditor.Do("POST", "/api/v1/trail-exports", map[string]any{"fiscal_year": 2027}, nil); r.Status != http.StatusTooManyRequests {
		t.Errorf("a fourth open export = %d, want 429", r.Status)
	}
	// A year's export, built by the worker, holds that year's proposal.
	e.RunExports(t)
	deadline := time.Now().Add(60 * time.Second)
	for {
		s := getExport(t, e.Auditor, id)
		if s.State == dak.ExportDone {
			if s.Total != 1 {
				t.Errorf("year export = %+v, want 1 proposal", s)
			}
			break
		}
		if s.State == dak.ExportFailed || time.Now().After(deadline) {
			t.Fatalf("year export = %+v", s)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestExportPages: the auditor requests an export on its page and is taken
// to the job's page, which refreshes itself until the export is done and
// then offers the download; the download through the page is recorded;
// a pemda reaches none of it.
func TestExportPages(t *testing.T) {
	e := apitest.NewEnv(t)
	id := e.Create(t, "revitalisasi", false)
	e.Pemda.MustFire(id, "submit", "", nil)
	auditor := loggedIn(t, e, "auditor")
	list := auditor.get("/exports")
	if list.Status != http.StatusOK || !strings.Contains(list.Body, `href="/exports"`) || !strings.Contains(list.Body, `href="/access-log"`) {
		t.Fatalf("exports page = %d, want 200 with the auditor's navigation", list.Status)
	}
	bad := auditor.post("/exports", url.Values{"csrf_token": {list.csrf(t)}, "region": {"18.72"}})
	if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, `data-error-for="region"`) ||
		!strings.Contains(bad.Body, `<option value="18.72" selected>`) {
		t.Errorf("request for a region without proposals = %d, want 422 naming region with the choice kept", bad.Status)
	}
	r := auditor.post("/exports", url.Values{"csrf_token": {list.csrf(t)}, "region": {"18.71"}, "fiscal_year": {"2027"}})
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/exports/") {
		t.Fatalf("request export = %d → %q, want 303 to the job's page", r.Status, r.Location)
	}
	job := auditor.get(r.Location)
	if job.Status != http.StatusOK || !strings.Contains(job.Body, `http-equiv="refresh"`) || !strings.Contains(job.Body, `data-export-state="queued"`) {
		t.Fatalf("job page = %d, want a queued export that refreshes itself:\n%s", job.Status, job.Body)
	}
	e.RunExports(t)
	deadline := time.Now().Add(60 * time.Second)
	for !strings.Contains(job.Body, `data-export-state="done"`) {
		if time.Now().After(deadline) || strings.Contains(job.Body, `data-export-state="failed"`) {
			t.Fatalf("job page never done:\n%s", job.Body)
		}
		time.Sleep(20 * time.Millisecond)
		job = auditor.get(r.Location)
	}
	if strings.Contains(job.Body, `http-equiv="refresh"`) || !strings.Contains(job.Body, `data-done="1" data-total="1"`) {
		t.Errorf("finished job page still refreshes or does not show 1 of 1:\n%s", job.Body)
	}
	zipPath := r.Location + "/zip"
	if !strings.Contains(job.Body, `href="`+zipPath+`"`) {
		t.Fatalf("finished job page has no download link %s", zipPath)
	}
	z := auditor.get(zipPath)
	if z.Status != http.StatusOK || z.Header.Get("Content-Type") != "application/zip" || z.Header.Get("X-Content-SHA256") != dak.SHA256Hex([]byte(z.Body)) {
		t.Fatalf("page download = %d %s", z.Status, z.Header.Get("Content-Type"))
	}
	if lines, _ := accessLog(t, e.Auditor, "user=auditor"); len(lines) < 2 || lines[0].ObjectType != "trail_export" || lines[0].Action != "download" {
		t.Errorf("access log after the page download = %+v", lines)
	}
	pemda := loggedIn(t, e, "pemda")
	for _, path := range []string{"/exports", r.Location, zipPath} {
		if p := pemda.get(path); p.Status != http.StatusForbidden {
			t.Errorf("pemda GET %s = %d, want 403", path, p.Status)
		}
	}
}
