package web_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"dakflow/internal/web/apitest"
)

// importReport is the answer of POST /sentra/import, and the body of its
// refused commit.
type importReport struct {
	Rows      int  `json:"rows"`
	Valid     int  `json:"valid"`
	Committed bool `json:"committed"`
	Imported  int  `json:"imported"`
	Errors    []struct {
		Field  string `json:"field"`
		Row    int    `json:"row"`
		Column string `json:"column"`
		Reason string `json:"reason"`
	} `json:"errors"`
}

// cells lists a report's bad cells as "C5 nama sentra: reason".
func (r importReport) cells() []string {
	var out []string
	for _, e := range r.Errors {
		out = append(out, fmt.Sprintf("%s %d %s: %s", e.Field, e.Row, e.Column, e.Reason))
	}
	return out
}

func importFile(t *testing.T, c *apitest.Client, query, name string, data []byte, want int) importReport {
	t.Helper()
	r := c.Multipart("/api/v1/sentra/import"+query, nil, "file", name, data)
	if r.Status != want {
		t.Fatalf("POST /sentra/import%s %s = %d %s, want %d", query, name, r.Status, r.Body, want)
	}
	var rep importReport
	r.Decode(t, &rep)
	return rep
}

// matchCells checks that each bad cell is named with its reason (want
// holds "C5: words of the reason"), and no other.
func matchCells(t *testing.T, rep importReport, want []string) {
	t.Helper()
	var got []string
	for _, e := range rep.Errors {
		got = append(got, e.Field)
	}
	var wantCells []string
	for _, w := range want {
		cell, words, _ := strings.Cut(w, ": ")
		wantCells = append(wantCells, cell)
		for _, e := range rep.Errors {
			if e.Field == cell && !strings.Contains(e.Reason, words) {
				t.Errorf("cell %s: %q, want it to say %q", cell, e.Reason, words)
			}
		}
	}
	if diff := cmp.Diff(wantCells, got); diff != "" {
		t.Errorf("bad cells (-want +got):\n%s\nreport: %s", diff, strings.Join(rep.cells(), "\n"))
	}
}

