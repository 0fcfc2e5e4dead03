package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/store"
)

// The dashboards of the approver, the admin and the auditor (PRODUCT.md
// §10, "Dashboards"): the ceiling used and left, the pipeline by state,
// allocations by province, the stages due this month, absorption by region
// and the sentra flagged after completion, as server-rendered SVG
// (svgchart.go). Every figure comes from the computations the API answers
// with — the year's summary and its proposals' dak.Figures (GET
// /fiscal-years/{year}/summary), the monitoring list (GET /monitoring) —
// never from a second computation of the same number.

// dashboardPage is /dasbor?year=Y.
type dashboardPage struct {
	pageBase
	Year    int
	Years   []option
	Missing bool // the year has no fiscal year: only the sentra are shown
	// Sections are the charts, each with the table of its numbers.
	Sections []dashSection
}

// dashSection is one card of the dashboard: a heading, its charts, the
// table of the same numbers, and a link onwards.
type dashSection struct {
	Key, Title, Note string
	Charts           []template.HTML
	Table            dashTable
	Empty            string // said instead of charts and table when there is nothing
	Link, LinkText   string
}

// dashTable is a section's numbers; data-table, data-key and data-col name
// its parts for tests and scripts.
type dashTable struct {
	Caption string
	Head    []dashCell
	Rows    []dashRow
}

// dashRow is one line; Total marks the closing sum.
type dashRow struct {
	Key   string
	Cells []dashCell
	Total bool
}

// dashCell is one cell: its column's key, its text, and a link when it
// names a proposal.
type dashCell struct {
	Col, Text, Href string
	Num             bool
}

// Colours of the charts: what is used or paid in the brand's blue, what
// is left in grey, absorption in green, sentra needing attention in amber.
const (
	colourUsed     = "#0f4c81"
	colourLeft     = "#cbd5e1"
	colourAbsorbed = "#166534"
	colourWarn     = "#b45309"
)

// dashboard is GET /dasbor (approver, admin, auditor).
func (p *pages) dashboard(c echo.Context) error {
	now := p.s.store.Now().In(dak.WIB)
	fys, byYear, err := p.fiscalYears(c)
	if err != nil {
		return err
	}
	def := now.Year() // the year being carried out, else the newest set
	if _, ok := byYear[def]; !ok && len(fys) > 0 {
		def = fys[0].Year
	}
	year, err := coverageYear(c.QueryParam("year"), def)
	if err != nil {
		return err
	}
	data := dashboardPage{pageBase: p.base(c, fmt.Sprintf("Dasbor tahun anggaran %d", year)), Year: year}
	years := []int{year}
	for _, fy := range fys {
		if fy.Year != year {
			years = append(years, fy.Year)
		}
	}
	slices.SortFunc(years, func(a, b int) int { return b - a })
	for _, y := range years {
		data.Years = append(data.Years, option{Value: strconv.Itoa(y), Label: strconv.Itoa(y), Selected: y == year})
	}

	from := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, dak.WIB)
	to := from.AddDate(0, 1, 0)
	sum, ps, due, err := p.s.store.DashboardFigures(c.Request().Context(), year, from, to)
	switch {
	case errors.Is(err, dak.ErrNotFound):
		data.Missing = true
	case err != nil:
		return err
	default:
		byProvince := p.s.groupFigures(sum, ps, "province")
		byRegion := p.s.groupFigures(sum, ps, "region")
		data.Sections = append(data.Sections,
			ceilingSection(sum.FiscalYear),
			p.pipelineSection(sum),
			provinceSection(byProvince),
			stagesDueSection(ps, due, from, to),
		)
		data.Sections = append(data.Sections, absorptionSections(byRegion)...)
	}
	sentra, err := p.sentraSection(c)
	if err != nil {
		return err
	}
	data.Sections = append(data.Sections, sentra)
	return p.render(c, http.StatusOK, "dashboard", data)
}

