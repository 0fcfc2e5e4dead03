package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/store"
)

// coverage answers GET /api/v1/coverage?year=Y: the national coverage of
// Sentra IKM (PRODUCT.md §9), for any signed-in role. The year defaults to
// the current fiscal year.
func (s *Server) coverage(c echo.Context) error {
	year, err := coverageYear(c.QueryParam("year"), s.store.Now().In(dak.WIB).Year())
	if err != nil {
		return err
	}
	cov, err := s.store.Coverage(c.Request().Context(), store.CoverageQuery{Year: year, FinalStates: s.finalStates()})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cov)
}

// coverageYear reads the year asked for: "" is the current fiscal year (the
// calendar year in WIB, as the APBN's), anything but a year of 2020–2100
// written in digits is a 422 naming `year`.
func coverageYear(q string, current int) (int, error) {
	if q == "" {
		return current, nil
	}
	y, err := strconv.Atoi(q)
	if err != nil || y < 2020 || y > 2100 || q[0] == '+' || q[0] == '-' {
		return 0, &dak.Error{Kind: dak.ErrInvalid, Detail: "tahun tidak valid",
			Fields: []dak.FieldError{{Field: "year", Message: "tahun anggaran 2020–2100"}}}
	}
	return y, nil
}

// finalStates are the states, across the loaded workflows, in which a
// proposal is closed; the coverage counts the others as open. The engine
// passes the same to the berita acara penilaian's coverage.
func (s *Server) finalStates() []string { return s.engine.FinalStates() }
