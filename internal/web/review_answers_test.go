package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"dakflow/internal/web/apitest"
	"dakflow/internal/workflow"
)

// TestChecklistAndAmountReasons: the assessment answers Tidak Relevan where
// a criterion does not apply to the menu, and a corrected amount states its
// reason; the berita acara and the allocation letter print both, with the
// requested against the decided amount.
func TestChecklistAndAmountReasons(t *testing.T) {
	e := apitest.NewEnv(t)
	const (
		assessed  = "Harga satuan mesin tenun di atas harga pasar menurut tiga pembanding"
		allocated = "Sisa pagu menu pembangunan Tahun Anggaran 2027 tidak mencukupi"
	)
	id := e.Create(t, "pembangunan", false)
	e.Pemda.MustFire(id, "submit", "", nil)
	e.Verifier.MustFire(id, "start_review", "", nil)
	answers := e.ChecklistFor("pembangunan")
	for _, a := range answers {
		if a["id"] == "kewajaran_biaya" {
			a["met"], a["note"] = false, "Harga mesin tenun di atas harga pasar"
		}
	}
	e.Verifier.MustFire(id, "recommend", "", map[string]any{"recommended_amount": 800_000_000, "amount_reason": assessed, "checklist": answers})
	ba := documentText(t, e, id, "berita_acara_penilaian")
	expectText(t, "berita_acara_penilaian", ba,
		"Tidak Relevan Tidak dipersyaratkan untuk",
		"Biaya wajar terhadap harga satuan Tidak Memenuhi Harga mesin tenun di atas harga pasar",
		"Nilai yang diusulkan : Rp815.000.000,00",
		"Nilai yang direkomendasikan : Rp800.000.000,00",
		"Koreksi : Rp15.000.000,00 (lima belas juta rupiah)",
		"Alasan koreksi : "+assessed)
	if n := strings.Count(ba, "Tidak Relevan"); n != 1 {
		t.Errorf("berita_acara_penilaian answers Tidak Relevan %d times, want once (sentra_terorganisasi)", n)
	}

	e.Approver.MustFire(id, "allocate", "", map[string]any{"amount": 790_000_000, "amount_reason": allocated})
	letter := documentText(t, e, id, "surat_penetapan_alokasi")
	expectText(t, "surat_penetapan_alokasi", letter,
		"nilai yang diusulkan sebesar Rp815.000.000,00",
		"dikoreksi dalam penilaian dengan alasan: "+assessed+".",
		"Alokasi ditetapkan Rp10.000.000,00 (sepuluh juta rupiah) lebih rendah dari nilai yang direkomendasikan dengan alasan: "+allocated+".")

	// Without a correction, no reason is asked for nor printed.
	id2 := e.Create(t, "revitalisasi", false)
	e.Pemda.MustFire(id2, "submit", "", nil)
	e.Verifier.MustFire(id2, "start_review", "", nil)
	e.Verifier.MustFire(id2, "recommend", "", map[string]any{"recommended_amount": 815_000_000, "checklist": e.ChecklistFor("revitalisasi")})
	e.Approver2.MustFire(id2, "allocate", "", map[string]any{"amount": 815_000_000})
	if ba := flat(documentText(t, e, id2, "berita_acara_penilaian")); strings.Contains(ba, "Alasan koreksi : -") || !strings.Contains(ba, "Tidak Relevan") {
		t.Errorf("berita_acara_penilaian without a correction:\n%s", ba)
	}
	if l := flat(documentText(t, e, id2, "surat_penetapan_alokasi")); strings.Contains(l, "alasan") {
		t.Errorf("surat_penetapan_alokasi without a correction gives a reason:\n%s", l)
	}
}

// TestChecklistMenusServed: the workflow definition tells clients which
// items apply to which menu.
func TestChecklistMenusServed(t *testing.T) {
	e := apitest.NewEnv(t)
	var def struct {
		Checklist []struct {
			ID    string   `json:"id"`
			Menus []string `json:"menus"`
		} `json:"checklist"`
	}
	e.Verifier.Do("GET", "/api/v1/workflows/dak-fisik-ikm", nil, nil).Decode(t, &def)
	menus := map[string][]string{}
	for _, it := range def.Checklist {
		menus[it.ID] = it.Menus
	}
	if !slices.Equal(menus["kesiapan_lahan"], []string{"pembangunan"}) || !slices.Equal(menus["sentra_terorganisasi"], []string{"revitalisasi"}) ||
		menus["dokumen_lengkap"] != nil {
		t.Errorf("checklist menus = %v, want kesiapan_lahan pembangunan, sentra_terorganisasi revitalisasi, the rest none", menus)
	}
}

