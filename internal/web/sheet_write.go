package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"dakflow/internal/dak"
)

// Writing the spreadsheets dakflow hands out (the sentra registry, the
// year's figures, the proposal list, the import template): one sheet
// description, written as RFC 4180 CSV or as an XLSX workbook. A cell is
// a string, an int, an int64, a float64 or a dak.Money; numbers stay
// numbers, so that a reader's spreadsheet sums them.

// xlsxType is the media type of an XLSX workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// csvType is the media type of the CSV exports.
const csvType = "text/csv; charset=utf-8"

// utf8BOM starts every CSV: without it Excel reads UTF-8 as the local
// code page and breaks every name with an accent or a "²".
const utf8BOM = "\xEF\xBB\xBF"

// moneyFormat is the number format of rupiah cells: Excel's built-in
// "#,##0" (id 3). A workbook stores format codes in the invariant form and
// each reader shows them in its own locale, so an Indonesian Excel or
// LibreOffice shows 1.250.000.000; a custom code "#.##0" would instead
// mean a decimal point with three places everywhere.
const moneyFormat = 3

// sheetColumn is one column of a written sheet: its header and width.
type sheetColumn struct {
	header string
	width  float64
}

// outSheet is one sheet to write: an optional title row (bold, above the
// header), the header row, and rows cells filled by row(i, into).
type outSheet struct {
	name    string
	title   string
	columns []sheetColumn
	rows    int
	row     func(i int, into []any)
}

// writeCSV writes the sheet as comma-separated UTF-8 with a byte order
// mark: the title row (if any), the header, the rows. Text that a
// spreadsheet would take for a formula (=, +, -, @ first) is prefixed with
// an apostrophe, so that no name runs in the reader's Excel; a rupiah is a
// plain integer.
func writeCSV(s outSheet) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(utf8BOM)
	w := csv.NewWriter(&buf)
	if s.title != "" {
		if err := w.Write([]string{s.title}); err != nil {
			return nil, err
		}
	}
	record := make([]string, len(s.columns))
	for i, col := range s.columns {
		record[i] = col.header
	}
	if err := w.Write(record); err != nil {
		return nil, err
	}
	cells := make([]any, len(s.columns))
	for r := 0; r < s.rows; r++ {
		clear(cells)
		s.row(r, cells)
		for i, v := range cells {
			record[i] = csvText(v)
		}
		if err := w.Write(record); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// csvText is one cell as CSV text.
func csvText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		if v != "" && strings.ContainsRune("=+-@", rune(v[0])) {
			return "'" + v
		}
		return v
	case dak.Money:
		return strconv.FormatInt(int64(v), 10)
	case float64:
		return strings.Replace(strconv.FormatFloat(v, 'f', -1, 64), ".", ",", 1) // -5,14 as Indonesian writes it
	default:
		return fmt.Sprint(v)
	}
}

// writeXLSX writes the sheets as one workbook, streamed sheet by sheet: a
// bold title row, a bold frozen header row, then the rows, rupiah as
// integer number cells in moneyFormat.
func writeXLSX(sheets ...outSheet) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close() // an in-memory workbook: nothing to lose
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	money, err := f.NewStyle(&excelize.Style{NumFmt: moneyFormat})
	if err != nil {
		return nil, err
	}
	for i, s := range sheets {
		if i == 0 {
			err = f.SetSheetName("Sheet1", s.name)
		} else {
			_, err = f.NewSheet(s.name)
		}
		if err != nil {
			return nil, err
		}
		if err := writeXLSXSheet(f, s, bold, money); err != nil {
			return nil, fmt.Errorf("sheet %s: %w", s.name, err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func writeXLSXSheet(f *excelize.File, s outSheet, bold, money int) error {
	sw, err := f.NewStreamWriter(s.name)
	if err != nil {
		return err
	}
	first := 1 // the header's row
	if s.title != "" {
		first = 2
	}
	if len(s.columns) > 0 {
		top, _ := excelize.CoordinatesToCellName(1, first+1)
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: first, TopLeftCell: top, ActivePane: "bottomLeft"}); err != nil {
			return err
		}
	}
	for i, col := range s.columns {
		if err := sw.SetColWidth(i+1, i+1, col.width); err != nil {
			return err
		}
	}
	if s.title != "" {
		if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: bold, Value: s.title}}); err != nil {
			return err
		}
	}
	if len(s.columns) > 0 {
		header := make([]any, len(s.columns))
		for i, col := range s.columns {
			header[i] = excelize.Cell{StyleID: bold, Value: col.header}
		}
		cell, _ := excelize.CoordinatesToCellName(1, first)
		if err := sw.SetRow(cell, header); err != nil {
			return err
		}
	} else {
		first-- // no header: the rows start right under the title
	}
	cells := make([]any, max(len(s.columns), 1))
	for r := 0; r < s.rows; r++ {
		clear(cells)
		s.row(r, cells)
		for i, v := range cells {
			if m, ok := v.(dak.Money); ok {
				cells[i] = excelize.Cell{StyleID: money, Value: int64(m)}
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, first+1+r) // in range: every export is bounded
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// sendSheet answers the sheet as a download named name.format ("csv" or
// "xlsx"), built whole before the first byte is sent so that a failure is
// still an error answer, not a truncated file.
func sendSheet(c echo.Context, name, format string, sheets ...outSheet) error {
	var (
		body []byte
		err  error
	)
	ct := csvType
	if format == "xlsx" {
		body, err = writeXLSX(sheets...)
		ct = xlsxType
	} else {
		body, err = writeCSV(sheets[0])
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+name+"."+format+`"`)
	return c.Blob(http.StatusOK, ct, body)
}

// sheetFormat reads the format parameter of a list that can be a
// download: "" or "json" (the JSON answer), "csv" or "xlsx".
func sheetFormat(c echo.Context) (string, error) {
	switch f := c.QueryParam("format"); f {
	case "", "json":
		return "", nil
	case "csv", "xlsx":
		return f, nil
	}
	return "", malformed("format", "format harus json, csv atau xlsx")
}
