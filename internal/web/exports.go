package web

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/region"
	"dakflow/internal/store"
)

// exportInput is the body of POST /trail-exports: a region (and every
// region inside it), a fiscal year, or both.
type exportInput struct {
	Region     string `json:"region"`
	FiscalYear int    `json:"fiscal_year"`
}

// validate checks the scope names something and that something exists.
func (in exportInput) validate() error {
	var errs dak.Fields
	if in.Region == "" && in.FiscalYear == 0 {
		errs.Add("region", "isi wilayah, tahun anggaran, atau keduanya")
	}
	if in.Region != "" {
		if code, err := region.ParseCode(in.Region); err != nil {
			errs.Add("region", "%v", err)
		} else if _, ok := region.Lookup(code); !ok {
			errs.Add("region", "wilayah %s tidak dikenal", clip(in.Region, 20))
		}
	}
	if in.FiscalYear != 0 && (in.FiscalYear < 2020 || in.FiscalYear > 2100) {
		errs.Add("fiscal_year", "harus bilangan 2020–2100")
	}
	return errs.Err("cakupan ekspor tidak valid")
}

// ExportOut is a trail export as the API shows it: its scope, state and
// progress (done of total proposals), and once done its file's size and
// SHA-256 and where to download it.
type ExportOut struct {
	dak.TrailExport
	RegionName  string `json:"region_name,omitempty"`
	Percent     int    `json:"percent"`
	StatusURL   string `json:"status_url"`
	DownloadURL string `json:"download_url,omitempty"`
}

func exportOut(e dak.TrailExport) ExportOut {
	out := ExportOut{TrailExport: e, StatusURL: "/api/v1/trail-exports/" + strconv.FormatInt(e.ID, 10)}
	if e.RegionCode != "" {
		out.RegionName = regionName(e.RegionCode)
	}
	switch {
	case e.State == dak.ExportDone:
		out.Percent = 100
		out.DownloadURL = out.StatusURL + "/zip"
	case e.Total > 0:
		out.Percent = e.Done * 100 / e.Total
	}
	return out
}

// createExport queues a trail export (POST /trail-exports, auditor): 202
// with the job; any serve process builds it in the background. Under an
// Idempotency-Key a retry with the same scope answers the export the
// first request queued, as it is now, and queues nothing.
func (s *Server) createExport(c echo.Context) error {
	key, err := idempotencyKey(c)
	if err != nil {
		return err
	}
	var in exportInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	e, replayed, err := s.queueExport(c, in, key)
	if err != nil {
		return err
	}
	if replayed {
		c.Response().Header().Set("Idempotent-Replayed", "true")
	}
	out := exportOut(e)
	c.Response().Header().Set("Location", out.StatusURL)
	return c.JSON(http.StatusAccepted, out)
}

// queueExport checks the scope, refuses one without proposals, and queues
// the job with its line in the access log, in one transaction. Under key
// ("" for none) a retry answers the export queued first (replayed), with
// no second line: it requested nothing, as no other replay is logged.
func (s *Server) queueExport(c echo.Context, in exportInput, key string) (dak.TrailExport, bool, error) {
	if s.exports.cfg.Dir == "" {
		return dak.TrailExport{}, false, dak.Errorf(dak.ErrUnavailable, "ekspor jejak tidak diaktifkan pada server ini")
	}
	if err := in.validate(); err != nil {
		return dak.TrailExport{}, false, err
	}
	ctx := c.Request().Context()
	_, total, err := s.store.Proposals(ctx, store.ProposalFilter{Region: in.Region, FiscalYear: in.FiscalYear, PerPage: 1})
	if err != nil {
		return dak.TrailExport{}, false, err
	}
	if total == 0 {
		field := "region"
		if in.Region == "" {
			field = "fiscal_year"
		}
		return dak.TrailExport{}, false, &dak.Error{Kind: dak.ErrInvalid, Detail: "tidak ada usulan dalam cakupan ini",
			Fields: []dak.FieldError{{Field: field, Message: "tidak ada usulan untuk " + exportScope(in.Region, in.FiscalYear)}}}
	}
	u := currentUser(c)
	e := dak.TrailExport{RegionCode: in.Region, FiscalYear: in.FiscalYear, RequestedBy: u.ID, RequestedByName: u.Username}
	request := accessOf(c, dak.AccessExportRequest, dak.ObjectTrailExport, 0, nil)
	var hash string
	if key != "" {
		hash = exportRequestHash(in)
	}
	replayed, err := s.store.CreateTrailExportOnce(ctx, &e, s.exports.cfg.MaxOpenPerUser, &request, key, hash)
	if err != nil {
		if _, ok := dak.AsError(err); ok {
			return e, false, err
		}
		return e, false, unrecorded(err)
	}
	if !replayed {
		s.exports.ring()
	}
	return e, replayed, nil
}

