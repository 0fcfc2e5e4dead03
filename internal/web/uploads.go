package web

import (
	"time"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
)

// maxConcurrentUploads bounds the attachments read into memory at once:
// each holds up to MaxUploadBytes while it is checked and stored, so a
// burst of uploads waits here instead of growing the process
// (PRODUCT.md §7: under 150 MB whatever the concurrent uploads).
const maxConcurrentUploads = 2

// uploadWait is how long an upload waits for its turn before a 503.
const uploadWait = 30 * time.Second

// uploadSlot waits for one of the upload slots; the caller releases it.
// A client that goes away stops waiting; one that waits too long gets
// ErrUnavailable (503, try again).
func (s *Server) uploadSlot(c echo.Context) (release func(), err error) {
	t := time.NewTimer(uploadWait)
	defer t.Stop()
	select {
	case s.uploads <- struct{}{}:
		return func() { <-s.uploads }, nil
	case <-c.Request().Context().Done():
		return nil, c.Request().Context().Err()
	case <-t.C:
		return nil, dak.Errorf(dak.ErrUnavailable, "terlalu banyak unggahan bersamaan; coba lagi sebentar lagi")
	}
}
