package web

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/region"
	"dakflow/internal/store"
)

// Bounds of the list and search parameters: what a person could type,
// with room to spare; anything longer is refused, never sent to the
// database (PRODUCT.md §7, huge lists of filter values).
const (
	maxQueryText = 200 // q, actor, user
	maxNumber    = 40  // a proposal number or its beginning
	maxStates    = 30  // the workflow has 18 states
)

// numberChars are the characters of a proposal number (USL-2027-1871-00001)
// or of a document number (…/DJIKMA/IX/2027).
var numberChars = regexp.MustCompile(`^[A-Za-z0-9./_-]+$`)

// query reads the query parameters of a list and collects what is wrong
// with them, so that one answer names every bad parameter.
type query struct {
	c    echo.Context
	errs dak.Fields
}

// text is parameter name, trimmed; invalid UTF-8, control characters (NUL
// included) and text longer than max are refused.
func (q *query) text(name string, max int) string {
	v := strings.TrimSpace(q.c.QueryParam(name))
	switch {
	case !utf8.ValidString(v):
		q.errs.Add(name, "bukan teks UTF-8 yang sah")
	case strings.IndexFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0:
		q.errs.Add(name, "memuat karakter kendali")
	case len(v) > max:
		q.errs.Add(name, "paling panjang %d karakter", max)
	default:
		return v
	}
	return ""
}

// num is parameter name as a whole number in [min, max]; absent is 0.
func (q *query) num(name string, min, max int) int {
	v := q.c.QueryParam(name)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < min || n > max {
		q.errs.Add(name, "harus bilangan %d–%d", min, max)
		return 0
	}
	return n
}

// dateRange reads from and to (calendar days in WIB, both included) as
// the instants [from 00:00 WIB, the day after to 00:00 WIB): YYYY-MM-DD in
// the API, a date as officers write it on a page's filter bar
// ("31 Maret 2027", "31-03-2027"; dak.ParseFormDate).
func (q *query) dateRange() (from, to time.Time) {
	parse, size := dak.ParseDate, 10
	if !strings.HasPrefix(q.c.Request().URL.Path, "/api/") {
		parse, size = dak.ParseFormDate, 64
	}
	day := func(name string) time.Time {
		v := q.text(name, size)
		if v == "" {
			return time.Time{}
		}
		t, err := parse(v)
		if err != nil {
			q.errs.Add(name, "%v", err)
			return time.Time{}
		}
		return t
	}
	from, to = day("from"), day("to")
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		q.errs.Add("to", "tidak boleh sebelum tanggal from")
	}
	if !to.IsZero() {
		to = to.AddDate(0, 0, 1)
	}
	return from, to
}

// err is the collected problems as a 400 naming every parameter, or nil.
func (q *query) err() error {
	if err := q.errs.Err("parameter tidak valid"); err != nil {
		de, _ := dak.AsError(err)
		de.Kind = dak.ErrMalformed
		return de
	}
	return nil
}

// parseFilter reads the query of a proposal list or search: fiscal_year,
// state (one or more, by comma or repeated), region, menu, q, number
// (exact or its beginning), actor (who fired an event on the proposal: a
// user id, a username, a NIP, or a name or part of one), from and to (a
// range of WIB days in which an event happened on the proposal; with
// actor, an event of that actor), page and per_page. Every bad value is a
// 400 naming its parameter. The list is the current user's: the store
// keeps it to what they may see (ProposalFilter.Viewer).
func (s *Server) parseFilter(c echo.Context) (store.ProposalFilter, error) {
	f := store.ProposalFilter{Viewer: currentUser(c)}
	q := &query{c: c}
	f.FiscalYear = q.num("fiscal_year", 2020, 2100)
	f.Page = q.num("page", 1, 1_000_000)
	f.PerPage = q.num("per_page", 1, 200)
	f.State = s.parseStates(q)
	f.Menu = q.text("menu", 20)
	if f.Menu != "" && f.Menu != string(dak.MenuPembangunan) && f.Menu != string(dak.MenuRevitalisasi) {
		q.errs.Add("menu", "pembangunan atau revitalisasi")
	}
	f.Region = q.text("region", 20)
	if f.Region != "" {
		if _, err := region.ParseCode(f.Region); err != nil {
			q.errs.Add("region", "%v", err)
		}
	}
	f.Query = q.text("q", maxQueryText)
	f.Number = q.text("number", maxNumber)
	if f.Number != "" && !numberChars.MatchString(f.Number) {
		q.errs.Add("number", "nomor usulan hanya memuat huruf, angka, titik, garis miring, garis bawah dan tanda hubung")
	}
	f.Actor = q.text("actor", maxQueryText)
	f.From, f.To = q.dateRange()
	return f, q.err()
}

// parseStates reads state: names of the workflows' states, by comma or
// repeated; an unknown name or too many of them is refused.
func (s *Server) parseStates(q *query) []string {
	values := q.c.QueryParams()["state"]
	if len(values) > maxStates {
		q.errs.Add("state", "paling banyak %d status", maxStates)
		return nil
	}
	var out []string
	for _, v := range values {
		if len(v) > maxStates*40 {
			q.errs.Add("state", "terlalu panjang")
			return nil
		}
		for _, name := range strings.Split(v, ",") {
			if name = strings.TrimSpace(name); name != "" {
				out = append(out, name)
			}
		}
	}
	if len(out) > maxStates {
		q.errs.Add("state", "paling banyak %d status", maxStates)
		return nil
	}
	for _, name := range out {
		if !s.knownState(name) {
			q.errs.Add("state", "status tidak dikenal: %s", clip(name, 40))
			return nil
		}
	}
	return out
}

// knownState reports whether any loaded workflow has a state called name.
func (s *Server) knownState(name string) bool {
	for _, d := range s.engine.Definitions() {
		if _, ok := d.State(name); ok {
			return true
		}
	}
	return false
}

// clip shortens s for an error message, keeping it valid and printable.
func clip(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return '?'
		}
		return r
	}, s)
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
