package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/store"
	"dakflow/internal/workflow"
)

// POST /api/v1/proposals/import (PRODUCT.md §10, bulk import): the
// template's workbook (proposal_template.go) answers a dry-run report
// naming every bad cell by sheet, row and column, and saves nothing; with
// ?commit=1 every row becomes an ordinary draft of the caller's region
// through the engine, in one transaction — or, one cell bad, none (422
// with the same report).

// Bounds of a proposal import: a pemda files tens of proposals a year, a
// national batch a few hundred; the RAB and Keluaran rows follow from
// dak.MaxBudgetLines and dak.MaxOutputs per proposal but a file rarely
// needs many.
const (
	maxProposalImport = 1_000
	maxRABImport      = 20_000
	maxOutputImport   = 20_000
)

// importedProposal is one row of sheet Usulan as read.
type importedProposal struct {
	row     int // its row in sheet Usulan
	key     int // its No
	in      dak.ProposalInput
	lines   []int // the RAB row of each budget line
	outputs []int // the Keluaran row of each output
}

// proposalImport is a read workbook: the proposals, the columns each
// field was found in, and every bad cell.
type proposalImport struct {
	proposals   []importedProposal
	usulanCol   map[string]int // by JSON path ("" the No), 1-based
	rabCol      map[string]int
	keluaranCol map[string]int
	errs        []dak.FieldError
	bad         map[int]bool // proposals (by index) with a bad cell
}

func (p *proposalImport) cell(sheet string, row, col int, header, reason string) {
	fe := cellProblem(row, col, header, reason)
	fe.Sheet = sheet
	p.errs = append(p.errs, fe)
}

// importProposals is POST /api/v1/proposals/import (pemda); a commit
// takes an Idempotency-Key (import_idempotent.go).
func (s *Server) importProposals(c echo.Context) error {
	commit, err := commitParam(c)
	if err != nil {
		return err
	}
	key, err := idempotencyKey(c)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(c.Request().Header.Get(echo.HeaderContentType), "multipart/form-data") {
		return dak.Errorf(dak.ErrUnsupported, "unggah templat XLSX dengan multipart/form-data (file)")
	}
	if err := parseForm(c, s.uploadBodyLimit()); err != nil {
		return err
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return malformed("file", "berkas wajib diunggah pada kolom file")
	}
	rep, replayed, err := s.proposalImportUpload(c, func() ([]byte, error) { return s.readAttachment(fh) }, commit, key)
	switch {
	case err != nil:
		return err
	case rep.Committed:
		// A retry of a commit under its Idempotency-Key gets the drafts
		// the first one filed.
		if replayed {
			c.Response().Header().Set("Idempotent-Replayed", "true")
		}
		return c.JSON(http.StatusCreated, rep)
	}
	return c.JSON(http.StatusOK, rep)
}

// proposalImportUpload is the one import of the API and of the page
// /proposals/impor (page_proposal_import.go): the workbook read, checked
// and, with commit, filed as drafts, whose ids the report lists; a commit
// with bad cells is importRefused's 422 beside the report. A commit under
// key ("" for none) is importOnce's: a retry answers the first commit's
// drafts (replayed).
func (s *Server) proposalImportUpload(c echo.Context, read func() ([]byte, error), commit bool, key string) (ImportReport, bool, error) {
	release, err := s.importSlot(c) // a workbook unpacked takes many times its size: one at a time
	if err != nil {
		return ImportReport{}, false, err
	}
	data, err := read()
	if err != nil {
		release()
		return ImportReport{}, false, err
	}
	ctx, u := c.Request().Context(), currentUser(c)
	return s.importOnce(ctx, u, store.ImportedProposals, key, commit, data, release, func(release func(), key workflow.ImportKey) (ImportReport, bool, error) {
		imp, err := readProposalImport(data)
		release()
		if err != nil {
			return ImportReport{}, false, err
		}
		rep, err := s.checkProposalImport(ctx, u, imp)
		if err != nil || !commit {
			return rep, false, err
		}
		if len(rep.Errors) > 0 {
			return rep, false, importRefused(rep)
		}
		ins := make([]dak.ProposalInput, len(imp.proposals))
		for i, p := range imp.proposals {
			ins[i] = p.in
		}
		ids, replayed, err := s.engine.CreateProposalsOnce(ctx, u, ins, key)
		if err != nil {
			// Only what changed since the check can refuse a row here (a
			// sentra registered meanwhile): named at its row.
			var be *workflow.BatchError
			if errors.As(err, &be) && errors.Is(err, dak.ErrInvalid) {
				imp.errs = nil
				imp.fieldErrors(be.Index, be.Err)
				rep.Errors, rep.Valid = imp.errs, rep.Rows-1
				return rep, false, importRefused(rep)
			}
			return rep, false, err
		}
		return committedReport(ids), replayed, nil
	})
}

