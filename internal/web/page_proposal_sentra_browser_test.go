package web_test

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"testing"

	"dakflow/internal/dak"
	"dakflow/internal/web/apitest"
)

// TestBrowserProposalSentraPicker: in Chromium, choosing a registered
// sentra in the proposal form's picker fills the sentra's name,
// commodity, coordinates and desa (loading the kecamatan's desa list) and
// locks them; a pembangunan hides the picker and unlocks the fields; the
// draft saved from the filled form names the sentra.
func TestBrowserProposalSentraPicker(t *testing.T) {
	env := apitest.NewEnv(t)
	b := newBrowser(t, env.URL)
	lat, lon := -5.3712, 105.2544
	s, err := env.Store.CreateSentra(context.Background(), dak.SentraRecordInput{Name: "Sentra IKM Anyaman Sukarame",
		Commodity: "Anyaman bambu", RegionCode: "18.71", VillageCode: "18.71.02.1003", Latitude: &lat, Longitude: &lon,
		Status: dak.SentraAktif, StatusDate: "2026-01-05", StatusBasis: "Pendataan"}, dak.User{Role: dak.RoleAdmin, Username: "admin"})
	if err != nil {
		t.Fatal(err)
	}

	pemda := b.login("pemda", 1366, 768)
	pemda.open("/proposals/new")
	pemda.set("#f-menu", "revitalisasi")
	pemda.set("#f-sentra_id", strconv.FormatInt(s.ID, 10))
	pemda.do(chromedpWaitReady(`#region-4[data-sentra-locked]`))
	for sel, want := range map[string]string{"#f-sentra-name": "Sentra IKM Anyaman Sukarame", "#f-sentra-commodity": "Anyaman bambu",
		"#f-sentra-latitude": "-5,3712", "#f-sentra-longitude": "105,2544", "#region-3": "18.71.02", "#region-4": "18.71.02.1003"} {
		if got := pemda.value(sel); got != want {
			t.Errorf("%s after choosing the sentra = %q, want %q", sel, got, want)
		}
	}
	if !eval[bool](pemda, `document.querySelector('#f-sentra-name').readOnly && document.querySelector('#region-4').disabled`) {
		t.Error("the name and the desa are not locked once a sentra is chosen")
	}
	pemda.shot("proposal-sentra-picker", false)

	pemda.set("#f-menu", "pembangunan")
	if eval[bool](pemda, `!!document.querySelector('[data-sentra-picker]').offsetParent || document.querySelector('#f-sentra-name').readOnly`) {
		t.Error("a pembangunan still shows the picker or keeps the name locked")
	}
	pemda.set("#f-menu", "revitalisasi")
	pemda.do(chromedpWaitReady(`#region-4[data-sentra-locked]`))
	pemda.typeIn("#f-title", "Revitalisasi Sentra IKM Anyaman Sukarame")
	pemda.submit(`[data-save]`)
	m := regexp.MustCompile(`/proposals/(\d+)/edit\?created=1`).FindStringSubmatch(pemda.location())
	if m == nil {
		t.Fatalf("save went to %s: %s", pemda.location(), pemda.formErrors())
	}
	r := env.Pemda.Do("GET", "/api/v1/proposals/"+m[1], nil, nil)
	got := r.JSON()
	if sentra, _ := got["sentra"].(map[string]any); got["sentra_id"] != float64(s.ID) || sentra["village_code"] != "18.71.02.1003" {
		t.Errorf("saved draft = %d sentra_id %v sentra %v, want sentra %d in 18.71.02.1003", r.Status, got["sentra_id"], got["sentra"], s.ID)
	}
	if got := pemda.value("#f-sentra_id"); got != fmt.Sprint(s.ID) {
		t.Errorf("the edit form's picker = %q, want %d chosen", got, s.ID)
	}
}
