package web

import (
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/region"
)

const (
	// maxRegionCeilings bounds one request's region ceilings: Indonesia has
	// 38 provinces and 514 kabupaten/kota.
	maxRegionCeilings = 600
	// maxCeilingText bounds a change's reason and legal basis.
	maxCeilingText = 1000
)

// checkCeilingInput refuses region ceilings of codes that are not an
// existing province or kabupaten/kota, and a reason or legal basis that is
// not plain text. Whether they are required is the store's to say: only a
// change of an existing ceiling needs them.
func checkCeilingInput(errs *dak.Fields, regions map[string]dak.Money, reason, basis string) {
	if len(regions) > maxRegionCeilings {
		errs.Add("region_ceilings", "paling banyak %d wilayah", maxRegionCeilings)
		return
	}
	codes := make([]string, 0, len(regions))
	for code := range regions {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for _, code := range codes {
		field := "region_ceilings." + code
		if !utf8.ValidString(code) || strings.ContainsRune(code, 0) || len(code) > 20 {
			field = "region_ceilings"
		}
		c, err := region.ParseCode(code)
		switch {
		case err != nil || c != region.Code(code):
			errs.Add(field, "kode wilayah harus kode provinsi (NN) atau kabupaten/kota (NN.NN) Kemendagri")
		case c.Level() != region.Province && c.Level() != region.Regency:
			errs.Add(field, "pagu wilayah hanya untuk provinsi atau kabupaten/kota")
		default:
			if _, ok := region.Lookup(c); !ok {
				errs.Add(field, "wilayah %s tidak ada", code)
			}
		}
		if regions[code] < 0 {
			errs.Add(field, "pagu tidak boleh negatif")
		}
	}
	checkCeilingText(errs, "change_reason", reason)
	checkCeilingText(errs, "legal_basis", basis)
}

func checkCeilingText(errs *dak.Fields, field, v string) {
	switch {
	case !utf8.ValidString(v):
		errs.Add(field, "bukan teks UTF-8 yang sah")
	case strings.IndexFunc(v, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\r' && r != '\t' || r == 0x7f }) >= 0:
		errs.Add(field, "memuat karakter kendali")
	case utf8.RuneCountInString(v) > maxCeilingText:
		errs.Add(field, "teks terlalu panjang (paling banyak %d karakter)", maxCeilingText)
	}
}

// ceilingHistory answers GET /fiscal-years/{year}/ceiling-history: every
// change of the year's ceilings, oldest first.
func (s *Server) ceilingHistory(c echo.Context) error {
	year, err := parseYear(c)
	if err != nil {
		return err
	}
	items, err := s.store.CeilingHistory(c.Request().Context(), year)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list(items, int64(len(items))))
}

// calendarHistory answers GET /fiscal-years/{year}/calendar-history: every
// change of the year's calendar, newest first (store.CalendarHistory).
func (s *Server) calendarHistory(c echo.Context) error {
	year, err := parseYear(c)
	if err != nil {
		return err
	}
	items, err := s.store.CalendarHistory(c.Request().Context(), year)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list(items, int64(len(items))))
}
