package web

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
)

type jsonRaw = json.RawMessage

func jsonMarshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func readBody(c echo.Context) ([]byte, error) {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	if ct != "" && !strings.HasPrefix(ct, "application/json") {
		return nil, dak.Errorf(dak.ErrUnsupported, "Content-Type harus application/json")
	}
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, maxJSONBody+1))
	if err != nil {
		return nil, malformed("body", "badan permintaan tidak dapat dibaca")
	}
	if len(body) > maxJSONBody {
		return nil, dak.Errorf(dak.ErrTooLarge, "badan permintaan melebihi %d byte", maxJSONBody)
	}
	return body, nil
}

// EventOut is one audit event (PRODUCT.md §6).
type EventOut struct {
	Seq        int             `json:"seq"`
	Event      string          `json:"event"`
	From       string          `json:"from"`
	To         string          `json:"to"`
	Actor      string          `json:"actor"`
	Role       dak.Role        `json:"role"`
	At         time.Time       `json:"at"`
	Comment    string          `json:"comment"`
	Data       json.RawMessage `json:"data"`
	DocumentID *int64          `json:"document_id"`
	PrevHash   string          `json:"prev_hash"`
	Hash       string          `json:"hash"`
	// Integrity is "ok" when the stored row agrees with its hashed record
	// and its chain, else "mismatch" with what disagrees in Mismatch; the
	// fields above are the record's either way (PRODUCT.md §5).
	Integrity string   `json:"integrity"`
	Mismatch  []string `json:"mismatch,omitempty"`
}

func eventOut(e dak.Event) EventOut {
	out := EventOut{Seq: e.Seq, Event: e.Event, From: e.From, To: e.To, Actor: e.Actor, Role: e.Role, At: e.At,
		Comment: e.Comment, Data: e.Data, DocumentID: e.DocumentID, PrevHash: e.PrevHash, Hash: e.Hash, Integrity: "ok"}
	if len(e.Mismatch) > 0 {
		out.Integrity, out.Mismatch = "mismatch", e.Mismatch
	}
	return out
}

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

func (s *Server) documentOut(d dak.Document) DocumentOut {
	return DocumentOut{ID: d.ID, ProposalID: d.ProposalID, Kind: d.Kind, Number: d.Number, Title: d.Title, SHA256: d.SHA256,
		Size: d.Size, CreatedAt: d.CreatedAt, EventSeq: d.EventSeq, VerifyCode: d.VerifyCode, VerifyURL: s.engine.VerifyURL(d.VerifyCode)}
}

func (s *Server) listEvents(c echo.Context) error {
	p, err := s.visible(c)
	if err != nil {
		return err
	}
	events, err := s.store.Events(c.Request().Context(), p.ID)
	if err != nil {
		return err
	}
	out := make([]EventOut, len(events))
	for i, e := range events {
		out[i] = eventOut(e)
	}
	return c.JSON(http.StatusOK, list(out, int64(len(out))))
}

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

func (s *Server) listRevisions(c echo.Context) error {
	p, err := s.visible(c)
	if err != nil {
		return err
	}
	revs, err := s.store.Revisions(c.Request().Context(), p.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list(revs, int64(len(revs))))
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
	u := currentUser(c)
	if u.Role == dak.RolePemda {
		p, err := s.store.Proposal(c.Request().Context(), d.ProposalID)
		if err != nil || p.RegionCode != u.RegionCode {
			return dak.Document{}, dak.Errorf(dak.ErrNotFound, "dokumen tidak ditemukan")
		}
	}
	return d, nil
}

func (s *Server) getDocument(c echo.Context) error {
	d, err := s.visibleDocument(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.documentOut(d))
}

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

func safeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == '"' || r < 32 || r > 126 {
			return '_'
		}
		return r
	}, s)
}

func (s *Server) uploadAttachment(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	req := c.Request()
	if !strings.HasPrefix(req.Header.Get(echo.HeaderContentType), "multipart/form-data") {
		return dak.Errorf(dak.ErrUnsupported, "unggah lampiran dengan multipart/form-data (kind, file)")
	}
	// The body is read first, into temporary files; only then does the
	// upload take a slot to hold the file in memory, so a slow client
	// blocks nobody.
	if err := parseForm(c, s.cfg.MaxUploadBytes+1<<20); err != nil {
		return err
	}
	release, err := s.uploadSlot(c)
	if err != nil {
		return err
	}
	defer release()
	fh, err := c.FormFile("file")
	if err != nil {
		return malformed("file", "berkas wajib diunggah pada kolom file")
	}
	if fh.Size > s.cfg.MaxUploadBytes {
		return dak.Errorf(dak.ErrTooLarge, "berkas melebihi %d MB", s.cfg.MaxUploadBytes>>20)
	}
	f, err := fh.Open()
	if err != nil {
		return malformed("file", "berkas tidak dapat dibaca")
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, s.cfg.MaxUploadBytes+1))
	if err != nil {
		return malformed("file", "berkas tidak dapat dibaca")
	}
	if int64(len(data)) > s.cfg.MaxUploadBytes {
		return dak.Errorf(dak.ErrTooLarge, "berkas melebihi %d MB", s.cfg.MaxUploadBytes>>20)
	}
	if _, err := s.visible(c); err != nil {
		return err
	}
	a, err := s.engine.Attach(c.Request().Context(), currentUser(c), id, c.FormValue("kind"), fh.Filename, data)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, a)
}

func (s *Server) listAttachments(c echo.Context) error {
	p, err := s.visible(c)
	if err != nil {
		return err
	}
	as, err := s.store.Attachments(c.Request().Context(), p.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list(as, int64(len(as))))
}

func (s *Server) downloadAttachment(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	a, data, err := s.store.AttachmentData(c.Request().Context(), id)
	if err != nil {
		return err
	}
	u := currentUser(c)
	p, err := s.store.Proposal(c.Request().Context(), a.ProposalID)
	if err != nil || !u.CanSee(p.RegionCode) || (u.Role == dak.RolePemda && u.RegionCode != p.RegionCode) {
		return dak.Errorf(dak.ErrNotFound, "lampiran tidak ditemukan")
	}
	if err := s.recordAccess(c, dak.AccessDownload, dak.ObjectAttachment, a.ID, &a.ProposalID); err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+safeFileName(a.FileName)+`"`)
	c.Response().Header().Set("X-Content-Type-Options", "nosniff")
	return c.Blob(http.StatusOK, a.ContentType, data)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
