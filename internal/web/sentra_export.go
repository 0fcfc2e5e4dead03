package web

import (
	"fmt"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/region"
	"dakflow/internal/store"
)

// maxSentraExport bounds one export, built in memory: the whole national
// registry (about 11,000 sentra IKM) fits several times over; more means
// a filter was meant.
const maxSentraExport = 50_000

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
	return sendSheet(c, name, format, sentraSheets(rows)...)
}

// sentraSheets are the registry's spreadsheet (sheet_write.go): the
// sheet "Registri Sentra", number cells typed as numbers, and in a
// workbook a sheet "Sumber data" with the region list's attribution, which
// its licence asks for beside published region names.
func sentraSheets(rows []dak.Sentra) []outSheet {
	columns := make([]sheetColumn, len(sentraColumns))
	for i, col := range sentraColumns {
		columns[i] = sheetColumn{col.header, col.width}
	}
	return []outSheet{
		{name: "Registri Sentra", columns: columns, rows: len(rows), row: func(r int, into []any) {
			for i, col := range sentraColumns {
				into[i] = col.value(rows[r])
			}
		}},
		{name: "Sumber data", rows: 1, row: func(_ int, into []any) { into[0] = region.Attribution() }},
	}
}
