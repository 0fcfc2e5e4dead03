package web

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/region"
	"dakflow/internal/store"
)

// The year's figures (PRODUCT.md §10): GET /fiscal-years/{year}/summary
// counts and sums the proposals by state; with group=province|region|
// menu|state it adds a row per group of every amount dak.FigureTotals
// sums, and with format=csv|xlsx it answers those rows as a spreadsheet.

// SummaryOut is the answer of GET /fiscal-years/{year}/summary.
type SummaryOut struct {
	store.YearSummary
	// Group, Stages, Groups and Total are present with ?group: the
	// grouping, the most stages a proposal of the year has (the length of
	// every disbursed_by_stage), a row per group and the year's total.
	Group  string            `json:"group,omitempty"`
	Stages int               `json:"stages,omitempty"`
	Groups []SummaryGroup    `json:"groups,omitempty"`
	Total  *dak.FigureTotals `json:"total,omitempty"`
}

// SummaryGroup is one group's row: its key (a region code, a menu, a
// state), its Indonesian name, and its totals.
type SummaryGroup struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	dak.FigureTotals
}

// summaryGroups are the groupings, with the word of a download's name.
var summaryGroups = map[string]string{"province": "provinsi", "region": "wilayah", "menu": "menu", "state": "status"}

func (s *Server) fiscalYearSummary(c echo.Context) error {
	year, err := parseYear(c)
	if err != nil {
		return err
	}
	format, err := sheetFormat(c)
	if err != nil {
		return err
	}
	return s.answerSummary(c, year, c.QueryParam("group"), format)
}

// answerSummary is the summary of year, the one answer of the API and of
// the page download /ringkasan/ekspor (page_sheets.go).
func (s *Server) answerSummary(c echo.Context, year int, group, format string) error {
	if group == "" && format != "" {
		group = "province" // a download is always grouped
	}
	if _, ok := summaryGroups[group]; group != "" && !ok {
		return malformed("group", "group harus province, region, menu atau state")
	}
	if _, scoped := currentUser(c).RegionScope(); scoped { // the summary spans every region
		return dak.Errorf(dak.ErrForbidden, "ringkasan nasional hanya untuk Ditjen IKMA dan auditor")
	}
	if group == "" {
		sum, err := s.store.Summary(c.Request().Context(), year)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, SummaryOut{YearSummary: sum})
	}
	sum, ps, err := s.store.SummaryFigures(c.Request().Context(), year)
	if err != nil {
		return err
	}
	out := s.groupFigures(sum, ps, group)
	if format == "" {
		return c.JSON(http.StatusOK, out)
	}
	name := fmt.Sprintf("ringkasan-%d-%s", year, summaryGroups[group])
	return sendSheet(c, name, format, summarySheet(out))
}

// groupFigures sums the proposals by group, groups in key order.
func (s *Server) groupFigures(sum store.YearSummary, ps []dak.Proposal, group string) SummaryOut {
	out := SummaryOut{YearSummary: sum, Group: group, Total: &dak.FigureTotals{}, Groups: []SummaryGroup{}}
	for _, p := range ps {
		out.Stages = max(out.Stages, len(p.Stages))
	}
	index := map[string]int{}
	for i := range ps {
		p := &ps[i]
		key, name := s.groupOf(p, group)
		g, ok := index[key]
		if !ok {
			g = len(out.Groups)
			index[key] = g
			out.Groups = append(out.Groups, SummaryGroup{Key: key, Name: name})
		}
		out.Groups[g].Add(p, out.Stages)
		out.Total.Add(p, out.Stages)
	}
	slices.SortFunc(out.Groups, func(a, b SummaryGroup) int { return strings.Compare(a.Key, b.Key) })
	for i := range out.Groups {
		if out.Groups[i].DisbursedByStage == nil {
			out.Groups[i].DisbursedByStage = []dak.Money{}
		}
	}
	if out.Total.DisbursedByStage == nil {
		out.Total.DisbursedByStage = []dak.Money{}
	}
	return out
}

// groupOf is the key and the name of p's group.
func (s *Server) groupOf(p *dak.Proposal, group string) (string, string) {
	switch group {
	case "province":
		code := string(region.Code(p.RegionCode).Province())
		return code, regionName(code)
	case "region":
		return p.RegionCode, regionName(p.RegionCode)
	case "menu":
		return string(p.Menu), p.Menu.Label()
	}
	if d, ok := s.engine.Definition(p.Workflow); ok {
		return p.State, d.StateLabel(p.State)
	}
	return p.State, p.State
}

// summarySheet is the grouped figures as a sheet: a title row with the
// year, an Indonesian header, a row per group and the total, every amount
// an exact rupiah.
func summarySheet(out SummaryOut) outSheet {
	groupHeader := map[string]string{"province": "Provinsi", "region": "Wilayah", "menu": "Menu", "state": "Status"}[out.Group]
	cols := []sheetColumn{{"Kode", 12}, {groupHeader, 30}, {"Jumlah usulan", 10}, {"Diusulkan (Rp)", 20},
		{"Direkomendasikan (Rp)", 20}, {"Dialokasikan (Rp)", 20}, {"Nilai RK (Rp)", 20}}
	for i := 1; i <= out.Stages; i++ {
		cols = append(cols, sheetColumn{fmt.Sprintf("Disalurkan tahap %d (Rp)", i), 20})
	}
	cols = append(cols, sheetColumn{"Disalurkan (Rp)", 20}, sheetColumn{"Diserap (Rp)", 20},
		sheetColumn{"Hangus (Rp)", 20}, sheetColumn{"Sisa belum disalurkan (Rp)", 20})
	rows := append(slices.Clone(out.Groups), SummaryGroup{Name: "Jumlah", FigureTotals: *out.Total})
	return outSheet{name: "Ringkasan", title: fmt.Sprintf("Ringkasan DAK Fisik IKM tahun anggaran %d per %s", out.Year,
		strings.ToLower(groupHeader)), columns: cols, rows: len(rows), row: func(r int, into []any) {
		g := rows[r]
		into[0], into[1], into[2] = g.Key, g.Name, g.Count
		into[3], into[4], into[5], into[6] = g.Requested, g.Recommended, g.Allocated, g.RK
		i := 7
		for st := 0; st < out.Stages; st++ {
			into[i] = dak.Money(0)
			if st < len(g.DisbursedByStage) {
				into[i] = g.DisbursedByStage[st]
			}
			i++
		}
		into[i], into[i+1], into[i+2], into[i+3] = g.Disbursed, g.Absorbed, g.Lapsed, g.LeftToDisburse
	}}
}
