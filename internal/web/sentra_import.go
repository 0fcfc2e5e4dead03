package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"dakflow/internal/dak"
	"dakflow/internal/store"
	"dakflow/internal/workflow"
)

// The import of a Direktori Sentra (PRODUCT.md §9): POST
// /api/v1/sentra/import answers a dry-run report naming every bad cell
// and imports nothing; with ?commit=1 it imports every row in one
// transaction, or, when any cell is bad, nothing (422 with the same
// report).

// importField is a column of the BPS Direktori Sentra that an import
// reads, with the headers that name it (compared after headerKey).
type importField struct {
	label    string // the column as the report names it when the file lacks it
	path     string // the field of dak.SentraRecordInput it fills
	required bool
	kind     cellKind
	headers  []string
}

// importFields are the columns, in the order of the Direktori Sentra.
var importFields = []importField{
	{"kode desa", "village_code", true, textCell, []string{"kode desa", "kode desa/kelurahan", "kode kelurahan/desa",
		"kode desa kelurahan", "kode wilayah desa", "village code"}},
	{"nama sentra", "name", true, textCell, []string{"nama sentra", "nama sentra ikm", "sentra", "name"}},
	{"komoditas/produk", "commodity", true, textCell, []string{"komoditas/produk", "komoditas", "produk", "komoditi",
		"komoditas / produk", "jenis produk", "commodity"}},
	{"jumlah unit usaha", "ikm_units", false, countCell, []string{"jumlah unit usaha", "unit usaha", "jumlah usaha",
		"jumlah ikm", "jumlah unit ikm", "ikm units"}},
	{"jumlah tenaga kerja", "workers", false, countCell, []string{"jumlah tenaga kerja", "tenaga kerja", "jumlah pekerja", "workers"}},
	{"tahun berdiri", "established_year", false, yearCell, []string{"tahun berdiri", "tahun pembentukan", "established year"}},
	{"alamat", "address", false, textCell, []string{"alamat", "alamat sentra", "address"}},
	{"lintang", "latitude", false, decimalCell, []string{"lintang", "latitude"}},
	{"bujur", "longitude", false, decimalCell, []string{"bujur", "longitude"}},
}

// headerKey is a header as compared: lower case, single spaces, "_" a
// space, a trailing "*" or ":" gone.
func headerKey(h string) string {
	h = strings.ToLower(strings.ReplaceAll(h, "_", " "))
	h = strings.TrimRight(strings.TrimSpace(h), "*: ")
	return strings.Join(strings.Fields(h), " ")
}

// ImportReport is the answer to an import: how many data rows the file
// has, how many of them are valid, every bad cell, and (on a commit) how
// many records were registered and their ids, so that a client that
// retries a commit under its Idempotency-Key learns which they are.
type ImportReport struct {
	Rows      int              `json:"rows"`
	Valid     int              `json:"valid"`
	Errors    []dak.FieldError `json:"errors"`
	Committed bool             `json:"committed"`
	Imported  int              `json:"imported"`
	IDs       []int64          `json:"ids,omitempty"` // the drafts or sentra a commit created, in the file's order
}

// importSentra is POST /api/v1/sentra/import (pemda: rows of its region;
// verifier, admin: any), a multipart form with the file in "file"; a
// commit takes an Idempotency-Key (import_idempotent.go).
func (s *Server) importSentra(c echo.Context) error {
	commit, err := commitParam(c)
	if err != nil {
		return err
	}
	key, err := idempotencyKey(c)
	if err != nil {
		return err
	}
	req := c.Request()
	if !strings.HasPrefix(req.Header.Get(echo.HeaderContentType), "multipart/form-data") {
		return dak.Errorf(dak.ErrUnsupported, "unggah berkas CSV atau XLSX dengan multipart/form-data (file)")
	}
	if err := parseForm(c, s.uploadBodyLimit()); err != nil {
		return err
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return malformed("file", "berkas wajib diunggah pada kolom file")
	}
	rep, replayed, err := s.importUpload(c, func() ([]byte, error) { return s.readAttachment(fh) }, commit, key)
	switch {
	case err != nil:
		return err
	case commit:
		// A retry of a commit under its Idempotency-Key gets the sentra
		// the first one registered.
		if replayed {
			c.Response().Header().Set("Idempotent-Replayed", "true")
		}
		return c.JSON(http.StatusCreated, rep)
	}
	return c.JSON(http.StatusOK, rep)
}