// pipelineSection counts the year's proposals by state, in the order of
// the workflow's states, labelled by the workflow.
func (p *pages) pipelineSection(sum store.YearSummary) dashSection {
	s := dashSection{Key: "alur", Title: "Usulan per status", Link: fmt.Sprintf("/proposals?fiscal_year=%d", sum.Year), LinkText: "Cari usulan"}
	s.Table = dashTable{Caption: fmt.Sprintf("Usulan tahun anggaran %d per status", sum.Year), Head: []dashCell{{Text: "Status"},
		{Text: "Jumlah usulan", Num: true}, {Text: "Diusulkan (Rp)", Num: true}, {Text: "Dialokasikan (Rp)", Num: true}}}
	d := p.s.engine.Current()
	order := map[string]int{}
	for i, st := range d.States {
		order[st.Name] = i
	}
	rows := slices.Clone(sum.ByState)
	slices.SortStableFunc(rows, func(a, b store.StateCount) int { return stateRank(order, a.State) - stateRank(order, b.State) })
	chart := barChart{ID: "grafik-alur", Title: fmt.Sprintf("Jumlah usulan %d per status", sum.Year),
		Desc: "Satu batang per status alur kerja; panjangnya jumlah usulan.", Series: []chartSeries{{"Usulan", colourUsed}}}
	var total store.StateCount
	for _, r := range rows {
		label := d.StateLabel(r.State)
		s.Table.Rows = append(s.Table.Rows, dashRow{Key: r.State, Cells: []dashCell{{Col: "name", Text: label},
			{Col: "count", Text: strconv.FormatInt(r.Count, 10), Num: true}, dashMoney("requested", r.Requested), dashMoney("allocated", r.Allocated)}})
		chart.Rows = append(chart.Rows, chartRow{Label: label, Values: []int64{r.Count}, Texts: []string{strconv.FormatInt(r.Count, 10) + " usulan"}})
		total.Count, total.Requested, total.Allocated = total.Count+r.Count, total.Requested+r.Requested, total.Allocated+r.Allocated
	}
	if len(rows) == 0 {
		s.Empty = "Belum ada usulan untuk tahun anggaran ini."
		return s
	}
	s.Table.Rows = append(s.Table.Rows, dashRow{Key: "jumlah", Total: true, Cells: []dashCell{{Col: "name", Text: "Jumlah"},
		{Col: "count", Text: strconv.FormatInt(total.Count, 10), Num: true}, dashMoney("requested", total.Requested), dashMoney("allocated", total.Allocated)}})
	s.Charts = []template.HTML{chart.SVG()}
	return s
}

// stateRank is a state's place in the workflow; unknown states go last.
func stateRank(order map[string]int, state string) int {
	if i, ok := order[state]; ok {
		return i
	}
	return len(order)
}

// provinceSection is the allocations by province, the ten largest and the
// rest together, from the summary grouped by province.
func provinceSection(out SummaryOut) dashSection {
	s := dashSection{Key: "provinsi", Title: "Alokasi per provinsi",
		Link: fmt.Sprintf("/ringkasan/ekspor?year=%d&format=xlsx", out.Year), LinkText: "Unduh ringkasan per provinsi (XLSX)"}
	s.Table = dashTable{Caption: fmt.Sprintf("Alokasi tahun anggaran %d per provinsi", out.Year), Head: []dashCell{{Text: "Provinsi"},
		{Text: "Dialokasikan (Rp)", Num: true}}}
	var groups []SummaryGroup
	for _, g := range out.Groups {
		if g.Allocated > 0 {
			groups = append(groups, g)
		}
	}
	if len(groups) == 0 {
		s.Empty = "Belum ada alokasi untuk tahun anggaran ini."
		return s
	}
	slices.SortStableFunc(groups, func(a, b SummaryGroup) int { return cmpMoney(b.Allocated, a.Allocated) })
	chart := barChart{ID: "grafik-provinsi", Title: fmt.Sprintf("Alokasi %d per provinsi (10 terbesar)", out.Year),
		Desc: "Satu batang per provinsi; panjangnya jumlah alokasi.", Series: []chartSeries{{"Alokasi", colourUsed}}}
	var rest dak.Money
	for i, g := range groups {
		if i >= 10 {
			rest += g.Allocated
			continue
		}
		s.Table.Rows = append(s.Table.Rows, dashRow{Key: g.Key, Cells: []dashCell{{Col: "name", Text: g.Name}, dashMoney("allocated", g.Allocated)}})
		chart.Rows = append(chart.Rows, chartRow{Label: g.Name, Values: []int64{int64(g.Allocated)}, Texts: []string{shortRupiah(g.Allocated)}})
	}
	if len(groups) > 10 {
		label := fmt.Sprintf("Lainnya (%d provinsi)", len(groups)-10)
		s.Table.Rows = append(s.Table.Rows, dashRow{Key: "lainnya", Cells: []dashCell{{Col: "name", Text: label}, dashMoney("allocated", rest)}})
		chart.Rows = append(chart.Rows, chartRow{Label: label, Values: []int64{int64(rest)}, Texts: []string{shortRupiah(rest)}})
	}
	s.Table.Rows = append(s.Table.Rows, dashRow{Key: "jumlah", Total: true, Cells: []dashCell{{Col: "name", Text: "Jumlah"},
		dashMoney("allocated", out.Total.Allocated)}})
	s.Charts = []template.HTML{chart.SVG()}
	return s
}

