package web

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/region"
)

// The XLSX template of a bulk import of proposals (PRODUCT.md §10): GET
// /api/v1/proposals/import-template. Sheet "Usulan" holds a proposal's
// essentials, one a row; sheet "RAB" its budget lines and sheet
// "Keluaran" its outputs, each keyed by the proposal's "No"; sheet
// "Petunjuk" says how to fill them. A row whose No is "Contoh" is the
// example and is never imported.

// The sheets of the template, as the import finds them by name.
const (
	usulanSheet   = "Usulan"
	rabSheet      = "RAB"
	keluaranSheet = "Keluaran"
	petunjukSheet = "Petunjuk"
	exampleKey    = "contoh" // the No of an example row, compared after headerKey
)

// templateField is a column of the template: its header, the JSON path
// of dak.ProposalInput it fills ("" for the row's No), how its cells are
// read, its width, and what the Petunjuk sheet says of it.
type templateField struct {
	header string
	path   string
	kind   cellKind
	width  float64
	note   string
}

// usulanFields are the columns of sheet "Usulan", in order.
var usulanFields = []templateField{
	{"No", "", countCell, 6, "Nomor baris usulan (1, 2, 3, …), unik; lembar RAB merujuk ke nomor ini. Wajib."},
	{"Tahun anggaran", "fiscal_year", yearCell, 10, "Tahun anggaran, empat angka (mis. 2027). Wajib."},
	{"Menu", "menu", textCell, 14, "pembangunan atau revitalisasi. Wajib."},
	{"Judul", "title", textCell, 40, "Judul usulan. Wajib."},
	{"Kode wilayah", "region_code", textCell, 12, "Kosongkan: wilayah akun Anda. Jika diisi, harus kode wilayah Anda (mis. 18.71)."},
	{"Nama sentra", "sentra.name", textCell, 28, "Nama Sentra IKM; revitalisasi sentra terdaftar: nama persis di registri."},
	{"Komoditas", "sentra.commodity", textCell, 20, "Komoditas atau produk sentra."},
	{"Kode desa", "sentra.village_code", textCell, 16, "Kode desa/kelurahan lokasi sentra, NN.NN.NN.NNNN, di wilayah Anda; tulis sebagai teks."},
	{"Alamat", "sentra.address", textCell, 32, "Alamat sentra."},
	{"Jumlah unit IKM", "sentra.ikm_units", countCell, 10, "Bilangan bulat tanpa pemisah ribuan."},
	{"Jumlah tenaga kerja", "sentra.workers", countCell, 10, "Bilangan bulat tanpa pemisah ribuan."},
	{"Luas lahan (m²)", "land.area_m2", countCell, 12, "Bilangan bulat tanpa pemisah ribuan."},
	{"Status lahan", "land.ownership", textCell, 14, "Salah satu dari: " + strings.Join(slices.Sorted(maps.Keys(dak.LandOwnerships)), ", ") + "."},
	{"Nomor sertifikat", "land.certificate_number", textCell, 20, "Nomor sertifikat lahan, bila ada."},
}

// rabFields are the columns of sheet "RAB", in order.
var rabFields = []templateField{
	{"No usulan", "", countCell, 10, "No usulan pada lembar Usulan yang memiliki baris RAB ini. Wajib."},
	{"Kategori", "category", textCell, 18, "Salah satu dari: " + strings.Join(slices.Sorted(maps.Keys(dak.Categories)), ", ") + "."},
	{"Uraian", "description", textCell, 40, "Uraian pekerjaan atau barang. Wajib."},
	{"Kuantitas", "quantity", countCell, 10, "Bilangan bulat lebih dari 0."},
	{"Satuan", "unit", textCell, 10, "Satuan (unit, paket, m², …). Wajib."},
	{"Harga satuan (Rp)", "unit_price", moneyCell, 18, "Rupiah utuh sebagai angka, tanpa titik pemisah ribuan dan tanpa \"Rp\"."},
}