// importUpload is the one import behind the API and the page
// (page_sentra_import.go): it reads the file with read, checks every row
// for the current user and, with commit, imports them all or nothing,
// listing their ids. A commit with a bad cell is importRefused's 422, with
// the report beside it for a page to show. A commit under key ("" for
// none) is importOnce's: a retry answers the first commit's sentra
// (replayed).
func (s *Server) importUpload(c echo.Context, read func() ([]byte, error), commit bool, key string) (ImportReport, bool, error) {
	// A workbook unpacked takes many times its size: one import at a time
	// holds the whole upload budget while it reads (attachments.go).
	release, err := s.importSlot(c)
	if err != nil {
		return ImportReport{}, false, err
	}
	data, err := read()
	if err != nil {
		release()
		return ImportReport{}, false, err
	}
	ctx, u := c.Request().Context(), currentUser(c)
	return s.importOnce(ctx, u, store.ImportedSentra, key, commit, data, release, func(release func(), key workflow.ImportKey) (ImportReport, bool, error) {
		t, err := readSheet(data)
		if err != nil {
			return ImportReport{}, false, err
		}
		rep, ins, err := s.checkImport(ctx, u, t)
		t.Close()
		release()
		if err != nil || !commit {
			return rep, false, err
		}
		if len(rep.Errors) > 0 {
			return rep, false, importRefused(rep)
		}
		ids, replayed, err := s.store.ImportSentraOnce(ctx, ins.records, u, key.Key, key.RequestHash)
		if err != nil {
			// Only a registration that raced this import can fail here: a
			// name taken since the check, named at its row.
			var re *store.RecordError
			if errors.As(err, &re) && errors.Is(err, dak.ErrInvalid) {
				rep.Errors = append(rep.Errors, ins.cellError(re.Index, 1, "sudah terdaftar di registri (didaftarkan bersamaan dengan impor ini)"))
				rep.Valid--
				return rep, false, importRefused(rep)
			}
			return rep, false, err
		}
		// replayed: the first commit under the key committed while this
		// one was checked, and its answer is this one's.
		return committedReport(ids), replayed, nil
	})
}

// importRefused is the 422 of a commit with bad cells: the report, as a
// problem naming every cell.
func importRefused(rep ImportReport) error {
	return &dak.Error{Kind: dak.ErrInvalid, Fields: rep.Errors, Extra: map[string]any{"rows": rep.Rows, "valid": rep.Valid},
		Detail: fmt.Sprintf("tidak ada yang diimpor: %d sel bermasalah pada %d baris data", len(rep.Errors), rep.Rows)}
}

func commitParam(c echo.Context) (bool, error) {
	switch c.QueryParam("commit") {
	case "", "0", "false":
		return false, nil
	case "1", "true":
		return true, nil
	}
	return false, malformed("commit", "commit harus 1 (impor) atau 0 (uji saja)")
}

// importSlot waits for the whole upload budget, so that one import at a
// time reads a workbook and no attachment is held beside it.
func (s *Server) importSlot(c echo.Context) (func(), error) {
	return s.waitTurn(c, s.uploads, s.engine.MaxAttachmentBytes(), "terlalu banyak unggahan bersamaan; coba lagi sebentar lagi")
}

// importRows are the valid rows' records, with where each came from.
type importRows struct {
	records []dak.SentraRecordInput
	rows    []int // the file's row number of each record
	cols    []int // the file's column (1-based) of each field, by importFields index; 0 absent
	headers []string
}

// cellError names the cell of field f (importFields index) in record i.
func (r importRows) cellError(i, f int, reason string) dak.FieldError {
	return cellProblem(r.rows[i], r.cols[f], r.headers[f], reason)
}