// stagesDueSection lists the stages whose document deadline falls in the
// month, each with its amount from the proposal's dak.Figures.
func stagesDueSection(ps []dak.Proposal, due []store.StageDue, from, to time.Time) dashSection {
	s := dashSection{Key: "tahap", Title: "Tahap penyaluran jatuh tempo bulan ini",
		Note: fmt.Sprintf("Batas dokumen tahap antara %s dan %s.", dak.FormatDate(from), dak.FormatDate(to.AddDate(0, 0, -1)))}
	s.Table = dashTable{Caption: "Tahap yang belum disalurkan dengan batas dokumen bulan ini", Head: []dashCell{{Text: "Usulan"},
		{Text: "Wilayah"}, {Text: "Tahap", Num: true}, {Text: "Batas dokumen"}, {Text: "Jumlah tahap (Rp)", Num: true}}}
	index := make(map[int64]int, len(ps))
	for i := range ps {
		index[ps[i].ID] = i
	}
	var total dak.Money
	for _, d := range due {
		i, ok := index[d.ProposalID]
		if !ok {
			continue
		}
		f := ps[i].Figures()
		var amount dak.Money
		for _, st := range f.Stages {
			if st.Number == d.Number {
				amount = st.Amount
			}
		}
		total += amount
		s.Table.Rows = append(s.Table.Rows, dashRow{Key: fmt.Sprintf("%d-%d", d.ProposalID, d.Number), Cells: []dashCell{
			{Col: "proposal", Text: ps[i].Number, Href: "/proposals/" + strconv.FormatInt(d.ProposalID, 10)},
			{Col: "region", Text: regionName(ps[i].RegionCode)}, {Col: "stage", Text: strconv.Itoa(d.Number), Num: true},
			{Col: "deadline", Text: dak.FormatDateTime(d.Deadline)}, dashMoney("amount", amount)}})
	}
	if len(s.Table.Rows) == 0 {
		s.Empty = "Tidak ada tahap yang batas dokumennya jatuh pada bulan ini."
		return s
	}
	s.Table.Rows = append(s.Table.Rows, dashRow{Key: "jumlah", Total: true, Cells: []dashCell{{Col: "proposal", Text: "Jumlah"},
		{}, {}, {}, dashMoney("amount", total)}})
	return s
}

// absorptionSections are the regions' disbursement (share of the
// allocation) and absorption (share of what was disbursed), from the
// summary grouped by region: every region with money disbursed, ranked by
// absorption; with more than twenty, the ten highest and the ten lowest.
func absorptionSections(out SummaryOut) []dashSection {
	s := dashSection{Key: "penyerapan", Title: "Penyaluran dan penyerapan per wilayah",
		Note: "Disalurkan: persentase dari alokasi. Diserap: persentase dari dana yang telah disalurkan."}
	s.Table = dashTable{Caption: fmt.Sprintf("Penyaluran dan penyerapan tahun anggaran %d per wilayah", out.Year), Head: []dashCell{
		{Text: "Wilayah"}, {Text: "Dialokasikan (Rp)", Num: true}, {Text: "Disalurkan (Rp)", Num: true}, {Text: "Diserap (Rp)", Num: true},
		{Text: "Disalurkan (%)", Num: true}, {Text: "Diserap (%)", Num: true}}}
	var groups []SummaryGroup
	for _, g := range out.Groups {
		if g.Disbursed > 0 {
			groups = append(groups, g)
		}
	}
	if len(groups) == 0 {
		s.Empty = "Belum ada dana yang disalurkan pada tahun anggaran ini."
		return []dashSection{s}
	}
	absorbed := func(g SummaryGroup) dak.Percent { return dak.PercentOf(g.Absorbed, g.Disbursed) }
	slices.SortStableFunc(groups, func(a, b SummaryGroup) int { return int(absorbed(b) - absorbed(a)) })
	for _, g := range groups {
		s.Table.Rows = append(s.Table.Rows, dashRow{Key: g.Key, Cells: []dashCell{{Col: "name", Text: g.Name},
			dashMoney("allocated", g.Allocated), dashMoney("disbursed", g.Disbursed), dashMoney("absorbed", g.Absorbed),
			{Col: "disbursed_percent", Text: dak.PercentOf(g.Disbursed, g.Allocated).String(), Num: true},
			{Col: "absorbed_percent", Text: absorbed(g).String(), Num: true}}})
	}
	chart := func(id, title string, gs []SummaryGroup) template.HTML {
		c := barChart{ID: id, Title: title, Max: 10000, // basis points: a full bar is 100%
			Desc:   "Dua batang per wilayah: dana disalurkan sebagai persentase alokasi, dan dana diserap sebagai persentase dana yang disalurkan.",
			Series: []chartSeries{{"Disalurkan (% alokasi)", colourUsed}, {"Diserap (% disalurkan)", colourAbsorbed}}}
		for _, g := range gs {
			dp, ap := dak.PercentOf(g.Disbursed, g.Allocated), absorbed(g)
			c.Rows = append(c.Rows, chartRow{Label: g.Name, Values: []int64{int64(dp), int64(ap)}, Texts: []string{dp.String(), ap.String()}})
		}
		return c.SVG()
	}
	if len(groups) <= 20 {
		s.Charts = []template.HTML{chart("grafik-penyerapan", fmt.Sprintf("Penyaluran dan penyerapan %d per wilayah", out.Year), groups)}
		return []dashSection{s}
	}
	s.Charts = []template.HTML{
		chart("grafik-penyerapan-atas", fmt.Sprintf("Penyerapan %d: 10 wilayah tertinggi", out.Year), groups[:10]),
		chart("grafik-penyerapan-bawah", fmt.Sprintf("Penyerapan %d: 10 wilayah terendah", out.Year), groups[len(groups)-10:]),
	}
	return []dashSection{s}
}