// TestPageChecklistNotApplicable: the verifier's form offers Tidak Relevan,
// chosen already for the items the menu does not take; a Memenuhi given to
// such an item is refused naming it, and the amount's reason is a field of
// the form.
func TestPageChecklistNotApplicable(t *testing.T) {
	env := apitest.NewEnv(t)
	d := env.Engine.Current()
	verifier := loggedIn(t, env, "verifikator")
	id := env.Create(t, "revitalisasi", false)
	env.Pemda.MustFire(id, "submit", "", nil)
	env.Verifier.MustFire(id, "start_review", "", nil)
	path := fmt.Sprintf("/proposals/%d", id)
	p := verifier.get(path)
	land := slices.IndexFunc(d.Checklist, func(it workflow.ChecklistItem) bool { return it.ID == "kesiapan_lahan" })
	for _, want := range []string{
		fmt.Sprintf(`name="data.checklist[%d].met" value="na" checked`, land),
		`data-check="kesiapan_lahan" data-not-applicable`,
		`name="data.amount_reason"`,
	} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("recommend form lacks %s", want)
		}
	}
	if n := strings.Count(p.Body, `value="na"`); n != len(d.Checklist) {
		t.Errorf("recommend form offers Tidak Relevan on %d items, want all %d", n, len(d.Checklist))
	}
	form := func(landAnswer, reason string) url.Values {
		v := url.Values{"csrf_token": {p.csrf(t)}, "version": {p.field(t, "recommend", "version")},
			"data.recommended_amount": {"800000000"}, "data.amount_reason": {reason}}
		for i, it := range d.Checklist {
			at := fmt.Sprintf("data.checklist[%d]", i)
			switch {
			case it.ID == "kesiapan_lahan":
				v.Set(at+".met", landAnswer)
			case it.AppliesTo("revitalisasi"):
				v.Set(at+".met", "true")
				v.Set(at+".note", "Sesuai TOR dan DED")
			default:
				v.Set(at+".met", "na")
			}
		}
		return v
	}
	r := verifier.post(path+"/events/recommend", form("true", ""))
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "jawab Tidak Relevan") || !strings.Contains(r.Body, "alasan koreksi wajib diisi") {
		t.Errorf("recommend with Memenuhi on land readiness and no reason = %d, want 422 naming both", r.Status)
	}
	if r := verifier.post(path+"/events/recommend", form("na", "Harga satuan gedung dikoreksi")); r.Status != http.StatusSeeOther {
		t.Fatalf("recommend with Tidak Relevan = %d %.400s", r.Status, r.Body)
	}
	events := string(env.Auditor.Do("GET", "/api/v1"+path+"/events", nil, nil).Body)
	if !strings.Contains(events, `{"id":"kesiapan_lahan","met":null,"not_applicable":true,"note":""}`) ||
		!strings.Contains(events, `"amount_reason":"Harga satuan gedung dikoreksi"`) {
		t.Errorf("recommend event data lacks the Tidak Relevan answer or the reason: %s", events)
	}
	if !strings.Contains(verifier.get(path).Body, "1 butir tidak relevan") {
		t.Errorf("timeline does not count the Tidak Relevan answer")
	}
}

// TestPageApproveRKBasis: the approver's form lists the departures and
// takes the basis; without it the page shows each departure as refused.
func TestPageApproveRKBasis(t *testing.T) {
	env := apitest.NewEnv(t)
	id := env.Create(t, "revitalisasi", false)
	env.WalkTo(t, id, false, "allocated")
	env.Pemda.MustFire(id, "submit_rk", "", departingRK())
	approver := loggedIn(t, env, "penetap2")
	path := fmt.Sprintf("/proposals/%d", id)
	p := approver.get(path)
	if n := strings.Count(p.Body, "data-rk-departure>"); n != 4 { // the form's list and the content's
		t.Errorf("page lists %d departures, want 2 in the form and 2 in the content", n)
	}
	form := url.Values{"csrf_token": {p.csrf(t)}, "version": {p.field(t, "approve_rk", "version")}}
	r := approver.post(path+"/events/approve_rk", form)
	if r.Status != http.StatusUnprocessableEntity || strings.Count(r.Body, "nyatakan dasar persetujuannya") < 2 {
		t.Errorf("approve_rk without a basis = %d, want 422 listing both departures", r.Status)
	}
	form.Set("data.departure_basis", departureBasis)
	if r := approver.post(path+"/events/approve_rk", form); r.Status != http.StatusSeeOther {
		t.Fatalf("approve_rk with a basis = %d %.400s", r.Status, r.Body)
	}
	if !strings.Contains(approver.get(path).Body, departureBasis) {
		t.Errorf("the page does not show the stated basis")
	}
}
