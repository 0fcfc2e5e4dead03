package main

import (
	"fmt"
	"math"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/region"
	"dakflow/internal/web/apitest"
)

// TestDemoPlaces holds the demo registry's hand-written places to the
// Kemendagri list and the map: every code a kabupaten/kota, every point on
// land, every province present, every good known, every known sentra in a
// desa of its place.
func TestDemoPlaces(t *testing.T) {
	provinces, places := map[string]bool{}, map[string]bool{}
	for _, p := range demoPlaces {
		r, ok := region.Lookup(region.Code(p.code))
		if !ok || r.Level != region.Regency || places[p.code] {
			t.Errorf("place %s (%s): not a kabupaten/kota of the list, or listed twice", p.code, p.town)
		}
		places[p.code] = true
		provinces[p.code[:2]] = true
		if !onLand(p.lat, p.lon) {
			t.Errorf("place %s %s (%s): %v, %v is at sea on the map", p.code, r.Name, p.town, p.lat, p.lon)
		}
		for _, g := range p.goods {
			if _, ok := demoGoods[g]; !ok {
				t.Errorf("place %s: good %q is not in demoGoods", p.code, g)
			}
		}
	}
	if len(provinces) != region.Count(region.Province) {
		t.Errorf("places in %d provinces, want all %d", len(provinces), region.Count(region.Province))
	}
	for _, g := range demoGeneric {
		if _, ok := demoGoods[g]; !ok {
			t.Errorf("generic good %q is not in demoGoods", g)
		}
	}
	for _, k := range demoKnownSentra {
		if r, ok := region.Lookup(region.Code(k.village)); !ok || r.Level != region.Village || !places[k.village[:5]] {
			t.Errorf("known sentra %s: not a desa of a demo place", k.village)
		}
		if _, ok := demoGoods[k.good]; !ok {
			t.Errorf("known sentra %s: good %q is not in demoGoods", k.village, k.good)
		}
	}
	// The sentra of PRODUCT.md §8 are placed in their own kabupaten/kota.
	for _, s := range demoSentra {
		code := demoUser(t, s.pemda).RegionCode
		lat, lon := demoPosition(code, "")
		if p := demoPlaceOf(code); p.code != code || math.Abs(lat-p.lat) > 0.07 || math.Abs(lon-p.lon) > 0.07 {
			t.Errorf("%s of %s placed at %v, %v (place %s)", s.name, code, lat, lon, p.code)
		}
	}
}

func demoUser(t *testing.T, name string) dak.User {
	for _, u := range demoUsers {
		if u.Username == name {
			return u
		}
	}
	t.Fatalf("no demo user %s", name)
	return dak.User{}
}

// TestPlanRegistry: the generated registry is the same on every run,
// demoRegistrySize valid records in desa of their own over every province,
// every status, with a history in date order that a registrar could file.
func TestPlanRegistry(t *testing.T) {
	taken := map[string]bool{demoKnownSentra[0].village: true} // a desa the demo proposals took
	a, b := planRegistry(2025, taken), planRegistry(2025, taken)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("planRegistry gives a different registry on a second run")
	}
	if len(a) != demoRegistrySize {
		t.Errorf("%d sentra planned, want %d", len(a), demoRegistrySize)
	}
	registrar := dak.User{Username: "verifikator2", Role: dak.RoleVerifier}
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, dak.WIB)
	villages, provinces, statuses := map[string]bool{}, map[string]bool{}, map[dak.SentraStatus]int{}
	unusedAfterDAK := 0
	for _, p := range a {
		in := p.in
		if err := in.Validate(registrar, now, knownRegion, true); err != nil {
			t.Errorf("%s: %v", in.Name, err)
		}
		if villages[in.VillageCode] || taken[in.VillageCode] {
			t.Errorf("%s: desa %s holds another sentra", in.Name, in.VillageCode)
		}
		villages[in.VillageCode] = true
		provinces[in.RegionCode[:2]] = true
		if in.Latitude == nil || !onLand(*in.Latitude, *in.Longitude) {
			t.Errorf("%s: no position on land", in.Name)
		}
		status, date := in.Status, in.StatusDate
		for _, h := range p.history {
			if h.date <= date || h.basis == "" {
				t.Errorf("%s: history line %s on %s after %s, basis %q", in.Name, h.status, h.date, date, h.basis)
			}
			status, date = h.status, h.date
			if status == dak.SentraTidakAktif && strings.Contains(h.note, "bantuan DAK") {
				unusedAfterDAK++
			}
		}
		statuses[status]++
	}
	if len(provinces) != region.Count(region.Province) {
		t.Errorf("sentra in %d provinces, want every one", len(provinces))
	}
	for _, st := range dak.SentraStatuses {
		if statuses[st] < 5 {
			t.Errorf("%d sentra %s, want a few of every status: %v", statuses[st], st, statuses)
		}
	}
	if unusedAfterDAK == 0 {
		t.Error("no sentra found dead after DAK funding")
	}
}

