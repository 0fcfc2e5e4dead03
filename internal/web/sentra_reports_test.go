package web_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/store"
	"dakflow/internal/web/apitest"
)

// useEnv is an environment whose clock stands still at a moment of WIB,
// with a revitalisasi of Kota Bandar Lampung completed on 1 March 2027:
// its sentra owes reports for 2027-S2 to 2030-S1. (The walk through every
// event to completion is TestReconcile's.)
type useEnv struct {
	*apitest.Env
	sentra, proposal int64
}

// at stops the clock at s (WIB) and logs every client in again, since
// sessions last from the clock's now.
func (u *useEnv) at(t *testing.T, s string) {
	t.Helper()
	when, err := time.ParseInLocation("2006-01-02 15:04", s, dak.WIB)
	if err != nil {
		t.Fatal(err)
	}
	u.Store.SetClock(func() time.Time { return when })
	for _, c := range []struct {
		into **apitest.Client
		name string
	}{{&u.Pemda, "pemda"}, {&u.Other, "pemda-lain"}, {&u.Verifier, "verifikator"}, {&u.Verifier2, "verifikator2"},
		{&u.Approver, "penetap"}, {&u.Treasury, "perbendaharaan"}, {&u.Auditor, "auditor"}, {&u.Admin, "admin"}} {
		*c.into = apitest.Login(t, u.URL, c.name, apitest.Password)
	}
}

func newUseEnv(t *testing.T) *useEnv {
	t.Helper()
	u := &useEnv{Env: apitest.NewEnv(t)}
	t.Cleanup(func() { u.Store.SetClock(time.Now) })
	u.at(t, "2027-03-01 09:00")
	u.proposal = u.Create(t, "revitalisasi", false)
	// Completed as the engine leaves it (the state and the event that
	// reached it), without the dozen PDFs of a walk: the reports read
	// only these.
	err := u.Store.InTx(context.Background(), func(tx *store.Tx) error {
		p, err := tx.LockProposal(u.proposal)
		if err != nil {
			return err
		}
		tip, err := tx.Tip(p.ID)
		if err != nil {
			return err
		}
		from := p.State
		p.State = "completed"
		if err := tx.SaveProposal(&p, p.Version); err != nil {
			return err
		}
		return tx.AppendEvent(&dak.Event{ProposalID: p.ID, Event: "complete", From: from, To: p.State, Actor: "Pengguna pemda",
			Role: dak.RolePemda}, tip)
	})
	if err != nil {
		t.Fatal(err)
	}
	r := u.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d", u.proposal), nil, nil)
	id, _ := r.JSON()["sentra_id"].(float64)
	if r.Status != http.StatusOK || id == 0 {
		t.Fatalf("GET proposal = %d %s", r.Status, r.Body)
	}
	u.sentra = int64(id)
	return u
}

func (u *useEnv) path(format string, args ...any) string {
	return fmt.Sprintf("/api/v1/sentra/%d", u.sentra) + fmt.Sprintf(format, args...)
}

// report is a whole report body for period.
func report(period string, ikm, occupancy int) map[string]any {
	return map[string]any{"period": period, "ikm_using": ikm, "workers": 40, "production_value": 120_000_000,
		"occupancy_percent": occupancy, "condition": "baik", "operating_budget": 30_000_000, "issues": "Pemasaran masih terbatas"}
}

// multipartBody is a form with a file and fields, and its content type.
func multipartBody(t *testing.T, fileName string, data []byte, fields map[string]string) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	if fileName != "" {
		fw, err := w.CreateFormFile("file", fileName)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(data) // a bytes.Buffer does not fail
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), w.FormDataContentType()
}

var (
	jpegBytes = []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00 foto gedung produksi")
	pngBytes  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR foto")
)

// TestSentraUseAfterCompletion walks one sentra through its reports on
// both engines: the schedule and the overdue flag, filing (and every
// refusal), the tidak_dimanfaatkan flag, photos, the monitoring list and
// a field visit, through the API and then the pages.
func TestSentraUseAfterCompletion(t *testing.T) {
	u := newUseEnv(t)
	u.at(t, "2028-02-10 09:00") // 2027-S2 was due on 30 January 2028
	t.Run("api", u.testAPI)
	t.Run("pages", u.testPages)
}

