package web_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"dakflow/internal/region"
	"dakflow/internal/web/apitest"
)

// TestSheets: the year's figures and the proposal list as CSV and XLSX,
// every number read back and compared with the JSON API's; the bulk
// import of proposals from the template.
func TestSheets(t *testing.T) {
	e := apitest.NewEnv(t)
	done := e.Create(t, "revitalisasi", false)
	e.WalkTo(t, done, false, "completed")
	e.Create(t, "pembangunan", false)
	if r := e.Other.Do("POST", "/api/v1/proposals", makassarInput(t), nil); r.Status != http.StatusCreated {
		t.Fatalf("create (Makassar) = %d %s", r.Status, r.Body)
	}
	t.Run("summary", func(t *testing.T) { summarySheets(t, e) })
	t.Run("list", func(t *testing.T) { listSheets(t, e) })
	t.Run("import", func(t *testing.T) { proposalImport(t, e) })
}

// figureRow is a summary group's numbers, in the spreadsheet's order.
type figureRow struct {
	Key              string  `json:"key"`
	Count            int64   `json:"count"`
	Requested        int64   `json:"requested_amount"`
	Recommended      int64   `json:"recommended_amount"`
	Allocated        int64   `json:"allocated_amount"`
	RK               int64   `json:"rk_amount"`
	DisbursedByStage []int64 `json:"disbursed_by_stage"`
	Disbursed        int64   `json:"disbursed_amount"`
	Absorbed         int64   `json:"absorbed_amount"`
	Lapsed           int64   `json:"lapsed_amount"`
	Left             int64   `json:"left_to_disburse"`
}

func (f figureRow) numbers() []int64 {
	out := append([]int64{f.Count, f.Requested, f.Recommended, f.Allocated, f.RK}, f.DisbursedByStage...)
	return append(out, f.Disbursed, f.Absorbed, f.Lapsed, f.Left)
}

func summarySheets(t *testing.T, e *apitest.Env) {
	year := apitest.Year
	r := e.Auditor.Do("GET", fmt.Sprintf("/api/v1/fiscal-years/%d/summary?group=province", year), nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("summary?group=province = %d %s", r.Status, r.Body)
	}
	var sum struct {
		Stages int         `json:"stages"`
		Groups []figureRow `json:"groups"`
		Total  figureRow   `json:"total"`
	}
	r.Decode(t, &sum)
	// The groups against the proposals the API lists: the same money.
	var list struct {
		Items []map[string]any `json:"items"`
	}
	e.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals?fiscal_year=%d&per_page=200", year), nil, nil).Decode(t, &list)
	want := map[string]figureRow{}
	for _, p := range list.Items {
		key := string(region.Code(p["region_code"].(string)).Province())
		g := want[key]
		g.Key = key
		g.Count++
		g.Requested += int64(p["requested_amount"].(float64))
		g.Recommended += int64(p["recommended_amount"].(float64))
		g.Allocated += int64(p["allocated_amount"].(float64))
		g.RK += int64(p["rk_amount"].(float64))
		g.Disbursed += int64(p["disbursed_amount"].(float64))
		g.Absorbed += int64(p["absorbed_amount"].(float64))
		want[key] = g
	}
	if len(sum.Groups) != len(want) || len(sum.Groups) < 2 || sum.Stages < 1 || sum.Total.Disbursed == 0 {
		t.Fatalf("summary groups %+v, stages %d; want the provinces of %d proposals, something disbursed", sum.Groups, sum.Stages, len(list.Items))
	}
	for _, g := range sum.Groups {
		w := want[g.Key]
		got := figureRow{Key: g.Key, Count: g.Count, Requested: g.Requested, Recommended: g.Recommended, Allocated: g.Allocated,
			RK: g.RK, Disbursed: g.Disbursed, Absorbed: g.Absorbed}
		if diff := cmp.Diff(w, got); diff != "" {
			t.Errorf("group %s against the list (-want +got):\n%s", g.Key, diff)
		}
	}

	// The XLSX: a title row, the header, a row per group and the total,
	// every amount a number cell equal to the JSON's.
	x := e.Auditor.Do("GET", fmt.Sprintf("/api/v1/fiscal-years/%d/summary?format=xlsx", year), nil, nil)
	if x.Status != http.StatusOK || x.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" ||
		!strings.Contains(x.Header.Get("Content-Disposition"), fmt.Sprintf(`filename="ringkasan-%d-provinsi.xlsx"`, year)) {
		t.Fatalf("summary?format=xlsx = %d %v", x.Status, x.Header)
	}
	f, err := excelize.OpenReader(bytes.NewReader(x.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	title, _ := f.GetCellValue("Ringkasan", "A1")
	header, _ := f.GetCellValue("Ringkasan", "D2")
	if !strings.Contains(title, strconv.Itoa(year)) || header != "Diusulkan (Rp)" {
		t.Errorf("title %q, header D2 %q", title, header)
	}
	rows := append(append([]figureRow{}, sum.Groups...), sum.Total)
	for i, g := range rows {
		n := i + 3
		for c, w := range g.numbers() {
			col := c + 3
			ref, _ := excelize.CoordinatesToCellName(col, n)
			if typ, _ := f.GetCellType("Ringkasan", ref); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
				t.Errorf("%s is of type %v, want a number", ref, typ)
			}
			raw, _ := f.GetCellValue("Ringkasan", ref, excelize.Options{RawCellValue: true})
			if raw != strconv.FormatInt(w, 10) {
				t.Errorf("XLSX %s = %q, want %d (group %q)", ref, raw, w, g.Key)
			}
			if c > 0 {
				if st, _ := f.GetCellStyle("Ringkasan", ref); st == 0 {
					t.Errorf("XLSX %s has no number format", ref)
				} else if s, _ := f.GetStyle(st); s.NumFmt != 3 {
					t.Errorf("XLSX %s number format %d, want 3 (#,##0)", ref, s.NumFmt)
				}
			}
		}
	}

	// The CSV: UTF-8 with a byte order mark, commas, plain integers.
	c := e.Auditor.Do("GET", fmt.Sprintf("/api/v1/fiscal-years/%d/summary?format=csv&group=province", year), nil, nil)
	if c.Status != http.StatusOK || !strings.HasPrefix(c.Header.Get("Content-Type"), "text/csv") || !bytes.HasPrefix(c.Body, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("summary?format=csv = %d %v %.20q", c.Status, c.Header, c.Body)
	}
	cr := csv.NewReader(bytes.NewReader(c.Body[3:]))
	cr.FieldsPerRecord = -1 // the title row has one field
	records, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != len(rows)+2 || records[len(records)-1][1] != "Jumlah" {
		t.Fatalf("CSV rows: %q", records)
	}
	for i, g := range rows {
		var got []int64
		for _, v := range records[i+2][2:] {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				t.Fatalf("CSV row %d: %q not an integer", i+3, v)
			}
			got = append(got, n)
		}
		if diff := cmp.Diff(g.numbers(), got); diff != "" {
			t.Errorf("CSV row of %q (-json +csv):\n%s", g.Key, diff)
		}
	}
	for _, bad := range []string{"?group=kecamatan", "?format=pdf"} {
		if r := e.Auditor.Do("GET", fmt.Sprintf("/api/v1/fiscal-years/%d/summary%s", year, bad), nil, nil); r.Status != http.StatusBadRequest {
			t.Errorf("summary%s = %d, want 400", bad, r.Status)
		}
	}
	if r := e.Pemda.Do("GET", fmt.Sprintf("/api/v1/fiscal-years/%d/summary?format=xlsx", year), nil, nil); r.Status != http.StatusForbidden {
		t.Errorf("summary?format=xlsx as pemda = %d, want 403", r.Status)
	}
}

