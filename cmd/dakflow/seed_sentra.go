package main

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/region"
	"dakflow/internal/store"
)

// The demo's sentra registry (PRODUCT.md §8, §9), so that the registry,
// the monitoring list, the coverage page and its map show something real:
// the sentra of §8 (registered by the demo proposals, placed in their own
// kabupaten/kota by demoPosition), a few past DAK proposals walked to
// completion through the engine whose sentra then report on their use
// (one flagged tidak_dimanfaatkan, one overdue, one well used), and
// demoRegistrySize sentra generated over all 38 provinces with their
// status history — living, fading, dead (some after DAK funding), being
// built, proposed. The generator draws from a fixed seed: every run gives
// the same registry.

// demoRegistrySize is how many sentra the generator adds.
const demoRegistrySize = 300

// demoRandSeed seeds the generator.
const demoRandSeed = 20260811

// pastCompletion is a DAK proposal of an earlier fiscal year walked to
// completion, and the utilisation reports its pemda filed: use holds the
// occupancy (percent) of each semester owed, oldest first; nil files none.
type pastCompletion struct {
	pemda, name, commodity string
	menu                   dak.Menu
	kppn                   string
	yearsAgo               int // its fiscal year is the demo year less this
	use                    []int
	late                   int // index of the report filed after its due date (-1: none)
	issues                 string
}

// pastCompletions: completed four fiscal years before the demo's, Makassar's
// fish processing sentra is used less each semester until it is flagged
// tidak_dimanfaatkan (any three reports end in two under 30%), and
// Pasuruan's furniture sentra is well used, one report late; Konawe
// Selatan's cashew sentra, three years before, has filed nothing and is
// overdue.
var pastCompletions = []pastCompletion{
	{pemda: "pemda.makassar", name: "Sentra IKM Pengolahan Hasil Laut", commodity: "Abon ikan dan kerupuk ikan", menu: dak.MenuPembangunan,
		kppn: "KPPN Makassar I", yearsAgo: 4, use: []int{45, 25, 20, 15, 10, 10}, late: -1,
		issues: "Pasokan ikan dari TPI tidak menentu; sebagian IKM kembali mengolah di rumah karena biaya listrik gedung tinggi"},
	{pemda: "pemda.pasuruan", name: "Sentra IKM Mebel Kayu", commodity: "Furnitur kayu", menu: dak.MenuRevitalisasi,
		kppn: "KPPN Pasuruan", yearsAgo: 4, use: []int{65, 70, 80, 85, 85, 90}, late: 1,
		issues: "Permintaan ekspor naik; perlu tambahan mesin pengering kayu"},
	{pemda: "pemda.konaweselatan", name: "Sentra IKM Pengolahan Jambu Mete", commodity: "Kacang mete", menu: dak.MenuPembangunan,
		kppn: "KPPN Kendari", yearsAgo: 3},
}