// sentraImportCSV: a Direktori Sentra as CSV (semicolons, as an
// Indonesian Excel saves it): the dry run names every bad cell and imports
// nothing, a commit with bad cells is a 422 with the same report, a clean
// file imports every row in one go.
func sentraImportCSV(t *testing.T, e *apitest.Env) {
	before, _ := sentraTotal(t, e.Verifier, "")
	file := strings.Join([]string{
		"No.;Kode Desa;Nama Sentra;Komoditas/Produk;Jumlah Unit Usaha;Jumlah Tenaga Kerja;Tahun Berdiri;Lintang;Bujur",
		"1;18.71.02.1003;Sentra Keripik Pisang;Keripik pisang;25;80;2005;-5,38;105,29",
		"2;18.71.02.1004;Sentra Kopi;Kopi;1.250;abc;12/05/2010;;",
		"3;18.71.01.1999;Sentra Rotan;Rotan;=SUM(A1:A2);10;Tahun 2010;;",
		"4;73.71.01.1001;Sentra Perak;Perak;5;5;2015;;",
		"5;18.71.02.1003;sentra keripik  PISANG;Keripik;1,5;-3;2099;35,1;105,29",
		"6;18.71.01.1003;SENTRA TENUN TAPIS;Tenun;3;4;1998;;",
		";;;;;;;;",
		"7;18.71.02.1006;Sentra Anyaman;Anyaman bambu;12;30;;;",
		"8;18.71.02.1006;Sentra \xff;Anyaman;1;1;;;",
	}, "\r\n")
	rep := importFile(t, e.Pemda, "", "direktori.csv", []byte(file), http.StatusOK)
	if rep.Rows != 8 || rep.Valid != 2 || rep.Committed || rep.Imported != 0 {
		t.Errorf("report %d rows, %d valid, committed %v, imported %d; want 8, 2, false, 0", rep.Rows, rep.Valid, rep.Committed, rep.Imported)
	}
	matchCells(t, rep, []string{
		"E3: pemisah ribuan (titik)", "F3: bukan angka", "G3: tanggal, bukan tahun",
		"B4: tidak terdaftar", "E4: rumus", "G4: bukan tahun",
		"B5: tidak berada di wilayah 18.71",
		"C6: sudah ada di baris 2", "E6: bilangan bulat", "F6: antara 0", "G6: tahun berdiri harus antara", "H6: lintang di luar wilayah Indonesia",
		"C7: sudah terdaftar di registri",
		"C10: bukan teks UTF-8",
	})
	if e := rep.Errors[0]; e.Row != 3 || e.Column != "Jumlah Unit Usaha" {
		t.Errorf("first error names row %d column %q, want 3 and the file's header", e.Row, e.Column)
	}
	if total, _ := sentraTotal(t, e.Verifier, ""); total != before {
		t.Errorf("%d sentra after a dry run, want %d", total, before)
	}

	r := e.Pemda.Multipart("/api/v1/sentra/import?commit=1", nil, "file", "direktori.csv", []byte(file))
	var refused importReport
	r.Decode(t, &refused)
	if r.Status != http.StatusUnprocessableEntity || r.Header.Get("Content-Type") != "application/problem+json" ||
		refused.Rows != rep.Rows || refused.Valid != rep.Valid || !cmp.Equal(refused.cells(), rep.cells()) {
		t.Errorf("commit with bad cells = %d %s, want 422 with the dry run's report", r.Status, r.Body)
	}
	if total, _ := sentraTotal(t, e.Verifier, ""); total != before {
		t.Errorf("%d sentra after a refused commit, want %d: nothing imported", total, before)
	}

	clean := "kode_desa,nama sentra,KOMODITAS,jumlah tenaga kerja\n" +
		"18.71.02.1003,Sentra Keripik Pisang,Keripik pisang,80\n" +
		"18.71.02.1006,\"Sentra Anyaman, Bambu\",Anyaman,30\n"
	rep = importFile(t, e.Pemda, "?commit=1", "bersih.csv", []byte(clean), http.StatusCreated)
	if rep.Rows != 2 || rep.Valid != 2 || !rep.Committed || rep.Imported != 2 || len(rep.Errors) != 0 {
		t.Errorf("clean commit = %+v", rep)
	}
	total, names := sentraTotal(t, e.Pemda, "q=anyaman")
	if total != 1 || names[0] != "Sentra Anyaman, Bambu" {
		t.Errorf("imported records: %d %v", total, names)
	}
	var l struct{ Items []sentraOut }
	e.Pemda.Do("GET", "/api/v1/sentra?q=keripik", nil, nil).Decode(t, &l)
	var s sentraOut
	if len(l.Items) == 1 {
		s = l.Items[0]
	}
	if s.Status != "aktif" || s.StatusBasis != "Impor Direktori Sentra" || s.RegionCode != "18.71" {
		t.Errorf("an imported record: %+v", s)
	}

	for _, tt := range []struct {
		name, query string
		data        []byte
		want        int
	}{
		{"a PDF", "", apitest.PDFBytes("bukan tabel"), http.StatusUnsupportedMediaType},
		{"UTF-16 text, with NUL bytes", "", []byte("k\x00o\x00d\x00e\x00"), http.StatusUnsupportedMediaType},
		{"an old .xls", "", []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, http.StatusUnsupportedMediaType},
		{"a broken XLSX", "", []byte("PK\x03\x04 not a zip"), http.StatusUnsupportedMediaType},
		{"commit=ya", "?commit=ya", []byte(clean), http.StatusBadRequest},
	} {
		if r := e.Pemda.With(t).Multipart("/api/v1/sentra/import"+tt.query, nil, "file", "x", tt.data); r.Status != tt.want {
			t.Errorf("import %s = %d, want %d: %s", tt.name, r.Status, tt.want, r.Body)
		}
	}
	if r := e.Pemda.With(t).Multipart("/api/v1/sentra/import", map[string]string{"berkas": "x"}, "lain", "x.csv", []byte(clean)); r.Status != http.StatusBadRequest {
		t.Errorf("import without a file field = %d, want 400", r.Status)
	}
	if r := e.Pemda.With(t).Do("POST", "/api/v1/sentra/import", clean, nil); r.Status != http.StatusUnsupportedMediaType {
		t.Errorf("import as JSON = %d, want 415", r.Status)
	}

	missing := importFile(t, e.Pemda, "", "judul.csv", []byte("Kode Desa,Komoditas\n18.71.02.1003,Kopi\n"), http.StatusOK)
	matchCells(t, missing, []string{"file: kolom wajib \"nama sentra\""})
	empty := importFile(t, e.Pemda, "", "kosong.csv", []byte("\n\n"), http.StatusOK)
	matchCells(t, empty, []string{"baris 1: berkas kosong"})

	// More than 10,000 data rows: the first row past the limit is named and
	// nothing after it is read.
	var big bytes.Buffer
	w := csv.NewWriter(&big)
	_ = w.Write([]string{"kode desa", "nama sentra", "komoditas"})
	for i := 0; i <= 10_000; i++ {
		_ = w.Write([]string{"18.71.02.1003", fmt.Sprintf("Sentra %d", i), "Kopi"})
	}
	w.Flush()
	rep = importFile(t, e.Verifier, "", "besar.csv", big.Bytes(), http.StatusOK)
	if rep.Rows != 10_000 || len(rep.Errors) != 1 || rep.Errors[0].Row != 10_002 || !strings.Contains(rep.Errors[0].Reason, "10.000") {
		t.Errorf("a file of 10,001 rows: %d rows, errors %v", rep.Rows, rep.cells())
	}
}