// sentraSection counts the sentra under monitoring whose use report is
// overdue or that are flagged tidak_dimanfaatkan, from the list GET
// /monitoring answers.
func (p *pages) sentraSection(c echo.Context) (dashSection, error) {
	s := dashSection{Key: "sentra", Title: "Sentra terlambat melapor atau tidak dimanfaatkan",
		Note: "Sentra yang telah selesai dibangun atau direvitalisasi dengan DAK, menurut laporan pemanfaatan semesternya saat ini."}
	if mayMonitor(currentUser(c).Role) {
		s.Link, s.LinkText = "/pemantauan", "Daftar pemantauan"
	}
	s.Table = dashTable{Caption: "Sentra dalam pemantauan pemanfaatan", Head: []dashCell{{Text: "Keadaan"}, {Text: "Jumlah sentra", Num: true}}}
	rules := p.s.monitoringRules()
	list, err := p.s.store.Monitoring(c.Request().Context(), store.MonitoringFilter{Viewer: currentUser(c)}, rules)
	if err != nil {
		return s, err
	}
	var overdue, unused, listed int64
	for _, m := range list {
		flags := m.Assessment.Flags()
		if len(flags) > 0 {
			listed++
		}
		if slices.Contains(flags, dak.FlagOverdue) {
			overdue++
		}
		if slices.Contains(flags, dak.FlagUnused) {
			unused++
		}
	}
	count := func(n int64) string { return strconv.FormatInt(n, 10) + " sentra" }
	s.Table.Rows = []dashRow{
		{Key: "monitored", Cells: []dashCell{{Col: "name", Text: "Dalam pemantauan"}, {Col: "count", Text: strconv.Itoa(len(list)), Num: true}}},
		{Key: dak.FlagOverdue, Cells: []dashCell{{Col: "name", Text: "Laporan terlambat"}, {Col: "count", Text: strconv.FormatInt(overdue, 10), Num: true}}},
		{Key: dak.FlagUnused, Cells: []dashCell{{Col: "name", Text: "Tidak dimanfaatkan"}, {Col: "count", Text: strconv.FormatInt(unused, 10), Num: true}}},
		{Key: "listed", Total: true, Cells: []dashCell{{Col: "name", Text: "Perlu perhatian"}, {Col: "count", Text: strconv.FormatInt(listed, 10), Num: true}}},
	}
	chart := barChart{ID: "grafik-sentra", Title: "Sentra terlambat melapor atau tidak dimanfaatkan",
		Desc: "Jumlah sentra dalam pemantauan, yang laporannya terlambat, dan yang tidak dimanfaatkan.", Series: []chartSeries{{"Sentra", colourWarn}},
		Rows: []chartRow{{Label: "Dalam pemantauan", Values: []int64{int64(len(list))}, Texts: []string{count(int64(len(list)))}},
			{Label: "Laporan terlambat", Values: []int64{overdue}, Texts: []string{count(overdue)}},
			{Label: "Tidak dimanfaatkan", Values: []int64{unused}, Texts: []string{count(unused)}}}}
	s.Charts = []template.HTML{chart.SVG()}
	return s, nil
}

// mayMonitor says whether a role may open /pemantauan (routes.go gives
// the same roles the monitoring list).
func mayMonitor(r dak.Role) bool {
	return r == dak.RoleVerifier || r == dak.RoleAuditor || r == dak.RoleAdmin || r == dak.RolePemda
}

// dashMoney is an exact amount in a table: "Rp3.215.000.000".
func dashMoney(col string, m dak.Money) dashCell {
	return dashCell{Col: col, Text: tableRupiah(m), Num: true}
}

// cmpMoney orders two amounts.
func cmpMoney(a, b dak.Money) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