// registry loads the generated sentra in one transaction, before any demo
// event is fired (cmdSeed): their status histories are dated before every
// demo assessment, so the coverage a berita acara penilaian states inside
// its recommend event is the coverage GET /api/v1/coverage answers
// afterwards. They keep out of the desa the demo proposals will take
// (demoVillages) and of any desa already holding a sentra.
func (s *seeder) registry(ctx context.Context) (int, error) {
	defer s.app.store.SetClock(func() time.Time { return time.Now().UTC() })
	s.app.store.SetClock(func() time.Time { return time.Now().UTC() })
	taken := s.demoVillages()
	admin := s.users["admin"]
	err := s.app.store.EachSentra(ctx, store.SentraFilter{Viewer: admin}, func(r dak.Sentra) error {
		taken[r.VillageCode] = true
		return nil
	})
	if err != nil {
		return 0, err
	}
	plans := planRegistry(s.year-2, taken)
	registrar, counter := s.users["verifikator2"], s.users["verifikator1"]
	now := s.app.store.Now()
	for i := range plans {
		if err := plans[i].in.Validate(registrar, now, knownRegion, true); err != nil {
			return 0, fmt.Errorf("demo sentra %q: %w", plans[i].in.Name, err)
		}
	}
	// One transaction: the registry is loaded whole or not at all, and
	// SQLite syncs once.
	err = s.app.store.InTx(ctx, func(tx *store.Tx) error {
		for _, p := range plans {
			id, err := tx.CreateSentra(p.in, registrar)
			if err != nil {
				return fmt.Errorf("demo sentra %q: %w", p.in.Name, err)
			}
			for _, h := range p.history {
				if err := tx.SetSentraStatus(id, h.status, h.date, h.basis, h.note, counter, 0); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(plans), nil
}

// pastCompletions walks the past DAK proposals to completion and files
// their reports (pastCompletion), after the demo proposals.
func (s *seeder) pastCompletions(ctx context.Context) (int, error) {
	defer s.app.store.SetClock(func() time.Time { return time.Now().UTC() })
	for i, pc := range pastCompletions {
		if err := s.pastCompletion(ctx, len(demoTargets)+1+i, pc); err != nil {
			return i, fmt.Errorf("seed %s: %w", pc.name, err)
		}
	}
	return len(pastCompletions), nil
}

// knownRegion is the Kemendagri list's answer for the registry's checks.
func knownRegion(code string) bool {
	_, ok := region.Lookup(region.Code(code))
	return ok
}

// pastCompletion walks pc's proposal to completion in its fiscal year, then
// files its reports, each two weeks after its semester (the late one three
// weeks after its due date), as long as that day has come; a sentra left
// unused is found kurang_aktif by a field visit.
func (s *seeder) pastCompletion(ctx context.Context, i int, pc pastCompletion) error {
	st := s.app.store
	fy := s.year - pc.yearsAgo
	if _, err := st.SetFiscalYear(ctx, fy, 395_000_000_000, nil); err != nil {
		return err
	}
	year := s.year
	s.year = fy
	p, err := s.walk(ctx, i, pc.pemda, pc.name, pc.commodity, pc.menu, false, pc.kppn, "completed")
	completed := s.when(step{event: "complete"}, i)
	s.year = year
	if err != nil {
		return err
	}
	rules := s.app.engine.Current().Parameters.MonitoringParams
	owner := s.users[pc.pemda]
	now := time.Now()
	var (
		last    time.Time
		lastUse int
	)
	for n, period := range rules.Periods(completed) {
		if n >= len(pc.use) {
			break
		}
		at := time.Date(period.End().Year(), period.End().Month(), period.End().Day(), 10, 0, 0, 0, dak.WIB).AddDate(0, 0, 14)
		if n == pc.late {
			at = rules.Due(period).AddDate(0, 0, 21).Add(10 * time.Hour)
		}
		if at.After(now) {
			break
		}
		st.SetClock(func() time.Time { return at.UTC() })
		if _, err := st.FileSentraReport(ctx, owner, p.SentraID, demoReport(period, pc.use[n], pc.issues), period, rules); err != nil {
			return fmt.Errorf("report %s: %w", period, err)
		}
		last, lastUse = at, pc.use[n]
	}
	if last.IsZero() || lastUse >= rules.UnusedOccupancyPercent {
		return nil
	}
	// The verifier visits the unused facility a month after its last report.
	visit := last.AddDate(0, 1, 0)
	if visit.After(now) {
		visit = now
	}
	st.SetClock(func() time.Time { return time.Now().UTC() })
	_, err = st.RecordSentraVisit(ctx, s.users["verifikator1"], p.SentraID, dak.SentraVisitInput{Status: dak.SentraKurangAktif,
		Findings: "Gedung produksi hanya dipakai dua IKM; mesin pengolahan belum dioperasikan karena daya listrik tidak mencukupi. " +
			"Pemerintah daerah diminta menyusun rencana pemanfaatan dan anggaran operasional."}, visit)
	return err
}

// demoReport is a semester's report at occupancy percent of a facility
// built for 15 IKM.
func demoReport(p dak.Period, occupancy int, issues string) dak.SentraReportInput {
	ikm := int64(math.Round(15 * float64(occupancy) / 100))
	workers := ikm * 4
	production := dak.Money(ikm * 45_000_000)
	pct := dak.Percent(occupancy * 100)
	budget := dak.Money(36_000_000)
	condition := "baik"
	if occupancy < 30 {
		condition = "rusak_ringan"
	}
	return dak.SentraReportInput{Period: p.String(), IKMUsing: &ikm, Workers: &workers, ProductionValue: &production,
		OccupancyPercent: &pct, Condition: condition, OperatingBudget: &budget, Issues: issues}
}

// demoSentraPlan is one generated sentra: the record as registered and
// the later lines of its status history, oldest first.
type demoSentraPlan struct {
	in      dak.SentraRecordInput
	history []demoStatusLine
}

type demoStatusLine struct {
	status            dak.SentraStatus
	date, basis, note string
}

var demoStreets = []string{"Jalan Merdeka", "Jalan Pahlawan", "Jalan Jenderal Sudirman", "Jalan Diponegoro", "Jalan Ahmad Yani",
	"Jalan Poros Desa", "Jalan Pasar Lama", "Jalan Kartini", "Jalan Masjid Raya", "Jalan Lintas Kabupaten", "Jalan Sentra Industri",
	"Jalan Pelabuhan"}

// planRegistry draws the generated sentra (demoRegistrySize), with status
// dates up to year (the last whole year before today), in desa not in
// taken: every kabupaten/kota of demoPlaces gets at least one, its known
// sentra first, then its own goods, then common ones.
func planRegistry(year int, taken map[string]bool) []demoSentraPlan {
	rng := rand.New(rand.NewPCG(demoRandSeed, 1))
	used := map[string]bool{}
	for v := range taken {
		used[v] = true
	}
	known := map[string][]int{} // kabupaten/kota → indexes of demoKnownSentra
	for i, k := range demoKnownSentra {
		known[k.village[:5]] = append(known[k.village[:5]], i)
	}
	counts := make([]int, len(demoPlaces))
	total := 0
	for i, p := range demoPlaces {
		counts[i] = max(1, len(known[p.code]))
		total += counts[i]
	}
	for ; total < demoRegistrySize; total++ {
		counts[rng.IntN(len(demoPlaces))]++
	}
	out := make([]demoSentraPlan, 0, total)
	for i, p := range demoPlaces {
		villages := villagesOf(p.code)
		regency, _ := region.Lookup(region.Code(p.code))
		for n := range counts[i] {
			var good, village string
			switch {
			case n < len(known[p.code]):
				k := demoKnownSentra[known[p.code][n]]
				good, village = k.good, k.village
			case n < len(p.goods):
				good = p.goods[n]
			default:
				generic := demoGeneric
				if p.coast {
					generic = append(generic[:len(generic):len(generic)], "ikan")
				}
				good = generic[rng.IntN(len(generic))]
			}
			if village == "" || used[village] {
				village = ""
				for tries := 0; tries < 50 && (village == "" || used[village]); tries++ {
					village = villages[rng.IntN(len(villages))]
				}
			}
			if used[village] {
				continue // a kabupaten/kota of fewer than 50 free desa gives up one sentra
			}
			used[village] = true
			out = append(out, planSentra(rng, year, regency, village, demoGoods[good]))
		}
	}
	return out
}

// villagesOf lists the desa/kelurahan codes of a kabupaten/kota.
func villagesOf(regency string) []string {
	var out []string
	for _, d := range region.Children(region.Code(regency)) {
		for _, v := range region.Children(d.Code) {
			out = append(out, string(v.Code))
		}
	}
	return out
}

// planSentra draws one sentra of good in village and its history up to
// year: registered at a count years ago, perhaps built or revitalised with
// DAK since, then re-counted.
func planSentra(rng *rand.Rand, year int, regency region.Region, village string, good demoGood) demoSentraPlan {
	desa, _ := region.Lookup(region.Code(village))
	lat, lon := demoPosition(string(regency.Code), village)
	units := 6 + rng.IntN(45)
	registered := year - 7 - rng.IntN(3)
	established := registered - 1 - rng.IntN(25)
	in := dak.SentraRecordInput{Name: "Sentra IKM " + good.product + " " + desa.Name, Commodity: good.commodity,
		RegionCode: string(regency.Code), VillageCode: village, Latitude: &lat, Longitude: &lon, IKMUnits: units,
		Workers: units * (3 + rng.IntN(6)), EstablishedYear: &established, Status: dak.SentraAktif,
		Address:     fmt.Sprintf("%s No. %d", demoStreets[rng.IntN(len(demoStreets))], 1+rng.IntN(120)),
		StatusDate:  dateOf(registered, 6+rng.IntN(6), 1+rng.IntN(28)),
		StatusBasis: "Pendataan sentra IKM oleh Dinas Perindustrian " + regency.Name}
	if rng.IntN(100) < 70 {
		in.DecreeNumber = fmt.Sprintf("188.45/%d/%d", 10+rng.IntN(600), registered)
		in.DecreeDate = dateOf(registered, 1+rng.IntN(5), 1+rng.IntN(28))
	}
	recount := func(y int) (string, string) {
		return dateOf(y, 7+rng.IntN(5), 1+rng.IntN(28)),
			fmt.Sprintf("Pendataan ulang sentra IKM %d oleh Ditjen IKMA bersama Dinas Perindustrian %s", y, regency.Name)
	}
	plan := demoSentraPlan{in: in}
	add := func(st dak.SentraStatus, date, basis, note string) {
		plan.history = append(plan.history, demoStatusLine{status: st, date: date, basis: basis, note: note})
	}
	roll := rng.IntN(100)
	if roll >= 88 { // planned or being built: no history of its own yet
		plan.in.Status, plan.in.EstablishedYear, plan.in.DecreeNumber, plan.in.DecreeDate = dak.SentraUsulan, nil, "", ""
		plan.in.StatusDate = dateOf(year-1, 2+rng.IntN(9), 1+rng.IntN(28))
		plan.in.StatusBasis = "Rencana pembangunan sentra IKM Dinas Perindustrian " + regency.Name
		if roll < 94 {
			add(dak.SentraDalamPembangunan, dateOf(year, 3+rng.IntN(8), 1+rng.IntN(28)),
				fmt.Sprintf("Pembangunan gedung sentra dengan APBD %s TA %d", regency.Name, year), "")
		}
		return plan
	}
	dakYear := 0
	if rng.IntN(100) < 25 {
		dakYear = year - 2 - rng.IntN(5)
		menu := "dibangun"
		if rng.IntN(2) == 0 {
			menu = "direvitalisasi"
		}
		add(dak.SentraAktif, dateOf(dakYear, 11+rng.IntN(2), 1+rng.IntN(28)),
			fmt.Sprintf("Selesai %s dengan DAK Fisik Bidang IKM TA %d", menu, dakYear),
			"Gedung produksi, mesin dan peralatan diserahterimakan kepada pengelola sentra")
	}
	switch {
	case roll < 52:
		if rng.IntN(3) == 0 {
			date, basis := recount(year)
			add(dak.SentraAktif, date, basis, fmt.Sprintf("%d IKM berproduksi", units))
		}
	case roll < 72:
		date, basis := recount(year)
		add(dak.SentraKurangAktif, date, basis, fmt.Sprintf("%d dari %d IKM masih berproduksi; pemasaran dan bahan baku terbatas",
			max(1, units/3), units))
	default:
		if rng.IntN(2) == 0 {
			date, basis := recount(year - 1)
			add(dak.SentraKurangAktif, date, basis, fmt.Sprintf("%d dari %d IKM masih berproduksi", max(1, units/4), units))
		}
		date, basis := recount(year)
		note := "Tidak ada IKM yang masih berproduksi di sentra; pengurus sentra tidak aktif"
		if dakYear != 0 {
			note = fmt.Sprintf("Gedung dan mesin bantuan DAK TA %d tidak dimanfaatkan; IKM kembali berproduksi di rumah masing-masing", dakYear)
		}
		add(dak.SentraTidakAktif, date, basis, note)
	}
	return plan
}

func dateOf(y, m, d int) string { return fmt.Sprintf("%04d-%02d-%02d", y, m, d) }

// demoPosition is a point for a sentra in village (or, without one, in
// the region): within about 7 km of its kabupaten/kota's point in
// demoPlaces, on land, the same for a desa every time.
func demoPosition(regionCode, village string) (lat, lon float64) {
	p := demoPlaceOf(regionCode)
	h := fnv.New64a()
	h.Write([]byte(village + "|" + regionCode)) // never fails
	x := h.Sum64()
	for range 8 {
		dx := float64(x&0xffff)/0xffff*2 - 1
		dy := float64(x>>16&0xffff)/0xffff*2 - 1
		lat, lon = round4(p.lat+dy*0.06), round4(p.lon+dx*0.06)
		if onLand(lat, lon) {
			return lat, lon
		}
		x = x*6364136223846793005 + 1442695040888963407
	}
	return p.lat, p.lon
}

// demoPlaceOf is the kabupaten/kota's place, else its province's first.
func demoPlaceOf(code string) demoPlace {
	var first *demoPlace
	for i, p := range demoPlaces {
		if strings.HasPrefix(code, p.code) {
			return p
		}
		if first == nil && len(code) >= 2 && p.code[:2] == code[:2] {
			first = &demoPlaces[i]
		}
	}
	if first != nil {
		return *first
	}
	return demoPlaces[0]
}

func round4(f float64) float64 { return math.Round(f*1e4) / 1e4 }

// landRings is Indonesia's outline (region.MapOutline) as closed rings of
// MapView pixels, for onLand.
var landRings = sync.OnceValue(func() [][][2]float64 {
	var rings [][][2]float64
	for _, sub := range strings.Split(region.MapOutline().Indonesia, "M") {
		var ring [][2]float64
		for _, pt := range strings.Fields(strings.ReplaceAll(sub, "Z", " ")) {
			xs, ys, ok := strings.Cut(pt, ",")
			x, errX := strconv.ParseFloat(xs, 64)
			y, errY := strconv.ParseFloat(ys, 64)
			if ok && errX == nil && errY == nil {
				ring = append(ring, [2]float64{x, y})
			}
		}
		if len(ring) >= 3 {
			rings = append(rings, ring)
		}
	}
	return rings
})

// onLand reports whether a point lies on Indonesia's land as the map draws
// it (even-odd rule over every ring), so that no demo sentra is drawn at
// sea.
func onLand(lat, lon float64) bool {
	x, y := region.MapView.Project(lat, lon)
	in := false
	for _, ring := range landRings() {
		for i, j := 0, len(ring)-1; i < len(ring); j, i = i, i+1 {
			a, b := ring[i], ring[j]
			if (a[1] > y) != (b[1] > y) && x < (b[0]-a[0])*(y-a[1])/(b[1]-a[1])+a[0] {
				in = !in
			}
		}
	}
	return in
}
