package web_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"dakflow/internal/dak"
	"dakflow/internal/web/apitest"
)

// proposalReport is the answer of POST /proposals/import.
type proposalReport struct {
	Rows      int  `json:"rows"`
	Valid     int  `json:"valid"`
	Committed bool `json:"committed"`
	Imported  int  `json:"imported"`
	Errors    []struct {
		Sheet  string `json:"sheet"`
		Field  string `json:"field"`
		Row    int    `json:"row"`
		Column string `json:"column"`
		Reason string `json:"reason"`
	} `json:"errors"`
}

func (r proposalReport) String() string {
	var b strings.Builder
	for _, e := range r.Errors {
		fmt.Fprintf(&b, "%s!%s (%d, %s): %s\n", e.Sheet, e.Field, e.Row, e.Column, e.Reason)
	}
	return b.String()
}

// names reports whether the report names sheet!cell with reason words.
func (r proposalReport) names(sheet, cell, words string) bool {
	for _, e := range r.Errors {
		if e.Sheet == sheet && e.Field == cell && strings.Contains(e.Reason, words) {
			return true
		}
	}
	return false
}

func postImport(t *testing.T, c *apitest.Client, query string, data []byte, want int) proposalReport {
	t.Helper()
	r := c.Multipart("/api/v1/proposals/import"+query, nil, "file", "usulan.xlsx", data)
	if r.Status != want {
		t.Fatalf("POST /proposals/import%s = %d %s, want %d", query, r.Status, r.Body, want)
	}
	var rep proposalReport
	r.Decode(t, &rep)
	return rep
}

func proposalCount(t *testing.T, c *apitest.Client) int {
	t.Helper()
	var l struct {
		Total int `json:"total"`
	}
	c.Do("GET", "/api/v1/proposals?per_page=1", nil, nil).Decode(t, &l)
	return l.Total
}