// readProposalImport reads the template's sheets Usulan, RAB and Keluaran
// (a workbook of an older template without it has no outputs), naming
// every cell that cannot be read. Only a workbook is accepted: a CSV has
// one sheet, and the RAB needs the second.
func readProposalImport(data []byte) (*proposalImport, error) {
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return nil, dak.Errorf(dak.ErrUnsupported, "unggah templat impor usulan dalam format XLSX (unduh di /api/v1/proposals/import-template)")
	}
	f, err := openXLSX(data)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	imp := &proposalImport{bad: map[int]bool{}}
	sheets := f.GetSheetList()
	if !slices.Contains(sheets, usulanSheet) {
		imp.errs = append(imp.errs, dak.FieldError{Field: "file", Message: "lembar Usulan tidak ada", Sheet: usulanSheet, Row: 1,
			Column: wholeRow, Reason: "lembar \"Usulan\" tidak ada; gunakan templat impor usulan"})
		return imp, nil
	}
	usulan, err := readXLSXSheet(f, usulanSheet, maxProposalImport)
	if err != nil {
		return nil, err
	}
	if usulan.capped { // too many rows: that alone is the report, and nothing more is read
		imp.problems(usulanSheet, usulan)
		return imp, nil
	}
	imp.readUsulan(usulan)
	if slices.Contains(sheets, rabSheet) {
		rab, err := readXLSXSheet(f, rabSheet, maxRABImport)
		if err != nil {
			return nil, err
		}
		imp.readRAB(rab)
	}
	if slices.Contains(sheets, keluaranSheet) {
		out, err := readXLSXSheet(f, keluaranSheet, maxOutputImport)
		if err != nil {
			return nil, err
		}
		imp.readKeluaran(out)
	}
	return imp, nil
}

// sheetHeader maps the header row of a sheet to fields' columns, naming
// a required column that is missing and a header given twice.
func (p *proposalImport) sheetHeader(sheet string, t sheetTable, fields []templateField) (map[string]int, bool) {
	cols := map[string]int{}
	if len(t.rows) == 0 {
		p.errs = append(p.errs, dak.FieldError{Field: "file", Message: "lembar kosong", Sheet: sheet, Row: 1, Column: wholeRow,
			Reason: "lembar kosong: tidak ada baris judul kolom"})
		return cols, false
	}
	header := t.rows[0]
	ok := true
	for col, h := range header.cells {
		for _, f := range fields {
			if headerKey(h) != headerKey(f.header) && headerKey(h) != f.path {
				continue
			}
			if _, dup := cols[f.path]; dup {
				p.cell(sheet, header.number, col+1, h, fmt.Sprintf("kolom %s sudah ada", f.header))
				ok = false
				continue
			}
			cols[f.path] = col + 1
		}
	}
	for _, f := range fields {
		if _, found := cols[f.path]; !found && (f.path == "" || f.path == "fiscal_year" || f.path == "menu" || f.path == "title" ||
			sheet != usulanSheet) {
			p.errs = append(p.errs, dak.FieldError{Field: "file", Message: "kolom wajib tidak ada", Sheet: sheet, Row: header.number,
				Column: f.header, Reason: fmt.Sprintf("kolom wajib %q tidak ada pada baris judul", f.header)})
			ok = false
		}
	}
	return cols, ok
}