func (u *useEnv) testAPI(t *testing.T) {
	var list struct {
		Items      []map[string]any `json:"items"`
		Total      int              `json:"total"`
		Schedule   []map[string]any `json:"schedule"`
		Flags      []string         `json:"flags"`
		Monitoring map[string]any   `json:"monitoring"`
	}
	r := u.Auditor.Do("GET", u.path("/reports"), nil, nil)
	r.Decode(t, &list)
	if r.Status != http.StatusOK || list.Total != 0 || len(list.Schedule) != 6 || list.Schedule[0]["state"] != "overdue" ||
		list.Schedule[1]["state"] != "open" || !slices.Equal(list.Flags, []string{"overdue"}) || list.Monitoring["completed_on"] != "2027-03-01" {
		t.Fatalf("GET reports before any = %d %s", r.Status, r.Body)
	}
	monitored := func(c *apitest.Client, query string) []map[string]any {
		t.Helper()
		var m struct {
			Items []map[string]any `json:"items"`
		}
		r := c.Do("GET", "/api/v1/monitoring"+query, nil, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("GET /monitoring%s = %d %s", query, r.Status, r.Body)
		}
		r.Decode(t, &m)
		return m.Items
	}
	if got := monitored(u.Verifier, "?status=overdue"); len(got) != 1 || got[0]["sentra_id"].(float64) != float64(u.sentra) ||
		!strings.Contains(fmt.Sprint(got[0]["reasons"]), "Semester II 2027 belum disampaikan (jatuh tempo 30 Januari 2028)") {
		t.Errorf("monitoring overdue = %v", got)
	}
	if got := monitored(u.Other, ""); len(got) != 0 {
		t.Errorf("monitoring of Kota Makassar's pemda = %v, want none of Bandar Lampung's", got)
	}
	for _, tt := range []struct {
		c     *apitest.Client
		query string
		want  int
	}{{u.Approver, "", http.StatusForbidden}, {u.Auditor, "?status=semua", http.StatusBadRequest}, {u.Auditor, "?status=%00", http.StatusBadRequest}} {
		if r := tt.c.Do("GET", "/api/v1/monitoring"+tt.query, nil, nil); r.Status != tt.want {
			t.Errorf("GET /monitoring%s = %d, want %d", tt.query, r.Status, tt.want)
		}
	}

	r = u.Pemda.Do("POST", u.path("/reports"), report("2027-S2", 0, 60), nil)
	first := r.JSON()
	if r.Status != http.StatusCreated || first["late"] != true || first["unused"] != true || first["due_date"] != "2028-01-30" {
		t.Fatalf("POST report 2027-S2 = %d %s", r.Status, r.Body)
	}
	bad := []struct {
		name   string
		c      *apitest.Client
		body   any
		status int
		fields []string
	}{
		{"the same period again", u.Pemda, report("2027-S2", 3, 50), http.StatusUnprocessableEntity, []string{"period"}},
		{"a semester not begun", u.Pemda, report("2028-S2", 3, 50), http.StatusUnprocessableEntity, []string{"period"}},
		{"every field wrong", u.Pemda, map[string]any{"period": "2028-S7", "ikm_using": -1, "workers": 2_000_000, "occupancy_percent": 150,
			"condition": "bagus", "issues": "a\u0000b"}, http.StatusUnprocessableEntity,
			[]string{"period", "ikm_using", "workers", "production_value", "occupancy_percent", "condition", "operating_budget", "issues"}},
		{"text the letters cannot print", u.Pemda, map[string]any{"period": "2028-S1", "ikm_using": 1, "workers": 1, "production_value": 0,
			"occupancy_percent": 50, "condition": "baik", "operating_budget": 0, "issues": "gedung 🏭"}, http.StatusUnprocessableEntity, []string{"issues"}},
		{"invalid UTF-8", u.Pemda, []byte("{\"period\":\"2028-S1\",\"issues\":\"\xff\xfe\"}"), http.StatusUnprocessableEntity, nil},
		{"a negative amount", u.Pemda, map[string]any{"period": "2028-S1", "production_value": -5}, http.StatusBadRequest, []string{"production_value"}},
		{"an unknown field", u.Pemda, map[string]any{"period": "2028-S1", "state": "x"}, http.StatusBadRequest, []string{"state"}},
		{"a huge body", u.Pemda, bytes.Repeat([]byte(" "), 3<<20), http.StatusRequestEntityTooLarge, nil},
		{"another region's pemda", u.Other, report("2028-S1", 3, 50), http.StatusNotFound, nil},
		{"a verifier", u.Verifier, report("2028-S1", 3, 50), http.StatusForbidden, nil},
	}
	for _, tt := range bad {
		r := tt.c.Do("POST", u.path("/reports"), tt.body, nil)
		if r.Status != tt.status || tt.fields != nil && !slices.Equal(r.Fields(), tt.fields) {
			t.Errorf("%s: POST report = %d %v, want %d %v\n%.300s", tt.name, r.Status, r.Fields(), tt.status, tt.fields, r.Body)
		}
	}
	if r := u.Pemda.Do("POST", "/api/v1/sentra/999999/reports", report("2028-S1", 3, 50), nil); r.Status != http.StatusNotFound {
		t.Errorf("POST report of no sentra = %d", r.Status)
	}
	if r := u.Pemda.Do("POST", u.path("/reports"), report("2028-S1", 4, 20), nil); r.Status != http.StatusCreated {
		t.Fatalf("POST report 2028-S1 = %d %s", r.Status, r.Body)
	}
	got := monitored(u.Auditor, "?status=flagged")
	if len(got) != 1 || fmt.Sprint(got[0]["unused_periods"]) != "[2027-S2 2028-S1]" ||
		!strings.Contains(fmt.Sprint(got[0]["reasons"]), "Tidak dimanfaatkan: 2 laporan berturut-turut") {
		t.Errorf("monitoring flagged = %v", got)
	}
	if got := monitored(u.Auditor, "?status=overdue"); len(got) != 0 {
		t.Errorf("monitoring overdue after filing = %v, want none", got)
	}

	// Photos.
	rid := int64(first["id"].(float64))
	photos := u.path("/reports/%d/photos", rid)
	upload := func(c *apitest.Client, path, name string, data []byte, fields map[string]string) apitest.Response {
		body, ct := multipartBody(t, name, data, fields)
		return c.Do("POST", path, body, map[string]string{"Content-Type": ct})
	}
	r = upload(u.Pemda, photos, "gedung.JPG", jpegBytes, map[string]string{"latitude": "-5,41", "longitude": "105.26"})
	photo := r.JSON()
	if r.Status != http.StatusCreated || photo["content_type"] != "image/jpeg" || photo["latitude"] != -5.41 || photo["kind"] != "foto_pemanfaatan" {
		t.Fatalf("POST photo = %d %s", r.Status, r.Body)
	}
	for _, tt := range []struct {
		name       string
		c          *apitest.Client
		path, file string
		data       []byte
		fields     map[string]string
		status     int
		wantFields []string
	}{
		{"a PDF", u.Pemda, photos, "foto.pdf", apitest.PDFBytes("foto"), nil, http.StatusUnsupportedMediaType, nil},
		{"a PNG named .jpg", u.Pemda, photos, "foto.jpg", pngBytes, nil, http.StatusUnsupportedMediaType, nil},
		{"an empty file", u.Pemda, photos, "foto.jpg", nil, nil, http.StatusUnprocessableEntity, []string{"file"}},
		{"latitude alone, longitude not a number", u.Pemda, photos, "foto.png", pngBytes, map[string]string{"latitude": "-5.4", "longitude": "timur"},
			http.StatusUnprocessableEntity, []string{"longitude"}},
		{"outside Indonesia", u.Pemda, photos, "foto.png", pngBytes, map[string]string{"latitude": "48.85", "longitude": "2.35"},
			http.StatusUnprocessableEntity, []string{"latitude", "longitude"}},
		{"no file", u.Pemda, photos, "", nil, map[string]string{"latitude": "1"}, http.StatusBadRequest, []string{"file"}},
		{"another region's pemda", u.Other, photos, "foto.png", pngBytes, nil, http.StatusNotFound, nil},
		{"an auditor", u.Auditor, photos, "foto.png", pngBytes, nil, http.StatusForbidden, nil},
		{"a report of no sentra", u.Pemda, u.path("/reports/%d/photos", rid+1000), "foto.png", pngBytes, nil, http.StatusNotFound, nil},
	} {
		r := upload(tt.c, tt.path, tt.file, tt.data, tt.fields)
		if r.Status != tt.status || tt.wantFields != nil && !slices.Equal(r.Fields(), tt.wantFields) {
			t.Errorf("%s: POST photo = %d %v, want %d %v", tt.name, r.Status, r.Fields(), tt.status, tt.wantFields)
		}
	}
	if r := u.Pemda.Do("POST", photos, map[string]any{"file": "x"}, nil); r.Status != http.StatusUnsupportedMediaType {
		t.Errorf("POST photo as JSON = %d, want 415", r.Status)
	}
	pid := int64(photo["id"].(float64))
	r = u.Auditor.Do("GET", u.path("/reports/%d/photos/%d", rid, pid), nil, nil)
	if r.Status != http.StatusOK || !bytes.Equal(r.Body, jpegBytes) || r.Header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("GET photo = %d %s %q", r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	if r := u.Other.Do("GET", u.path("/reports/%d/photos/%d", rid, pid), nil, nil); r.Status != http.StatusNotFound {
		t.Errorf("GET photo by another region's pemda = %d, want 404", r.Status)
	}
	r = u.Pemda.Do("GET", u.path("/reports"), nil, nil)
	r.Decode(t, &list)
	if list.Total != 2 || len(list.Items[0]["photos"].([]any)) != 1 || !slices.Equal(list.Flags, []string{"tidak_dimanfaatkan"}) {
		t.Errorf("GET reports = %s", r.Body)
	}

	// A field visit.
	visits := u.path("/visits")
	r = u.Verifier.Do("POST", visits, map[string]any{"date": "2028-02-09", "status": "kurang_aktif", "findings": "Hanya 4 IKM berproduksi"}, nil)
	if v := r.JSON(); r.Status != http.StatusCreated || v["basis"] != "Kunjungan lapangan 9 Februari 2028" || v["status"] != "kurang_aktif" {
		t.Fatalf("POST visit = %d %s", r.Status, r.Body)
	}
	var status []string
	if err := u.Store.Query(context.Background(), &status, `SELECT status FROM sentra WHERE id = ?`, u.sentra); err != nil || !slices.Equal(status, []string{"kurang_aktif"}) {
		t.Errorf("sentra status after the visit = %v, %v", status, err)
	}
	for _, tt := range []struct {
		name   string
		c      *apitest.Client
		body   any
		status int
		fields []string
	}{
		{"in the future, unknown status, no findings", u.Verifier, map[string]any{"date": "2028-02-11", "status": "mati"}, http.StatusUnprocessableEntity,
			[]string{"date", "status", "findings"}},
		{"a pemda", u.Pemda, map[string]any{"date": "2028-02-09", "findings": "x"}, http.StatusForbidden, nil},
		{"an auditor", u.Auditor, map[string]any{"date": "2028-02-09", "findings": "x"}, http.StatusForbidden, nil},
	} {
		r := tt.c.Do("POST", visits, tt.body, nil)
		if r.Status != tt.status || tt.fields != nil && !slices.Equal(r.Fields(), tt.fields) {
			t.Errorf("%s: POST visit = %d %v, want %d %v", tt.name, r.Status, r.Fields(), tt.status, tt.fields)
		}
	}
}

func (u *useEnv) testPages(t *testing.T) {
	// Half a year on: 2028-S2 is open, nothing overdue; the sentra stays
	// flagged until a report shows it used.
	u.at(t, "2028-08-05 09:00")
	pemda, verifier := loggedIn(t, u.Env, "pemda"), loggedIn(t, u.Env, "verifikator")
	reports := fmt.Sprintf("/sentra/%d/laporan", u.sentra)

	if p := verifier.get("/pemantauan"); p.Status != http.StatusOK || !strings.Contains(p.Body, fmt.Sprintf(`data-monitored="%d"`, u.sentra)) ||
		!strings.Contains(p.Body, "Tidak dimanfaatkan: 2 laporan berturut-turut") {
		t.Errorf("GET /pemantauan = %d", p.Status)
	}
	if p := pemda.get(fmt.Sprintf("/proposals/%d", u.proposal)); !strings.Contains(p.Body, "data-region-monitoring") ||
		!strings.Contains(p.Body, fmt.Sprintf(`data-flagged-sentra="%d"`, u.sentra)) {
		t.Errorf("proposal page without the warning of the region's unused sentra (status %d)", p.Status)
	}
	// 2028-S2 is due on 30 January 2029: too far for a reminder.
	if home := pemda.get("/"); home.Status != http.StatusOK || strings.Contains(home.Body, "data-report-reminders") {
		t.Errorf("home = %d, with a reminder of a report due in six months", home.Status)
	}

	page := pemda.get(reports)
	if page.Status != http.StatusOK || !strings.Contains(page.Body, "data-report-form") || strings.Contains(page.Body, "data-visit-form") {
		t.Fatalf("GET %s as pemda = %d", reports, page.Status)
	}
	form := url.Values{"csrf_token": {page.csrf(t)}, "period": {"2028-S2"}, "ikm_using": {"dua belas"}, "workers": {"35"},
		"production_value": {"Rp150.000.000"}, "occupancy_percent": {"80"}, "condition": {""}, "operating_budget": {"25.000.000"}}
	p := pemda.post(reports, form)
	if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, `data-error-for="ikm_using"`) ||
		!strings.Contains(p.Body, `data-error-for="condition"`) || !strings.Contains(p.Body, `value="Rp150.000.000"`) && !strings.Contains(p.Body, `value="150.000.000"`) {
		t.Errorf("POST report form with errors = %d", p.Status)
	}
	// The summary links each problem, in the form's order (issue 12): the
	// condition's select comes before the count that did not parse.
	if got := summaryFields(t, p.Body); !slices.Equal(got, []string{"condition", "ikm_using"}) {
		t.Errorf("report form summary lists %q, want [condition ikm_using]", got)
	}
	form.Set("ikm_using", "12")
	form.Set("condition", "rusak_ringan")
	if p := pemda.post(reports, form); p.Status != http.StatusSeeOther {
		t.Fatalf("POST report form = %d %.400s", p.Status, p.Body)
	}
	page = pemda.get(reports)
	if !strings.Contains(page.Body, "Semester II 2028") || !strings.Contains(page.Body, "Rusak ringan") || strings.Contains(page.Body, "data-report-form") {
		t.Errorf("the report page after filing the last open semester (status %d)", page.Status)
	}
	// The report's table writes its amounts as tables do, without ",00".
	if !strings.Contains(page.Body, "<td>Rp150.000.000</td>") || !strings.Contains(page.Body, "<td>Rp25.000.000</td>") {
		t.Errorf("the report table does not show Rp150.000.000 and Rp25.000.000 without ,00")
	}
	if p := verifier.get("/pemantauan?status=flagged"); strings.Contains(p.Body, fmt.Sprintf(`data-monitored="%d"`, u.sentra)) {
		t.Errorf("the sentra is still flagged after a report showing it used")
	}

	// A photo through the page, and the verifier's visit.
	var rid int64
	var list struct {
		Items []struct {
			ID     int64  `json:"id"`
			Period string `json:"period"`
		} `json:"items"`
	}
	u.Pemda.Do("GET", u.path("/reports"), nil, nil).Decode(t, &list)
	for _, it := range list.Items {
		if it.Period == "2028-S2" {
			rid = it.ID
		}
	}
	body, ct := multipartBody(t, "pelatihan.png", pngBytes, map[string]string{"csrf_token": page.csrf(t), "latitude": "-5,41", "longitude": "105,26"})
	req, _ := http.NewRequest(http.MethodPost, fmt.Sprintf("%s%s/%d/foto", u.URL, reports, rid), bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	if p := pemda.do(req); p.Status != http.StatusSeeOther {
		t.Errorf("POST photo form = %d %.300s", p.Status, p.Body)
	}
	page = pemda.get(reports)
	if !strings.Contains(page.Body, `alt="Foto pelatihan.png"`) || !strings.Contains(page.Body, "-5,41; 105,26") {
		t.Errorf("the report page does not show the photo")
	}
	vpage := verifier.get(reports)
	if !strings.Contains(vpage.Body, "data-visit-form") || strings.Contains(vpage.Body, "data-photo-form") {
		t.Fatalf("GET %s as verifier: visit form missing or photo form shown", reports)
	}
	visit := url.Values{"csrf_token": {vpage.csrf(t)}, "date": {"2028-08-04"}, "status": {"aktif"}, "findings": {"Gedung kembali dipakai 12 IKM"}}
	if p := verifier.post(fmt.Sprintf("/sentra/%d/kunjungan", u.sentra), visit); p.Status != http.StatusSeeOther {
		t.Errorf("POST visit form = %d %.300s", p.Status, p.Body)
	}
	visit.Set("date", "2028-09-01")
	if p := verifier.post(fmt.Sprintf("/sentra/%d/kunjungan", u.sentra), visit); p.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(p.Body, `data-error-for="date"`) {
		t.Errorf("POST visit form dated in the future = %d", p.Status)
	}
	if p := verifier.get(reports); !strings.Contains(p.Body, "status sentra: <strong data-sentra-status>Aktif</strong>") {
		t.Errorf("the status after the visit is not shown")
	}

	// Half a year later 2029-S1 is due within 30 days: the pemda's home
	// reminds it.
	u.at(t, "2029-07-05 09:00")
	pemda = loggedIn(t, u.Env, "pemda")
	if home := pemda.get("/"); !strings.Contains(home.Body, fmt.Sprintf(`data-reminder="%d"`, u.sentra)) ||
		!strings.Contains(home.Body, "Semester I 2029 (jatuh tempo 30 Juli 2029)") {
		t.Errorf("home without the reminder of 2029-S1 (status %d)", home.Status)
	}
}

// authzReport gives the authorization matrix a report and a photo of a
// sentra, written directly: the matrix checks who may reach them, not how
// they are filed.
func authzReport(t *testing.T, e *apitest.Env, sentra int64, by *apitest.Client) (report, photo int64) {
	t.Helper()
	ctx := context.Background()
	uid, now := int64(by.User["id"].(float64)), e.Store.Now()
	report = insertReport(t, e, sentra, "2027-S2", by)
	if err := e.Store.Exec(ctx, `INSERT INTO sentra_report_photos (report_id, file_name, content_type, size, sha256, data,
		uploaded_by, created_at) VALUES (?, 'foto.jpg', 'image/jpeg', ?, ?, ?, ?, ?)`,
		report, len(jpegBytes), dak.SHA256Hex(jpegBytes), jpegBytes, uid, now); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	if err := e.Store.Query(ctx, &ids, `SELECT id FROM sentra_report_photos WHERE report_id = ?`, report); err != nil || len(ids) != 1 {
		t.Fatalf("photo of report %d: %v %v", report, ids, err)
	}
	return report, ids[0]
}

// insertReport writes a report of sentra for period, filed by by, straight
// into the database (no completed proposal needed), and returns its id.
func insertReport(t *testing.T, e *apitest.Env, sentra int64, period string, by *apitest.Client) int64 {
	t.Helper()
	ctx := context.Background()
	if err := e.Store.Exec(ctx, `INSERT INTO sentra_reports (sentra_id, period, ikm_using, workers, production_value,
		occupancy_percent, condition, operating_budget, issues, filed_by, created_at)
		VALUES (?, ?, 5, 20, 0, 50, 'baik', 0, '', ?, ?)`, sentra, period, int64(by.User["id"].(float64)), e.Store.Now()); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	if err := e.Store.Query(ctx, &ids, `SELECT id FROM sentra_reports WHERE sentra_id = ? AND period = ?`, sentra, period); err != nil || len(ids) != 1 {
		t.Fatalf("report %s of sentra %d: %v %v", period, sentra, ids, err)
	}
	return ids[0]
}
