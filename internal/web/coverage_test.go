package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"dakflow/internal/dak"
	"dakflow/internal/web/apitest"
)

// seedWebCoverage is a small hand-computed fixture, written straight into
// the database as the sentra registry would have it:
//
//	61.03 Kab. Sanggau (perbatasan)  "Sentra Tenun Sanggau" kurang_aktif (on the map), allocated Rp2.500.000.000 in 2027
//	95.08 Kab. Nduga (tertinggal)    "Sentra Kopi Nduga" aktif (on the map)
//	32.73 Kota Bandung (Java)        "Sentra Sepatu Cibaduyut" tidak_aktif, a 2027 proposal submitted
//	18.71 Kota Bandar Lampung        "Sentra Batik Tulis" aktif, funded in 2026 (completed); the
//	                                 test adds the pemda's 2027 proposal, under review
func seedWebCoverage(tb testing.TB, e *apitest.Env) {
	tb.Helper()
	ctx := context.Background()
	var uid int64
	if err := e.Store.Query(ctx, &uid, `SELECT id FROM users WHERE username = 'pemda'`); err != nil {
		tb.Fatal(err)
	}
	now := e.Store.Now()
	for _, s := range []struct {
		name, village, status string
		lat, lon              any
	}{
		{"Sentra Tenun Sanggau", "61.03.05.2001", "kurang_aktif", 0.12, 110.59},
		{"Sentra Kopi Nduga", "95.08.01.2001", "aktif", -4.43, 138.1},
		{"Sentra Sepatu Cibaduyut", "32.73.01.1001", "tidak_aktif", nil, nil},
		{"Sentra Batik Tulis", "18.71.02.1001", "aktif", nil, nil},
	} {
		err := e.Store.Exec(ctx, `INSERT INTO sentra (region_code, village_code, name, commodity, status, latitude, longitude, created_at, updated_at)
			VALUES (?, ?, ?, 'kerajinan', ?, ?, ?, ?, ?)`, s.village[:5], s.village, s.name, s.status, s.lat, s.lon, now, now)
		if err != nil {
			tb.Fatal(err)
		}
	}
	for _, p := range []struct {
		number, region, sentra, state string
		year                          int
		allocated                     int64
	}{
		{"C-1", "61.03", "Sentra Tenun Sanggau", "allocated", 2027, 2_500_000_000},
		{"C-2", "32.73", "Sentra Sepatu Cibaduyut", "submitted", 2027, 0},
		{"C-3", "18.71", "Sentra Batik Tulis", "completed", 2026, 900_000_000},
	} {
		err := e.Store.Exec(ctx, `INSERT INTO proposals (number, fiscal_year, menu, title, region_code, sentra_id, state, version, workflow,
			workflow_version, content, requested_amount, recommended_amount, allocated_amount, created_by, created_at, updated_at)
			SELECT ?, ?, 'revitalisasi', 'Usulan cakupan', ?, id, ?, 1, 'dak-fisik-ikm', 1, '{}', ?, ?, ?, ?, ?, ?
			FROM sentra WHERE name = ?`, p.number, p.year, p.region, p.state, p.allocated, p.allocated, p.allocated, uid, now, now, p.sentra)
		if err != nil {
			tb.Fatal(err)
		}
	}
}

// coverageCounts is one group's counts in GET /api/v1/coverage.
type coverageCounts struct {
	KabupatenKota    int `json:"kabupaten_kota"`
	WithActiveSentra int `json:"with_active_sentra"`
	WithDAKSentra    int `json:"with_dak_sentra"`
}

// coverageBody is the part of GET /api/v1/coverage the test reads.
type coverageBody struct {
	Year     int `json:"year"`
	Total    int `json:"total"`
	National struct {
		coverageCounts
		OutsideJava coverageCounts `json:"outside_java"`
		Affirmative coverageCounts `json:"affirmative"`
	} `json:"national"`
	Provinces []struct {
		Code             string `json:"code"`
		KabupatenKota    int    `json:"kabupaten_kota"`
		WithActiveSentra int    `json:"with_active_sentra"`
		DAKTotal         int64  `json:"dak_total"`
	} `json:"provinces"`
	Items []struct {
		RegionCode     string   `json:"region_code"`
		Affirmative    []string `json:"affirmative"`
		OutsideJava    bool     `json:"outside_java"`
		ActiveSentra   int      `json:"active_sentra"`
		DAKSentra      int      `json:"dak_sentra"`
		DAKTotal       int64    `json:"dak_total"`
		OpenProposals  int      `json:"open_proposals"`
		LastFundedYear *int     `json:"last_funded_year"`
		TargetMet      bool     `json:"target_met"`
	} `json:"items"`
}

