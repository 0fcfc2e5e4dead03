package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/region"
	"dakflow/internal/store"
)

// The sentra registry's API (PRODUCT.md §9): list, export, read, register,
// edit and record a status. The import is sentra_import.go; the exports
// sentra_export.go.

// knownRegion is the Kemendagri list's answer for dak's validation.
func knownRegion(code string) bool {
	_, ok := region.Lookup(region.Code(code))
	return ok
}

// sentraNamed fills the names of a record's region and desa.
func sentraNamed(s dak.Sentra) dak.Sentra {
	if r, ok := region.Lookup(region.Code(s.RegionCode)); ok {
		s.RegionName = r.Name
	}
	if r, ok := region.Lookup(region.Code(s.VillageCode)); ok {
		s.VillageName = r.Name
	}
	return s
}

func sentraETag(s dak.Sentra) string { return `"` + strconv.FormatInt(s.Version, 10) + `"` }

// parseSentraFilter reads the query of a registry list or export: region,
// province, commodity, status (one or more, by comma or repeated), q,
// page and per_page; every bad value is a 400 naming its parameter. The
// list is the current user's: the store keeps a pemda to its region.
func parseSentraFilter(c echo.Context) (store.SentraFilter, error) {
	f := store.SentraFilter{Viewer: currentUser(c)}
	q := &query{c: c}
	f.Page = q.num("page", 1, 1_000_000)
	f.PerPage = q.num("per_page", 1, 200)
	if f.Region = q.text("region", 20); f.Region != "" {
		if _, err := region.ParseCode(f.Region); err != nil {
			q.errs.Add("region", "%v", err)
		}
	}
	if f.Province = q.text("province", 20); f.Province != "" {
		if code, err := region.ParseCode(f.Province); err != nil || code.Level() != region.Province {
			q.errs.Add("province", "kode provinsi dua digit, misalnya 18 untuk Lampung")
		}
	}
	f.Commodity = q.text("commodity", maxQueryText)
	f.Query = q.text("q", maxQueryText)
	values := c.QueryParams()["status"]
	if len(values) > len(dak.SentraStatuses) {
		q.errs.Add("status", "paling banyak %d status", len(dak.SentraStatuses))
		values = nil
	}
	for _, v := range values {
		for _, name := range strings.SplitN(v, ",", len(dak.SentraStatuses)+1) {
			if name = strings.TrimSpace(name); name == "" {
				continue
			}
			st, err := dak.ParseSentraStatus(name)
			if err != nil {
				q.errs.Add("status", "%v", err)
				break
			}
			f.Status = append(f.Status, st)
		}
	}
	return f, q.err()
}

// listSentra is GET /api/v1/sentra: a page of the registry, or with
// format=csv|xlsx the whole filtered list as a spreadsheet.
func (s *Server) listSentra(c echo.Context) error {
	f, err := parseSentraFilter(c)
	if err != nil {
		return err
	}
	switch format := c.QueryParam("format"); format {
	case "", "json":
	case "csv", "xlsx":
		return s.exportSentra(c, f, format)
	default:
		return malformed("format", "format harus json, csv atau xlsx")
	}
	items, total, err := s.store.SentraList(c.Request().Context(), f)
	if err != nil {
		return err
	}
	for i := range items {
		items[i] = sentraNamed(items[i])
	}
	return c.JSON(http.StatusOK, list(items, total))
}

// visibleSentra reads the record of the path's id as the current user may
// see it: another region's is 404 for a pemda, as one that does not exist.
func (s *Server) visibleSentra(c echo.Context) (dak.Sentra, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return dak.Sentra{}, err
	}
	return s.store.Sentra(c.Request().Context(), currentUser(c), id)
}

// getSentra is GET /api/v1/sentra/{id}: the record with its status history
// and funding across all years, and its version as ETag.
func (s *Server) getSentra(c echo.Context) error {
	sen, err := s.visibleSentra(c)
	if err != nil {
		return err
	}
	return s.sentraJSON(c, http.StatusOK, sen)
}

