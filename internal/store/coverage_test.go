package store_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"dakflow/internal/dak"
	"dakflow/internal/region"
	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
)

// finalStates are the final states of workflows/dak-fisik-ikm.yaml.
var finalStates = []string{"rejected", "withdrawn", "not_allocated", "completed", "lapsed"}

// seedCoverage is the hand-computed fixture of TestCoverage: five
// kabupaten/kota, sentra of every status, proposals across years and states.
//
//	95.08 Kab. Nduga (tertinggal)      s1 aktif (with coordinates), s2 tidak_aktif
//	61.03 Kab. Sanggau (perbatasan)    s3 kurang_aktif (with coordinates), funded 2025 (completed) and 2027 (allocated)
//	32.73 Kota Bandung (Java)          s4 usulan, submitted 2027; s5 dalam_pembangunan, allocated 2028
//	18.71 Kota Bandar Lampung          s6 aktif, rejected 2027; s7 tidak_aktif, the province's proposal, lapsed 2027
//	53.04 Kab. Belu (both lists)       a 2027 draft without a sentra
func seedCoverage(tb testing.TB, st *store.Store) {
	tb.Helper()
	ctx := context.Background()
	u, err := st.CreateUser(ctx, store.NewUser{User: dak.User{Username: "pemda-cakupan", Role: dak.RolePemda, RegionCode: "18.71"}, Password: "rahasia-panjang"})
	if err != nil {
		tb.Fatal(err)
	}
	now := st.Now()
	sentra := []struct {
		name, region, village, status string
		lat, lon                      any
	}{
		{"s1", "95.08", "95.08.01.2001", "aktif", -4.43, 138.1},
		{"s2", "95.08", "95.08.02.2001", "tidak_aktif", nil, nil},
		{"s3", "61.03", "61.03.05.2001", "kurang_aktif", 0.97, 110.6},
		{"s4", "32.73", "32.73.01.1001", "usulan", nil, nil},
		{"s5", "32.73", "32.73.02.1001", "dalam_pembangunan", nil, nil},
		{"s6", "18.71", "18.71.01.1004", "aktif", nil, nil},
		{"s7", "18", "18.71.02.1001", "tidak_aktif", nil, nil},
	}
	ids := map[string]int64{}
	for _, s := range sentra {
		err := st.Exec(ctx, `INSERT INTO sentra (region_code, village_code, name, commodity, status, latitude, longitude, created_at, updated_at)
			VALUES (?, ?, ?, 'tenun', ?, ?, ?, ?, ?)`, s.region, s.village, s.name, s.status, s.lat, s.lon, now, now)
		if err != nil {
			tb.Fatal(err)
		}
		var id int64
		if err := st.Query(ctx, &id, `SELECT id FROM sentra WHERE name = ?`, s.name); err != nil {
			tb.Fatal(err)
		}
		ids[s.name] = id
	}
	proposals := []struct {
		number, region, sentra, state string
		year                          int
		allocated                     int64
	}{
		{"P0", "61.03", "s3", "completed", 2025, 1_000_000_000},
		{"P1", "61.03", "s3", "allocated", 2027, 2_500_000_000},
		{"P2", "32.73", "s4", "submitted", 2027, 0},
		{"P3", "32.73", "s5", "allocated", 2028, 800_000_000},
		{"P4", "18.71", "s6", "rejected", 2027, 0},
		{"P5", "18", "s7", "lapsed", 2027, 600_000_000},
		{"P6", "53.04", "", "draft", 2027, 0},
	}
	for _, p := range proposals {
		var sentraID any
		if p.sentra != "" {
			sentraID = ids[p.sentra]
		}
		err := st.Exec(ctx, `INSERT INTO proposals (number, fiscal_year, menu, title, region_code, sentra_id, state, version, workflow,
			workflow_version, content, requested_amount, recommended_amount, allocated_amount, created_by, created_at, updated_at)
			VALUES (?, ?, 'pembangunan', ?, ?, ?, ?, 1, 'dak-fisik-ikm', 1, '{}', ?, ?, ?, ?, ?, ?)`,
			p.number, p.year, "Usulan "+p.number, p.region, sentraID, p.state, p.allocated, p.allocated, p.allocated, u.ID, now, now)
		if err != nil {
			tb.Fatal(err)
		}
	}
}

