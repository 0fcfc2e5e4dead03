package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/region"
	"dakflow/internal/store"
)

type regionOut struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	Level     string `json:"level"`
	Parent    string `json:"parent,omitempty"`
	HeadTitle string `json:"head_title,omitempty"`
}

func (s *Server) regions(c echo.Context) error {
	parent := c.QueryParam("parent")
	if parent != "" {
		code, err := region.ParseCode(parent)
		if err != nil {
			return malformed("parent", err.Error())
		}
		if _, ok := region.Lookup(code); !ok {
			return dak.Errorf(dak.ErrNotFound, "wilayah %s tidak terdaftar", parent)
		}
	}
	rs := region.Children(region.Code(parent))
	out := make([]regionOut, len(rs))
	for i, r := range rs {
		out[i] = regionOut{Code: string(r.Code), Name: r.Name, Level: r.LevelName(), Parent: string(r.Parent), HeadTitle: r.HeadTitle()}
	}
	return c.JSON(http.StatusOK, list(out, int64(len(out))))
}

func (s *Server) workflows(c echo.Context) error {
	defs := s.engine.Definitions()
	return c.JSON(http.StatusOK, list(defs, int64(len(defs))))
}

func (s *Server) workflowDef(c echo.Context) error {
	d, ok := s.engine.Definition(c.Param("name"))
	if !ok {
		return dak.Errorf(dak.ErrNotFound, "alur %q tidak ditemukan", c.Param("name"))
	}
	return c.JSON(http.StatusOK, d)
}

type fiscalYearInput struct {
	Ceiling            *dak.Money             `json:"ceiling"`
	SubmissionDeadline string                 `json:"submission_deadline"`
	MenuCeilings       map[dak.Menu]dak.Money `json:"menu_ceilings"`
	RegionCeilings     map[string]dak.Money   `json:"region_ceilings"`
	ChangeReason       string                 `json:"change_reason"`
	LegalBasis         string                 `json:"legal_basis"`
	Calendar           *calendarInput         `json:"calendar"`
}

func parseYear(c echo.Context) (int, error) {
	y, err := strconv.Atoi(c.Param("year"))
	if err != nil || y < 2020 || y > 2100 {
		return 0, &dak.Error{Kind: dak.ErrInvalid, Detail: "tahun tidak valid", Fields: []dak.FieldError{{Field: "year", Message: "tahun anggaran 2020–2100"}}}
	}
	return y, nil
}

func (s *Server) putFiscalYear(c echo.Context) error {
	year, err := parseYear(c)
	if err != nil {
		return err
	}
	var in fiscalYearInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	var errs dak.Fields
	if in.Ceiling == nil {
		errs.Add("ceiling", "pagu wajib diisi")
	}
	var deadline *time.Time
	if in.SubmissionDeadline != "" {
		d, err := dak.ParseDate(in.SubmissionDeadline)
		if err != nil {
			errs.Add("submission_deadline", "tanggal harus ditulis "+dak.DateHint)
		} else {
			deadline = store.EndOfDay(d)
		}
	}
	for menu := range in.MenuCeilings {
		if menu != dak.MenuPembangunan && menu != dak.MenuRevitalisasi {
			errs.Add("menu_ceilings."+string(menu), "menu harus pembangunan atau revitalisasi")
		}
	}
	checkCeilingInput(&errs, in.RegionCeilings, in.ChangeReason, in.LegalBasis)
	cal, deadline, err := s.fiscalYearCalendar(c.Request().Context(), year, in.Calendar, deadline, &errs)
	if err != nil {
		return err
	}
	if err := errs.Err("tahun anggaran tidak valid"); err != nil {
		return err
	}
	b := store.Budget{Year: year, Ceiling: *in.Ceiling, Deadline: deadline,
		Menus: in.MenuCeilings, Regions: in.RegionCeilings, ChangeReason: in.ChangeReason, LegalBasis: in.LegalBasis, By: currentUser(c).ID}
	fy, moved, err := s.setYear(c.Request().Context(), b, cal)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, fiscalYearSaved{FiscalYear: fy, StagesMoved: moved})
}

// fiscalYearSaved is the answer of PUT /fiscal-years/{year}: the year as
// stored, and how many planned stages took a changed stage deadline.
type fiscalYearSaved struct {
	dak.FiscalYear
	StagesMoved int `json:"stages_moved"`
}

func (s *Server) listFiscalYears(c echo.Context) error {
	fys, err := s.store.FiscalYears(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list(fys, int64(len(fys))))
}