func cellProblem(row, col int, column, reason string) dak.FieldError {
	ref, _ := excelize.CoordinatesToCellName(max(col, 1), row) // in range: a read row and column
	return dak.FieldError{Field: ref, Message: reason, Row: row, Column: column, Reason: reason}
}

// checkImport reads every data row of t into a record for u and names
// every bad cell: the header's, each cell's (a formula, a merge, text
// where a number belongs, a thousands separator, a date for a year), the
// record's rules (dak.SentraRecordInput.Validate: a desa unknown or
// outside a pemda's region, …), and a sentra twice in the file or
// already in the registry.
func (s *Server) checkImport(ctx context.Context, u dak.User, t sheetTable) (ImportReport, importRows, error) {
	rep := ImportReport{Errors: append([]dak.FieldError{}, t.problems...)}
	ins := importRows{cols: make([]int, len(importFields)), headers: make([]string, len(importFields))}
	if len(t.rows) == 0 {
		rep.Errors = append(rep.Errors, rowProblem(1, "berkas kosong: tidak ada baris judul kolom"))
		return rep, ins, nil
	}
	header := t.rows[0]
	rep.Rows = len(t.rows) - 1
	headerOK := mapHeader(t, header, &ins, &rep)
	if !headerOK {
		sortProblems(rep.Errors)
		return rep, ins, nil
	}
	now := s.store.Now()
	bad := map[int]bool{} // rows with a bad cell
	seen := map[string]int{}
	var pairs [][2]string
	var pairRecord []int
	for _, row := range t.rows[1:] {
		in, errs := readRecord(t, row, ins.cols, ins.headers)
		// The record's rules, each on the column of its field, where
		// reading the cell found nothing wrong already.
		if err := in.Validate(u, now, knownRegion, true); err != nil {
			de, _ := dak.AsError(err)
			for _, fe := range de.Fields {
				f := fieldIndex(fe.Field)
				if f < 0 || ins.cols[f] == 0 || hasCell(errs, row.number, ins.cols[f]) {
					continue
				}
				errs = append(errs, cellProblem(row.number, ins.cols[f], ins.headers[f], fe.Message))
			}
		}
		i := len(ins.records)
		ins.records, ins.rows = append(ins.records, in), append(ins.rows, row.number)
		if !hasCell(errs, row.number, ins.cols[0]) && !hasCell(errs, row.number, ins.cols[1]) {
			key := in.VillageCode + "\x00" + strings.ToLower(strings.Join(strings.Fields(in.Name), " "))
			if first, dup := seen[key]; dup {
				errs = append(errs, ins.cellError(i, 1, fmt.Sprintf("sentra yang sama (desa dan nama) sudah ada di baris %d", first)))
			} else {
				seen[key] = row.number
				pairs, pairRecord = append(pairs, [2]string{in.VillageCode, in.Name}), append(pairRecord, i)
			}
		}
		bad[i] = len(errs) > 0
		rep.Errors = append(rep.Errors, errs...)
	}
	dups, err := s.store.SentraDuplicates(ctx, pairs)
	if err != nil {
		return rep, ins, err
	}
	for p, id := range dups {
		i := pairRecord[p]
		rep.Errors = append(rep.Errors, ins.cellError(i, 1, fmt.Sprintf("sudah terdaftar di registri (sentra %d)", id)))
		bad[i] = true
	}
	for i := range ins.records {
		if !bad[i] {
			rep.Valid++
		}
	}
	sortProblems(rep.Errors)
	return rep, ins, nil
}

