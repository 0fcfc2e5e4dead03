package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"dakflow/internal/dak"
	"dakflow/internal/region"
	"dakflow/internal/store"
)

// maxSentraExport bounds one export, built in memory: the whole national
// registry (about 11,000 sentra IKM) fits several times over; more means
// a filter was meant.
const maxSentraExport = 50_000

// xlsxType is the media type of an XLSX workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// sentraColumn is one column of the registry's spreadsheet: its
// Indonesian header and its cell, a number (int, float64) where the value
// is one, so that an XLSX cell is typed, or text.
type sentraColumn struct {
	header string
	width  float64
	value  func(s dak.Sentra) any
}

var sentraColumns = []sentraColumn{
	{"ID", 8, func(s dak.Sentra) any { return s.ID }},
	{"Nama sentra", 32, func(s dak.Sentra) any { return s.Name }},
	{"Komoditas/produk", 22, func(s dak.Sentra) any { return s.Commodity }},
	{"Kode wilayah", 12, func(s dak.Sentra) any { return s.RegionCode }},
	{"Wilayah", 26, func(s dak.Sentra) any { return s.RegionName }},
	{"Kode desa", 16, func(s dak.Sentra) any { return s.VillageCode }},
	{"Desa/kelurahan", 22, func(s dak.Sentra) any { return s.VillageName }},
	{"Alamat", 32, func(s dak.Sentra) any { return s.Address }},
	{"Lintang", 11, func(s dak.Sentra) any { return optional(s.Latitude) }},
	{"Bujur", 11, func(s dak.Sentra) any { return optional(s.Longitude) }},
	{"Jumlah unit usaha", 12, func(s dak.Sentra) any { return s.IKMUnits }},
	{"Jumlah tenaga kerja", 12, func(s dak.Sentra) any { return s.Workers }},
	{"Tahun berdiri", 10, func(s dak.Sentra) any { return optional(s.EstablishedYear) }},
	{"Nomor SK penetapan", 24, func(s dak.Sentra) any { return s.DecreeNumber }},
	{"Tanggal SK penetapan", 14, func(s dak.Sentra) any { return s.DecreeDate }},
	{"Status", 16, func(s dak.Sentra) any { return s.Status.Label() }},
	{"Tanggal status", 14, func(s dak.Sentra) any { return s.StatusDate }},
	{"Dasar status", 32, func(s dak.Sentra) any { return s.StatusBasis }},
}

// optional is a cell for a value that may be absent: empty, or the value.
func optional[T int | float64](v *T) any {
	if v == nil {
		return ""
	}
	return *v
}

// exportSentra answers the filtered registry as CSV or XLSX, built whole
// before the first byte is sent so that a failure is still an error
// answer, not a truncated file.
func (s *Server) exportSentra(c echo.Context, f store.SentraFilter, format string) error {
	var rows []dak.Sentra
	err := s.store.EachSentra(c.Request().Context(), f, func(sen dak.Sentra) error {
		if len(rows) == maxSentraExport {
			return &dak.Error{Kind: dak.ErrInvalid, Detail: "ekspor terlalu besar", Fields: []dak.FieldError{{Field: "format",
				Message: fmt.Sprintf("lebih dari %d sentra; persempit saringan (wilayah, provinsi, status)", maxSentraExport)}}}
		}
		rows = append(rows, sentraNamed(sen))
		return nil
	})
	if err != nil {
		return err
	}
	name := "registri-sentra-" + s.store.Now().In(dak.WIB).Format("20060102")
	var body []byte
	ct := "text/csv; charset=utf-8"
	if format == "xlsx" {
		body, err = sentraXLSX(rows)
		ct = xlsxType
	} else {
		body, err = sentraCSV(rows)
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+name+"."+format+`"`)
	return c.Blob(http.StatusOK, ct, body)
}

// sentraCSV writes the rows under a header row. Text that a spreadsheet
// would take for a formula (=, +, -, @ first) is prefixed with an
// apostrophe, so that a sentra's name never runs in the reader's Excel.
func sentraCSV(rows []dak.Sentra) ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	record := make([]string, len(sentraColumns))
	for i, col := range sentraColumns {
		record[i] = col.header
	}
	if err := w.Write(record); err != nil {
		return nil, err
	}
	for _, sen := range rows {
		for i, col := range sentraColumns {
			switch v := col.value(sen).(type) {
			case string:
				if v != "" && strings.ContainsRune("=+-@", rune(v[0])) {
					v = "'" + v
				}
				record[i] = v
			case float64:
				record[i] = dak.FormatCoordinate(v)
			default:
				record[i] = fmt.Sprint(v)
			}
		}
		if err := w.Write(record); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// sentraXLSX writes the rows as one sheet, "Registri Sentra", with a bold
// frozen header row and number cells typed as numbers, so that a reader's
// Excel formats them in its own (Indonesian) way, and a sheet "Sumber
// data" with the region list's attribution, which its licence asks for
// beside published region names.
func sentraXLSX(rows []dak.Sentra) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close() // an in-memory workbook: nothing to lose
	const sheet = "Registri Sentra"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	for i, col := range sentraColumns {
		if err := sw.SetColWidth(i+1, i+1, col.width); err != nil {
			return nil, err
		}
	}
	header := make([]any, len(sentraColumns))
	for i, col := range sentraColumns {
		header[i] = excelize.Cell{StyleID: bold, Value: col.header}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return nil, err
	}
	values := make([]any, len(sentraColumns))
	for r, sen := range rows {
		for i, col := range sentraColumns {
			values[i] = col.value(sen)
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+2) // row numbers are in range: at most maxSentraExport
		if err := sw.SetRow(cell, values); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	if _, err := f.NewSheet("Sumber data"); err != nil {
		return nil, err
	}
	if err := f.SetCellValue("Sumber data", "A1", region.Attribution()); err != nil {
		return nil, err
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