// exportRequestHash is what an export asked for (requestHash): its scope
// as decoded, whatever the JSON's spacing, order or zero values spelled
// out; the route is named so that no other request's hash matches.
func exportRequestHash(in exportInput) string {
	return requestHash([]byte(fmt.Sprintf("ekspor-jejak region=%q fiscal_year=%d", in.Region, in.FiscalYear)), nil)
}

// getExport is GET /trail-exports/{id}: state and progress.
func (s *Server) getExport(c echo.Context) error {
	e, err := s.export(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, exportOut(e))
}

// listExports is GET /trail-exports: every export, newest first.
func (s *Server) listExports(c echo.Context) error {
	q := &query{c: c}
	page, perPage := q.num("page", 1, 1_000_000), q.num("per_page", 1, 200)
	if err := q.err(); err != nil {
		return err
	}
	if perPage == 0 {
		perPage = 20
	}
	es, total, err := s.store.TrailExports(c.Request().Context(), page, perPage)
	if err != nil {
		return err
	}
	out := make([]ExportOut, len(es))
	for i, e := range es {
		out[i] = exportOut(e)
	}
	return c.JSON(http.StatusOK, list(out, total))
}

func (s *Server) export(c echo.Context) (dak.TrailExport, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return dak.TrailExport{}, err
	}
	return s.store.TrailExport(c.Request().Context(), id)
}

// downloadExport streams a finished export's file (GET
// /trail-exports/{id}/zip): from disk, never read whole into memory, with
// Range support and its SHA-256 in X-Content-SHA256. The download is
// recorded in the access log first.
func (s *Server) downloadExport(c echo.Context) error {
	e, err := s.export(c)
	if err != nil {
		return err
	}
	if e.State != dak.ExportDone {
		return &dak.Error{Kind: dak.ErrConflict, Detail: "ekspor belum selesai (" + e.State + ")", Extra: map[string]any{"state": e.State}}
	}
	f, err := os.Open(filepath.Join(s.exports.cfg.Dir, filepath.Base(e.FileName)))
	if errors.Is(err, os.ErrNotExist) {
		return dak.Errorf(dak.ErrNotFound, "berkas ekspor %d tidak ada di server ini; ajukan ekspor baru", e.ID)
	}
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	if info.Size() != e.Size {
		return dak.Errorf(dak.ErrIntegrity, "berkas ekspor %d berukuran %d byte, bukan %d seperti yang dicatat", e.ID, info.Size(), e.Size)
	}
	if err := s.recordAccess(c, dak.AccessDownload, dak.ObjectTrailExport, e.ID, nil); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", `attachment; filename="`+exportDownloadName(e)+`"`)
	h.Set("X-Content-SHA256", e.SHA256)
	h.Set("ETag", `"`+e.SHA256+`"`)
	http.ServeContent(c.Response(), c.Request(), "", info.ModTime(), f)
	return nil
}

// exportDownloadName is ekspor-jejak-18.71-2027-5.zip.
func exportDownloadName(e dak.TrailExport) string {
	name := "ekspor-jejak"
	if e.RegionCode != "" {
		name += "-" + e.RegionCode
	}
	if e.FiscalYear != 0 {
		name += "-" + strconv.Itoa(e.FiscalYear)
	}
	return safeFileName(name + "-" + strconv.FormatInt(e.ID, 10) + ".zip")
}