// mapHeader finds each field's column in the header row, naming a header
// given twice and a required column missing. Columns it does not know
// are ignored: a Direktori Sentra has more (No., provinsi, …).
func mapHeader(t sheetTable, header sheetRow, ins *importRows, rep *ImportReport) bool {
	ok := true
	for col, h := range header.cells {
		key := headerKey(h)
		for f, fd := range importFields {
			if !slices.Contains(fd.headers, key) {
				continue
			}
			if t.detail != nil {
				if c := t.detail(col+1, header.number, h); c.merged != "" {
					rep.Errors = append(rep.Errors, cellProblem(header.number, col+1, h, "judul kolom berada di sel gabungan "+c.merged+"; pisahkan sel"))
					ok = false
				}
			}
			if ins.cols[f] != 0 {
				rep.Errors = append(rep.Errors, cellProblem(header.number, col+1, h,
					fmt.Sprintf("kolom %s sudah ada di kolom %s", fd.label, columnName(ins.cols[f]))))
				ok = false
				continue
			}
			ins.cols[f], ins.headers[f] = col+1, strings.TrimSpace(h)
		}
	}
	for f, fd := range importFields {
		if fd.required && ins.cols[f] == 0 {
			rep.Errors = append(rep.Errors, dak.FieldError{Field: "file", Message: "kolom wajib tidak ada", Row: header.number,
				Column: fd.label, Reason: fmt.Sprintf("kolom wajib %q tidak ada pada baris judul", fd.label)})
			ok = false
		}
		if ins.headers[f] == "" {
			ins.headers[f] = fd.label
		}
	}
	return ok
}

func columnName(col int) string {
	name, _ := excelize.ColumnNumberToName(col) // in range: a column read
	return name
}

// fieldIndex is the importFields index of a record's field, or -1. A
// region follows from the desa, so its problems are the desa's.
func fieldIndex(path string) int {
	if path == "region_code" {
		path = "village_code"
	}
	return slices.IndexFunc(importFields, func(f importField) bool { return f.path == path })
}

func hasCell(errs []dak.FieldError, row, col int) bool {
	ref, _ := excelize.CoordinatesToCellName(max(col, 1), row)
	return slices.ContainsFunc(errs, func(e dak.FieldError) bool { return e.Field == ref })
}

// sortProblems orders problems by row, then column.
func sortProblems(errs []dak.FieldError) {
	slices.SortStableFunc(errs, func(a, b dak.FieldError) int {
		if a.Row != b.Row {
			return a.Row - b.Row
		}
		ca, _, _ := excelize.CellNameToCoordinates(a.Field)
		cb, _, _ := excelize.CellNameToCoordinates(b.Field)
		return ca - cb
	})
}

// readRecord reads one data row into a record, naming each cell that
// cannot be read as its column's kind.
func readRecord(t sheetTable, row sheetRow, cols []int, headers []string) (dak.SentraRecordInput, []dak.FieldError) {
	in := dak.SentraRecordInput{StatusBasis: "Impor Direktori Sentra"}
	var errs []dak.FieldError
	for f, fd := range importFields {
		col := cols[f]
		if col == 0 {
			continue
		}
		value := ""
		if col <= len(row.cells) {
			value = row.cells[col-1]
		}
		// In a CSV a formula is text beginning with "=", which a
		// spreadsheet would compute when the file is opened.
		c := sheetCell{value: value, formula: strings.HasPrefix(strings.TrimSpace(value), "=")}
		if t.detail != nil {
			c = t.detail(col, row.number, value)
		}
		v, reason := readCell(c, fd.kind)
		if reason != "" {
			errs = append(errs, cellProblem(row.number, col, headers[f], reason))
			continue
		}
		setField(&in, fd.path, v)
	}
	return in, errs
}

// setField puts a read value in the record's field.
func setField(in *dak.SentraRecordInput, path string, v any) {
	switch path {
	case "village_code":
		in.VillageCode = v.(string)
	case "name":
		in.Name = v.(string)
	case "commodity":
		in.Commodity = v.(string)
	case "address":
		in.Address = v.(string)
	case "ikm_units":
		in.IKMUnits = v.(int)
	case "workers":
		in.Workers = v.(int)
	case "established_year":
		in.EstablishedYear, _ = v.(*int)
	case "latitude":
		in.Latitude, _ = v.(*float64)
	case "longitude":
		in.Longitude, _ = v.(*float64)
	}
}