// filled is the pemda's template with rows added under the examples:
// usulan from row 3 of sheet Usulan, rab from row 4 of sheet RAB; edit
// changes it further (a formula, a merge).
func filled(t *testing.T, template []byte, usulan, rab [][]any, edit func(f *excelize.File)) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(template))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for i, row := range usulan {
		cell, _ := excelize.CoordinatesToCellName(1, 3+i)
		if err := f.SetSheetRow("Usulan", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	for i, row := range rab {
		cell, _ := excelize.CoordinatesToCellName(1, 4+i)
		if err := f.SetSheetRow("RAB", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	if edit != nil {
		edit(f)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func proposalImport(t *testing.T, e *apitest.Env) {
	tr := e.Pemda.Do("GET", "/api/v1/proposals/import-template", nil, nil)
	if tr.Status != http.StatusOK || !strings.Contains(tr.Header.Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("GET /proposals/import-template = %d %v", tr.Status, tr.Header)
	}
	tf, err := excelize.OpenReader(bytes.NewReader(tr.Body))
	if err != nil {
		t.Fatal(err)
	}
	if sheets := tf.GetSheetList(); strings.Join(sheets, ",") != "Usulan,RAB,Keluaran,Petunjuk" {
		t.Errorf("template sheets %q", sheets)
	}
	if h, _ := tf.GetCellValue("Usulan", "H1"); h != "Kode desa" {
		t.Errorf("template Usulan!H1 = %q", h)
	}
	tf.Close()
	if r := e.Verifier.Do("GET", "/api/v1/proposals/import-template", nil, nil); r.Status != http.StatusForbidden {
		t.Errorf("template as verifier = %d, want 403", r.Status)
	}
	// The template as downloaded holds only examples: nothing to import.
	if rep := postImport(t, e.Pemda, "", tr.Body, http.StatusOK); rep.Rows != 0 || !rep.names("Usulan", "file", "tidak ada baris usulan") {
		t.Errorf("the bare template: %+v\n%s", rep, rep)
	}

	before := proposalCount(t, e.Pemda)
	good := filled(t, tr.Body, [][]any{
		{1, 2027, "pembangunan", "Pembangunan Sentra IKM Anyaman Pandan", "", "Sentra Anyaman Pandan Impor", "Anyaman pandan",
			"18.71.01.1005", "Jalan Pandan 1", 12, 40, 1500, "milik_pemda", "SHM 1/2020"},
		{2, 2027, "pembangunan", "Pembangunan Sentra IKM Gula Aren", "18.71", "Sentra Gula Aren Impor", "Gula aren",
			"18.71.02.1004", "Jalan Aren 2", 8, 20, 900, "hibah", ""},
	}, [][]any{
		{1, "gedung_produksi", "Gedung produksi", 1, "paket", 300_000_000},
		{1, "mesin_peralatan", "Mesin anyam", 4, "unit", 12_500_000},
		{2, "mesin_peralatan", "Alat masak gula", 2, "unit", 25_000_000},
	}, nil)
	rep := postImport(t, e.Pemda, "", good, http.StatusOK)
	if rep.Rows != 2 || rep.Valid != 2 || len(rep.Errors) != 0 || rep.Committed {
		t.Fatalf("dry run of a good file: %+v\n%s", rep, rep)
	}
	if n := proposalCount(t, e.Pemda); n != before {
		t.Fatalf("a dry run filed %d proposals", n-before)
	}
	rep = postImport(t, e.Pemda, "?commit=1", good, http.StatusCreated)
	if !rep.Committed || rep.Imported != 2 {
		t.Fatalf("commit: %+v", rep)
	}
	var l struct {
		Items []map[string]any `json:"items"`
	}
	e.Pemda.Do("GET", "/api/v1/proposals?q=Gula+Aren", nil, nil).Decode(t, &l)
	if len(l.Items) != 1 || l.Items[0]["state"] != e.Engine.Current().Initial || l.Items[0]["region_code"] != "18.71" ||
		l.Items[0]["requested_amount"].(float64) != 50_000_000 {
		t.Errorf("imported draft: %v", l.Items)
	}
	e.Pemda.Do("GET", "/api/v1/proposals?q=Anyaman+Pandan", nil, nil).Decode(t, &l)
	if len(l.Items) != 1 || l.Items[0]["requested_amount"].(float64) != 350_000_000 || len(l.Items[0]["budget_lines"].([]any)) != 2 {
		t.Errorf("imported draft: %v", l.Items)
	}

	// The bad cells: each named, nothing filed.
	before = proposalCount(t, e.Pemda)
	bad := filled(t, tr.Body, [][]any{
		{1, "15/01/2027", "revitalisasi", "", "", "Sentra A", "Batik", "18.71.01.1999"},
		{2, 2027, "revitalisasi", "Judul dua", "", "Sentra B", "Kopi", "18.71.01.1003"},
		{3, 2027, "revitalisasi", "Judul tiga", "99.99", "Sentra C", "Kopi"},
	}, [][]any{
		{1, "mesin_peralatan", "Mesin", 2, "unit", "1.250.000"},
		{7, "mesin_peralatan", "Mesin", 2, "unit", 1_250_000},
	}, func(f *excelize.File) {
		if err := f.SetCellFormula("Usulan", "D3", `"Judul "&"rumus"`); err != nil {
			t.Fatal(err)
		}
		if err := f.MergeCell("Usulan", "G4", "G5"); err != nil {
			t.Fatal(err)
		}
	})
	for _, q := range []string{"", "?commit=1"} {
		want := http.StatusOK
		if q != "" {
			want = http.StatusUnprocessableEntity
		}
		rep := postImport(t, e.Pemda, q, bad, want)
		for _, c := range []struct{ sheet, cell, words string }{
			{"Usulan", "B3", "tanggal tertulis sebagai teks"},
			{"Usulan", "D3", "rumus"},
			{"Usulan", "H3", "tidak terdaftar"},
			{"Usulan", "G4", "sel gabungan G4:G5"},
			{"Usulan", "G5", "sel gabungan G4:G5"},
			{"Usulan", "E5", "wilayah"},
			{"RAB", "F4", "pemisah ribuan"},
			{"RAB", "A5", "tidak ada usulan dengan No 7"},
		} {
			if !rep.names(c.sheet, c.cell, c.words) {
				t.Errorf("import%s: %s!%s not named with %q:\n%s", q, c.sheet, c.cell, c.words, rep)
			}
		}
		if rep.Rows != 3 || rep.Valid != 0 {
			t.Errorf("import%s: rows %d valid %d, want 3 and 0", q, rep.Rows, rep.Valid)
		}
	}
	if n := proposalCount(t, e.Pemda); n != before {
		t.Fatalf("a refused import filed %d proposals", n-before)
	}

	// All or nothing: the second row is refused only when filed (its new
	// sentra already in the registry); the first is not kept.
	e.RegisterSentra(t, "18.71.01.1003", "Sentra Gerabah Terdaftar", "Gerabah", dak.SentraAktif)
	late := filled(t, tr.Body, [][]any{
		{1, 2027, "pembangunan", "Pembangunan Sentra IKM Rotan", "", "Sentra Rotan Impor", "Rotan", "18.71.02.1004"},
		{2, 2027, "pembangunan", "Pembangunan Sentra IKM Gerabah", "", "Sentra Gerabah Terdaftar", "Gerabah", "18.71.01.1003"},
	}, nil, nil)
	rep = postImport(t, e.Pemda, "?commit=1", late, http.StatusUnprocessableEntity)
	if len(rep.Errors) == 0 || rep.Errors[0].Sheet != "Usulan" || rep.Errors[0].Row != 4 {
		t.Errorf("commit refused at filing: %+v\n%s", rep, rep)
	}
	if n := proposalCount(t, e.Pemda); n != before {
		t.Fatalf("a refused commit kept %d proposals", n-before)
	}

	// 50,000 rows, written straight as a workbook's XML: refused at the
	// cap, named, nothing read past it.
	buf := bigWorkbook(t, 50_000)
	rep = postImport(t, e.Pemda, "?commit=1", buf, http.StatusUnprocessableEntity)
	if !rep.names("Usulan", "baris 1002", "paling banyak 1.000") || rep.Imported != 0 {
		t.Errorf("50,000 rows: %+v\n%s", rep, rep)
	}
	if n := proposalCount(t, e.Pemda); n != before {
		t.Fatalf("an oversized file filed %d proposals", n-before)
	}

	// Not the template's workbook: a CSV, binary junk.
	for name, data := range map[string][]byte{"csv": []byte("No,Judul\n1,Satu\n"), "nul": []byte("PK\x03\x04\x00\x00junk")} {
		if r := e.Pemda.Multipart("/api/v1/proposals/import", nil, "file", "x."+name, data); r.Status != http.StatusUnsupportedMediaType {
			t.Errorf("import of %s = %d %s, want 415", name, r.Status, r.Body)
		}
	}
}

// bigWorkbook is the smallest workbook whose sheet "Usulan" has a header
// and n rows, its XML written directly: excelize takes seconds for as many.
func bigWorkbook(t *testing.T, n int) []byte {
	t.Helper()
	var sheet strings.Builder
	sheet.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>No</t></is></c><c r="B1" t="inlineStr"><is><t>Tahun anggaran</t></is></c></row>`)
	for i := 2; i <= n+1; i++ {
		fmt.Fprintf(&sheet, `<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d"><v>2027</v></c></row>`, i, i, i-1, i)
	}
	sheet.WriteString(`</sheetData></worksheet>`)
	files := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<sheets><sheet name="Usulan" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`},
		{"xl/worksheets/sheet1.xml", sheet.String()},
	}
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := z.Create(f.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, f.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
