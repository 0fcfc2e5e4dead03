package apitest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"dakflow/internal/dak"
	"dakflow/internal/region"
)

// A sentra has one proposal under way at a time, a revitalisasi names a
// registered living sentra and a desa is not given two sentra of one
// commodity (PRODUCT.md §9): so every proposal Create files is for a
// sentra of its own, in a desa of its own.

// TapisVillage is the desa of ProposalInput's sentra (Kedaton, Kota
// Bandar Lampung). Tests that name desa by hand keep to its kecamatan,
// 18.71.01; Create never places a sentra there.
const TapisVillage = "18.71.01.1003"

// RegisterSentra registers a sentra in the desa village (of the
// kabupaten/kota it lies in) with status (dated today, WIB), as the
// sentra registry would hold it, and returns its id.
func (e *Env) RegisterSentra(tb testing.TB, village, name, commodity string, status dak.SentraStatus) int64 {
	tb.Helper()
	established := 2015
	s, err := e.Store.CreateSentra(context.Background(), dak.SentraRecordInput{Name: name, Commodity: commodity,
		RegionCode: village[:5], VillageCode: village, Address: "Jalan Way Halim No. 5", IKMUnits: 15, Workers: 60,
		DecreeNumber: "188.45/112/IV.40/2019", DecreeDate: "2019-04-15", EstablishedYear: &established,
		Status: status, StatusDate: e.Store.Now().In(dak.WIB).Format("2006-01-02"), StatusBasis: "Pendataan sentra oleh Dinas Perindustrian"},
		dak.User{Username: "admin", FullName: "Pengguna admin", Role: dak.RoleAdmin})
	if err != nil {
		tb.Fatalf("register sentra %q in %s: %v", name, village, err)
	}
	return s.ID
}

// RegisterTapis registers ProposalInput's sentra, living, so that a
// revitalisasi filed from ProposalInput (or typed into the form) names it.
func (e *Env) RegisterTapis(tb testing.TB) int64 {
	tb.Helper()
	return e.RegisterSentra(tb, TapisVillage, "Sentra IKM Tenun Tapis", "Kain tenun tapis", dak.SentraAktif)
}

// OwnSentraInput is ProposalInput(menu, big) for a sentra of its own, in
// the next desa of Kota Bandar Lampung outside kecamatan 18.71.01: a
// revitalisasi's is registered living and named by sentra_id; a
// pembangunan registers its own when filed.
func (e *Env) OwnSentraInput(tb testing.TB, menu string, big bool) map[string]any {
	tb.Helper()
	in := ProposalInput(menu, big)
	s := in["sentra"].(map[string]any)
	village, round := nextVillage(e.sentraSeq.Add(1) - 1)
	s["village_code"] = village
	if round > 0 { // every desa used: the name and commodity tell them apart
		s["name"] = fmt.Sprintf("%s %d", s["name"], round+1)
		s["commodity"] = fmt.Sprintf("%s %d", s["commodity"], round+1)
	}
	if menu == string(dak.MenuRevitalisasi) {
		in["sentra_id"] = e.RegisterSentra(tb, village, s["name"].(string), s["commodity"].(string), dak.SentraAktif)
	}
	return in
}

// nextVillage is the n-th desa (from 0) of Kota Bandar Lampung outside
// kecamatan 18.71.01, and how many times every one was used before.
func nextVillage(n int64) (village string, round int64) {
	var all []string
	for _, d := range region.Children("18.71") {
		if strings.HasPrefix(string(d.Code), "18.71.01") {
			continue
		}
		for _, v := range region.Children(d.Code) {
			all = append(all, string(v.Code))
		}
	}
	return all[n%int64(len(all))], n / int64(len(all))
}

// SetSentraStatus records status for sentra id as of today (WIB), as a
// verifier's re-count would.
func (e *Env) SetSentraStatus(tb testing.TB, id int64, status dak.SentraStatus) {
	tb.Helper()
	_, err := e.Store.ChangeSentraStatus(context.Background(), id, dak.SentraStatusInput{Status: status,
		Date: e.Store.Now().In(dak.WIB).Format("2006-01-02"), Basis: "Pendataan ulang sentra"},
		dak.User{Username: "verifikator", FullName: "Pengguna verifikator", Role: dak.RoleVerifier})
	if err != nil {
		tb.Fatalf("status of sentra %d: %v", id, err)
	}
}
