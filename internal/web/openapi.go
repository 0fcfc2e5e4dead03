package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dakflow/internal/web/openapi"
)

// openAPI serves GET /api/v1/openapi.json: the OpenAPI 3 description of
// this API (internal/web/openapi/openapi.yaml), without a token, so that
// integrators can generate clients from it (issue 10, item 6). The suite
// validates every call it makes against the same bytes.
func (s *Server) openAPI(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, openapi.JSON())
}
