package store

import (
	"context"
	"database/sql"
	"fmt"

	"dakflow/internal/dak"
	"dakflow/internal/region"
)

// Coverage is the national coverage of Sentra IKM against the RIPIN target
// of a living sentra in every kabupaten/kota (PRODUCT.md §9, GET
// /api/v1/coverage): the figures of each of the 514 kabupaten/kota, summed
// per province, nationally, outside Java and in the daerah afirmasi.
type Coverage struct {
	Year      int                `json:"year"`
	National  NationalCoverage   `json:"national"`
	Provinces []ProvinceCoverage `json:"provinces"`
	Items     []RegencyCoverage  `json:"items"`
	Total     int                `json:"total"`
	// Points are the sentra that have coordinates, for the map; filled
	// only when CoverageQuery.Points asks for them.
	Points []SentraPoint `json:"-"`
}

// CoverageCounts counts kabupaten/kota: all of a group, those with a living
// sentra (the target met) and those with a sentra funded by DAK.
type CoverageCounts struct {
	KabupatenKota    int `json:"kabupaten_kota"`
	WithActiveSentra int `json:"with_active_sentra"`
	WithDAKSentra    int `json:"with_dak_sentra"`
}

// NationalCoverage is every kabupaten/kota, and the two groups DAK IKM
// serves first: outside Java (PP 14/2015 RIPIN) and the daerah afirmasi
// (tertinggal or perbatasan).
type NationalCoverage struct {
	CoverageCounts
	OutsideJava CoverageCounts `json:"outside_java"`
	Affirmative CoverageCounts `json:"affirmative"`
}

// ProvinceCoverage sums a province's kabupaten/kota.
type ProvinceCoverage struct {
	Code string `json:"code"`
	Name string `json:"name"`
	CoverageCounts
	DAKTotal dak.Money `json:"dak_total"`
}

// RegencyCoverage is one kabupaten/kota's facts for the year: its living
// sentra (status aktif or kurang_aktif), its sentra funded by DAK (a
// proposal allocated in the year or before), the year's allocations, its
// proposals of the year still open, and the last year it was funded.
type RegencyCoverage struct {
	RegionCode     string               `json:"region_code"`
	RegionName     string               `json:"region_name"`
	ProvinceCode   string               `json:"province_code"`
	OutsideJava    bool                 `json:"outside_java"`
	Affirmative    []region.Affirmation `json:"affirmative"`
	ActiveSentra   int                  `json:"active_sentra"`
	DAKSentra      int                  `json:"dak_sentra"`
	DAKTotal       dak.Money            `json:"dak_total"`
	OpenProposals  int                  `json:"open_proposals"`
	LastFundedYear *int                 `json:"last_funded_year"`
	TargetMet      bool                 `json:"target_met"`
}

// SentraPoint is a sentra with coordinates, for the map.
type SentraPoint struct {
	ID         int64   `gorm:"column:id"`
	Name       string  `gorm:"column:name"`
	Commodity  string  `gorm:"column:commodity"`
	Status     string  `gorm:"column:status"`
	RegionCode string  `gorm:"column:region_code"` // the kabupaten/kota of its desa
	Latitude   float64 `gorm:"column:latitude"`
	Longitude  float64 `gorm:"column:longitude"`
}

// CoverageQuery says what Coverage computes.
type CoverageQuery struct {
	Year int
	// FinalStates are the workflow states in which a proposal is closed;
	// a proposal of the year in any other state is open. The workflow
	// files say which they are, so the caller passes them.
	FinalStates []string
	// Region limits the items to the kabupaten/kota the code lies in (a
	// proposal's region or its sentra's desa): the verifier's checklist
	// asks for one. "" is all 514; a province or an unknown code, none.
	Region region.Code
	// Points asks for the sentra with coordinates, for the map.
	Points bool
}

// livingStatuses are the sentra statuses that meet the target: a sentra
// that still lives, if only just (PRODUCT.md §9).
var livingStatuses = []string{string(dak.SentraAktif), string(dak.SentraKurangAktif)}

// regencyKey is the kabupaten/kota a sentra lies in: the first five
// characters of its desa code ("18.71.01.1004" → "18.71"), whoever
// proposed it (a province may propose a sentra in one of its kabupaten).
const regencyKey = `substr(s.village_code, 1, 5)`

// proposalKey is the kabupaten/kota a proposal counts for: its sentra's,
// or its own region's when it has no sentra. A province's own region
// ("18") matches no kabupaten/kota and counts nowhere.
const proposalKey = `CASE WHEN s.village_code IS NOT NULL AND length(s.village_code) >= 5
	THEN substr(s.village_code, 1, 5) ELSE substr(p.region_code, 1, 5) END`