// sentraImportXLSX: what only a workbook can hold — a formula, a
// merged cell, a number kept as text, a year formatted as a date — is
// named cell by cell; typed numbers are read as numbers.
func sentraImportXLSX(t *testing.T, e *apitest.Env) {
	f := excelize.NewFile()
	defer f.Close()
	const sh = "Sheet1"
	rows := [][]any{
		{"Kode desa", "Nama sentra", "Komoditas/produk", "Jumlah unit usaha", "Jumlah tenaga kerja", "Tahun berdiri", "Provinsi"},
		{"18.71.01.1005", "Sentra Keripik Talas", "Keripik talas", 25, 80, 2005, "Lampung"},
		{"18.71.02.1004", "Sentra Kopi", "Kopi", "1.250", "40", "2010", "Lampung"},
		{"18.71.02.1006", "Sentra Rotan", "Rotan", 0, 12, 40179, "Lampung"},
		{"18.71.01.1003", "Sentra Batik", "Batik", 3, 9, 2012, "Lampung"},
		{"18.71.01.1004", "Sentra Batik", "Batik", 3, 9, 2012, "Lampung"},
		{"74.05.01.2003", "Sentra Tahu", "Tahu tempe", 10, 30, 2001, "Sulawesi Tenggara"},
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sh, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetCellFormula(sh, "D4", "=2*6"))             // a formula
	must(f.MergeCell(sh, "C5", "C6"))                    // two rows' commodity in one merged cell
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14}) // 40179 shown as 01-01-2010
	must(err)
	must(f.SetCellStyle(sh, "F4", "F4", date))
	buf, err := f.WriteToBuffer()
	must(err)

	rep := importFile(t, e.Verifier, "", "direktori.xlsx", buf.Bytes(), http.StatusOK)
	if rep.Rows != 6 || rep.Valid != 2 {
		t.Errorf("report: %d rows, %d valid; want 6 and 2", rep.Rows, rep.Valid)
	}
	matchCells(t, rep, []string{
		"D3: pemisah ribuan", "E3: angka tertulis sebagai teks", "F3: tahun tertulis sebagai teks",
		"D4: rumus", "F4: berformat tanggal",
		"C5: sel gabungan C5:C6", "C6: sel gabungan C5:C6",
	})
	// A pemda's file: a desa of another region is named.
	rep = importFile(t, e.Pemda, "", "direktori.xlsx", buf.Bytes(), http.StatusOK)
	found := false
	for _, c := range rep.cells() {
		found = found || strings.HasPrefix(c, "A7 7 Kode desa: desa/kelurahan 74.05.01.2003 tidak berada di wilayah 18.71")
	}
	if !found {
		t.Errorf("a pemda's import of another region's desa: %v", rep.cells())
	}

	// The same sheet made right imports, typed numbers as numbers.
	good := excelize.NewFile()
	defer good.Close()
	for i, row := range [][]any{rows[0], rows[1], rows[6]} {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		must(good.SetSheetRow(sh, cell, &row))
	}
	buf, err = good.WriteToBuffer()
	must(err)
	rep = importFile(t, e.Verifier, "?commit=1", "baik.xlsx", buf.Bytes(), http.StatusCreated)
	if rep.Imported != 2 {
		t.Errorf("imported %d, want 2: %v", rep.Imported, rep.cells())
	}
	var l struct {
		Items []sentraOut `json:"items"`
	}
	e.Verifier.Do("GET", "/api/v1/sentra?q=talas", nil, nil).Decode(t, &l)
	if len(l.Items) != 1 || l.Items[0].IKMUnits != 25 || l.Items[0].RegionCode != "18.71" {
		t.Errorf("imported: %+v", l.Items)
	}
}