// listSheets: the filtered list, every row's amounts equal to the API's.
func listSheets(t *testing.T, e *apitest.Env) {
	var list struct {
		Items []map[string]any `json:"items"`
		Total int              `json:"total"`
	}
	e.Verifier.Do("GET", "/api/v1/proposals?region=18&per_page=1", nil, nil).Decode(t, &list)
	var all struct {
		Items []map[string]any `json:"items"`
	}
	e.Verifier.Do("GET", "/api/v1/proposals?region=18&per_page=200", nil, nil).Decode(t, &all)
	want := map[string][]int64{}
	for _, p := range all.Items {
		var amounts []int64
		for _, k := range []string{"requested_amount", "recommended_amount", "allocated_amount", "rk_amount", "disbursed_amount", "absorbed_amount"} {
			amounts = append(amounts, int64(p[k].(float64)))
		}
		want[p["number"].(string)] = amounts
	}
	x := e.Verifier.Do("GET", "/api/v1/proposals?region=18&per_page=1&format=xlsx", nil, nil)
	if x.Status != http.StatusOK || !strings.Contains(x.Header.Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("proposals?format=xlsx = %d %s", x.Status, x.Body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(x.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Usulan", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows)-1 != list.Total || list.Total < 2 {
		t.Fatalf("XLSX has %d proposals, want all %d that match (not one page)", len(rows)-1, list.Total)
	}
	got := map[string][]int64{}
	for i, row := range rows[1:] {
		var amounts []int64
		for c := 7; c < 13; c++ {
			ref, _ := excelize.CoordinatesToCellName(c+1, i+2)
			if typ, _ := f.GetCellType("Usulan", ref); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
				t.Errorf("%s is of type %v, want a number", ref, typ)
			}
			n, _ := strconv.ParseInt(row[c], 10, 64)
			amounts = append(amounts, n)
		}
		got[row[0]] = amounts
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("XLSX amounts by number (-api +xlsx):\n%s", diff)
	}
	c := e.Verifier.Do("GET", "/api/v1/proposals?region=18&format=csv", nil, nil)
	records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(c.Body, []byte("\xEF\xBB\xBF")))).ReadAll()
	if err != nil || c.Status != http.StatusOK {
		t.Fatalf("proposals?format=csv = %d %v", c.Status, err)
	}
	got = map[string][]int64{}
	for _, rec := range records[1:] {
		var amounts []int64
		for _, v := range rec[7:13] {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				t.Fatalf("CSV %q: %q not an integer", rec[0], v)
			}
			amounts = append(amounts, n)
		}
		got[rec[0]] = amounts
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("CSV amounts by number (-api +csv):\n%s", diff)
	}
	// A pemda's download holds its own region's only.
	mine := e.Other.Do("GET", "/api/v1/proposals?format=csv", nil, nil)
	if !strings.Contains(string(mine.Body), ",73.71,") || strings.Contains(string(mine.Body), ",18.71,") {
		t.Errorf("another pemda's CSV:\n%s", mine.Body)
	}
}