// Coverage computes the national coverage in one read snapshot: two
// grouped queries give every kabupaten/kota's figures, and the totals are
// summed from them here, so the items, the provinces and the national
// blocks always agree. The verifier's checklist and GET /api/v1/coverage
// both call it; the berita acara penilaian calls Tx.Coverage.
func (s *Store) Coverage(ctx context.Context, q CoverageQuery) (Coverage, error) {
	var cov Coverage
	err := s.ReadTx(ctx, func(tx *Tx) error {
		var err error
		cov, err = tx.Coverage(q)
		return err
	})
	return cov, err
}

// Coverage is Store.Coverage inside the caller's transaction: the berita
// acara penilaian states the coverage as its event finds it.
func (tx *Tx) Coverage(q CoverageQuery) (Coverage, error) {
	cov := Coverage{Year: q.Year}
	var regencies []region.Region
	switch {
	case q.Region == "":
		for _, p := range region.Children("") {
			regencies = append(regencies, region.Children(p.Code)...)
		}
	case q.Region.Regency() != "":
		if r, ok := region.Lookup(q.Region.Regency()); ok {
			regencies = []region.Region{r}
		}
	}
	if q.Region != "" && len(regencies) == 0 {
		cov.Items, cov.Provinces = []RegencyCoverage{}, []ProvinceCoverage{}
		return cov, nil
	}
	filter := string(q.Region.Regency())
	err := func() error {
		sentra, err := tx.coverageSentra(q.Year, filter)
		if err != nil {
			return err
		}
		props, err := tx.coverageProposals(q, filter)
		if err != nil {
			return err
		}
		cov.Items = make([]RegencyCoverage, 0, len(regencies))
		for _, r := range regencies {
			it := RegencyCoverage{RegionCode: string(r.Code), RegionName: r.Name, ProvinceCode: string(r.Code.Province()),
				OutsideJava: region.OutsideJava(r.Code), Affirmative: region.Affirmations(r.Code)}
			if c, ok := sentra[string(r.Code)]; ok {
				it.ActiveSentra, it.DAKSentra = c.Active, c.DAK
			}
			if p, ok := props[string(r.Code)]; ok {
				it.DAKTotal, it.OpenProposals = dak.Money(p.DAKTotal), p.Open
				if p.LastFunded.Valid {
					y := int(p.LastFunded.Int64)
					it.LastFundedYear = &y
				}
			}
			it.TargetMet = it.ActiveSentra > 0
			cov.Items = append(cov.Items, it)
		}
		if q.Points {
			cov.Points, err = tx.sentraPoints(filter)
		}
		return err
	}()
	if err != nil {
		return Coverage{}, fmt.Errorf("coverage %d: %w", q.Year, err)
	}
	cov.Total = len(cov.Items)
	cov.sum()
	return cov, nil
}

// Regency is the item of the kabupaten/kota code lies in; false when the
// coverage has none (a province's code, an unknown one, or a coverage
// asked for another region).
func (cov Coverage) Regency(code region.Code) (RegencyCoverage, bool) {
	if r := code.Regency(); r != "" {
		for _, it := range cov.Items {
			if it.RegionCode == string(r) {
				return it, true
			}
		}
	}
	return RegencyCoverage{}, false
}

// ActiveShare is the share of the group's kabupaten/kota with a living
// sentra (SharePercent).
func (c CoverageCounts) ActiveShare() dak.Percent {
	return SharePercent(c.WithActiveSentra, c.KabupatenKota)
}

// SharePercent is x of n kabupaten/kota as a percentage, exact to two
// decimals and rounded half up, in integers (never a float); 0% when n is
// 0. The coverage page and the berita acara penilaian both print it.
func SharePercent(x, n int) dak.Percent {
	if n == 0 {
		return 0
	}
	return dak.Percent((int64(x)*20000 + int64(n)) / (2 * int64(n)))
}

// ProposalRegion is the code whose kabupaten/kota a proposal's coverage
// facts are about (the verifier's checklist, the berita acara
// penilaian): its sentra's desa, else its own region (a province's
// proposal without a desa has only its province's place).
func ProposalRegion(p *dak.Proposal) region.Code {
	if code := region.Code(p.Content.Sentra.VillageCode); code.Regency() != "" {
		return code
	}
	return region.Code(p.RegionCode)
}