// sentraExport: the filtered registry as CSV and XLSX, with a header row,
// Indonesian labels and, in XLSX, number cells typed as numbers; a name a
// spreadsheet would compute is written as text. e holds TestSentraRegistryAPI's
// records: the pemda's Sentra Tenun Tapis (kurang aktif, 21 units) and
// Makassar's Sentra Kerajinan Perak.
func sentraExport(t *testing.T, e *apitest.Env) {
	mustSentra(t, e.Pemda, with(tapis("=HYPERLINK(\"x\")"), "village_code", "18.71.02.1004"))

	r := e.Pemda.Do("GET", "/api/v1/sentra?format=csv", nil, nil)
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(r.Header.Get("Content-Disposition"), ".csv") {
		t.Fatalf("GET /sentra?format=csv = %d %s %s", r.Status, r.Header, r.Body)
	}
	records, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if records[0][1] != "Nama sentra" || records[0][15] != "Status" || records[0][10] != "Jumlah unit usaha" {
		t.Fatalf("CSV header: %q", records[0])
	}
	byName := map[string][]string{}
	for _, rec := range records[1:] {
		byName[rec[1]] = rec
	}
	if got := byName["Sentra Tenun Tapis"]; got == nil || got[15] != "Kurang aktif" || got[8] != "-5,41" || got[4] != "Kota Bandar Lampung" ||
		got[6] != "Kedaton" || got[10] != "21" || got[12] != "1998" {
		t.Errorf("CSV row of Sentra Tenun Tapis: %q", got)
	}
	if got := byName["'=HYPERLINK(\"x\")"]; got == nil || got[6] != "Way Dadi" {
		t.Errorf("the formula-like name is not written as text: %q", records)
	}
	if byName["Sentra Kerajinan Perak"] != nil {
		t.Error("the pemda's export holds Makassar's sentra")
	}

	r = e.Verifier.Do("GET", "/api/v1/sentra?format=xlsx&province=73", nil, nil)
	if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("GET /sentra?format=xlsx = %d %s", r.Status, r.Header)
	}
	f, err := excelize.OpenReader(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetList()[0]
	got, err := f.GetRows(sheet)
	if err != nil || len(got) != 2 || got[0][0] != "ID" || got[1][1] != "Sentra Kerajinan Perak" || got[1][15] != "Aktif" {
		t.Fatalf("XLSX rows %q, %v", got, err)
	}
	for _, cell := range []string{"A2", "I2", "J2", "K2", "L2", "M2"} {
		if typ, _ := f.GetCellType(sheet, cell); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("XLSX cell %s has type %v, want a number", cell, typ)
		}
	}
	if v, _ := f.GetCellValue(sheet, "I2", excelize.Options{RawCellValue: true}); v != "-5.14" {
		t.Errorf("latitude cell = %q, want the number -5.14", v)
	}
	if typ, _ := f.GetCellType(sheet, "B2"); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
		t.Errorf("name cell has type %v, want text", typ)
	}
	if note, _ := f.GetCellValue("Sumber data", "A1"); !strings.Contains(note, "idn-area-data") {
		t.Errorf("the workbook's source sheet says %q, want the region list's attribution", note)
	}
}
