package web

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"dakflow/internal/dak"
	"dakflow/internal/region"
	"dakflow/internal/store"
)

// The import page (/sentra/impor): a Direktori Sentra uploaded, its dry
// run's report (every bad cell by row, column and reason), and the
// commit, all through the API's one import (importUpload). Between the
// two steps nothing is kept on the server: a file of up to maxRepostBytes
// travels back in the report's commit form, a larger one is chosen again
// with "impor" ticked.

// maxRepostBytes is the largest file the report page carries back for its
// commit button (base64, a third larger, in the page): a Direktori Sentra
// of a few thousand rows.
const maxRepostBytes = 1 << 20

// sentraImportPage is /sentra/impor.
type sentraImportPage struct {
	pageBase
	Columns   []importColumn
	Region    string // a pemda's, named: only its rows may be imported
	FileError string // why the upload could not be read at all
	Report    *importReportView
	ImportKey string // the forms' Idempotency-Key (importKeyed)
}

// importColumn is a column the import reads.
type importColumn struct {
	Header, Example string
	Required        bool
}

// importReportView is the dry run's report of one file.
type importReportView struct {
	FileName    string
	Rows, Valid int
	Problems    []sheetProblem
	Refused     bool   // a commit refused for its bad cells: nothing imported
	Data        string // the file, base64, for the commit button; "" when too large to carry
	Committable bool   // every row is valid and there is one at least
	Reused      bool   // its form had imported another file: this one only checked (importKeyed)
}

// sheetProblem is one line of the report: a cell (of a sheet, for a
// workbook of several).
type sheetProblem struct {
	Sheet, Column, Cell, Reason string
	Row                         int
}

// newImportReport is the report of file (its name as uploaded): its rows,
// the valid ones, each bad cell, and the file itself to carry back to the
// commit button when every row is valid and it is small enough.
func newImportReport(name string, rows, valid int, errs []dak.FieldError, refused bool, file []byte) *importReportView {
	v := &importReportView{FileName: cleanFileName(name), Rows: rows, Valid: valid, Refused: refused,
		Committable: len(errs) == 0 && valid > 0}
	if v.Committable && len(file) <= maxRepostBytes {
		v.Data = base64.StdEncoding.EncodeToString(file)
	}
	for _, e := range errs {
		pr := sheetProblem{Sheet: e.Sheet, Row: e.Row, Column: e.Column, Reason: e.Reason}
		if _, _, err := excelize.CellNameToCoordinates(e.Field); err == nil {
			pr.Cell = e.Field
		}
		if pr.Reason == "" {
			pr.Reason = e.Message
		}
		v.Problems = append(v.Problems, pr)
	}
	return v
}

// importSource is the spreadsheet an import page's POST names: the file
// chosen (file) or the one its report carried back (data, file_name); ok
// is false when there is neither.
func (p *pages) importSource(c echo.Context) (name string, read func() ([]byte, error), ok bool) {
	if enc := c.FormValue("data"); enc != "" {
		return c.FormValue("file_name"), func() ([]byte, error) { return decodeRepost(enc) }, true
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return "", nil, false
	}
	return fh.Filename, func() ([]byte, error) { return p.s.readAttachment(fh) }, true
}

// templateExample is the example row of the template, by importFields
// path; the desa is one of the user's region.
var templateExample = map[string]string{"name": "Sentra Tenun Tapis", "commodity": "Kain tenun tapis", "ikm_units": "15",
	"workers": "60", "established_year": "1998", "address": "Jalan Way Halim No. 5", "latitude": "-5,41", "longitude": "105,26"}

func (p *pages) importPage(c echo.Context) sentraImportPage {
	data := sentraImportPage{pageBase: p.base(c, "Impor Direktori Sentra"), ImportKey: rand.Text()}
	if code, scoped := currentUser(c).RegionScope(); scoped {
		data.Region = regionName(code)
	}
	for _, f := range importFields {
		data.Columns = append(data.Columns, importColumn{Header: templateHeader(f), Example: templateExample[f.path], Required: f.required})
	}
	return data
}

// templateHeader is a column's header as the template writes it.
func templateHeader(f importField) string {
	r, n := utf8.DecodeRuneInString(f.label)
	return string(unicode.ToUpper(r)) + f.label[n:]
}

// sentraImportForm is GET /sentra/impor.
func (p *pages) sentraImportForm(c echo.Context) error {
	data := p.importPage(c)
	switch n, err := strconv.Atoi(c.QueryParam("imported")); {
	case err != nil || n < 0 || n > maxImportRows:
	case n == 0:
		data.Notice = "Berkas tidak berisi baris data; tidak ada sentra yang diimpor."
	default:
		data.Notice = strconv.Itoa(n) + " sentra telah diimpor ke registri."
	}
	return p.render(c, http.StatusOK, "sentra_import", data)
}