// sum adds the items up per province and nationally.
func (cov *Coverage) sum() {
	byProvince := map[string]int{}
	for _, it := range cov.Items {
		i, ok := byProvince[it.ProvinceCode]
		if !ok {
			p, _ := region.Lookup(region.Code(it.ProvinceCode))
			i = len(cov.Provinces)
			byProvince[it.ProvinceCode] = i
			cov.Provinces = append(cov.Provinces, ProvinceCoverage{Code: it.ProvinceCode, Name: p.Name})
		}
		cov.Provinces[i].add(it)
		cov.Provinces[i].DAKTotal += it.DAKTotal
		cov.National.add(it)
		if it.OutsideJava {
			cov.National.OutsideJava.add(it)
		}
		if len(it.Affirmative) > 0 {
			cov.National.Affirmative.add(it)
		}
	}
	if cov.Provinces == nil {
		cov.Provinces = []ProvinceCoverage{}
	}
}

func (c *CoverageCounts) add(it RegencyCoverage) {
	c.KabupatenKota++
	if it.TargetMet {
		c.WithActiveSentra++
	}
	if it.DAKSentra > 0 {
		c.WithDAKSentra++
	}
}

// sentraCounts are one kabupaten/kota's living and DAK-funded sentra.
type sentraCounts struct {
	Regency string `gorm:"column:regency"`
	Active  int    `gorm:"column:active"`
	DAK     int    `gorm:"column:dak"`
}

// coverageSentra counts, per kabupaten/kota, the living sentra and the
// sentra with a proposal allocated (any state from allocation on keeps
// its allocated amount) in the year or before.
func (tx *Tx) coverageSentra(year int, regency string) (map[string]sentraCounts, error) {
	where, args := "", []any{livingStatuses, year}
	if regency != "" {
		where, args = " WHERE "+regencyKey+" = ?", append(args, regency)
	}
	var rows []sentraCounts
	err := tx.db.Raw(`SELECT `+regencyKey+` AS regency,
		COALESCE(SUM(CASE WHEN s.status IN ? THEN 1 ELSE 0 END), 0) AS active,
		COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM proposals p WHERE p.sentra_id = s.id
			AND p.allocated_amount > 0 AND p.fiscal_year <= ?) THEN 1 ELSE 0 END), 0) AS dak
		FROM sentra s`+where+` GROUP BY `+regencyKey, args...).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("count sentra: %w", err)
	}
	out := make(map[string]sentraCounts, len(rows))
	for _, r := range rows {
		out[r.Regency] = r
	}
	return out, nil
}

// proposalFigures are one kabupaten/kota's proposal figures.
type proposalFigures struct {
	Regency    string        `gorm:"column:regency"`
	DAKTotal   int64         `gorm:"column:dak_total"`
	Open       int           `gorm:"column:open_count"`
	LastFunded sql.NullInt64 `gorm:"column:last_funded"`
}

// coverageProposals sums, per kabupaten/kota, the year's allocations, counts
// the year's proposals not in a final state, and finds the last year (up
// to this one) with an allocation.
func (tx *Tx) coverageProposals(q CoverageQuery, regency string) (map[string]proposalFigures, error) {
	finals := q.FinalStates
	if len(finals) == 0 {
		finals = []string{""} // NOT IN () is not SQL; no state is named ""
	}
	where, args := "", []any{q.Year, q.Year, finals, q.Year}
	if regency != "" {
		where, args = " WHERE "+proposalKey+" = ?", append(args, regency)
	}
	var rows []proposalFigures
	err := tx.db.Raw(`SELECT `+proposalKey+` AS regency,
		COALESCE(SUM(CASE WHEN p.fiscal_year = ? THEN p.allocated_amount ELSE 0 END), 0) AS dak_total,
		COALESCE(SUM(CASE WHEN p.fiscal_year = ? AND p.state NOT IN ? THEN 1 ELSE 0 END), 0) AS open_count,
		MAX(CASE WHEN p.allocated_amount > 0 AND p.fiscal_year <= ? THEN p.fiscal_year END) AS last_funded
		FROM proposals p LEFT JOIN sentra s ON s.id = p.sentra_id`+where+` GROUP BY `+proposalKey, args...).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("sum proposals: %w", err)
	}
	out := make(map[string]proposalFigures, len(rows))
	for _, r := range rows {
		out[r.Regency] = r
	}
	return out, nil
}

// sentraPoints lists the sentra with both coordinates, by id.
func (tx *Tx) sentraPoints(regency string) ([]SentraPoint, error) {
	where, args := "", []any{}
	if regency != "" {
		where, args = " AND "+regencyKey+" = ?", append(args, regency)
	}
	var rows []SentraPoint
	err := tx.db.Raw(`SELECT s.id, s.name, s.commodity, s.status, `+regencyKey+` AS region_code, s.latitude, s.longitude
		FROM sentra s WHERE s.latitude IS NOT NULL AND s.longitude IS NOT NULL`+where+` ORDER BY s.id`, args...).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list sentra points: %w", err)
	}
	return rows, nil
}
