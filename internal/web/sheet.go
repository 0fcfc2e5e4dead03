package web

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/xuri/excelize/v2"

	"dakflow/internal/dak"
)

// An uploaded spreadsheet (a Direktori Sentra, a batch of proposals),
// read as a table of cells whatever its format (CSV or XLSX), with what a
// spreadsheet says of each cell beyond its text: a formula, a merge, a
// number kept as text, a date. Shared by every import; sheet_cells.go
// reads a cell as a value, sheet_write.go writes the exports.

// Bounds of an imported sheet (PRODUCT.md §7: bounded whatever the
// input): rows past maxImportRows are not read, columns past
// maxImportColumns are ignored, and an XLSX may unpack to at most
// maxXLSXUnpacked bytes — a legitimate file of 10,000 rows is a few MiB,
// and excelize holds a sheet in memory several times its XML.
const (
	maxImportRows    = 10_000
	maxImportColumns = 50
	maxXLSXUnpacked  = 16 << 20
)

// sheetCell is one cell as read.
type sheetCell struct {
	value   string
	typed   bool   // XLSX: a number cell, its value the raw number
	text    bool   // XLSX: a text cell
	date    bool   // XLSX: a number shown as a date, or a date cell
	formula bool   // XLSX: computed by a formula
	other   bool   // XLSX: a boolean or an error value
	merged  string // XLSX: the merged range the cell lies in, "A5:A7"
}

// sheetRow is one non-empty row and its number in the file (1 = first).
type sheetRow struct {
	number int
	cells  []string
}

// sheetTable is a read sheet: its non-empty rows (the first is the
// header), problems of whole rows, and detail, which describes a cell
// (1-based column and row) beyond its text; nil for CSV.
type sheetTable struct {
	rows     []sheetRow
	problems []dak.FieldError
	detail   func(col, row int, value string) sheetCell
	close    func() // releases the workbook; nil for CSV
	maxRows  int    // data rows kept; 0 is maxImportRows
	capped   bool   // the rows past maxRows were not read
}

// Close releases what reading the sheet holds.
func (t sheetTable) Close() {
	if t.close != nil {
		t.close()
	}
}

// wholeRow is the column a problem of a whole row or of the file names.
const wholeRow = "seluruh baris"

func rowProblem(row int, reason string) dak.FieldError {
	return dak.FieldError{Field: fmt.Sprintf("baris %d", row), Message: reason, Row: row, Column: wholeRow, Reason: reason}
}

// readSheet reads an upload as XLSX (a ZIP) or CSV (UTF-8 text, comma,
// semicolon or tab separated). An old binary .xls, a PDF, UTF-16 text or
// anything else with NUL bytes is ErrUnsupported (415).
func readSheet(data []byte) (sheetTable, error) {
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return readXLSX(data)
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return sheetTable{}, dak.Errorf(dak.ErrUnsupported, "format .xls lama tidak didukung; simpan sebagai .xlsx atau .csv")
	case bytes.HasPrefix(data, []byte("%PDF")), bytes.IndexByte(data[:min(len(data), 8<<10)], 0) >= 0:
		return sheetTable{}, dak.Errorf(dak.ErrUnsupported, "berkas bukan CSV UTF-8 atau XLSX (simpan sebagai CSV UTF-8 atau buku kerja Excel)")
	}
	return readCSV(data), nil
}

// readCSV reads CSV text. A line that cannot be read ends the reading,
// named as a problem of its row.
func readCSV(data []byte) sheetTable {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")) // Excel's UTF-8 mark
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = csvSeparator(data)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	var t sheetTable
	for n := 1; ; n++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.problems = append(t.problems, rowProblem(n, "baris CSV tidak dapat dibaca (periksa tanda kutip)"))
			break
		}
		if !addRow(&t, n, rec) {
			break
		}
	}
	return t
}

// addRow keeps a non-empty row; past the row limit it names the problem
// and reports false, to stop reading.
func addRow(t *sheetTable, n int, cells []string) bool {
	empty := true
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			empty = false
			break
		}
	}
	if empty {
		return true
	}
	limit := t.maxRows
	if limit == 0 {
		limit = maxImportRows
	}
	if len(t.rows) > limit { // the header and limit data rows are kept
		t.problems = append(t.problems, rowProblem(n, fmt.Sprintf("paling banyak %s baris data per impor; bagi berkasnya",
			dak.Money(limit).Figures())))
		t.capped = true
		return false
	}
	t.rows = append(t.rows, sheetRow{number: n, cells: append([]string(nil), cells[:min(len(cells), maxImportColumns)]...)})
	return true
}

// csvSeparator is the separator of the first line: a comma, or the
// semicolon of a CSV saved by an Indonesian Excel, or a tab.
func csvSeparator(data []byte) rune {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	best, most := ',', bytes.Count(line, []byte(","))
	for _, sep := range []rune{';', '\t'} {
		if n := bytes.Count(line, []byte(string(sep))); n > most {
			best, most = sep, n
		}
	}
	return best
}

// readXLSX reads the first sheet of a workbook, values raw (a number as
// stored, not as formatted), and describes cells from the workbook.
func readXLSX(data []byte) (sheetTable, error) {
	f, err := openXLSX(data)
	if err != nil {
		return sheetTable{}, err
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		_ = f.Close()
		return sheetTable{}, dak.Errorf(dak.ErrUnsupported, "berkas XLSX tidak memiliki lembar kerja")
	}
	t, err := readXLSXSheet(f, sheets[0], maxImportRows)
	if err != nil {
		_ = f.Close()
		return sheetTable{}, err
	}
	t.close = func() { _ = f.Close() } // Close only removes temporary files, which a bounded workbook has none of
	return t, nil
}

