package web_test

import (
	"bytes"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"dakflow/internal/web/apitest"
)

// sheetRows are the rows of a downloaded XLSX's first sheet.
func sheetRows(t *testing.T, what string, body []byte) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s: not a workbook: %v", what, err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

var createdDraftLink = regexp.MustCompile(`data-created="(\d+)"`)

// TestProposalSheetPages: the list and the year's summary downloaded with
// a session, equal to the API's answers; the bulk import of proposals
// through its page (dry run naming the bad cell, commit filing drafts);
// roles refused and hostile input never a 500.
func TestProposalSheetPages(t *testing.T) {
	e := apitest.NewEnv(t)
	e.Create(t, "pembangunan", false)
	pemda, auditor, approver := loggedIn(t, e, "pemda"), loggedIn(t, e, "auditor"), loggedIn(t, e, "penetap")

	t.Run("downloads", func(t *testing.T) {
		search := pemda.get(fmt.Sprintf("/proposals?fiscal_year=%d&page=2", apitest.Year))
		csvLink := fmt.Sprintf(`href="/proposals/ekspor?fiscal_year=%d&amp;format=csv"`, apitest.Year)
		if search.Status != http.StatusOK || !strings.Contains(search.Body, csvLink) || !strings.Contains(search.Body, "format=xlsx") {
			t.Errorf("the search page offers no download of its filters (want %s)", csvLink)
		}
		q := fmt.Sprintf("fiscal_year=%d", apitest.Year)
		for _, format := range []string{"csv", "xlsx"} {
			page := pemda.get("/proposals/ekspor?" + q + "&format=" + format)
			api := e.Pemda.Do("GET", "/api/v1/proposals?"+q+"&format="+format, nil, nil)
			checkSameSheet(t, "/proposals/ekspor "+format, format, page, api.Status, api.Header, api.Body)
		}
		if home := approver.get("/"); !strings.Contains(home.Body, fmt.Sprintf(`href="/ringkasan/ekspor?year=%d&amp;format=xlsx"`, apitest.Year)) {
			t.Errorf("the approver's home offers no summary download\n%.2000s", home.Body)
		}
		for _, format := range []string{"csv", "xlsx"} {
			for _, group := range []string{"", "&group=menu"} {
				page := auditor.get(fmt.Sprintf("/ringkasan/ekspor?year=%d&format=%s%s", apitest.Year, format, group))
				api := e.Auditor.Do("GET", fmt.Sprintf("/api/v1/fiscal-years/%d/summary?format=%s%s", apitest.Year, format, group), nil, nil)
				checkSameSheet(t, "/ringkasan/ekspor "+format+group, format, page, api.Status, api.Header, api.Body)
			}
		}
		if r := pemda.get(fmt.Sprintf("/ringkasan/ekspor?year=%d&format=csv", apitest.Year)); r.Status != http.StatusForbidden {
			t.Errorf("/ringkasan/ekspor as pemda = %d, want 403", r.Status)
		}
		for _, bad := range []string{"?year=2027", "?year=2027&format=pdf", "?year=abc&format=csv", "?year=2027&format=csv&group=desa",
			"?year=%00&format=csv", "?year=2027&format=csv&group=%ff%fe"} {
			if r := auditor.get("/ringkasan/ekspor" + bad); r.Status != http.StatusBadRequest {
				t.Errorf("/ringkasan/ekspor%s = %d, want 400", bad, r.Status)
			}
		}
		for _, bad := range []string{"", "?format=pdf", "?format=csv&fiscal_year=abc", "?format=csv&region=%00", "?format=xlsx&q=%ff%fe"} {
			if r := pemda.get("/proposals/ekspor" + bad); r.Status >= 500 || (bad != "?format=xlsx&q=%ff%fe" && r.Status != http.StatusBadRequest) {
				t.Errorf("/proposals/ekspor%s = %d, want 400", bad, r.Status)
			}
		}
	})

	t.Run("import", func(t *testing.T) {
		home := pemda.get("/")
		if !strings.Contains(home.Body, `href="/proposals/impor"`) {
			t.Errorf("the pemda's home has no link to the import")
		}
		form := pemda.get("/proposals/impor")
		token := form.csrf(t)
		if form.Status != http.StatusOK || !strings.Contains(form.Body, `href="/proposals/impor/templat.xlsx"`) {
			t.Fatalf("GET /proposals/impor = %d, want the form with the template's link\n%.2000s", form.Status, form.Body)
		}
		tr := pemda.get("/proposals/impor/templat.xlsx")
		if tr.Status != http.StatusOK || !strings.HasPrefix(tr.Header.Get("Content-Type"), "application/vnd.openxmlformats") {
			t.Fatalf("the template = %d %q", tr.Status, tr.Header.Get("Content-Type"))
		}
		template := []byte(tr.Body)
		rows := [][]any{
			{1, apitest.Year, "pembangunan", "Pembangunan Sentra IKM Rotan Halaman", "", "Sentra Rotan Halaman", "Rotan",
				"18.71.01.1005", "Jalan Rotan 1", 10, 30, 800, "milik_pemda", ""},
			{2, apitest.Year, "pembangunan", "Pembangunan Sentra IKM Keripik Halaman", "", "Sentra Keripik Halaman", "Keripik",
				"18.71.02.1004", "Jalan Keripik 2", 6, 18, 600, "hibah", ""},
		}
		rab := [][]any{{1, "mesin_peralatan", "Mesin anyam rotan", 2, "unit", 20_000_000},
			{2, "mesin_peralatan", "Mesin penggoreng", 1, "unit", 35_000_000}}
		before := proposalCount(t, e.Pemda)

		// A bad cell: named by sheet, row, column and cell; nothing filed.
		bad := filled(t, template, rows, [][]any{rab[0], {2, "mesin_peralatan", "Mesin penggoreng", 1, "unit", "35.000.000"}}, nil)
		for _, commit := range []string{"", "1"} {
			r := pemda.postFile("/proposals/impor", map[string]string{"csrf_token": token, "commit": commit}, "usulan.xlsx", bad)
			want := http.StatusOK
			if commit != "" {
				want = http.StatusUnprocessableEntity
			}
			if r.Status != want || !strings.Contains(r.Body, `data-problem-cell="RAB!F5"`) || !strings.Contains(r.Body, "pemisah ribuan") ||
				!strings.Contains(r.Body, "<strong data-valid>1</strong>") || strings.Contains(r.Body, "data-import-commit") {
				t.Errorf("bad file (commit=%q) = %d, want %d naming RAB!F5, 1 valid, no commit button\n%.4000s", commit, r.Status, want, r.Body)
			}
		}
		if n := proposalCount(t, e.Pemda); n != before {
			t.Fatalf("a refused import filed %d proposals", n-before)
		}

		// A good file: the dry run's commit button carries it back.
		good := filled(t, template, rows, rab, nil)
		dry := pemda.postFile("/proposals/impor", map[string]string{"csrf_token": token}, "usulan baik.xlsx", good)
		m := regexp.MustCompile(`name="data" value="([^"]+)"`).FindStringSubmatch(dry.Body)
		if dry.Status != http.StatusOK || m == nil || !strings.Contains(dry.Body, "Impor 2 usulan") {
			t.Fatalf("dry run of a good file = %d, want the commit button for 2\n%.4000s", dry.Status, dry.Body)
		}
		if n := proposalCount(t, e.Pemda); n != before {
			t.Fatalf("a dry run filed %d proposals", n-before)
		}
		r := pemda.postFile("/proposals/impor", map[string]string{"csrf_token": token, "commit": "1", "file_name": "usulan baik.xlsx",
			"data": html.UnescapeString(m[1])}, "", nil)
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/proposals/impor?dibuat=") {
			t.Fatalf("commit = %d %q, want 303 to the drafts\n%.3000s", r.Status, r.Location, r.Body)
		}
		done := pemda.get(r.Location)
		ids := createdDraftLink.FindAllStringSubmatch(done.Body, -1)
		if len(ids) != 2 || !strings.Contains(done.Body, "Pembangunan Sentra IKM Rotan Halaman") || !strings.Contains(done.Body, "Rp40.000.000") {
			t.Fatalf("the success page lists %d drafts, want 2 with their amounts\n%.4000s", len(ids), done.Body)
		}
		if n := proposalCount(t, e.Pemda); n != before+2 {
			t.Errorf("commit filed %d proposals, want 2", n-before)
		}
		if p := pemda.get("/proposals/" + ids[0][1]); p.Status != http.StatusOK || !strings.Contains(p.Body, "Halaman") {
			t.Errorf("a created draft's link = %d", p.Status)
		}
		// Another region's pemda reading the success page sees none of them.
		other := loggedIn(t, e, "pemda-lain")
		if o := other.get(r.Location); o.Status != http.StatusOK || strings.Contains(o.Body, "data-created") {
			t.Errorf("another region's pemda sees the drafts listed: %d", o.Status)
		}

		// Roles: only a pemda imports.
		for _, c := range []*pageClient{auditor, approver} {
			for _, path := range []string{"/proposals/impor", "/proposals/impor/templat.xlsx"} {
				if r := c.get(path); r.Status != http.StatusForbidden {
					t.Errorf("GET %s by a non-pemda = %d, want 403", path, r.Status)
				}
			}
		}
		if r := approver.postFile("/proposals/impor", map[string]string{"csrf_token": approver.get("/").csrf(t)}, "usulan.xlsx", good); r.Status != http.StatusForbidden {
			t.Errorf("POST /proposals/impor by the approver = %d, want 403", r.Status)
		}

		// Hostile input: never a 500, nothing filed.
		before = proposalCount(t, e.Pemda)
		for _, h := range []struct {
			name   string
			fields map[string]string
			file   string
			data   []byte
			status int
		}{
			{"no file", nil, "", nil, http.StatusBadRequest},
			{"a CSV", nil, "usulan.csv", []byte("No;Judul\n1;A\n"), http.StatusUnsupportedMediaType},
			{"NUL bytes", nil, "usulan.xlsx", []byte("PK\x03\x04\x00\x00\xff\xfe"), http.StatusUnsupportedMediaType},
			{"bad base64", map[string]string{"commit": "1", "data": "%%%不是"}, "", nil, http.StatusBadRequest},
			{"base64 of junk", map[string]string{"commit": "1", "data": "AAAA", "file_name": "\xff\xfe"}, "", nil, http.StatusUnsupportedMediaType},
			{"too large to carry", map[string]string{"commit": "1", "data": strings.Repeat("A", 1<<21)}, "", nil, http.StatusRequestEntityTooLarge},
		} {
			fields := map[string]string{"csrf_token": token}
			for k, v := range h.fields {
				fields[k] = v
			}
			r := pemda.postFile("/proposals/impor", fields, h.file, h.data)
			if r.Status >= 500 || r.Status != h.status || !strings.Contains(r.Body, `data-error-for="file"`) {
				t.Errorf("%s = %d, want %d beside the upload\n%.2000s", h.name, r.Status, h.status, r.Body)
			}
		}
		// A NUL in the file's name: the form itself is unreadable (the
		// error page's 400, as for every page form).
		if r := pemda.postFile("/proposals/impor", map[string]string{"csrf_token": token}, "usulan\x00.xlsx", good); r.Status != http.StatusBadRequest {
			t.Errorf("a NUL in the file name = %d, want 400", r.Status)
		}
		for _, q := range []string{"?dibuat=abc", "?dibuat=0,-1", "?dibuat=" + strings.Repeat("999999,", 2000), "?dibuat=%00%ff"} {
			if r := pemda.get("/proposals/impor" + q); r.Status != http.StatusOK || strings.Contains(r.Body, "data-created") {
				t.Errorf("GET /proposals/impor%.40s = %d", q, r.Status)
			}
		}
		if n := proposalCount(t, e.Pemda); n != before {
			t.Errorf("hostile input filed %d proposals", n-before)
		}
	})
}

// checkSameSheet compares a page's download with the API's: the same
// status, media type and cells.
func checkSameSheet(t *testing.T, what, format string, page htmlPage, status int, header http.Header, body []byte) {
	t.Helper()
	ct := page.Header.Get("Content-Type")
	wantCT := "text/csv"
	if format == "xlsx" {
		wantCT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	if page.Status != http.StatusOK || status != http.StatusOK || !strings.HasPrefix(ct, wantCT) || ct != header.Get("Content-Type") {
		t.Fatalf("%s = %d %q (API %d %q), want 200 %s", what, page.Status, ct, status, header.Get("Content-Type"), wantCT)
	}
	if format == "csv" {
		if page.Body != string(body) {
			t.Errorf("%s differs from the API's:\n%s\n---\n%s", what, page.Body, body)
		}
		if strings.Count(page.Body, "\n") < 2 {
			t.Errorf("%s has no data row:\n%s", what, page.Body)
		}
		return
	}
	got, want := sheetRows(t, what, []byte(page.Body)), sheetRows(t, what+" (API)", body)
	if len(got) < 2 || !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("%s rows differ from the API's:\n%q\n---\n%q", what, got, want)
	}
}