func (s *Server) sentraJSON(c echo.Context, status int, sen dak.Sentra) error {
	c.Response().Header().Set("ETag", sentraETag(sen))
	return c.JSON(status, sentraNamed(sen))
}

// createSentra is POST /api/v1/sentra (pemda: its own region; verifier,
// admin: any).
func (s *Server) createSentra(c echo.Context) error {
	var in dak.SentraRecordInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	u := currentUser(c)
	if err := in.Validate(u, s.store.Now(), knownRegion, true); err != nil {
		return err
	}
	key, err := idempotencyKey(c)
	if err != nil {
		return err
	}
	sen, replayed, err := s.registerSentra(c, in, key)
	if err != nil {
		return err
	}
	// A retry under an answered Idempotency-Key gets the record the first
	// request registered, as it is now.
	if replayed {
		c.Response().Header().Set("Idempotent-Replayed", "true")
	}
	c.Response().Header().Set("Location", "/api/v1/sentra/"+strconv.FormatInt(sen.ID, 10))
	return s.sentraJSON(c, http.StatusCreated, sen)
}

// registerSentra registers a validated record under key ("" for none), as
// the API and the page do: a retry registers nothing and answers the first.
func (s *Server) registerSentra(c echo.Context, in dak.SentraRecordInput, key string) (dak.Sentra, bool, error) {
	var hash string
	if key != "" {
		body, err := json.Marshal(in)
		if err != nil {
			return dak.Sentra{}, false, err
		}
		hash = requestHash(append([]byte("daftar-sentra "), body...), nil)
	}
	return s.store.CreateSentraOnce(c.Request().Context(), in, currentUser(c), key, hash)
}

// putSentra is PUT /api/v1/sentra/{id} (If-Match): the record's fields,
// never its region or status. A region left out is the record's own.
func (s *Server) putSentra(c echo.Context) error {
	cur, err := s.visibleSentra(c)
	if err != nil {
		return err
	}
	version, err := ifMatch(c)
	if err != nil {
		return err
	}
	var in dak.SentraRecordInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if strings.TrimSpace(in.RegionCode) == "" {
		in.RegionCode = cur.RegionCode
	}
	u := currentUser(c)
	if err := in.Validate(u, s.store.Now(), knownRegion, false); err != nil {
		return err
	}
	sen, err := s.store.UpdateSentra(c.Request().Context(), cur.ID, version, in, u)
	if err != nil {
		return err
	}
	return s.sentraJSON(c, http.StatusOK, sen)
}

// postSentraStatus is POST /api/v1/sentra/{id}/status: a re-count's or a
// field visit's finding (pemda for its region, verifier any).
func (s *Server) postSentraStatus(c echo.Context) error {
	cur, err := s.visibleSentra(c)
	if err != nil {
		return err
	}
	var in dak.SentraStatusInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := in.Validate(s.store.Now()); err != nil {
		return err
	}
	key, err := idempotencyKey(c)
	if err != nil {
		return err
	}
	sen, replayed, err := s.changeSentraStatus(c, cur.ID, in, key)
	if err != nil {
		return err
	}
	// A retry under an answered Idempotency-Key gets the record as it is
	// now, and its history keeps one line for the change.
	if replayed {
		c.Response().Header().Set("Idempotent-Replayed", "true")
	}
	return s.sentraJSON(c, http.StatusOK, sen)
}

// changeSentraStatus records a validated status change under key ("" for
// none), as the API and the page do: a retry adds no second history line.
func (s *Server) changeSentraStatus(c echo.Context, id int64, in dak.SentraStatusInput, key string) (dak.Sentra, bool, error) {
	var hash string
	if key != "" {
		hash = requestHash(fmt.Appendf(nil, "status-sentra %d %q %q %q %q", id, in.Status, in.Date, in.Basis, in.Note), nil)
	}
	return s.store.ChangeSentraStatusOnce(c.Request().Context(), id, in, currentUser(c), key, hash)
}
