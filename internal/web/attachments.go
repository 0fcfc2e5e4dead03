package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"golang.org/x/sync/semaphore"

	"dakflow/internal/dak"
	"dakflow/internal/workflow"
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
// one file at a time anyway, behind its single writer. The files of one
// request are held and stored together, and together are at most one
// file's size (uploadAttachment), so they take the same budget as one.
const uploadBudgetFiles = 1

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
	return s.uploadBytes(c, fh.Size)
}

// uploadBytes waits until size bytes, the spooled files of one upload
// together (at most MaxAttachmentBytes, checked by the caller), fit in the
// upload budget (uploadSlot).
func (s *Server) uploadBytes(c echo.Context, size int64) (release func(), err error) {
	return s.waitTurn(c, s.uploads, max(size, 1), "terlalu banyak unggahan bersamaan; coba lagi sebentar lagi")
}

// filingTurn waits for one of the places of drafts being filed at once
// (workflow.Engine.FilingsAtOnce) before the request's body is read; the
// caller releases it once the draft is filed or refused. On deadline day
// hundreds of filings arrive together and the drafts' batches take them a
// few dozen at a time: each filing waiting in the queue held its parsed
// body and files, and at 500 clients the collector took a third of the
// server's CPU to keep the heap under its limit. Waiting here, a filing
// holds its connection only (the body waits in the socket). A client that
// goes away stops waiting; one that waits longer than Config.TurnWait gets
// ErrUnavailable (503, try again).
func (s *Server) filingTurn(c echo.Context) (release func(), err error) {
	waiting, filing := s.metrics.filings.WithLabelValues("waiting"), s.metrics.filings.WithLabelValues("filing")
	waiting.Inc()
	done, err := s.waitTurn(c, s.filings, 1, "terlalu banyak usulan diajukan bersamaan; coba lagi sebentar lagi")
	waiting.Dec()
	if err != nil {
		return nil, err
	}
	filing.Inc()
	return func() { filing.Dec(); done() }, nil
}