// TestCoverage walks the coverage through one server: the API's figures
// as worked out by hand (its answers checked against openapi.yaml by the
// client), for a pemda as for the ministry; the page; and the verifier's
// checklist item "prioritas", which shows the same facts.
func TestCoverage(t *testing.T) {
	e := apitest.NewEnv(t)
	seedWebCoverage(t, e)
	id := e.Create(t, "pembangunan", false) // Kota Bandar Lampung's 2027 proposal
	e.WalkTo(t, id, false, "in_review")

	t.Run("api", func(t *testing.T) {
		e := e.For(t)
		r := e.Pemda.Do("GET", "/api/v1/coverage?year=2027", nil, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("GET /coverage = %d %s", r.Status, r.Body)
		}
		var cov coverageBody
		r.Decode(t, &cov)
		n := cov.National
		if cov.Year != 2027 || cov.Total != 514 || len(cov.Items) != 514 || len(cov.Provinces) != 38 ||
			n.coverageCounts != (coverageCounts{514, 3, 2}) || n.OutsideJava != (coverageCounts{395, 3, 2}) ||
			n.Affirmative != (coverageCounts{108, 2, 1}) {
			t.Errorf("coverage = year %d, %d items, %d provinces, national %+v", cov.Year, len(cov.Items), len(cov.Provinces), n)
		}
		found := 0
		for _, it := range cov.Items {
			switch it.RegionCode {
			case "61.03":
				found++
				if it.ActiveSentra != 1 || it.DAKSentra != 1 || it.DAKTotal != 2_500_000_000 || it.OpenProposals != 1 ||
					it.LastFundedYear == nil || *it.LastFundedYear != 2027 || !it.TargetMet || strings.Join(it.Affirmative, ",") != "perbatasan" {
					t.Errorf("61.03 = %+v", it)
				}
			case "32.73":
				found++
				if it.ActiveSentra != 0 || it.OpenProposals != 1 || it.TargetMet || it.OutsideJava || len(it.Affirmative) != 0 || it.LastFundedYear != nil {
					t.Errorf("32.73 = %+v", it)
				}
			case "18.71":
				found++
				if it.ActiveSentra != 1 || it.DAKSentra != 1 || it.DAKTotal != 0 || it.OpenProposals != 1 ||
					it.LastFundedYear == nil || *it.LastFundedYear != 2026 || !it.TargetMet {
					t.Errorf("18.71 = %+v", it)
				}
			}
		}
		for _, p := range cov.Provinces {
			if p.Code == "61" && (p.KabupatenKota != 14 || p.WithActiveSentra != 1 || p.DAKTotal != 2_500_000_000) {
				t.Errorf("province 61 = %+v", p)
			}
		}
		if found != 3 {
			t.Errorf("found %d of the fixture's kabupaten/kota", found)
		}
		// Without a year: the current fiscal year.
		if r := e.Verifier.Do("GET", "/api/v1/coverage", nil, nil); r.Status != http.StatusOK || int(r.JSON()["year"].(float64)) != e.Store.Now().In(dak.WIB).Year() {
			t.Errorf("GET /coverage without a year = %d, year %v", r.Status, r.JSON()["year"])
		}
		for _, bad := range []string{"abc", "1999", "2101", "%00", "20270", "+2027", "2027%20"} {
			r := e.Auditor.Do("GET", "/api/v1/coverage?year="+bad, nil, nil)
			if r.Status != http.StatusUnprocessableEntity || strings.Join(r.Fields(), ",") != "year" {
				t.Errorf("year=%s: %d, fields %v, want 422 naming year", bad, r.Status, r.Fields())
			}
		}
	})

	t.Run("page", func(t *testing.T) {
		page := loggedIn(t, e, "pemda").get("/coverage?year=2027")
		if page.Status != http.StatusOK {
			t.Fatalf("GET /coverage = %d", page.Status)
		}
		for _, want := range []string{
			`<td data-label="Dengan sentra hidup" data-active>3 dari 514 kabupaten/kota (0,58%)</td>`,
			`<td data-label="Dengan sentra hidup" data-active>3 dari 395 kabupaten/kota (0,76%)</td>`,
			`<td data-label="Dengan sentra hidup" data-active>2 dari 108 kabupaten/kota (1,85%)</td>`,
			`<td data-label="Dengan sentra ber-DAK" data-dak>2 dari 514 kabupaten/kota (0,39%)</td>`,
			`data-status="kurang_aktif"`, `data-status="aktif"`,
			`<tr data-province="61">`, `Rp2.500.000.000<`,
			`<tr data-regency="61.03" data-target-met>`,
			`href="/coverage" aria-current="page">Cakupan sentra</a>`,
			`angka daerah afirmasi adalah batas bawah`, // the border list is not yet whole (region/data/README.md)
		} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("coverage page lacks %q", want)
			}
		}
		if n := strings.Count(page.Body, "data-dot "); n != 3 {
			t.Errorf("%d dots on the map, want 3 (the sentra with coordinates)", n)
		}
		if p := loggedIn(t, e, "auditor").get("/coverage?year=abc"); p.Status != http.StatusUnprocessableEntity {
			t.Errorf("GET /coverage?year=abc = %d, want 422", p.Status)
		}
	})

	t.Run("checklist", func(t *testing.T) {
		page := loggedIn(t, e, "verifikator").get(fmt.Sprintf("/proposals/%d", id))
		i := strings.Index(page.Body, "data-priority-facts")
		if page.Status != http.StatusOK || i < 0 {
			t.Fatalf("proposal page = %d, no priority facts in the recommend form", page.Status)
		}
		facts := page.Body[i:]
		facts = facts[:strings.Index(facts, "</dl>")]
		for _, want := range []string{
			"Kota Bandar Lampung",
			"<dt>Sentra hidup (aktif atau kurang aktif)</dt><dd>1</dd>",
			"<dt>Sentra ber-DAK (s.d. TA 2027)</dt><dd>1</dd>",
			"<dt>Terakhir didanai DAK</dt><dd>TA 2026</dd>",
			"<dt>Daerah tertinggal (Perpres 63/2020)</dt><dd>Tidak</dd>",
			"<dt>Perbatasan</dt><dd>Tidak tercantum</dd>",
			"<dt>Di luar Pulau Jawa</dt><dd>Ya</dd>",
			"<dt>Sasaran RIPIN (sentra hidup)</dt><dd>Ya</dd>",
		} {
			if !strings.Contains(facts, want) {
				t.Errorf("priority facts lack %q:\n%s", want, facts)
			}
		}
		// The pemda has no recommend form, so no facts.
		if p := loggedIn(t, e, "pemda").get(fmt.Sprintf("/proposals/%d", id)); strings.Contains(p.Body, "data-priority-facts") {
			t.Errorf("the pemda's page shows the verifier's priority facts")
		}
	})
}