// value reads the cell of field f in row, naming it when it is bad.
func (p *proposalImport) value(sheet string, t sheetTable, row sheetRow, cols map[string]int, f templateField) (any, bool) {
	col := cols[f.path]
	if col == 0 {
		return nil, true
	}
	v := ""
	if col <= len(row.cells) {
		v = row.cells[col-1]
	}
	c := sheetCell{value: v}
	if t.detail != nil {
		c = t.detail(col, row.number, v)
	}
	got, reason := readCell(c, f.kind)
	if reason != "" {
		p.cell(sheet, row.number, col, f.header, reason)
		return nil, false
	}
	return got, true
}

// isExample reports whether a row's key cell says "Contoh".
func isExample(row sheetRow, col int) bool {
	return col > 0 && col <= len(row.cells) && headerKey(row.cells[col-1]) == exampleKey
}

func (p *proposalImport) readUsulan(t sheetTable) {
	p.problems(usulanSheet, t)
	cols, ok := p.sheetHeader(usulanSheet, t, usulanFields)
	p.usulanCol = cols
	if !ok {
		return
	}
	seen := map[int]int{}
	for _, row := range t.rows[1:] {
		if isExample(row, cols[""]) {
			continue
		}
		ip := importedProposal{row: row.number}
		bad := false
		for _, f := range usulanFields {
			v, good := p.value(usulanSheet, t, row, cols, f)
			bad = bad || !good
			if good && v != nil {
				setProposalField(&ip, f.path, v)
			}
		}
		if !bad && ip.key <= 0 {
			p.cell(usulanSheet, row.number, cols[""], "No", "No wajib diisi dengan bilangan bulat positif")
			bad = true
		} else if first, dup := seen[ip.key]; dup && ip.key > 0 {
			p.cell(usulanSheet, row.number, cols[""], "No", fmt.Sprintf("No %d sudah dipakai di baris %d", ip.key, first))
			bad = true
		} else if ip.key > 0 {
			seen[ip.key] = row.number
		}
		p.bad[len(p.proposals)] = bad
		p.proposals = append(p.proposals, ip)
	}
}

// readRAB reads sheet RAB: budget lines, each of the proposal its No
// names.
func (p *proposalImport) readRAB(t sheetTable) {
	p.rabCol = p.readChild(rabSheet, t, rabFields, func(i, row int, v map[string]any) {
		var line dak.BudgetLine
		line.Category, _ = v["category"].(string)
		line.Description, _ = v["description"].(string)
		if n, ok := v["quantity"].(int); ok {
			line.Quantity = int64(n)
		}
		line.Unit, _ = v["unit"].(string)
		line.UnitPrice, _ = v["unit_price"].(dak.Money)
		p.proposals[i].in.BudgetLines = append(p.proposals[i].in.BudgetLines, line)
		p.proposals[i].lines = append(p.proposals[i].lines, row)
	})
}

// readKeluaran reads sheet Keluaran: outputs, each of the proposal its No
// names.
func (p *proposalImport) readKeluaran(t sheetTable) {
	p.keluaranCol = p.readChild(keluaranSheet, t, keluaranFields, func(i, row int, v map[string]any) {
		var o dak.Output
		o.Description, _ = v["description"].(string)
		if n, ok := v["volume"].(int); ok {
			o.Volume = int64(n)
		}
		o.Unit, _ = v["unit"].(string)
		p.proposals[i].in.Outputs = append(p.proposals[i].in.Outputs, o)
		p.proposals[i].outputs = append(p.proposals[i].outputs, row)
	})
}

