package web

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/trail"
)

// getTrail exports a proposal's signed audit trail as a ZIP (PRODUCT.md §5).
func (s *Server) getTrail(c echo.Context) error {
	p, err := s.visible(c)
	if err != nil {
		return err
	}
	from, err := consistencyFrom(c)
	if err != nil {
		return err
	}
	_, zip, err := s.trailZIP(c.Request().Context(), p.ID, from...)
	if err != nil {
		return err
	}
	if err := s.recordAccess(c, dak.AccessDownload, dak.ObjectTrail, p.ID, &p.ID); err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+trailFileName(p.Number)+`"`)
	return c.Blob(http.StatusOK, "application/zip", zip)
}

// trailZIP builds one proposal's trail ZIP: the one code path behind a
// trail download and every trail inside a region's or a year's export.
// It returns the proposal as the trail saw it. The trail is sealed with
// the current key and every event's inclusion proof under a signed
// checkpoint, plus consistency proofs from the tree sizes in from
// (transparency.go).
func (s *Server) trailZIP(ctx context.Context, id int64, from ...int64) (dak.Proposal, []byte, error) {
	snap, err := s.store.TrailSnapshot(ctx, id) // one read transaction: no event without its PDF
	if err != nil {
		return dak.Proposal{}, nil, err
	}
	seal, err := s.seal(ctx, id, len(snap.Events), from) // after the snapshot: every event it holds is committed, so it gets linked
	if err != nil {
		return dak.Proposal{}, nil, err
	}
	zip, err := trail.Build(snap.Proposal, snap.Events, snap.Documents, snap.PDFs, seal, snap.ReadAt)
	return snap.Proposal, zip, err
}

// trailFileName is the name a proposal's trail is downloaded and exported
// under: jejak-USL-2027-1871-00001.zip.
func trailFileName(number string) string { return "jejak-" + safeFileName(number) + ".zip" }
