package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"dakflow/internal/dak"
	"dakflow/internal/web/apitest"
)

// The proposal form's sentra picker (issue 11): a revitalisasi names a
// registered sentra of the region chosen from a select the server
// renders, posted as sentra_id to the engine's own filing.

// pickerOptions are the sentra ids the form's picker offers, in order.
func pickerOptions(t *testing.T, body string) []int64 {
	t.Helper()
	i := strings.Index(body, `name="sentra_id"`)
	if i < 0 {
		return nil
	}
	j := strings.Index(body[i:], "</select>")
	if j < 0 {
		t.Fatal("the sentra picker's select is not closed")
	}
	var out []int64
	for _, m := range regexp.MustCompile(`<option value="(\d+)"`).FindAllStringSubmatch(body[i:i+j], -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		out = append(out, id)
	}
	return out
}

// pemdaGet reads a proposal through the API as its pemda (a draft is
// not the auditor's to see).
func pemdaGet(t *testing.T, e *apitest.Env, id int64) map[string]any {
	t.Helper()
	r := e.Pemda.Do("GET", fmt.Sprintf("/api/v1/proposals/%d", id), nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET proposal %d = %d %s", id, r.Status, r.Body)
	}
	return r.JSON()
}

// TestPageProposalSentraPicker: the form lists exactly the region's
// sentra that may be revitalised — living, not another region's, not one
// with a proposal under way — each as "name — commodity — desa,
// kecamatan (status)", or says there is none with a link to the
// registry; posting it with sentra_id files a proposal linked to that
// sentra, its fields taken from the registry; another region's sentra is
// refused beside the picker and nothing is saved.
func TestPageProposalSentraPicker(t *testing.T) {
	e := apitest.NewEnv(t)
	pemda := loggedIn(t, e, "pemda")

	t.Run("none to choose", func(t *testing.T) {
		p := pemda.get("/proposals/new")
		if p.Status != http.StatusOK || !strings.Contains(p.Body, "data-no-sentra") || !strings.Contains(p.Body, `<a href="/sentra">registri sentra</a>`) ||
			!strings.Contains(p.Body, "Belum ada sentra terdaftar di wilayah Anda") || len(pickerOptions(t, p.Body)) != 0 {
			t.Errorf("form of a region without a living sentra = %d; want the notice linking /sentra and no picker", p.Status)
		}
	})

	lat, lon := -5.3712, 105.2544
	admin := dak.User{Role: dak.RoleAdmin, Username: "admin"}
	alive, err := e.Store.CreateSentra(context.Background(), dak.SentraRecordInput{Name: "Sentra IKM Kopi Surabaya",
		Commodity: "Kopi bubuk", RegionCode: "18.71", VillageCode: "18.71.01.1004", Latitude: &lat, Longitude: &lon,
		Status: dak.SentraAktif, StatusDate: "2026-01-05", StatusBasis: "Pendataan"}, admin)
	if err != nil {
		t.Fatal(err)
	}
	weak := e.RegisterSentra(t, "18.71.02.1003", "Sentra IKM Anyaman Sukarame", "Anyaman bambu", dak.SentraKurangAktif)
	dead := e.RegisterSentra(t, "18.71.01.1005", "Sentra IKM Rotan Sukamenanti", "Anyaman rotan", dak.SentraAktif)
	e.SetSentraStatus(t, dead, dak.SentraTidakAktif)
	busy := e.RegisterSentra(t, "18.71.01.1006", "Sentra IKM Keripik Sidodadi", "Keripik pisang", dak.SentraAktif)
	in := apitest.ProposalInput("revitalisasi", false)
	in["sentra_id"] = busy
	if r := e.Pemda.Do("POST", "/api/v1/proposals", in, nil); r.Status != http.StatusCreated {
		t.Fatalf("draft of the busy sentra = %d %s", r.Status, r.Body)
	}
	elsewhere, err := e.Store.CreateSentra(context.Background(), dak.SentraRecordInput{Name: "Sentra IKM Perak Makassar",
		Commodity: "Kerajinan perak", RegionCode: "73.71", VillageCode: "73.71.01.1001", Status: dak.SentraAktif,
		StatusDate: "2026-01-05", StatusBasis: "Pendataan"}, admin)
	if err != nil {
		t.Fatal(err)
	}

	var created int64
	t.Run("lists the eligible sentra and files a proposal linked to one", func(t *testing.T) {
		page := pemda.get("/proposals/new")
		if got, want := pickerOptions(t, page.Body), []int64{weak, alive.ID}; !slices.Equal(got, want) {
			t.Fatalf("picker offers %v, want %v by name (living: %d, %d; dead %d, busy %d, Makassar's %d left out)",
				got, want, alive.ID, weak, dead, busy, elsewhere.ID)
		}
		for _, want := range []string{"Sentra IKM Kopi Surabaya — Kopi bubuk — Surabaya, Kedaton (aktif)",
			"Sentra IKM Anyaman Sukarame — Anyaman bambu — Sukarame, Sukarame (kurang aktif)", `data-lat="-5,3712"`} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("the picker lacks %q", want)
			}
		}
		if strings.Contains(page.Body, "data-no-sentra") {
			t.Error("the form says there is no sentra to choose")
		}

		// Posted without the script: the typed name and blank coordinates
		// give way to the registry's.
		form := url.Values{"csrf_token": {page.csrf(t)}}
		flatten("", apitest.ProposalInput("revitalisasi", false), form)
		form.Set("sentra_id", strconv.FormatInt(alive.ID, 10))
		form.Set("sentra.name", "Nama yang diketik")
		form.Del("sentra.latitude")
		form.Del("sentra.longitude")
		p := pemda.post("/proposals", form)
		m := regexp.MustCompile(`^/proposals/(\d+)/edit\?created=1`).FindStringSubmatch(p.Location)
		if p.Status != http.StatusSeeOther || m == nil {
			t.Fatalf("post with sentra_id = %d %q, want 303 to the draft\n%.600s", p.Status, p.Location, p.Body)
		}
		created, _ = strconv.ParseInt(m[1], 10, 64)
		got := pemdaGet(t, e, created)
		s := got["sentra"].(map[string]any)
		if got["sentra_id"] != float64(alive.ID) || s["name"] != "Sentra IKM Kopi Surabaya" || s["commodity"] != "Kopi bubuk" ||
			s["village_code"] != "18.71.01.1004" || s["latitude"] != lat || s["longitude"] != lon {
			t.Errorf("GET proposal = sentra_id %v, sentra %v; want sentra %d with its registry name, desa and coordinates",
				got["sentra_id"], s, alive.ID)
		}

		// Its edit form offers its own sentra, chosen, though a proposal
		// of it is now under way: its own.
		edit := pemda.get(fmt.Sprintf("/proposals/%d/edit", created))
		if got := pickerOptions(t, edit.Body); !slices.Equal(got, []int64{weak, alive.ID}) ||
			!regexp.MustCompile(fmt.Sprintf(`<option value="%d"[^>]* selected>`, alive.ID)).MatchString(edit.Body) {
			t.Errorf("edit form offers %v, want %d and %d (selected)", got, weak, alive.ID)
		}
		// and the new form no longer offers it.
		if got := pickerOptions(t, pemda.get("/proposals/new").Body); !slices.Equal(got, []int64{weak}) {
			t.Errorf("after the filing the picker offers %v, want only %d", got, weak)
		}

		// Saved with the other sentra chosen, the draft names that one.
		eform := url.Values{"csrf_token": {edit.csrf(t)}, "version": {fmt.Sprint(got["version"])}}
		flatten("", apitest.ProposalInput("revitalisasi", false), eform)
		eform.Set("sentra_id", strconv.FormatInt(weak, 10))
		if p := pemda.post(fmt.Sprintf("/proposals/%d/edit", created), eform); p.Status != http.StatusSeeOther {
			t.Fatalf("edit with sentra_id %d = %d\n%.600s", weak, p.Status, p.Body)
		}
		if got := pemdaGet(t, e, created); got["sentra_id"] != float64(weak) || got["sentra"].(map[string]any)["name"] != "Sentra IKM Anyaman Sukarame" {
			t.Errorf("after the edit: sentra_id %v, sentra %v; want %d", got["sentra_id"], got["sentra"], weak)
		}
	})

	t.Run("another region's sentra is refused beside the picker", func(t *testing.T) {
		before := len(listProposals(t, e))
		page := pemda.get("/proposals/new")
		for _, id := range []int64{elsewhere.ID, dead} {
			form := url.Values{"csrf_token": {page.csrf(t)}}
			flatten("", apitest.ProposalInput("revitalisasi", false), form)
			form.Set("sentra_id", strconv.FormatInt(id, 10))
			p := pemda.post("/proposals", form)
			want := "bukan sentra wilayah 18.71"
			if id == dead {
				want = "revitalisasi hanya untuk sentra yang masih hidup"
			}
			if p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, `data-error-for="sentra_id"`) ||
				!strings.Contains(p.Body, want) || !strings.Contains(p.Body, `href="#f-sentra_id"`) {
				t.Errorf("post with sentra_id %d = %d; want 422 saying %q beside the picker and in the summary\n%.600s", id, p.Status, want, p.Body)
			}
		}
		if after := len(listProposals(t, e)); after != before {
			t.Errorf("refused forms saved %d proposals", after-before)
		}
	})
}
