package web

import (
	"crypto/rand"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
)

// The spreadsheets of a browser session (PRODUCT.md §10): the proposal
// list and the fiscal-year summary as CSV/XLSX, and the bulk import of
// proposals with its dry run. Each calls the API's one implementation
// (proposal_export.go, summary.go, proposal_template.go,
// proposal_import.go); the API's routes need a token, these a session.

// proposalsDownload is /proposals/ekspor?…&format=csv|xlsx: the search
// page's filters, every page of them.
func (s *Server) proposalsDownload(c echo.Context) error {
	format := c.QueryParam("format")
	if format != "csv" && format != "xlsx" {
		return malformed("format", "format harus csv atau xlsx")
	}
	f, err := s.parseFilter(c)
	if err != nil {
		return err
	}
	return s.exportProposals(c, f, format)
}

// summaryDownload is /ringkasan/ekspor?year=&group=&format=csv|xlsx: the
// year's figures by group, as the API's summary answers them.
func (s *Server) summaryDownload(c echo.Context) error {
	if _, scoped := currentUser(c).RegionScope(); scoped {
		// Refused before the parameters are read: a pemda is told no,
		// not how to ask (answerSummary refuses it again).
		return dak.Errorf(dak.ErrForbidden, "ringkasan nasional hanya untuk Ditjen IKMA dan auditor")
	}
	format := c.QueryParam("format")
	if format != "csv" && format != "xlsx" {
		return malformed("format", "format harus csv atau xlsx")
	}
	year, err := strconv.Atoi(c.QueryParam("year"))
	if err != nil || year < 2020 || year > 2100 {
		return malformed("year", "tahun anggaran 2020–2100")
	}
	return s.answerSummary(c, year, c.QueryParam("group"), format)
}

// sheetLinks are a list's download links: its query without paging, with
// format=csv and format=xlsx.
func sheetLinks(path string, q url.Values) (csvLink, xlsxLink string) {
	q = cloneValues(q)
	q.Del("page")
	q.Del("per_page")
	q.Set("format", "csv")
	csvLink = path + "?" + q.Encode()
	q.Set("format", "xlsx")
	return csvLink, path + "?" + q.Encode()
}

func cloneValues(q url.Values) url.Values {
	out := url.Values{}
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// proposalImportPage is /proposals/impor.
type proposalImportPage struct {
	pageBase
	Region    string
	MaxRows   int
	FileError string // why the upload could not be read at all
	Report    *importReportView
	Created   []createdDraft
	ImportKey string // the forms' Idempotency-Key (importKeyed)
}

// createdDraft is one draft an import filed.
type createdDraft struct {
	ID        int64
	Title     string
	Menu      string
	Year      int
	Requested dak.Money
}

// maxCreatedList bounds the ids a success page reads back: one import.
const maxCreatedList = maxProposalImport

func (p *pages) proposalImportPage(c echo.Context) proposalImportPage {
	return proposalImportPage{pageBase: p.base(c, "Impor usulan"), Region: regionName(currentUser(c).RegionCode),
		MaxRows: maxProposalImport, ImportKey: rand.Text()}
}

// proposalImportForm is GET /proposals/impor; after a commit, ?dibuat=
// lists the drafts filed (those the user sees, which are its own).
func (p *pages) proposalImportForm(c echo.Context) error {
	data := p.proposalImportPage(c)
	if ids := c.QueryParam("dibuat"); ids != "" {
		u, seen := currentUser(c), map[int64]bool{}
		for i, s := range strings.Split(ids, ",") {
			id, err := strconv.ParseInt(s, 10, 64)
			if i >= maxCreatedList || err != nil || id <= 0 {
				break
			}
			if seen[id] {
				continue
			}
			seen[id] = true
			pr, err := p.s.store.Proposal(c.Request().Context(), id)
			if errors.Is(err, dak.ErrNotFound) || (err == nil && !u.Sees(pr.RegionCode)) {
				continue
			}
			if err != nil {
				return err
			}
			data.Created = append(data.Created, createdDraft{ID: pr.ID, Title: pr.Title, Menu: pr.Menu.Label(),
				Year: pr.FiscalYear, Requested: pr.RequestedAmount})
		}
		data.Notice = strconv.Itoa(len(data.Created)) + " usulan telah diimpor sebagai draf."
	}
	return p.render(c, http.StatusOK, "proposal_import", data)
}

// proposalImportUpload is POST /proposals/impor: an upload's dry run, or
// with commit=1 its import, of the file chosen (file) or carried back by
// the report (data, file_name), through the API's proposalImportUpload.
func (p *pages) proposalImportUpload(c echo.Context) error {
	data := p.proposalImportPage(c)
	commit := c.FormValue("commit") == "1"
	name, read, ok := p.importSource(c)
	if !ok {
		data.FileError = "pilih berkas XLSX (templat impor usulan) yang akan diuji"
		return p.render(c, http.StatusBadRequest, "proposal_import", data)
	}
	rep, file, reused, err := importKeyed(c, read, commit, p.s.proposalImportUpload)
	refused := commit && errors.Is(err, dak.ErrInvalid) && len(rep.Errors) > 0
	switch de, ok := dak.AsError(err); {
	case err == nil && commit && !reused:
		ids := make([]string, len(rep.IDs))
		for i, id := range rep.IDs {
			ids[i] = strconv.FormatInt(id, 10)
		}
		return c.Redirect(http.StatusSeeOther, "/proposals/impor?dibuat="+strings.Join(ids, ","))
	case err != nil && !refused && ok && problemFor(err).Status < 500:
		// A file that cannot be read at all (415, 413, 400): said
		// beside the upload.
		data.FileError = de.Detail
		return p.render(c, problemFor(err).Status, "proposal_import", data)
	case err != nil && !refused:
		return err
	}
	data.Report = newImportReport(name, rep.Rows, rep.Valid, rep.Errors, refused, file)
	data.Report.Reused = reused
	status := http.StatusOK
	if refused {
		status = http.StatusUnprocessableEntity
	}
	return p.render(c, status, "proposal_import", data)
}
