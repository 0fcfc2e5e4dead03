package web

import "github.com/labstack/echo/v4"

// Routes lists every route the server registered (routes.go and pages.go),
// as echo holds them, so that a test can hold each one to a rule: the
// authorization matrix (authz_matrix_test.go) fails for a route it has no
// rule for.
func (s *Server) Routes() []*echo.Route { return s.echo.Routes() }