// keluaranFields are the columns of sheet "Keluaran", in order: the
// outputs of dak.ProposalInput.
var keluaranFields = []templateField{
	{"No usulan", "", countCell, 10, "No usulan pada lembar Usulan yang memiliki keluaran ini. Wajib."},
	{"Uraian", "description", textCell, 40, "Uraian keluaran, mis. Gedung produksi sentra. Wajib."},
	{"Volume", "volume", countCell, 10, "Bilangan bulat lebih dari 0."},
	{"Satuan", "unit", textCell, 12, "Satuan keluaran (unit, paket, m², …). Wajib."},
}

// importTemplate is GET /api/v1/proposals/import-template: the workbook,
// its example a real desa of a pemda's own region.
func (s *Server) importTemplate(c echo.Context) error {
	u := currentUser(c)
	code := "18.71"
	if u.Role == dak.RolePemda && u.RegionCode != "" {
		code = u.RegionCode
	}
	body, err := writeXLSX(templateSheets(code, exampleVillage(region.Code(code)))...)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="templat-impor-usulan.xlsx"`)
	return c.Blob(200, xlsxType, body)
}

// exampleVillage is the first desa/kelurahan within code, or "".
func exampleVillage(code region.Code) string {
	for code.Level() != region.Village {
		children := region.Children(code)
		if len(children) == 0 {
			return ""
		}
		code = children[0].Code
	}
	return string(code)
}

func columnsOf(fields []templateField) []sheetColumn {
	cols := make([]sheetColumn, len(fields))
	for i, f := range fields {
		cols[i] = sheetColumn{f.header, f.width}
	}
	return cols
}

// templateSheets are the template's four sheets; the example rows name
// the region and the desa given.
func templateSheets(regionCode, village string) []outSheet {
	usulan := []any{"Contoh", 2027, string(dak.MenuRevitalisasi), "Revitalisasi Sentra IKM (contoh, tidak diimpor)", regionCode,
		"Sentra Contoh", "Tenun", village, "Jalan Contoh No. 1", 25, 60, 1200, "milik_pemda", ""}
	rab := [][]any{
		{"Contoh", "mesin_peralatan", "Alat tenun bukan mesin", 10, "unit", dak.Money(15_000_000)},
		{"Contoh", "gedung_produksi", "Renovasi gedung produksi", 1, "paket", dak.Money(350_000_000)},
	}
	keluaran := [][]any{{"Contoh", "Gedung produksi sentra direvitalisasi", 1, "unit"}}
	var notes [][2]string
	notes = append(notes, [2]string{"Cara mengisi", "Satu usulan per baris pada lembar Usulan; baris RAB pada lembar RAB dan keluaran pada lembar Keluaran dengan No usulan yang sama. " +
		"Baris dengan No \"Contoh\" tidak diimpor. Jangan gunakan rumus atau sel gabungan; tulis angka tanpa titik pemisah ribuan. " +
		fmt.Sprintf("Paling banyak %s usulan per berkas. Unggah dahulu tanpa impor untuk melihat laporan sel yang bermasalah; "+
			"impor menyimpan semua usulan sebagai draf, atau tidak satu pun.", dak.Money(maxProposalImport).Figures())})
	for _, f := range usulanFields {
		notes = append(notes, [2]string{usulanSheet + ": " + f.header, f.note})
	}
	for _, f := range rabFields {
		notes = append(notes, [2]string{rabSheet + ": " + f.header, f.note})
	}
	for _, f := range keluaranFields {
		notes = append(notes, [2]string{keluaranSheet + ": " + f.header, f.note})
	}
	return []outSheet{
		{name: usulanSheet, columns: columnsOf(usulanFields), rows: 1, row: func(_ int, into []any) { copy(into, usulan) }},
		{name: rabSheet, columns: columnsOf(rabFields), rows: len(rab), row: func(r int, into []any) { copy(into, rab[r]) }},
		{name: keluaranSheet, columns: columnsOf(keluaranFields), rows: len(keluaran), row: func(r int, into []any) { copy(into, keluaran[r]) }},
		{name: petunjukSheet, columns: []sheetColumn{{"Kolom", 30}, {"Keterangan", 100}}, rows: len(notes),
			row: func(r int, into []any) { into[0], into[1] = notes[r][0], notes[r][1] }},
	}
}
