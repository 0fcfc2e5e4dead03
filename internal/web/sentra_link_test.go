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

// A proposal is tied to a registered sentra (PRODUCT.md §9): the tests of
// the filing's rules, the status that moves with the workflow and the
// sentra's history on the verifier's page and in the berita acara. The
// guards' refusals at submission are in TestGuards (rules_test.go).

// sentraOf reads a registered sentra with its status history.
func sentraOf(t *testing.T, e *apitest.Env, id int64) dak.Sentra {
	t.Helper()
	s, err := e.Store.Sentra(context.Background(), dak.User{Role: dak.RoleAuditor}, id)
	if err != nil {
		t.Fatalf("sentra %d: %v", id, err)
	}
	return s
}

// sentraCount is how many sentra the registry holds.
func sentraCount(t *testing.T, e *apitest.Env) int64 {
	t.Helper()
	var n int64
	if err := e.Store.Query(context.Background(), &n, `SELECT COUNT(*) FROM sentra`); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSentraFiling: a revitalisasi names a registered, living sentra of
// its region (its block filled from the record), refused at once
// otherwise; a pembangunan registers its sentra (status usulan, a history
// line naming the proposal), is refused — naming the sentra, nothing saved
// — in a desa that holds a living sentra of its commodity or name, and
// keeps its own record up to date while a draft, retiring it if it becomes
// a revitalisasi.
func TestSentraFiling(t *testing.T) {
	e := apitest.NewEnv(t)
	const village = "18.71.01.1004"
	living := e.RegisterSentra(t, village, "Sentra IKM Kopi Surabaya", "Kopi bubuk", dak.SentraAktif)
	dead := e.RegisterSentra(t, "18.71.01.1005", "Sentra IKM Rotan Sukamenanti", "Anyaman rotan", dak.SentraAktif)
	e.SetSentraStatus(t, dead, dak.SentraTidakAktif)
	var makassar int64
	if err := e.Store.Query(context.Background(), &makassar, `SELECT id FROM users WHERE username = 'pemda-lain'`); err != nil {
		t.Fatal(err)
	}
	elsewhere, err := e.Store.CreateSentra(context.Background(), dak.SentraRecordInput{Name: "Sentra IKM Perak Makassar",
		Commodity: "Kerajinan perak", RegionCode: "73.71", VillageCode: "73.71.01.1001", Status: dak.SentraAktif,
		StatusDate: "2026-01-05", StatusBasis: "Pendataan"}, dak.User{Role: dak.RoleAdmin, Username: "admin"})
	if err != nil {
		t.Fatal(err)
	}
	post := func(in map[string]any) apitest.Response { return e.Pemda.Do("POST", "/api/v1/proposals", in, nil) }
	with := func(menu string, mod func(in, s map[string]any)) map[string]any {
		in := apitest.ProposalInput(menu, false)
		mod(in, in["sentra"].(map[string]any))
		return in
	}

	t.Run("revitalisasi names a living sentra", func(t *testing.T) {
		r := post(with("revitalisasi", func(in, _ map[string]any) { in["sentra_id"] = living }))
		if r.Status != http.StatusCreated {
			t.Fatalf("create = %d %s", r.Status, r.Body)
		}
		p := r.JSON()
		s := p["sentra"].(map[string]any)
		if p["sentra_id"] != float64(living) || s["name"] != "Sentra IKM Kopi Surabaya" || s["commodity"] != "Kopi bubuk" || s["village_code"] != village {
			t.Errorf("proposal = sentra_id %v, sentra %v; want sentra %d's name, commodity and desa", p["sentra_id"], s, living)
		}
	})

	t.Run("revitalisasi by the desa and name of a registered sentra", func(t *testing.T) {
		r := post(with("revitalisasi", func(_, s map[string]any) {
			s["village_code"], s["name"] = village, "sentra ikm  KOPI surabaya"
		}))
		if r.Status != http.StatusCreated || r.JSON()["sentra_id"] != float64(living) {
			t.Errorf("create = %d %s, want sentra_id %d", r.Status, r.Body, living)
		}
	})

	t.Run("refused at once", func(t *testing.T) {
		before := len(listProposals(t, e))
		for _, tc := range []struct {
			name   string
			in     map[string]any
			status int
			want   string
		}{
			{"unknown sentra", with("revitalisasi", func(in, _ map[string]any) { in["sentra_id"] = 999_999 }), 422, "tidak terdaftar"},
			{"largest id", with("revitalisasi", func(in, _ map[string]any) { in["sentra_id"] = int64(1<<63 - 1) }), 422, "tidak terdaftar"},
			{"negative id", with("revitalisasi", func(in, _ map[string]any) { in["sentra_id"] = -4 }), 422, "positif"},
			{"dead sentra", with("revitalisasi", func(in, _ map[string]any) { in["sentra_id"] = dead }), 422, "Tidak aktif"},
			{"another region's", with("revitalisasi", func(in, _ map[string]any) { in["sentra_id"] = elsewhere.ID }), 422, "bukan sentra wilayah 18.71"},
			{"pembangunan of a registered sentra", with("pembangunan", func(in, _ map[string]any) { in["sentra_id"] = living }), 422, "menu revitalisasi"},
			{"id not a number", with("revitalisasi", func(in, _ map[string]any) { in["sentra_id"] = "17" }), 400, ""},
			{"id beyond int64", with("revitalisasi", func(in, _ map[string]any) { in["sentra_id"] = 1e30 }), 400, ""},
		} {
			r := post(tc.in)
			p := expectProblem(t, tc.name, r, tc.status)
			if tc.status == 422 {
				expectFields(t, tc.name, p, "sentra_id")
				if !strings.Contains(string(r.Body), tc.want) {
					t.Errorf("%s: %s does not say %q", tc.name, r.Body, tc.want)
				}
			}
		}
		if after := len(listProposals(t, e)); after != before {
			t.Errorf("refused filings saved %d proposals", after-before)
		}
	})

	t.Run("pembangunan registers its sentra", func(t *testing.T) {
		r := post(apitest.ProposalInput("pembangunan", false))
		if r.Status != http.StatusCreated {
			t.Fatalf("create = %d %s", r.Status, r.Body)
		}
		p := r.JSON()
		id := int64(p["sentra_id"].(float64))
		s := sentraOf(t, e, id)
		if s.Status != dak.SentraUsulan || s.Name != "Sentra IKM Tenun Tapis" || s.VillageCode != apitest.TapisVillage || s.RegionCode != "18.71" {
			t.Errorf("registered sentra = %+v, want Sentra IKM Tenun Tapis of %s, usulan", s, apitest.TapisVillage)
		}
		today := e.Store.Now().In(dak.WIB).Format("2006-01-02")
		if h := s.StatusHistory; len(h) != 1 || h[0].Status != dak.SentraUsulan || h[0].Basis != "Didaftarkan dari usulan "+p["number"].(string) ||
			h[0].Date != today || h[0].By != "Pengguna pemda" || h[0].ProposalID != int64(p["id"].(float64)) {
			t.Errorf("history = %+v, want one line: usulan %s, registered from %s by Pengguna pemda", h, today, p["number"])
		}

		// Its edits follow it while it is a draft; as a revitalisasi it
		// no longer builds it, and the record is retired.
		path := fmt.Sprintf("/api/v1/proposals/%v", p["id"])
		renamed := apitest.ProposalInput("pembangunan", false)
		renamed["sentra"].(map[string]any)["name"] = "Sentra IKM Tenun Tapis Kedaton"
		if r := e.Pemda.Do("PUT", path, renamed, nil); r.Status != http.StatusOK || r.JSON()["sentra_id"] != float64(id) {
			t.Fatalf("PUT = %d %s, want sentra %d kept", r.Status, r.Body, id)
		}
		if s := sentraOf(t, e, id); s.Name != "Sentra IKM Tenun Tapis Kedaton" || s.Status != dak.SentraUsulan {
			t.Errorf("after the edit: %q %s, want the new name, still usulan", s.Name, s.Status)
		}
		revit := apitest.ProposalInput("revitalisasi", false)
		revit["sentra_id"] = living
		if r := e.Pemda.Do("PUT", path, revit, nil); r.Status != http.StatusOK || r.JSON()["sentra_id"] != float64(living) {
			t.Fatalf("PUT as revitalisasi = %d %s, want sentra %d", r.Status, r.Body, living)
		}
		if s := sentraOf(t, e, id); s.Status != dak.SentraTidakAktif || !strings.Contains(s.StatusBasis, "revitalisasi") {
			t.Errorf("the retired record: %s (%s), want tidak_aktif saying why", s.Status, s.StatusBasis)
		}
	})

	t.Run("pembangunan where the desa holds the sentra", func(t *testing.T) {
		before, registered := len(listProposals(t, e)), sentraCount(t, e)
		for _, tc := range []struct {
			name, field string
			in          map[string]any
			want        []string
		}{
			{"same commodity", "sentra.commodity", with("pembangunan", func(_, s map[string]any) {
				s["village_code"], s["name"], s["commodity"] = village, "Sentra IKM Kopi Baru", " kopi  BUBUK"
			}), []string{"Sentra IKM Kopi Surabaya", fmt.Sprintf("sentra %d", living), "gunakan menu revitalisasi"}},
			{"same name", "sentra.name", with("pembangunan", func(_, s map[string]any) {
				s["village_code"], s["name"], s["commodity"] = village, "Sentra IKM Kopi Surabaya", "Kopi luwak"
			}), []string{"Sentra IKM Kopi Surabaya", fmt.Sprintf("sentra %d", living)}},
		} {
			r := post(tc.in)
			p := expectProblem(t, tc.name, r, http.StatusUnprocessableEntity)
			expectFields(t, tc.name, p, tc.field)
			for _, w := range tc.want {
				if !strings.Contains(string(r.Body), w) {
					t.Errorf("%s: %s does not name %q", tc.name, r.Body, w)
				}
			}
		}
		// A dead sentra of the commodity does not hold the desa.
		rebuilt := with("pembangunan", func(_, s map[string]any) {
			s["village_code"], s["name"], s["commodity"] = "18.71.01.1005", "Sentra IKM Anyaman Baru", "Anyaman rotan"
		})
		if r := post(rebuilt); r.Status != http.StatusCreated {
			t.Errorf("pembangunan beside a dead sentra of the commodity = %d %s, want 201", r.Status, r.Body)
		}
		if after := len(listProposals(t, e)); after != before+1 || sentraCount(t, e) != registered+1 {
			t.Errorf("proposals %d → %d, sentra %d → %d: the refused saved something", before, after, registered, sentraCount(t, e))
		}
	})
}

// listProposals lists the pemda's proposals.
func listProposals(t *testing.T, e *apitest.Env) []any {
	t.Helper()
	r := e.Pemda.Do("GET", "/api/v1/proposals?per_page=100", nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("list = %d %s", r.Status, r.Body)
	}
	return r.JSON()["items"].([]any)
}