// readChild reads a sheet whose rows belong to a proposal by its No
// (fields[0], path ""): each row's cells are read by fields and handed to
// add with the proposal's index, its row and its values by path; a row
// with a bad cell marks its proposal bad, a No no proposal has is named.
// It returns the columns found.
func (p *proposalImport) readChild(sheet string, t sheetTable, fields []templateField, add func(i, row int, v map[string]any)) map[string]int {
	p.problems(sheet, t)
	cols, ok := p.sheetHeader(sheet, t, fields)
	if !ok {
		return cols
	}
	byKey := map[int]int{}
	for i, ip := range p.proposals {
		if ip.key > 0 {
			byKey[ip.key] = i
		}
	}
	for _, row := range t.rows[1:] {
		if isExample(row, cols[""]) {
			continue
		}
		vals := map[string]any{}
		bad := false
		for _, f := range fields {
			v, good := p.value(sheet, t, row, cols, f)
			bad = bad || !good
			if good && v != nil {
				vals[f.path] = v
			}
		}
		key, _ := vals[""].(int)
		i, found := byKey[key]
		switch {
		case !found && !bad:
			p.cell(sheet, row.number, cols[""], fields[0].header, fmt.Sprintf("tidak ada usulan dengan No %d pada lembar Usulan", key))
			continue
		case !found:
			continue
		case bad:
			p.bad[i] = true
		}
		add(i, row.number, vals)
	}
	return cols
}

// problems adds a sheet's whole-row problems (the row cap, a row that
// cannot be read).
func (p *proposalImport) problems(sheet string, t sheetTable) {
	for _, fe := range t.problems {
		fe.Sheet = sheet
		p.errs = append(p.errs, fe)
	}
}

// setProposalField puts a read value in the proposal's field.
func setProposalField(ip *importedProposal, path string, v any) {
	in := &ip.in
	switch path {
	case "":
		ip.key = v.(int)
	case "fiscal_year":
		if y, ok := v.(*int); ok && y != nil {
			in.FiscalYear = *y
		}
	case "menu":
		in.Menu = dak.Menu(strings.ToLower(v.(string)))
	case "title":
		in.Title = v.(string)
	case "region_code":
		in.RegionCode = v.(string)
	case "sentra.name":
		in.Sentra.Name = v.(string)
	case "sentra.commodity":
		in.Sentra.Commodity = v.(string)
	case "sentra.village_code":
		in.Sentra.VillageCode = v.(string)
	case "sentra.address":
		in.Sentra.Address = v.(string)
	case "sentra.ikm_units":
		in.Sentra.IKMUnits = v.(int)
	case "sentra.workers":
		in.Sentra.Workers = v.(int)
	case "land.area_m2":
		in.Land.AreaM2 = int64(v.(int))
	case "land.ownership":
		in.Land.Ownership = v.(string)
	case "land.certificate_number":
		in.Land.CertificateNumber = v.(string)
	}
}

