package web

import (
	"context"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/sync/semaphore"

	"dakflow/internal/dak"
)

// uploadBudgetFiles bounds the bytes of attachments held in memory at
// once, in largest files: each file is held while it is checked and
// stored, so a burst of large uploads waits here instead of growing the
// process (PRODUCT.md §7: under 150 MB whatever the concurrent uploads),
// while small ones, the usual scanned letter, go on side by side. One, not
// two: storing a file costs about three times its size while it is held
// (our copy, and the driver's two: pgx's encoded parameter and its Bind
// message; on SQLite the bound blob and the record, outside the Go heap),
// and two 20 MiB files stored at once took the process to 390 MB on
// PostgreSQL and 210 MB on SQLite (TestMemoryUnderAbuse). SQLite stores
// one file at a time anyway, behind its single writer.
const uploadBudgetFiles = 1

// uploadWait is how long an upload waits for its turn before a 503.
const uploadWait = 30 * time.Second

// newUploadBudget is the byte budget of uploads held in memory for an
// engine that accepts files of up to maxFile bytes.
func newUploadBudget(maxFile int64) *semaphore.Weighted {
	return semaphore.NewWeighted(uploadBudgetFiles * maxFile)
}

// uploadSlot waits until the file's bytes fit in the upload budget; the
// caller releases them. The size is the file's as spooled by the form
// parser, so it is known, not claimed. A client that goes away stops
// waiting; one that waits too long gets ErrUnavailable (503, try again).
func (s *Server) uploadSlot(c echo.Context, fh *multipart.FileHeader) (release func(), err error) {
	if err := s.engine.CheckAttachmentSize(fh.Size); err != nil {
		return nil, err
	}
	n := max(fh.Size, 1)
	ctx, cancel := context.WithTimeout(c.Request().Context(), uploadWait)
	defer cancel()
	if err := s.uploads.Acquire(ctx, n); err != nil {
		if errors.Is(err, context.DeadlineExceeded) && c.Request().Context().Err() == nil {
			return nil, dak.Errorf(dak.ErrUnavailable, "terlalu banyak unggahan bersamaan; coba lagi sebentar lagi")
		}
		return nil, err
	}
	return func() { s.uploads.Release(n) }, nil
}

// uploadBodyLimit bounds an attachment upload's whole body: the largest
// file the engine accepts and 1 MiB for the rest of the form.
func (s *Server) uploadBodyLimit() int64 { return s.engine.MaxAttachmentBytes() + 1<<20 }

// readAttachment reads an uploaded file into memory, refusing one past the
// engine's limit from its size before reading it (ErrTooLarge, 413). The
// caller holds the file's bytes of the upload budget (uploadSlot). The
// file is read into one buffer of its spooled size: io.ReadAll's growing
// buffer allocated about 2.4 times the file, and the garbage of two 20 MiB
// uploads alone took the process past 150 MB (TestMemoryUnderAbuse).
func (s *Server) readAttachment(fh *multipart.FileHeader) ([]byte, error) {
	if err := s.engine.CheckAttachmentSize(fh.Size); err != nil {
		return nil, err
	}
	f, err := fh.Open()
	if err != nil {
		return nil, malformed("file", "berkas tidak dapat dibaca")
	}
	defer f.Close() // a spooled temporary file, only read
	data := make([]byte, fh.Size)
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, malformed("file", "berkas tidak dapat dibaca")
	}
	return data, nil
}

// uploadAttachment is POST /proposals/{id}/attachments (pemda): a
// multipart form with kind and file.
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
	// upload take its bytes of the budget to hold the file in memory, so a
	// slow client blocks nobody.
	if err := parseForm(c, s.uploadBodyLimit()); err != nil {
		return err
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return malformed("file", "berkas wajib diunggah pada kolom file")
	}
	release, err := s.uploadSlot(c, fh)
	if err != nil {
		return err
	}
	defer release()
	data, err := s.readAttachment(fh)
	if err != nil {
		return err
	}
	// Attach finds the proposal (404 for another region's) in its own
	// transaction: no read before it.
	a, err := s.engine.Attach(c.Request().Context(), currentUser(c), id, c.FormValue("kind"), fh.Filename, data)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, a)
}

// listAttachments is GET /proposals/{id}/attachments.
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

// downloadAttachment serves an attachment's file, recorded in the access
// log first.
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
	if err != nil || !u.Sees(p.RegionCode) {
		return dak.Errorf(dak.ErrNotFound, "lampiran tidak ditemukan")
	}
	if err := s.recordAccess(c, dak.AccessDownload, dak.ObjectAttachment, a.ID, &a.ProposalID); err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+safeFileName(a.FileName)+`"`)
	c.Response().Header().Set("X-Content-Type-Options", "nosniff")
	return c.Blob(http.StatusOK, a.ContentType, data)
}
