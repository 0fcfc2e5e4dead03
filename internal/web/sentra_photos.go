package web

import (
	"fmt"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/document"
	"dakflow/internal/workflow"
)

// The photos of a use report (attachment kind foto_pemanfaatan, PRODUCT.md
// §9): uploaded like a proposal's attachments, within the same limit and
// upload budget (attachments.go), and shown in the report's page.

// uploadReportPhoto is POST /sentra/{id}/reports/{rid}/photos (the
// sentra's pemda): a multipart form with file and, optionally, latitude
// and longitude of where it was taken; under an Idempotency-Key as an
// attachment upload is.
func (s *Server) uploadReportPhoto(c echo.Context) error {
	sid, err := pathID(c, "id")
	if err != nil {
		return err
	}
	rid, err := pathID(c, "rid")
	if err != nil {
		return err
	}
	key, err := idempotencyKey(c)
	if err != nil {
		return err
	}
	if err := s.store.SentraVisible(c.Request().Context(), currentUser(c), sid); err != nil {
		return err
	}
	if !strings.HasPrefix(c.Request().Header.Get(echo.HeaderContentType), "multipart/form-data") {
		return dak.Errorf(dak.ErrUnsupported, "unggah foto dengan multipart/form-data (file, latitude, longitude)")
	}
	if err := parseForm(c, s.uploadBodyLimit()); err != nil {
		return err
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return malformed("file", "foto wajib diunggah pada kolom file")
	}
	p, replayed, err := s.storeReportPhoto(c, sid, rid, fh, key)
	if err != nil {
		return err
	}
	// A retry under an answered Idempotency-Key gets the photo the first
	// request stored.
	if replayed {
		c.Response().Header().Set("Idempotent-Replayed", "true")
	}
	return c.JSON(http.StatusCreated, p)
}

// storeReportPhoto checks an uploaded photo and stores it, within the
// upload budget and limit of attachments (attachments.go), as the API and
// the page do; under key ("" for none) a retry answers the photo stored
// first (replayed). The type is read from the bytes: JPEG or PNG (415
// otherwise).
func (s *Server) storeReportPhoto(c echo.Context, sid, rid int64, fh *multipart.FileHeader, key string) (p dak.ReportPhoto, replayed bool, err error) {
	var errs dak.Fields
	name := filepath.Base(strings.TrimSpace(fh.Filename))
	if name == "" || name == "." || len(name) > 200 || document.CheckText(name) != nil {
		errs.Add("file", "nama berkas tidak valid")
	}
	p = dak.ReportPhoto{ReportID: rid, FileName: name}
	n := len(errs)
	p.Latitude, p.Longitude = formCoordinate(&errs, c, "latitude"), formCoordinate(&errs, c, "longitude")
	if len(errs) == n { // a coordinate that could not be read is named once
		dak.CheckPhotoCoordinates(&errs, p.Latitude, p.Longitude)
	}
	if err := errs.Err("foto tidak valid"); err != nil {
		return p, false, err
	}
	release, err := s.uploadSlot(c, fh)
	if err != nil {
		return p, false, err
	}
	defer release()
	data, err := s.readAttachment(fh)
	if err != nil {
		return p, false, err
	}
	if len(data) == 0 {
		return p, false, &dak.Error{Kind: dak.ErrInvalid, Detail: "berkas kosong", Fields: []dak.FieldError{{Field: "file", Message: "berkas kosong"}}}
	}
	ct, ok := dak.PhotoType(data)
	if !ok {
		return p, false, dak.Errorf(dak.ErrUnsupported, "foto pemanfaatan harus berupa JPEG atau PNG")
	}
	if ext := strings.ToLower(filepath.Ext(name)); photoExtensions[ext] != ct {
		return p, false, dak.Errorf(dak.ErrUnsupported, "ekstensi %q tidak sesuai dengan isi berkas (%s)", clip(ext, 20), ct)
	}
	p.ContentType, p.Size, p.SHA256 = ct, int64(len(data)), dak.SHA256Hex(data)
	var hash string
	if key != "" {
		hash = photoRequestHash(sid, p, data)
	}
	replayed, err = s.store.AddReportPhotoOnce(c.Request().Context(), currentUser(c), sid, &p, data, key, hash)
	return p, replayed, err
}

// photoRequestHash is what a photo upload asked for (requestHash): the
// sentra, the report, where it was taken and the file, whatever multipart
// boundary a retry is sent with and however it writes the coordinates.
func photoRequestHash(sid int64, p dak.ReportPhoto, data []byte) string {
	coord := func(f *float64) string {
		if f == nil {
			return "-"
		}
		return strconv.FormatFloat(*f, 'g', -1, 64)
	}
	what := fmt.Sprintf("foto %d/%d %s %s", sid, p.ReportID, coord(p.Latitude), coord(p.Longitude))
	return requestHash([]byte(what), []workflow.Upload{{Kind: dak.PhotoKind, FileName: p.FileName, Data: data}})
}

// photoExtensions are the file extensions of each photo type.
var photoExtensions = map[string]string{".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}

// formCoordinate reads an optional decimal form field (a comma as the
// decimal separator too, as Indonesian writes it); nil when empty.
func formCoordinate(errs *dak.Fields, c echo.Context, name string) *float64 {
	v := strings.TrimSpace(c.FormValue(name))
	if v == "" {
		return nil
	}
	f, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
	if err != nil || len(v) > 30 {
		errs.Add(name, "harus angka desimal, misalnya -5,41 atau 105,26")
		return nil
	}
	return &f
}

// reportPhoto is GET /sentra/{id}/reports/{rid}/photos/{pid} (and the
// page's /sentra/{id}/laporan/{rid}/foto/{pid}): the photo's bytes, shown
// in the page. Like every official file it is written into the access log
// before it is sent (sentra_photo), and refused when that fails.
func (s *Server) reportPhoto(c echo.Context) error {
	var ids [3]int64
	for i, name := range []string{"id", "rid", "pid"} {
		var err error
		if ids[i], err = pathID(c, name); err != nil {
			return err
		}
	}
	p, data, err := s.store.ReportPhoto(c.Request().Context(), currentUser(c), ids[0], ids[1], ids[2])
	if err != nil {
		return err
	}
	if err := s.recordSentraAccess(c, dak.ObjectSentraPhoto, p.ID, ids[0]); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", `inline; filename="`+safeFileName(p.FileName)+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, max-age=3600") // a photo never changes (append-only)
	return c.Blob(http.StatusOK, p.ContentType, data)
}
