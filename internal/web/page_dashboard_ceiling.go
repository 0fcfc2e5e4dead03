package web

import (
	"fmt"
	"html/template"
	"slices"

	"dakflow/internal/dak"
)

// The dashboard's ceiling card (page_dashboard.go): the year's ceiling,
// the menus' and the regions' as GET /fiscal-years/{year}/summary answers
// them, used and left.

// ceilingSection is the year's ceiling used (committed by allocations) and
// left: nationally, per menu, and per region where indicative ceilings are
// set (PRODUCT.md §10, "Ceilings").
func ceilingSection(fy dak.FiscalYear) dashSection {
	s := dashSection{Key: "pagu", Title: "Pagu terpakai dan sisa",
		Note: "Terpakai: jumlah alokasi yang telah ditetapkan dari pagu.", Link: "/admin/fiscal-years", LinkText: "Tahun anggaran dan pagu"}
	s.Table = dashTable{Caption: fmt.Sprintf("Pagu tahun anggaran %d", fy.Year), Head: []dashCell{{Text: "Pagu"},
		{Text: "Pagu (Rp)", Num: true}, {Text: "Terpakai (Rp)", Num: true}, {Text: "Sisa (Rp)", Num: true}, {Text: "Terpakai (%)", Num: true}}}
	if fy.Ceiling == 0 {
		s.Empty = "Pagu tahun anggaran ini belum ditetapkan."
		return s
	}
	stacked := stackedChart{ID: "grafik-pagu", Title: fmt.Sprintf("Pagu %d terpakai dan sisa per menu", fy.Year),
		Desc:   "Batang penuh adalah pagu; bagian biru terpakai oleh alokasi, bagian abu-abu sisa.",
		Series: []chartSeries{{"Terpakai", colourUsed}, {"Sisa", colourLeft}}}
	add := func(key, label string, ceiling, used dak.Money) {
		left := ceiling - used
		s.Table.Rows = append(s.Table.Rows, dashRow{Key: key, Cells: []dashCell{{Col: "name", Text: label},
			dashMoney("ceiling", ceiling), dashMoney("used", used), dashMoney("left", left),
			{Col: "used_percent", Text: dak.PercentOf(used, ceiling).String(), Num: true}}})
	}
	add("nasional", "Nasional", fy.Ceiling, fy.Committed)
	stacked.Rows = append(stacked.Rows, stackRow{Label: "Nasional", Values: []int64{int64(fy.Committed), int64(fy.Left())},
		Note: ceilingNote(fy.Ceiling, fy.Committed)})
	for _, m := range []dak.Menu{dak.MenuPembangunan, dak.MenuRevitalisasi} {
		if mc, ok := fy.Menus[m]; ok {
			add("menu-"+string(m), "Menu "+m.Label(), mc.Ceiling, mc.Committed)
			stacked.Rows = append(stacked.Rows, stackRow{Label: "Menu " + m.Label(), Values: []int64{int64(mc.Committed), int64(mc.Left())},
				Note: ceilingNote(mc.Ceiling, mc.Committed)})
		}
	}
	donut := donutChart{ID: "grafik-pagu-nasional", Title: fmt.Sprintf("Pagu nasional %d: %s", fy.Year, shortRupiah(fy.Ceiling)),
		Desc:   fmt.Sprintf("Terpakai %s, sisa %s.", tableRupiah(fy.Committed), tableRupiah(fy.Left())),
		Centre: dak.PercentOf(fy.Committed, fy.Ceiling).String(),
		Slices: []donutSlice{{Label: "Terpakai", Text: shortRupiah(fy.Committed), Colour: colourUsed, Value: int64(fy.Committed)},
			{Label: "Sisa", Text: shortRupiah(fy.Left()), Colour: colourLeft, Value: int64(fy.Left())}}}
	s.Charts = []template.HTML{donut.SVG(), stacked.SVG()}
	if len(fy.Regions) > 0 {
		s.Charts = append(s.Charts, regionCeilingChart(fy, &s.Table))
	}
	return s
}

// regionCeilingChart adds every region's indicative ceiling to the table
// and draws the ten largest.
func regionCeilingChart(fy dak.FiscalYear, t *dashTable) template.HTML {
	codes := make([]string, 0, len(fy.Regions))
	for code := range fy.Regions {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for _, code := range codes {
		rc := fy.Regions[code]
		t.Rows = append(t.Rows, dashRow{Key: "wilayah-" + code, Cells: []dashCell{{Col: "name", Text: regionName(code)},
			dashMoney("ceiling", rc.Ceiling), dashMoney("used", rc.Committed), dashMoney("left", rc.Left()),
			{Col: "used_percent", Text: dak.PercentOf(rc.Committed, rc.Ceiling).String(), Num: true}}})
	}
	slices.SortStableFunc(codes, func(a, b string) int { return cmpMoney(fy.Regions[b].Ceiling, fy.Regions[a].Ceiling) })
	chart := stackedChart{ID: "grafik-pagu-wilayah", Title: "Pagu indikatif wilayah terpakai dan sisa (10 terbesar)",
		Desc:   "Batang penuh adalah pagu indikatif wilayah; bagian biru terpakai oleh alokasi, bagian abu-abu sisa.",
		Series: []chartSeries{{"Terpakai", colourUsed}, {"Sisa", colourLeft}}}
	for _, code := range codes[:min(10, len(codes))] {
		rc := fy.Regions[code]
		chart.Rows = append(chart.Rows, stackRow{Label: regionName(code), Values: []int64{int64(rc.Committed), int64(max(0, rc.Left()))},
			Note: ceilingNote(rc.Ceiling, rc.Committed)})
	}
	return chart.SVG()
}

// ceilingNote words a ceiling under its bar.
func ceilingNote(ceiling, used dak.Money) string {
	return fmt.Sprintf("Terpakai %s (%s) dari %s · sisa %s", shortRupiah(used), dak.PercentOf(used, ceiling), shortRupiah(ceiling),
		shortRupiah(ceiling-used))
}
