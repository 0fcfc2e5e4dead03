package web_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"dakflow/internal/dak"
	"dakflow/internal/web/apitest"
)

// documentNumber is the number of the latest document of kind on a proposal.
func documentNumber(t *testing.T, e *apitest.Env, id int64, kind string) string {
	t.Helper()
	var docs struct {
		Items []struct{ Kind, Number string } `json:"items"`
	}
	e.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/documents", id), nil, nil).Decode(t, &docs)
	for i := len(docs.Items) - 1; i >= 0; i-- {
		if docs.Items[i].Kind == kind {
			return docs.Items[i].Number
		}
	}
	t.Fatalf("proposal %d has no %s", id, kind)
	return ""
}

// TestSentraStatusFollowsWorkflow walks a pembangunan to completion: its
// sentra goes usulan → dalam_pembangunan (allocation) → aktif
// (completion), each a history line of the event's day (WIB) citing the
// event's document; a rejected and a withdrawn pembangunan leave theirs
// tidak_aktif, with the reason as the note. The completed sentra then
// waits funding_gap_years (no_double_funding names the completed
// proposal), after which a revitalisasi of it is assessed with its
// history — status, earlier funding, last utilisation report — on the
// verifier's page and in the berita acara penilaian.
func TestSentraStatusFollowsWorkflow(t *testing.T) {
	e := apitest.NewEnv(t)
	ctx := context.Background()
	today := e.Store.Now().In(dak.WIB).Format("2006-01-02")
	built := e.Create(t, "pembangunan", false)
	p := e.Get(t, built)
	number, sentra := p["number"].(string), int64(p["sentra_id"].(float64))
	for _, step := range e.Path(t, built, false) { // to completed
		e.Fire(t, built, step)
		if step.Event == "recommend" {
			if s := sentraOf(t, e, sentra); s.Status != dak.SentraUsulan {
				t.Errorf("recommended: sentra %s, want usulan", s.Status)
			}
		}
	}
	s := sentraOf(t, e, sentra)
	var got []string
	for _, h := range s.StatusHistory {
		got = append(got, string(h.Status))
		if h.Date != today || h.ProposalID != built {
			t.Errorf("history line %+v: want dated %s, of proposal %d", h, today, built)
		}
	}
	if want := []string{"usulan", "dalam_pembangunan", "aktif"}; !slices.Equal(got, want) {
		t.Fatalf("history = %v, want %v", got, want)
	}
	for i, kind := range map[int]string{1: "surat_penetapan_alokasi", 2: "laporan_penyelesaian"} {
		if h := s.StatusHistory[i]; !strings.Contains(h.Basis, documentNumber(t, e, built, kind)) || !strings.Contains(h.Basis, number) {
			t.Errorf("%s: basis %q does not cite %s of %s", h.Status, h.Basis, kind, number)
		}
	}
	if s.Status != dak.SentraAktif || s.StatusDate != today {
		t.Errorf("sentra after completion: %s since %s, want aktif since %s", s.Status, s.StatusDate, today)
	}

	t.Run("ended unbuilt", func(t *testing.T) {
		e := e.For(t)
		rejected, withdrawn := e.Create(t, "pembangunan", false), e.Create(t, "pembangunan", false)
		e.Pemda.MustFire(rejected, "submit", "", nil)
		e.Verifier.MustFire(rejected, "start_review", "", nil)
		e.Verifier.MustFire(rejected, "reject", "Lahan belum bersertifikat atas nama pemerintah daerah", nil)
		e.Pemda.MustFire(withdrawn, "withdraw", "Lokasi dipindahkan", nil)
		for id, kind := range map[int64]string{rejected: "surat_penolakan", withdrawn: "surat_penarikan"} {
			s := sentraOf(t, e, int64(e.Get(t, id)["sentra_id"].(float64)))
			last := s.StatusHistory[len(s.StatusHistory)-1]
			if s.Status != dak.SentraTidakAktif || !strings.Contains(last.Basis, documentNumber(t, e, id, kind)) || last.Note == "" {
				t.Errorf("proposal %d: sentra %s, last line %+v; want tidak_aktif citing its %s, the reason as note", id, s.Status, last, kind)
			}
		}
	})

	revit := func(year int) int64 {
		in := apitest.ProposalInput("revitalisasi", false)
		in["fiscal_year"], in["sentra_id"] = year, sentra
		r := e.Pemda.Do("POST", "/api/v1/proposals", in, nil)
		if r.Status != http.StatusCreated {
			t.Fatalf("revitalisasi %d = %d %s", year, r.Status, r.Body)
		}
		id := int64(r.JSON()["id"].(float64))
		for _, kind := range e.Engine.Current().Menus["revitalisasi"].RequiredAttachments {
			if up := e.Pemda.Upload(id, kind, kind+".pdf", apitest.PDFBytes(kind)); up.Status != http.StatusCreated {
				t.Fatalf("upload %s = %d %s", kind, up.Status, up.Body)
			}
		}
		return id
	}
	for _, year := range []int{2028, 2030} {
		if _, err := e.Store.SetFiscalYear(ctx, year, 1_000_000_000_000, nil); err != nil {
			t.Fatal(err)
		}
	}
	soon := revit(2028)
	r := e.Pemda.Fire(soon, "submit", "", nil, nil)
	prob := expectProblem(t, "submit within the funding gap", r, http.StatusUnprocessableEntity)
	if !slices.ContainsFunc(prob.Errors, func(f problemError) bool {
		return f.Guard == "no_double_funding" && f.Field == "sentra_id" && strings.Contains(f.Message, number) && strings.Contains(f.Message, "2030")
	}) {
		t.Errorf("submit for 2028 of a sentra completed for 2027: %s; want no_double_funding naming %s and 2030", r.Body, number)
	}
	e.Pemda.MustFire(soon, "withdraw", "Diajukan kembali untuk tahun anggaran 2030", nil)

	// After the gap: the revitalisasi passes both guards and is assessed
	// with the sentra's history.
	err := e.Store.Exec(ctx, `INSERT INTO sentra_reports (sentra_id, period, ikm_using, workers, production_value, occupancy_percent,
		condition, operating_budget, issues, filed_by, created_at)
		SELECT ?, '2028-S1', 13, 52, 1250000000, 80, 'baik', 150000000, '', id, ? FROM users WHERE username = 'pemda'`, sentra, e.Store.Now())
	if err != nil {
		t.Fatal(err)
	}
	later := revit(2030)
	e.Pemda.MustFire(later, "submit", "", nil)
	e.Verifier.MustFire(later, "start_review", "", nil)
	history := []string{"Riwayat sentra", fmt.Sprintf("Aktif sejak %s", dak.FormatDate(e.Store.Now())), number,
		"Semester I 2028: 13 IKM memanfaatkan, tingkat hunian 80%, kondisi Baik"}
	page := loggedIn(t, e, "verifikator").get(fmt.Sprintf("/proposals/%d", later))
	for _, want := range append(history, `data-sentra-history="`+fmt.Sprint(sentra)+`"`, "Rp800.000.000<") {
		if !strings.Contains(page.Body, want) {
			t.Errorf("the verifier's page lacks %q", want)
		}
	}
	e.Verifier.MustFire(later, "recommend", "", map[string]any{"recommended_amount": 800_000_000, "amount_reason": apitest.AmountReason,
		"checklist": e.ChecklistFor("revitalisasi")})
	expectText(t, "berita acara penilaian", documentText(t, e, later, "berita_acara_penilaian"),
		append(history, fmt.Sprintf("Nomor registri sentra : %d", sentra), "2027 "+number+" Pembangunan Sentra IKM Selesai Rp800.000.000,00")...)
}
