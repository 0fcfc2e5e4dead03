package web

import (
	"crypto/ed25519"
	"encoding/base64"
	"net/http"

	"github.com/labstack/echo/v4"

	"dakflow/internal/trail"
)

// getTrail exports a proposal's signed audit trail as a ZIP (PRODUCT.md §5).
func (s *Server) getTrail(c echo.Context) error {
	p, err := s.visible(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	events, err := s.store.Events(ctx, p.ID)
	if err != nil {
		return err
	}
	docs, err := s.store.Documents(ctx, p.ID)
	if err != nil {
		return err
	}
	pdfs, err := s.store.DocumentPDFs(ctx, p.ID)
	if err != nil {
		return err
	}
	key, err := s.store.SigningKey(ctx)
	if err != nil {
		return err
	}
	zip, err := trail.Build(p, events, docs, pdfs, key, s.store.Now())
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="jejak-`+safeFileName(p.Number)+`.zip"`)
	return c.Blob(http.StatusOK, "application/zip", zip)
}

// trailKey publishes the public key that signs trails, so an auditor can
// pin it when verifying offline.
func (s *Server) trailKey(c echo.Context) error {
	key, err := s.store.SigningKey(c.Request().Context())
	if err != nil {
		return err
	}
	pub := key.Public().(ed25519.PublicKey)
	return c.JSON(http.StatusOK, map[string]string{"algorithm": "Ed25519", "public_key": base64.StdEncoding.EncodeToString(pub)})
}
