package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/region"
	"dakflow/internal/store"
)

// coveragePage is the national coverage of Sentra IKM (PRODUCT.md §9): a
// map of Indonesia with every sentra coloured by status, the shares of
// kabupaten/kota with a living sentra, and a table per province. It shows
// the same figures as GET /api/v1/coverage, from the same computation.
type coveragePage struct {
	pageBase
	Year      int
	Years     []int
	Shares    []coverageShare
	Map       coverageMap
	Legend    []sentraStatusView
	Provinces []provinceCoverageView
}

// coverageShare is one line of the national shares: "x dari n
// kabupaten/kota (y%)" with a living sentra, and those with DAK funding.
type coverageShare struct {
	Key, Label    string
	Active, DAK   string
	ActiveN, AllN int
}

// coverageMap is the SVG map: the outline, projected when generated, and
// the sentra projected with the same view.
type coverageMap struct {
	Width, Height         float64
	Indonesia, Neighbours string
	Dots                  []sentraDot
	Outside               int // sentra whose coordinates fall outside the map
}

// sentraDot is one sentra on the map.
type sentraDot struct {
	X, Y                      string
	Name, Region, StatusLabel string
	Status, Colour            string
}

// sentraStatusView is a status of the legend, with how many sentra on the
// map have it.
type sentraStatusView struct {
	Status, Label, Colour string
	Count                 int
}

// provinceCoverageView is one province's line and its kabupaten/kota.
type provinceCoverageView struct {
	store.ProvinceCoverage
	Share     string
	Regencies []regencyCoverageView
}

// regencyCoverageView is one kabupaten/kota's line.
type regencyCoverageView struct {
	store.RegencyCoverage
	Name, Afirmasi, LastFunded string
}

// sentraStatuses are the statuses of PRODUCT.md §9 in the legend's order,
// the living ones first, with the colours of the map (the living ones
// green and amber, the dead one red, the others blue and purple).
var sentraStatuses = []sentraStatusView{
	statusView(dak.SentraAktif, "#1a7f37"),
	statusView(dak.SentraKurangAktif, "#bf8700"),
	statusView(dak.SentraDalamPembangunan, "#0969da"),
	statusView(dak.SentraUsulan, "#8250df"),
	statusView(dak.SentraTidakAktif, "#cf222e"),
}

func statusView(s dak.SentraStatus, colour string) sentraStatusView {
	return sentraStatusView{Status: string(s), Label: s.Label(), Colour: colour}
}

// affirmationLabels name the daerah afirmasi in Indonesian.
var affirmationLabels = map[region.Affirmation]string{region.AffirmTertinggal: "Daerah tertinggal", region.AffirmPerbatasan: "Perbatasan"}

func (p *pages) coverage(c echo.Context) error {
	now := p.s.store.Now().In(dak.WIB).Year()
	year, err := coverageYear(c.QueryParam("year"), now)
	if err != nil {
		return err
	}
	cov, err := p.s.store.Coverage(c.Request().Context(), store.CoverageQuery{Year: year, FinalStates: p.s.finalStates(), Points: true})
	if err != nil {
		return err
	}
	data := coveragePage{pageBase: p.base(c, fmt.Sprintf("Cakupan Sentra IKM %d", year)), Year: year}
	fys, _, err := p.fiscalYears(c)
	if err != nil {
		return err
	}
	years := map[int]bool{year: true, now: true}
	for _, fy := range fys {
		years[fy.Year] = true
	}
	for y := range years {
		data.Years = append(data.Years, y)
	}
	slices.SortFunc(data.Years, func(a, b int) int { return b - a }) // newest first
	n := cov.National
	data.Shares = []coverageShare{
		shareOf("nasional", "Seluruh Indonesia", n.CoverageCounts),
		shareOf("luar-jawa", "Di luar Pulau Jawa", n.OutsideJava),
		shareOf("afirmasi", "Daerah afirmasi (tertinggal atau perbatasan)", n.Affirmative),
	}
	data.Map, data.Legend = coverageMapOf(cov.Points)
	for _, pc := range cov.Provinces {
		pv := provinceCoverageView{ProvinceCoverage: pc, Share: shareText(pc.WithActiveSentra, pc.KabupatenKota)}
		if name, ok := provinceName(pc.Code); ok {
			pv.Name = name
		}
		for _, it := range cov.Items {
			if it.ProvinceCode == pc.Code {
				pv.Regencies = append(pv.Regencies, regencyViewOf(it))
			}
		}
		data.Provinces = append(data.Provinces, pv)
	}
	return p.render(c, http.StatusOK, "coverage", data)
}

// shareOf words one group's shares.
func shareOf(key, label string, c store.CoverageCounts) coverageShare {
	return coverageShare{Key: key, Label: label, ActiveN: c.WithActiveSentra, AllN: c.KabupatenKota,
		Active: shareText(c.WithActiveSentra, c.KabupatenKota), DAK: shareText(c.WithDAKSentra, c.KabupatenKota)}
}

// shareText is "x dari n kabupaten/kota (y%)", the percentage exact to two
// decimals (rounded half up, in integers: never a float).
func shareText(x, n int) string {
	return fmt.Sprintf("%d dari %d kabupaten/kota (%s)", x, n, sharePercent(x, n))
}