// sentraImportUpload is POST /sentra/impor: an upload's dry run, or with
// commit=1 its import, of the file chosen (file) or carried back by the
// report (data, file_name).
func (p *pages) sentraImportUpload(c echo.Context) error {
	data := p.importPage(c)
	commit := c.FormValue("commit") == "1"
	name, read, ok := p.importSource(c)
	if !ok {
		data.FileError = "pilih berkas CSV atau XLSX yang akan diuji"
		return p.render(c, http.StatusBadRequest, "sentra_import", data)
	}
	rep, file, reused, err := importKeyed(c, read, commit, p.s.importUpload)
	refused := commit && errors.Is(err, dak.ErrInvalid) && len(rep.Errors) > 0
	switch de, ok := dak.AsError(err); {
	case err == nil && commit && !reused:
		return c.Redirect(http.StatusSeeOther, "/sentra/impor?imported="+strconv.Itoa(rep.Imported))
	case err != nil && !refused && ok && problemFor(err).Status < 500:
		// A file that cannot be read at all (415, 413, 400): said
		// beside the upload.
		data.FileError = de.Detail
		return p.render(c, problemFor(err).Status, "sentra_import", data)
	case err != nil && !refused:
		return err
	}
	data.Report = newImportReport(name, rep.Rows, rep.Valid, rep.Errors, refused, file)
	data.Report.Reused = reused
	status := http.StatusOK
	if refused {
		status = http.StatusUnprocessableEntity
	}
	return p.render(c, status, "sentra_import", data)
}

// importKeyed runs an import page's upload through the API's import (upload:
// importUpload or proposalImportUpload) under the Idempotency-Key of the
// page's form (import_key, fresh in every form rendered): the commit
// button pressed twice, or the form sent again by the browser, imports
// once, and both answers lead to what it imported. A key that imported
// another file (the back button, another file chosen in a form already
// used) imports nothing: the file is only checked (reused), and the report
// offers its commit under the fresh key of the page it is shown on. file
// is what was read, for the report to carry back.
func importKeyed(c echo.Context, read func() ([]byte, error), commit bool,
	upload func(echo.Context, func() ([]byte, error), bool, string) (ImportReport, bool, error),
) (rep ImportReport, file []byte, reused bool, err error) {
	rep, _, err = upload(c, func() ([]byte, error) {
		b, err := read()
		file = b
		return b, err
	}, commit, formKey(c.FormValue("import_key")))
	if !errors.Is(err, store.ErrKeyReused) {
		return rep, file, false, err
	}
	rep, _, err = upload(c, func() ([]byte, error) { return file, nil }, false, "")
	return rep, file, true, err
}

// decodeRepost reads the file a report carried back.
func decodeRepost(enc string) ([]byte, error) {
	if len(enc) > base64.StdEncoding.EncodedLen(maxRepostBytes) {
		return nil, dak.Errorf(dak.ErrTooLarge, "berkas yang dikirim ulang lebih dari %d MiB; pilih berkasnya lagi", maxRepostBytes>>20)
	}
	b, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		return nil, malformed("data", "berkas yang dikirim ulang rusak; pilih berkasnya lagi")
	}
	return b, nil
}

// cleanFileName is an uploaded file's name as the report shows it: valid
// UTF-8, no control characters, at most 120 characters.
func cleanFileName(name string) string {
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, strings.ToValidUTF8(name, "�"))
	if r := []rune(name); len(r) > 120 {
		name = string(r[:120]) + "…"
	}
	return name
}

// sentraImportTemplate is GET /sentra/impor/templat.csv: the columns the
// import reads, as the Direktori Sentra names them, and an example row in
// a desa of the user's region; semicolons and a UTF-8 mark, as an
// Indonesian Excel opens and saves a CSV.
func (p *pages) sentraImportTemplate(c echo.Context) error {
	code, _ := currentUser(c).RegionScope()
	if code == "" {
		code = "18.71" // Kota Bandar Lampung, the example of the documentation
	}
	var buf bytes.Buffer
	buf.WriteString("\xEF\xBB\xBF")
	w := csv.NewWriter(&buf)
	w.Comma = ';'
	var header, example []string
	for _, f := range importFields {
		header = append(header, templateHeader(f))
		v := templateExample[f.path]
		if f.path == "village_code" {
			v = firstVillage(code)
		}
		example = append(example, v)
	}
	_ = w.Write(header) // a bytes.Buffer does not fail
	_ = w.Write(example)
	w.Flush()
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="templat-direktori-sentra.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// firstVillage is the first desa/kelurahan inside the region code.
func firstVillage(code string) string {
	c := region.Code(code)
	for c.Level() < region.Village {
		kids := region.Children(c)
		if len(kids) == 0 {
			return ""
		}
		c = kids[0].Code
	}
	return string(c)
}
