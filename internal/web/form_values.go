package web

import (
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"dakflow/internal/dak"
)

// Form values arrive as text; these helpers parse them once, at the edge,
// and report a field error by the field's JSON path instead of guessing.
// The fmt helpers write stored values back the way a form shows them.

// rowKey matches "budget_lines[3].unit_price" style names.
var rowKey = regexp.MustCompile(`^(.+)\[(\d+)\]\.([a-z_0-9]+)$`)

// rows collects the posted rows of a list field named prefix[i].field, in
// index order; rows whose every value is blank are dropped, so an empty
// line a user added and left does not become an error.
func rows(form url.Values, prefix string) []map[string]string {
	byIndex := map[int]map[string]string{}
	for key, vs := range form {
		m := rowKey.FindStringSubmatch(key)
		if m == nil || m[1] != prefix || len(vs) == 0 {
			continue
		}
		i, err := strconv.Atoi(m[2])
		if err != nil || i > 10_000 {
			continue
		}
		if byIndex[i] == nil {
			byIndex[i] = map[string]string{}
		}
		byIndex[i][m[3]] = strings.TrimSpace(vs[len(vs)-1])
	}
	idx := make([]int, 0, len(byIndex))
	for i := range byIndex {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	var out []map[string]string
	for _, i := range idx {
		r := byIndex[i]
		blank := true
		for k, v := range r {
			if v != "" && k != "id" {
				blank = false
			}
		}
		if !blank {
			out = append(out, r)
		}
	}
	return out
}

// grouped matches digits grouped by dots in thousands, "1.250.000".
var grouped = regexp.MustCompile(`^\d{1,3}(\.\d{3})+$`)

// digitsOf strips what people type around a whole number: "Rp", spaces,
// thousands dots and a trailing ",00". Anything else is left to fail.
func digitsOf(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(strings.TrimPrefix(s, "Rp"), "rp")
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	s = strings.TrimSuffix(s, ",00")
	if grouped.MatchString(s) {
		s = strings.ReplaceAll(s, ".", "")
	}
	return s
}

// money parses a rupiah amount; blank is zero and ok.
func money(errs *dak.Fields, path, raw string) dak.Money {
	s := digitsOf(raw)
	if s == "" {
		return 0
	}
	m, err := dak.ParseMoney(s)
	if err != nil {
		errs.Add(path, "tulis jumlah rupiah dalam angka bulat, misalnya 1.250.000.000")
		return 0
	}
	return m
}

// optMoney parses an amount that may be absent (nil).
func optMoney(errs *dak.Fields, path, raw string) *dak.Money {
	if strings.TrimSpace(raw) == "" {
		return nil
	}
	n := len(*errs)
	m := money(errs, path, raw)
	if len(*errs) > n {
		return nil
	}
	return &m
}

// integer parses a whole number; blank is zero and ok.
func integer(errs *dak.Fields, path, raw string) int64 {
	s := digitsOf(raw)
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		errs.Add(path, "harus berupa bilangan bulat, misalnya 12")
		return 0
	}
	return n
}

// coordinate parses a decimal degree; blank is nil. A decimal comma is
// accepted, as Indonesian users write it.
func coordinate(errs *dak.Fields, path, raw string) *float64 {
	s := strings.ReplaceAll(strings.TrimSpace(raw), ",", ".")
	if s == "" {
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		errs.Add(path, "tulis derajat desimal, misalnya -5,41")
		return nil
	}
	return &f
}

// percentField parses a percentage such as "75" or "70,5"; blank is nil.
func percentField(errs *dak.Fields, path, raw string) *dak.Percent {
	s := strings.TrimSuffix(strings.TrimSpace(raw), "%")
	if s == "" {
		return nil
	}
	p, err := dak.ParsePercent(strings.TrimSpace(s))
	if err != nil {
		errs.Add(path, "tulis persentase dengan paling banyak dua desimal, misalnya 75 atau 70,5")
		return nil
	}
	return &p
}

// formVersion is the proposal version a page form was opened with, sent
// back as its precondition (the API's If-Match). Every page form carries
// one: a missing or bad version is refused, never read as "no
// precondition", which would let a stale form overwrite a newer proposal.
func formVersion(form url.Values) (int64, error) {
	v, err := strconv.ParseInt(strings.TrimSpace(form.Get("version")), 10, 64)
	if err != nil || v <= 0 {
		return 0, malformed("version", "versi usulan pada formulir tidak ada atau tidak valid; muat ulang halaman")
	}
	return v, nil
}

// fmtInt writes a whole number for a form field ("" for zero).
func fmtInt(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

// fmtMoney writes an amount for a form field, grouped as people read it.
func fmtMoney(m dak.Money) string {
	if m == 0 {
		return ""
	}
	return m.Figures()
}

// fmtCoord writes a coordinate for a form field.
func fmtCoord(f *float64) string {
	if f == nil {
		return ""
	}
	return dak.FormatCoordinate(*f) // "-5,14", as the pemda typed it
}
