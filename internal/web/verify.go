package web

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/region"
)

// verifyPageData is the public verification page of one document.
type verifyPageData struct {
	Title          string
	Code           string
	Document       *dak.Document
	Date           string
	ProposalNumber string
	ProposalTitle  string
	RegionName     string
	Checked        bool
	Match          bool
	UploadedSHA256 string
}

func (s *Server) verifyData(c echo.Context) (verifyPageData, error) {
	code := c.Param("code")
	data := verifyPageData{Title: "Verifikasi Dokumen", Code: code}
	if !plausibleCode(code) { // a NUL or a megabyte is no code: not found, never a query
		data.Code = ""
		return data, nil
	}
	d, err := s.store.DocumentByCode(c.Request().Context(), code)
	if errors.Is(err, dak.ErrNotFound) {
		return data, nil
	}
	if err != nil {
		return data, err
	}
	data.Document, data.Date = &d, dak.FormatDateTime(d.CreatedAt)
	if p, err := s.store.Proposal(c.Request().Context(), d.ProposalID); err == nil {
		data.ProposalNumber, data.ProposalTitle = p.Number, p.Title
		if r, ok := region.Lookup(region.Code(p.RegionCode)); ok {
			data.RegionName = r.Name
		}
	}
	return data, nil
}

// verifyPage is public: anyone holding a document can check it.
func (s *Server) verifyPage(c echo.Context) error {
	data, err := s.verifyData(c)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if data.Document == nil {
		status = http.StatusNotFound
	}
	return s.pages.render(c, status, "verify", data)
}

// verifyUpload compares an uploaded PDF with the stored document's hash.
func (s *Server) verifyUpload(c echo.Context) error {
	data, err := s.verifyData(c)
	if err != nil {
		return err
	}
	if data.Document == nil {
		return s.pages.render(c, http.StatusNotFound, "verify", data)
	}
	c.Request().Body = http.MaxBytesReader(c.Response(), c.Request().Body, 30<<20)
	sum, err := hashFormFile(c.Request(), "file")
	if err != nil {
		return err
	}
	data.Checked, data.UploadedSHA256 = true, sum
	data.Match = data.UploadedSHA256 == data.Document.SHA256
	return s.pages.render(c, http.StatusOK, "verify", data)
}

// verifyJSON is the machine-readable form of the verification page.
func (s *Server) verifyJSON(c echo.Context) error {
	data, err := s.verifyData(c)
	if err != nil {
		return err
	}
	if data.Document == nil {
		return dak.Errorf(dak.ErrNotFound, "dokumen dengan kode %s tidak ditemukan", data.Code)
	}
	return c.JSON(http.StatusOK, map[string]any{"kind": data.Document.Kind, "title": data.Document.Title,
		"number": data.Document.Number, "created_at": data.Document.CreatedAt, "issuer": data.Document.Issuer,
		"proposal_number": data.ProposalNumber, "region_name": data.RegionName, "sha256": data.Document.SHA256,
		"size": data.Document.Size})
}

// plausibleCode reports whether s can be a verification code: short, and
// only capitals, digits and dashes.
func plausibleCode(s string) bool {
	if len(s) == 0 || len(s) > 32 {
		return false
	}
	for _, r := range s {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// hashFormFile streams the multipart part named field through SHA-256,
// never holding the upload in memory, and returns its hex digest.
func hashFormFile(r *http.Request, field string) (string, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return "", malformed(field, "unggah berkas PDF pada kolom "+field)
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return "", malformed(field, "unggah berkas PDF pada kolom "+field)
		}
		if err != nil {
			return "", tooLargeOr(err, field)
		}
		if part.FormName() != field {
			continue
		}
		h := sha256.New()
		if _, err := io.Copy(h, part); err != nil {
			return "", tooLargeOr(err, field)
		}
		return hex.EncodeToString(h.Sum(nil)), nil
	}
}

// tooLargeOr is a 413 when the body passed its limit, else a 400.
func tooLargeOr(err error, field string) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return dak.Errorf(dak.ErrTooLarge, "berkas melebihi %d MiB", mbe.Limit>>20)
	}
	return malformed(field, "berkas tidak dapat dibaca")
}