// checkProposalImport checks every proposal read as the engine would file
// it for u, and the same sentra twice in the file, and reports.
func (s *Server) checkProposalImport(ctx context.Context, u dak.User, imp *proposalImport) (ImportReport, error) {
	rep := ImportReport{Rows: len(imp.proposals)}
	if len(imp.proposals) > 0 {
		ins := make([]dak.ProposalInput, len(imp.proposals))
		for i, ip := range imp.proposals {
			ins[i] = ip.in
		}
		errs, err := s.engine.CheckProposals(ctx, u, ins)
		if err != nil {
			return rep, err
		}
		seen := map[string]int{}
		for i, ip := range imp.proposals {
			imp.fieldErrors(i, errs[i])
			if ip.in.Menu == dak.MenuPembangunan && ip.in.Sentra.VillageCode != "" && ip.in.Sentra.Name != "" {
				key := ip.in.Sentra.VillageCode + "\x00" + strings.ToLower(strings.Join(strings.Fields(ip.in.Sentra.Name), " "))
				if first, dup := seen[key]; dup {
					imp.fieldErrors(i, &dak.Error{Kind: dak.ErrInvalid, Fields: []dak.FieldError{{Field: "sentra.name",
						Message: fmt.Sprintf("sentra yang sama (desa dan nama) dibangun oleh usulan di baris %d", first)}}})
				} else {
					seen[key] = ip.row
				}
			}
		}
	}
	if len(imp.proposals) == 0 && len(imp.errs) == 0 {
		imp.errs = append(imp.errs, dak.FieldError{Field: "file", Message: "tidak ada usulan", Sheet: usulanSheet, Row: 2,
			Column: wholeRow, Reason: "tidak ada baris usulan untuk diimpor"})
	}
	for i := range imp.proposals {
		if !imp.bad[i] {
			rep.Valid++
		}
	}
	order := map[string]int{usulanSheet: 0, rabSheet: 1, keluaranSheet: 2}
	slices.SortStableFunc(imp.errs, func(a, b dak.FieldError) int {
		if a.Sheet != b.Sheet {
			return order[a.Sheet] - order[b.Sheet]
		}
		return a.Row - b.Row
	})
	rep.Errors = imp.errs
	if rep.Errors == nil {
		rep.Errors = []dak.FieldError{}
	}
	return rep, nil
}

// linePath is a budget line's or an output's field path:
// budget_lines[i].field, outputs[i].field.
var linePath = regexp.MustCompile(`^(budget_lines|outputs)\[([0-9]+)\](?:\.([a-z_]+))?$`)

// fieldErrors names the cells of err, the engine's refusal of proposal
// i: each field on its column of sheet Usulan, each budget line's on its
// row of sheet RAB, each output's on its row of sheet Keluaran; a field
// without a column on the row's No.
func (p *proposalImport) fieldErrors(i int, err error) {
	if err == nil {
		return
	}
	p.bad[i] = true
	ip := p.proposals[i]
	de, ok := dak.AsError(err)
	if !ok || len(de.Fields) == 0 {
		msg := err.Error()
		if ok {
			msg = de.Detail
		}
		p.cell(usulanSheet, ip.row, max(p.usulanCol[""], 1), "No", msg)
		return
	}
	for _, fe := range de.Fields {
		if m := linePath.FindStringSubmatch(fe.Field); m != nil {
			sheet, fields, cols, rows := rabSheet, rabFields, p.rabCol, ip.lines
			if m[1] == "outputs" {
				sheet, fields, cols, rows = keluaranSheet, keluaranFields, p.keluaranCol, ip.outputs
			}
			n, _ := strconv.Atoi(m[2])
			if n < len(rows) {
				col := cols[m[3]]
				header := "No usulan"
				if f := slices.IndexFunc(fields, func(f templateField) bool { return f.path == m[3] }); f >= 0 && col > 0 {
					header = fields[f].header
				} else {
					col = cols[""]
				}
				if !hasSheetCell(p.errs, sheet, rows[n], col) {
					p.cell(sheet, rows[n], max(col, 1), header, fe.Message)
				}
				continue
			}
		}
		path := fe.Field
		if path == "region_code" && p.usulanCol[path] == 0 {
			path = "sentra.village_code"
		}
		col, header := p.usulanCol[path], ""
		if f := slices.IndexFunc(usulanFields, func(f templateField) bool { return f.path == path }); f >= 0 && col > 0 {
			header = usulanFields[f].header
		} else {
			col, header = p.usulanCol[""], "No"
		}
		if hasSheetCell(p.errs, usulanSheet, ip.row, col) {
			continue // the cell is already named, as read
		}
		p.cell(usulanSheet, ip.row, max(col, 1), header, fe.Message)
	}
}

func hasSheetCell(errs []dak.FieldError, sheet string, row, col int) bool {
	ref := cellProblem(row, max(col, 1), "", "").Field
	return slices.ContainsFunc(errs, func(e dak.FieldError) bool { return e.Sheet == sheet && e.Field == ref })
}