// openXLSX opens a workbook within the unpacked-size bound: a ZIP bomb is
// ErrTooLarge (413), anything unreadable ErrUnsupported (415).
func openXLSX(data []byte) (*excelize.File, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true,
		UnzipSizeLimit: maxXLSXUnpacked, UnzipXMLSizeLimit: maxXLSXUnpacked})
	switch {
	case errors.Is(err, excelize.ErrOptionsUnzipSizeLimit):
		return nil, dak.Errorf(dak.ErrTooLarge, "isi berkas XLSX terlalu besar (lebih dari %d MiB setelah dibuka)", maxXLSXUnpacked>>20)
	case err != nil:
		return nil, dak.Errorf(dak.ErrUnsupported, "berkas XLSX tidak dapat dibaca")
	}
	return f, nil
}

// readXLSXSheet reads one sheet of an open workbook, at most maxRows data
// rows (past them the reading stops, the row named as a problem). The
// caller closes the workbook.
func readXLSXSheet(f *excelize.File, sheet string, maxRows int) (sheetTable, error) {
	t := sheetTable{maxRows: maxRows}
	rows, err := f.Rows(sheet)
	if err != nil {
		return sheetTable{}, dak.Errorf(dak.ErrUnsupported, "lembar %q tidak dapat dibaca", sheet)
	}
	for n := 1; rows.Next(); n++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			t.problems = append(t.problems, rowProblem(n, "baris tidak dapat dibaca"))
			break
		}
		if !addRow(&t, n, cells) {
			break
		}
	}
	if err := rows.Close(); err != nil {
		return sheetTable{}, dak.Errorf(dak.ErrUnsupported, "lembar %q tidak dapat dibaca", sheet)
	}
	if t.capped {
		// Nothing of an oversized sheet is imported; describing its
		// cells would load the whole sheet, which rows did not.
		return t, nil
	}
	merged := map[[2]int]string{}
	if ranges, err := f.GetMergeCells(sheet, true); err == nil {
		for _, m := range ranges {
			markMerged(merged, m.GetStartAxis(), m.GetEndAxis(), t.rows)
		}
	}
	x := &xlsxCells{f: f, sheet: sheet, merged: merged, dateStyle: map[int]bool{}}
	t.detail = x.describe
	return t, nil
}

// markMerged records the cells of a merged range that lie in the rows
// read and the columns an import looks at. excelize joins overlapping
// ranges, so at most every cell read is marked once.
func markMerged(into map[[2]int]string, start, end string, rows []sheetRow) {
	c1, r1, err1 := excelize.CellNameToCoordinates(start)
	c2, r2, err2 := excelize.CellNameToCoordinates(end)
	if err1 != nil || err2 != nil {
		return
	}
	name := start + ":" + end
	first := sort.Search(len(rows), func(i int) bool { return rows[i].number >= r1 })
	for _, r := range rows[first:] {
		if r.number > r2 {
			break
		}
		for c := c1; c <= min(c2, maxImportColumns); c++ {
			into[[2]int{c, r.number}] = name
		}
	}
}

// xlsxCells describes the cells of one sheet of a workbook.
type xlsxCells struct {
	f         *excelize.File
	sheet     string
	merged    map[[2]int]string
	dateStyle map[int]bool // by style index, as computed
}

func (x *xlsxCells) describe(col, row int, value string) sheetCell {
	c := sheetCell{value: value, merged: x.merged[[2]int{col, row}]}
	ref, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		return c
	}
	if formula, err := x.f.GetCellFormula(x.sheet, ref); err == nil && formula != "" {
		c.formula = true
	}
	typ, err := x.f.GetCellType(x.sheet, ref)
	if err != nil {
		return c
	}
	switch typ {
	case excelize.CellTypeSharedString, excelize.CellTypeInlineString:
		c.text = true
	case excelize.CellTypeDate:
		c.date = true
	case excelize.CellTypeBool, excelize.CellTypeError:
		c.other = value != ""
	case excelize.CellTypeFormula: // a formula's text result
		c.text = true
	default: // a number, or a cell that says no type (a number)
		c.typed = value != ""
		c.date = c.typed && x.isDate(ref)
	}
	return c
}

// isDate reports whether the number in ref is formatted as a date: a
// built-in date format, or a custom one with days or years in it.
func (x *xlsxCells) isDate(ref string) bool {
	idx, err := x.f.GetCellStyle(x.sheet, ref)
	if err != nil {
		return false
	}
	if d, ok := x.dateStyle[idx]; ok {
		return d
	}
	d := false
	if st, err := x.f.GetStyle(idx); err == nil {
		n := st.NumFmt
		d = n >= 14 && n <= 22 || n >= 27 && n <= 36 || n >= 45 && n <= 47 || n >= 50 && n <= 58
		if st.CustomNumFmt != nil {
			d = dateFormat(*st.CustomNumFmt)
		}
	}
	x.dateStyle[idx] = d
	return d
}

// dateFormat reports whether a number format code shows a date: it has a
// day or a year outside quoted text and [..] sections.
func dateFormat(code string) bool {
	quoted, bracket := false, false
	for i := 0; i < len(code); i++ {
		switch ch := code[i]; {
		case ch == '"':
			quoted = !quoted
		case quoted:
		case ch == '[':
			bracket = true
		case ch == ']':
			bracket = false
		case bracket:
		case ch == '\\':
			i++
		case ch == 'y' || ch == 'Y' || ch == 'd' || ch == 'D':
			return true
		}
	}
	return false
}