// waitTurn acquires n of sem for c's request, for at most the turn's wait
// (Config.TurnWait); busy is the 503's detail when that passes.
func (s *Server) waitTurn(c echo.Context, sem *semaphore.Weighted, n int64, busy string) (release func(), err error) {
	ctx, cancel := context.WithTimeout(c.Request().Context(), s.cfg.TurnWait)
	defer cancel()
	if err := sem.Acquire(ctx, n); err != nil {
		if errors.Is(err, context.DeadlineExceeded) && c.Request().Context().Err() == nil {
			return nil, dak.Errorf(dak.ErrUnavailable, "%s", busy)
		}
		return nil, err
	}
	return func() { sem.Release(n) }, nil
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

// maxUploadFiles caps the files of one upload request.
const maxUploadFiles = 20

// uploadAttachment is POST /proposals/{id}/attachments (pemda): a
// multipart form with kind and file, or several of each, the i-th kind
// being the i-th file's. One file answers the attachment; several answer
// the list, in the order sent, stored all or none (Engine.AttachMany).
// The body cap is one file's, so the files of one request together are
// at most what one file may be, and take the upload budget together.
func (s *Server) uploadAttachment(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	key, err := idempotencyKey(c)
	if err != nil {
		return err
	}
	req := c.Request()
	if !strings.HasPrefix(req.Header.Get(echo.HeaderContentType), "multipart/form-data") {
		return dak.Errorf(dak.ErrUnsupported, "unggah lampiran dengan multipart/form-data (kind, file)")
	}
	// The body is read first, into temporary files; only then does the
	// upload take its bytes of the budget to hold the files in memory, so
	// a slow client blocks nobody.
	if err := parseForm(c, s.uploadBodyLimit()); err != nil {
		return err
	}
	files, release, err := s.formUploads(c)
	if err != nil {
		return err
	}
	defer release()
	n := len(files)
	// AttachMany finds the proposal (404 for another region's) in its own
	// transaction: no read before it.
	as, replayed, err := s.engine.AttachOnce(c.Request().Context(), currentUser(c), id, files,
		workflow.Once{Key: key, RequestHash: requestHash([]byte(strconv.FormatInt(id, 10)), files)})
	if err != nil {
		return err
	}
	// A retry under an answered Idempotency-Key gets the attachments the
	// first request stored.
	if replayed {
		c.Response().Header().Set("Idempotent-Replayed", "true")
	}
	if n == 1 {
		return c.JSON(http.StatusCreated, as[0])
	}
	return c.JSON(http.StatusCreated, list(as, int64(n)))
}

// formUploads reads the files of a parsed multipart form (kind and file
// parts, the i-th kind the i-th file's) into memory, under the upload
// budget, which release gives back: at most maxUploadFiles, each and all
// together within the largest attachment, every bad one named.
func (s *Server) formUploads(c echo.Context) (files []workflow.Upload, release func(), err error) {
	var (
		fhs   []*multipart.FileHeader
		kinds []string
	)
	if form := c.Request().MultipartForm; form != nil {
		fhs, kinds = form.File["file"], form.Value["kind"]
	}
	n := len(fhs)
	switch {
	case n == 0:
		return nil, nil, malformed("file", "berkas wajib diunggah pada kolom file")
	case n > maxUploadFiles:
		return nil, nil, &dak.Error{Kind: dak.ErrTooLarge, Detail: fmt.Sprintf("paling banyak %d berkas dalam satu unggahan", maxUploadFiles),
			Fields: []dak.FieldError{{Field: "file", Message: fmt.Sprintf("%d berkas dikirim, paling banyak %d dalam satu unggahan", n, maxUploadFiles)}}}
	case n == 1 && len(kinds) <= 1:
		kinds = []string{c.FormValue("kind")}
	case len(kinds) != n:
		return nil, nil, malformed("kind", fmt.Sprintf("%d berkas dengan %d jenis (kind); kirim satu kind untuk setiap file, berurutan", n, len(kinds)))
	}
	var (
		total int64
		bad   *dak.Error
	)
	for i, fh := range fhs {
		total += fh.Size
		if err := s.engine.CheckAttachmentSize(fh.Size); err != nil {
			if bad, err = addUploadError(bad, err, i, n); err != nil {
				return nil, nil, err
			}
		}
	}
	if bad != nil {
		return nil, nil, bad
	}
	if n > 1 {
		if err := s.engine.CheckAttachmentSize(total); err != nil {
			return nil, nil, &dak.Error{Kind: dak.ErrTooLarge, Detail: "berkas-berkas satu unggahan bersama-sama " + strings.TrimPrefix(err.Error(), "berkas "),
				Fields: []dak.FieldError{{Field: "file", Message: "kirim berkas-berkas ini dalam beberapa unggahan"}}}
		}
	}
	if release, err = s.uploadBytes(c, total); err != nil {
		return nil, nil, err
	}
	files = make([]workflow.Upload, n)
	for i, fh := range fhs {
		data, err := s.readAttachment(fh)
		if err != nil {
			release()
			return nil, nil, workflow.UploadError(err, i, n)
		}
		files[i] = workflow.Upload{Kind: kinds[i], FileName: fh.Filename, Data: data}
	}
	return files, release, nil
}

// addUploadError adds err, about the i-th of n files, to bad: every bad
// file named, the status the first one's. An error that is not a
// *dak.Error is returned as it is.
func addUploadError(bad *dak.Error, err error, i, n int) (*dak.Error, error) {
	de, ok := dak.AsError(workflow.UploadError(err, i, n))
	if !ok {
		return nil, err
	}
	if bad == nil {
		out := *de
		return &out, nil
	}
	bad.Fields = append(bad.Fields, de.Fields...)
	return bad, nil
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