// checkDemoRegistry is TestCLIAndServe's look at the seeded registry: the
// §8 sentra in their kabupaten/kota, at least demoRegistrySize records
// over 30 provinces and more in every status, a sentra flagged and one
// overdue in the monitoring list, and a national coverage worth a map.
func checkDemoRegistry(t *testing.T, auditor *apitest.Client) {
	t.Helper()
	type record struct {
		ID         int64    `json:"id"`
		Name       string   `json:"name"`
		RegionCode string   `json:"region_code"`
		Status     string   `json:"status"`
		Latitude   *float64 `json:"latitude"`
		Longitude  *float64 `json:"longitude"`
	}
	var all []record
	for page := 1; ; page++ {
		var list struct {
			Items []record `json:"items"`
			Total int      `json:"total"`
		}
		auditor.Do("GET", fmt.Sprintf("/api/v1/sentra?per_page=200&page=%d", page), nil, nil).Decode(t, &list)
		all = append(all, list.Items...)
		if len(list.Items) == 0 || len(all) >= list.Total {
			break
		}
	}
	provinces, statuses, named := map[string]bool{}, map[string]int{}, map[string]record{}
	for _, r := range all {
		provinces[r.RegionCode[:2]] = true
		statuses[r.Status]++
		if _, ok := named[r.Name+r.RegionCode]; !ok {
			named[r.Name+r.RegionCode] = r
		}
	}
	if len(all) < demoRegistrySize+len(demoSentra) || len(provinces) < 30 {
		t.Errorf("registry holds %d sentra in %d provinces, want at least %d in 30", len(all), len(provinces), demoRegistrySize+len(demoSentra))
	}
	for _, st := range dak.SentraStatuses {
		if statuses[string(st)] == 0 {
			t.Errorf("no sentra %s in the registry: %v", st, statuses)
		}
	}
	for _, s := range demoSentra {
		code := demoUser(t, s.pemda).RegionCode
		r, ok := named[s.name+code]
		p := demoPlaceOf(code)
		if !ok || r.Latitude == nil || math.Abs(*r.Latitude-p.lat) > 0.07 || math.Abs(*r.Longitude-p.lon) > 0.07 {
			t.Errorf("sentra %s of %s: %+v, want it registered near %s (%v, %v)", s.name, code, r, p.town, p.lat, p.lon)
		}
	}

	var monitoring struct {
		Items []struct {
			Name    string   `json:"name"`
			Flags   []string `json:"flags"`
			Reasons []string `json:"reasons"`
		} `json:"items"`
	}
	auditor.Do("GET", "/api/v1/monitoring", nil, nil).Decode(t, &monitoring)
	flags := map[string]string{}
	for _, m := range monitoring.Items {
		for _, f := range m.Flags {
			flags[f] = m.Name
		}
	}
	if flags[dak.FlagUnused] == "" || flags[dak.FlagOverdue] == "" {
		t.Errorf("monitoring lists %+v; want a sentra flagged %s and one overdue", monitoring.Items, dak.FlagUnused)
	}

	var cov struct {
		National struct {
			KabupatenKota    int `json:"kabupaten_kota"`
			WithActiveSentra int `json:"with_active_sentra"`
			WithDAKSentra    int `json:"with_dak_sentra"`
			OutsideJava      struct {
				WithActiveSentra int `json:"with_active_sentra"`
			} `json:"outside_java"`
			Affirmative struct {
				WithActiveSentra int `json:"with_active_sentra"`
			} `json:"affirmative"`
		} `json:"national"`
	}
	// The demo's fiscal year, in which its proposals are allocated.
	r := auditor.Do("GET", fmt.Sprintf("/api/v1/coverage?year=%d", time.Now().In(dak.WIB).Year()+1), nil, nil)
	r.Decode(t, &cov)
	n := cov.National
	if r.Status != http.StatusOK || n.KabupatenKota != 514 || n.WithActiveSentra < 100 || n.WithActiveSentra >= 514 ||
		n.WithDAKSentra < 7 || n.OutsideJava.WithActiveSentra < 70 || n.Affirmative.WithActiveSentra == 0 {
		t.Errorf("coverage = %d %+v; want living sentra in over 100 kabupaten/kota, DAK in the demo's, outside Java and affirmative ones among them", r.Status, n)
	}
}