// TestCoverage checks every figure of the fixture above against numbers
// worked out by hand.
func TestCoverage(t *testing.T) {
	st := dbtest.Open(t)
	seedCoverage(t, st)
	ctx := context.Background()
	cov, err := st.Coverage(ctx, store.CoverageQuery{Year: 2027, FinalStates: finalStates, Points: true})
	if err != nil {
		t.Fatal(err)
	}
	if cov.Total != 514 || len(cov.Items) != 514 || len(cov.Provinces) != 38 {
		t.Fatalf("%d items (total %d), %d provinces; want 514 and 38", len(cov.Items), cov.Total, len(cov.Provinces))
	}
	// 119 kabupaten/kota lie in Java (provinces 31–36); 62 tertinggal and
	// 60 perbatasan, 14 on both lists, make 108 daerah afirmasi.
	wantNational := store.NationalCoverage{
		CoverageCounts: store.CoverageCounts{KabupatenKota: 514, WithActiveSentra: 3, WithDAKSentra: 2},
		OutsideJava:    store.CoverageCounts{KabupatenKota: 395, WithActiveSentra: 3, WithDAKSentra: 2},
		Affirmative:    store.CoverageCounts{KabupatenKota: 108, WithActiveSentra: 2, WithDAKSentra: 1},
	}
	if diff := cmp.Diff(wantNational, cov.National); diff != "" {
		t.Errorf("national (-want +got):\n%s", diff)
	}
	y2027 := 2027
	want := map[string]store.RegencyCoverage{
		"95.08": {RegionCode: "95.08", RegionName: "Kabupaten Nduga", ProvinceCode: "95", OutsideJava: true,
			Affirmative: []region.Affirmation{"tertinggal"}, ActiveSentra: 1, TargetMet: true},
		"61.03": {RegionCode: "61.03", RegionName: "Kabupaten Sanggau", ProvinceCode: "61", OutsideJava: true,
			Affirmative: []region.Affirmation{"perbatasan"}, ActiveSentra: 1, DAKSentra: 1, DAKTotal: 2_500_000_000,
			OpenProposals: 1, LastFundedYear: &y2027, TargetMet: true},
		"32.73": {RegionCode: "32.73", RegionName: "Kota Bandung", ProvinceCode: "32",
			Affirmative: []region.Affirmation{}, OpenProposals: 1},
		"18.71": {RegionCode: "18.71", RegionName: "Kota Bandar Lampung", ProvinceCode: "18", OutsideJava: true,
			Affirmative: []region.Affirmation{}, ActiveSentra: 1, DAKSentra: 1, DAKTotal: 600_000_000,
			LastFundedYear: &y2027, TargetMet: true},
		"53.04": {RegionCode: "53.04", RegionName: "Kabupaten Belu", ProvinceCode: "53", OutsideJava: true,
			Affirmative: []region.Affirmation{"tertinggal", "perbatasan"}, OpenProposals: 1},
		"11.01": {RegionCode: "11.01", RegionName: "Kabupaten Aceh Selatan", ProvinceCode: "11", OutsideJava: true,
			Affirmative: []region.Affirmation{}},
	}
	for _, it := range cov.Items {
		if w, ok := want[it.RegionCode]; ok {
			if diff := cmp.Diff(w, it); diff != "" {
				t.Errorf("item %s (-want +got):\n%s", it.RegionCode, diff)
			}
			delete(want, it.RegionCode)
		} else if it.ActiveSentra != 0 || it.DAKSentra != 0 || it.DAKTotal != 0 || it.OpenProposals != 0 || it.LastFundedYear != nil {
			t.Errorf("item %s has figures the fixture never gave it: %+v", it.RegionCode, it)
		}
	}
	if len(want) > 0 {
		t.Errorf("items missing: %v", want)
	}
	wantProvinces := map[string]store.ProvinceCoverage{
		"61": {Code: "61", Name: "Kalimantan Barat", CoverageCounts: store.CoverageCounts{KabupatenKota: 14, WithActiveSentra: 1, WithDAKSentra: 1}, DAKTotal: 2_500_000_000},
		"32": {Code: "32", Name: "Jawa Barat", CoverageCounts: store.CoverageCounts{KabupatenKota: 27}},
		"18": {Code: "18", Name: "Lampung", CoverageCounts: store.CoverageCounts{KabupatenKota: 15, WithActiveSentra: 1, WithDAKSentra: 1}, DAKTotal: 600_000_000},
		"95": {Code: "95", Name: "Papua Pegunungan", CoverageCounts: store.CoverageCounts{KabupatenKota: 8, WithActiveSentra: 1}},
		"53": {Code: "53", Name: "Nusa Tenggara Timur", CoverageCounts: store.CoverageCounts{KabupatenKota: 22}},
	}
	for _, p := range cov.Provinces {
		if w, ok := wantProvinces[p.Code]; ok {
			if diff := cmp.Diff(w, p); diff != "" {
				t.Errorf("province %s (-want +got):\n%s", p.Code, diff)
			}
		}
	}
	wantPoints := []store.SentraPoint{
		{Name: "s1", Commodity: "tenun", Status: "aktif", RegionCode: "95.08", Latitude: -4.43, Longitude: 138.1},
		{Name: "s3", Commodity: "tenun", Status: "kurang_aktif", RegionCode: "61.03", Latitude: 0.97, Longitude: 110.6},
	}
	for i := range cov.Points {
		cov.Points[i].ID = 0
	}
	if diff := cmp.Diff(wantPoints, cov.Points); diff != "" {
		t.Errorf("points (-want +got):\n%s", diff)
	}

	// The next year: Bandung's sentra funded in 2028 counts, Sanggau's
	// allocation of 2027 does not add to 2028's total.
	next, err := st.Coverage(ctx, store.CoverageQuery{Year: 2028, FinalStates: finalStates})
	if err != nil {
		t.Fatal(err)
	}
	y2028 := 2028
	for _, it := range next.Items {
		switch it.RegionCode {
		case "32.73":
			w := store.RegencyCoverage{RegionCode: "32.73", RegionName: "Kota Bandung", ProvinceCode: "32", Affirmative: []region.Affirmation{},
				DAKSentra: 1, DAKTotal: 800_000_000, OpenProposals: 1, LastFundedYear: &y2028}
			if diff := cmp.Diff(w, it); diff != "" {
				t.Errorf("2028 item 32.73 (-want +got):\n%s", diff)
			}
		case "61.03":
			if it.DAKTotal != 0 || it.OpenProposals != 0 || it.LastFundedYear == nil || *it.LastFundedYear != 2027 || it.DAKSentra != 1 {
				t.Errorf("2028 item 61.03 = %+v, want no allocation or open proposal in 2028, last funded 2027", it)
			}
		}
	}
	if next.National.WithDAKSentra != 3 || next.National.OutsideJava.WithDAKSentra != 2 {
		t.Errorf("2028 national = %+v, want 3 kabupaten/kota with a DAK sentra, 2 outside Java", next.National)
	}
}