// sharePercent is x/n as a percentage in basis points, rounded half up
// (store.SharePercent, which the berita acara penilaian prints too).
func sharePercent(x, n int) dak.Percent { return store.SharePercent(x, n) }

// coverageMapOf projects the sentra onto the map and counts them per status.
func coverageMapOf(points []store.SentraPoint) (coverageMap, []sentraStatusView) {
	v := region.MapView
	o := region.MapOutline()
	m := coverageMap{Width: v.Width, Height: v.Height, Indonesia: o.Indonesia, Neighbours: o.Neighbours}
	legend := append([]sentraStatusView(nil), sentraStatuses...)
	for _, pt := range points {
		if !v.Contains(pt.Latitude, pt.Longitude) {
			m.Outside++
			continue
		}
		x, y := v.Project(pt.Latitude, pt.Longitude)
		dot := sentraDot{X: strconv.FormatFloat(x, 'f', 1, 64), Y: strconv.FormatFloat(y, 'f', 1, 64),
			Name: pt.Name, Region: regionName(pt.RegionCode), Status: pt.Status, StatusLabel: pt.Status, Colour: "#57606a"}
		for i := range legend {
			if legend[i].Status == pt.Status {
				dot.StatusLabel, dot.Colour = legend[i].Label, legend[i].Colour
				legend[i].Count++
			}
		}
		m.Dots = append(m.Dots, dot)
	}
	return m, legend
}

// regencyViewOf words one kabupaten/kota's facts.
func regencyViewOf(it store.RegencyCoverage) regencyCoverageView {
	v := regencyCoverageView{RegencyCoverage: it, Name: it.RegionName, Afirmasi: afirmasiText(it.Affirmative), LastFunded: "—"}
	if r, ok := region.Lookup(region.Code(it.RegionCode)); ok {
		v.Name = r.Name
	}
	if it.LastFundedYear != nil {
		v.LastFunded = strconv.Itoa(*it.LastFundedYear)
	}
	return v
}

// afirmasiText lists the daerah afirmasi kinds, or "—".
func afirmasiText(as []region.Affirmation) string {
	var parts []string
	for _, a := range as {
		parts = append(parts, affirmationLabels[a])
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, ", ")
}

// provinceName is a province's name as the region list writes it.
func provinceName(code string) (string, bool) {
	r, ok := region.Lookup(region.Code(code))
	return r.Name, ok
}

// priorityView is what the verifier's checklist item "prioritas" shows of
// the proposal's kabupaten/kota (PRODUCT.md §9: the priority item is
// answered from the coverage facts), from the same computation as GET
// /api/v1/coverage.
type priorityView struct {
	Region string
	Facts  []keyValue
}

// priorityItem is the checklist item the facts belong to
// (workflows/dak-fisik-ikm.yaml).
const priorityItem = "prioritas"

// withPriority adds the coverage facts to an action whose checklist has
// the priority item; other actions are left as they are.
func (p *pages) withPriority(c echo.Context, pr dak.Proposal, a *actionView) error {
	if !slices.ContainsFunc(a.Checklist, func(r checkRow) bool { return r.ID == priorityItem }) {
		return nil // no checklist, or a workflow without the item
	}
	v, err := p.priorityFacts(c, pr)
	a.Priority = v
	return err
}

// priorityFacts reads the coverage of the proposal's kabupaten/kota: that
// of its sentra's desa, else its own region (a province's proposal
// without a desa has only its province's place, in Java or not).
func (p *pages) priorityFacts(c echo.Context, pr dak.Proposal) (*priorityView, error) {
	code := store.ProposalRegion(&pr)
	yesNo := func(b bool, no string) string {
		if b {
			return "Ya"
		}
		return no
	}
	cov, err := p.s.store.Coverage(c.Request().Context(), store.CoverageQuery{Year: pr.FiscalYear, FinalStates: p.s.finalStates(), Region: code})
	if err != nil {
		return nil, err
	}
	if len(cov.Items) == 0 {
		return &priorityView{Region: regionName(pr.RegionCode), Facts: []keyValue{
			{"Di luar Pulau Jawa", yesNo(region.OutsideJava(code), "Tidak")},
			{"Catatan", "Usulan tanpa desa sentra di kabupaten/kota: fakta cakupan per kabupaten/kota tidak tersedia."}}}, nil
	}
	it := cov.Items[0]
	last := "belum pernah"
	if it.LastFundedYear != nil {
		last = "TA " + strconv.Itoa(*it.LastFundedYear)
	}
	return &priorityView{Region: it.RegionName, Facts: []keyValue{
		{"Sentra hidup (aktif atau kurang aktif)", strconv.Itoa(it.ActiveSentra)},
		{fmt.Sprintf("Sentra ber-DAK (s.d. TA %d)", pr.FiscalYear), strconv.Itoa(it.DAKSentra)},
		{"Terakhir didanai DAK", last},
		{"Daerah tertinggal (Perpres 63/2020)", yesNo(region.Tertinggal(code), "Tidak")},
		{"Perbatasan", yesNo(region.Perbatasan(code), "Tidak tercantum")},
		{"Di luar Pulau Jawa", yesNo(it.OutsideJava, "Tidak")},
		{"Sasaran RIPIN (sentra hidup)", yesNo(it.TargetMet, "Belum tercapai")},
	}}, nil
}
