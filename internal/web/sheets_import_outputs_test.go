package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"dakflow/internal/web/apitest"
)

// keluaranRows writes rows into sheet Keluaran from row 3, under its
// example.
func keluaranRows(t *testing.T, rows [][]any) func(f *excelize.File) {
	return func(f *excelize.File) {
		for i, row := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, 3+i)
			if err := f.SetSheetRow("Keluaran", cell, &row); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestProposalImportOutputs: the import template has a sheet Keluaran,
// its rows tied to a proposal by No as the RAB's are (issue 12); a bad
// output is named by sheet, row and column in the dry run, and the
// outputs of a committed import are the draft's, read back through the API.
func TestProposalImportOutputs(t *testing.T) {
	e := apitest.NewEnv(t)
	tr := e.Pemda.Do("GET", "/api/v1/proposals/import-template", nil, nil)
	if tr.Status != http.StatusOK {
		t.Fatalf("GET /proposals/import-template = %d", tr.Status)
	}
	tf, err := excelize.OpenReader(bytes.NewReader(tr.Body))
	if err != nil {
		t.Fatal(err)
	}
	header, _ := tf.GetRows("Keluaran")
	petunjuk, _ := tf.GetRows("Petunjuk")
	tf.Close()
	if len(header) < 2 || strings.Join(header[0], "|") != "No usulan|Uraian|Volume|Satuan" || header[1][0] != "Contoh" {
		t.Fatalf("template sheet Keluaran = %q, want its header and the example", header)
	}
	if !strings.Contains(fmt.Sprint(petunjuk), "Keluaran: Volume") {
		t.Errorf("sheet Petunjuk says nothing of the Keluaran columns: %q", petunjuk)
	}

	usulan := [][]any{{1, 2027, "pembangunan", "Pembangunan Sentra IKM Anyaman Rotan", "", "Sentra Anyaman Rotan Keluaran", "Anyaman rotan",
		"18.71.01.1005", "Jalan Rotan 1", 12, 40, 1500, "milik_pemda", "SHM 7/2021"}}
	rab := [][]any{{1, "gedung_produksi", "Gedung produksi", 1, "paket", 300_000_000}}

	bad := filled(t, tr.Body, usulan, rab, keluaranRows(t, [][]any{
		{1, "", 0, "unit"},
		{1, "Mesin anyam", "empat", "unit"},
		{9, "Tanpa usulan", 1, "unit"},
	}))
	for _, q := range []string{"", "?commit=1"} {
		want := http.StatusOK
		if q != "" {
			want = http.StatusUnprocessableEntity
		}
		rep := postImport(t, e.Pemda, q, bad, want)
		for _, c := range []struct{ cell, words string }{
			{"B3", "uraian keluaran wajib diisi"},
			{"C3", "volume harus antara 1"},
			{"C4", ""},
			{"A5", "tidak ada usulan dengan No 9"},
		} {
			if !rep.names("Keluaran", c.cell, c.words) {
				t.Errorf("import%s: Keluaran!%s not named with %q:\n%s", q, c.cell, c.words, rep)
			}
		}
		for _, er := range rep.Errors {
			if er.Sheet == "Keluaran" && er.Field == "C3" && er.Column != "Volume" {
				t.Errorf("import%s: Keluaran!C3 named in column %q, want Volume", q, er.Column)
			}
		}
		if rep.Valid != 0 {
			t.Errorf("import%s: %d valid rows, want 0:\n%s", q, rep.Valid, rep)
		}
	}

	good := filled(t, tr.Body, usulan, rab, keluaranRows(t, [][]any{
		{1, "Gedung produksi anyaman", 1, "unit"},
		{1, "Mesin anyam", 4, "unit"},
	}))
	if rep := postImport(t, e.Pemda, "", good, http.StatusOK); rep.Valid != 1 || len(rep.Errors) != 0 {
		t.Fatalf("dry run with outputs: %+v\n%s", rep, rep)
	}
	if rep := postImport(t, e.Pemda, "?commit=1", good, http.StatusCreated); rep.Imported != 1 {
		t.Fatalf("commit with outputs: %+v\n%s", rep, rep)
	}
	// The draft as the API reads it back.
	var l struct {
		Items []struct {
			Outputs []map[string]any `json:"outputs"`
		} `json:"items"`
	}
	e.Pemda.Do("GET", "/api/v1/proposals?q=Anyaman+Rotan", nil, nil).Decode(t, &l)
	if len(l.Items) != 1 {
		t.Fatalf("imported proposals found: %+v", l.Items)
	}
	got := l.Items[0]
	want := []map[string]any{
		{"description": "Gedung produksi anyaman", "volume": float64(1), "unit": "unit"},
		{"description": "Mesin anyam", "volume": float64(4), "unit": "unit"},
	}
	if diff := cmp.Diff(want, got.Outputs); diff != "" {
		t.Errorf("outputs of the imported draft (-want +got):\n%s", diff)
	}
}