// TestCoverageRegion: the verifier's checklist asks for one kabupaten/kota,
// by any code inside it, and gets the same item as the national list.
func TestCoverageRegion(t *testing.T) {
	st := dbtest.Open(t)
	seedCoverage(t, st)
	ctx := context.Background()
	all, err := st.Coverage(ctx, store.CoverageQuery{Year: 2027, FinalStates: finalStates})
	if err != nil {
		t.Fatal(err)
	}
	var national store.RegencyCoverage
	for _, it := range all.Items {
		if it.RegionCode == "18.71" {
			national = it
		}
	}
	one, err := st.Coverage(ctx, store.CoverageQuery{Year: 2027, FinalStates: finalStates, Region: "18.71.02.1001"})
	if err != nil {
		t.Fatal(err)
	}
	if len(one.Items) != 1 || one.Total != 1 {
		t.Fatalf("one region: %d items, want 1", len(one.Items))
	}
	if diff := cmp.Diff(national, one.Items[0]); diff != "" {
		t.Errorf("18.71 alone differs from 18.71 in the national list (-national +alone):\n%s", diff)
	}
	if one.National.KabupatenKota != 1 || one.National.WithActiveSentra != 1 || one.National.WithDAKSentra != 1 {
		t.Errorf("national block of one region = %+v", one.National)
	}
	for _, code := range []region.Code{"18", "99.99"} { // a province, an unknown kabupaten/kota
		none, err := st.Coverage(ctx, store.CoverageQuery{Year: 2027, FinalStates: finalStates, Region: code})
		if err != nil || len(none.Items) != 0 || none.Items == nil || none.Provinces == nil {
			t.Errorf("Coverage(region %q) = %d items (nil %v), %v; want an empty list", code, len(none.Items), none.Items == nil, err)
		}
	}
}
