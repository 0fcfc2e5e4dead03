package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
)

// DocumentOut is one issued document (PRODUCT.md §6).
type DocumentOut struct {
	ID         int64     `json:"id"`
	ProposalID int64     `json:"proposal_id"`
	Kind       string    `json:"kind"`
	Number     string    `json:"number"`
	Title      string    `json:"title"`
	SHA256     string    `json:"sha256"`
	Size       int64     `json:"size"`
	CreatedAt  time.Time `json:"created_at"`
	EventSeq   int       `json:"event_seq"`
	VerifyCode string    `json:"verify_code"`
	VerifyURL  string    `json:"verify_url"`
}

// documentOut adds the public verification address to a document.
func (s *Server) documentOut(d dak.Document) DocumentOut {
	return DocumentOut{ID: d.ID, ProposalID: d.ProposalID, Kind: d.Kind, Number: d.Number, Title: d.Title, SHA256: d.SHA256,
		Size: d.Size, CreatedAt: d.CreatedAt, EventSeq: d.EventSeq, VerifyCode: d.VerifyCode, VerifyURL: s.engine.VerifyURL(d.VerifyCode)}
}

// listDocuments is GET /proposals/{id}/documents: the official documents
// its events issued.
func (s *Server) listDocuments(c echo.Context) error {
	p, err := s.visible(c)
	if err != nil {
		return err
	}
	docs, err := s.store.Documents(c.Request().Context(), p.ID)
	if err != nil {
		return err
	}
	out := make([]DocumentOut, len(docs))
	for i, d := range docs {
		out[i] = s.documentOut(d)
	}
	return c.JSON(http.StatusOK, list(out, int64(len(out))))
}

// visibleDocument returns a document whose proposal the caller may see.
func (s *Server) visibleDocument(c echo.Context) (dak.Document, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return dak.Document{}, err
	}
	d, err := s.store.Document(c.Request().Context(), id)
	if err != nil {
		return d, err
	}
	if _, err := s.engine.Visible(c.Request().Context(), currentUser(c), d.ProposalID); err != nil {
		return dak.Document{}, dak.Errorf(dak.ErrNotFound, "dokumen tidak ditemukan")
	}
	return d, nil
}

// getDocument is GET /documents/{id}: one document's record.
func (s *Server) getDocument(c echo.Context) error {
	d, err := s.visibleDocument(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.documentOut(d))
}

// getDocumentPDF serves the signed PDF, recorded in the access log first.
func (s *Server) getDocumentPDF(c echo.Context) error {
	d, err := s.visibleDocument(c)
	if err != nil {
		return err
	}
	pdf, err := s.store.DocumentPDF(c.Request().Context(), d.ID)
	if err != nil {
		return err
	}
	if err := s.recordAccess(c, dak.AccessDownload, dak.ObjectDocument, d.ID, &d.ProposalID); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", `inline; filename="`+safeFileName(d.Number)+`.pdf"`)
	h.Set("ETag", `"`+d.SHA256+`"`)
	h.Set("X-Content-SHA256", d.SHA256)
	return c.Blob(http.StatusOK, "application/pdf", pdf)
}

// safeFileName makes s safe inside a Content-Disposition filename or a
// file name: no path separators, quotes or non-ASCII.
func safeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == '"' || r < 32 || r > 126 {
			return '_'
		}
		return r
	}, s)
}
