package web_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"dakflow/internal/dak"
	"dakflow/internal/region"
	"dakflow/internal/store"
	"dakflow/internal/web/apitest"
)

// regencyCoverageBody is one item of GET /api/v1/coverage, as the berita
// acara's facts are checked against it.
type regencyCoverageBody struct {
	RegionCode   string   `json:"region_code"`
	RegionName   string   `json:"region_name"`
	OutsideJava  bool     `json:"outside_java"`
	Affirmative  []string `json:"affirmative"`
	ActiveSentra int      `json:"active_sentra"`
}

// TestBeritaAcaraCoverage: the berita acara penilaian prints the coverage
// facts the priority criterion is answered from, as GET /api/v1/coverage
// states them at the moment of the recommendation — for four proposals
// of seedWebCoverage's kabupaten/kota (outside Java with a living sentra;
// tertinggal with none left; perbatasan; in Java with none). A sentra
// that dies after the first berita acara changes the API and the later
// documents, not the one already issued.
func TestBeritaAcaraCoverage(t *testing.T) {
	e := apitest.NewEnv(t)
	seedWebCoverage(t, e)
	ctx := context.Background()

	// recommend assesses proposal id and returns the coverage the API
	// states right after, for the proposal's kabupaten/kota.
	recommend := func(t *testing.T, id int64, regency string) (coverageCounts, regencyCoverageBody) {
		t.Helper()
		e.Verifier.MustFire(id, "recommend", "", map[string]any{"recommended_amount": apitest.SmallAllocation,
			"amount_reason": apitest.AmountReason, "checklist": e.ChecklistFor("pembangunan")})
		var cov struct {
			National coverageCounts        `json:"national"`
			Items    []regencyCoverageBody `json:"items"`
		}
		r := e.Auditor.Do("GET", "/api/v1/coverage?year=2027", nil, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("GET /coverage = %d %s", r.Status, r.Body)
		}
		r.Decode(t, &cov)
		i := slices.IndexFunc(cov.Items, func(it regencyCoverageBody) bool { return it.RegionCode == regency })
		if i < 0 {
			t.Fatalf("GET /coverage has no item %s", regency)
		}
		return cov.National, cov.Items[i]
	}

	type issued struct {
		id       int64
		national coverageCounts
		item     regencyCoverageBody
	}
	var docs []issued

	// Kota Bandar Lampung: the pemda of the environment.
	id := e.Create(t, "pembangunan", false)
	e.WalkTo(t, id, false, "in_review")
	national, item := recommend(t, id, "18.71")
	docs = append(docs, issued{id, national, item})

	// The kopi sentra of Nduga is found dead before the next assessments.
	var nduga int64
	if err := e.Store.Query(ctx, &nduga, `SELECT id FROM sentra WHERE name = 'Sentra Kopi Nduga'`); err != nil {
		t.Fatal(err)
	}
	e.SetSentraStatus(t, nduga, dak.SentraTidakAktif)

	for _, regency := range []string{"95.08", "61.03", "32.73"} {
		pemda := pemdaOf(t, e, regency)
		id := createIn(t, e, pemda, regency)
		pemda.MustFire(id, "submit", "", nil)
		e.Verifier.MustFire(id, "start_review", "", nil)
		national, item := recommend(t, id, regency)
		docs = append(docs, issued{id, national, item})
	}

	// The API's figures are the fixture's, worked out by hand.
	want := []struct {
		with, active     int
		java, tert, perb bool
	}{{3, 1, false, false, false}, {2, 0, false, true, false}, {2, 1, false, false, true}, {2, 0, true, false, false}}
	for i, d := range docs {
		w, it := want[i], d.item
		if d.national.KabupatenKota != 514 || d.national.WithActiveSentra != w.with || it.ActiveSentra != w.active ||
			it.OutsideJava == w.java || slices.Contains(it.Affirmative, "tertinggal") != w.tert ||
			slices.Contains(it.Affirmative, "perbatasan") != w.perb {
			t.Errorf("GET /coverage after recommending %s: national %+v, item %+v", it.RegionCode, d.national, it)
		}
	}

	// Every berita acara says what the API said when it was issued — the
	// first one too, though the API has changed since.
	for _, d := range docs {
		text := flat(rawDocumentText(t, e, d.id, "berita_acara_penilaian"))
		const heading = "Fakta cakupan Sentra IKM untuk kriteria prioritas "
		start, end := strings.Index(text, heading), strings.Index(text, " Nilai usulan")
		if start < 0 || end < start {
			t.Errorf("berita acara of %s has no coverage section:\n%s", d.item.RegionCode, text)
			continue
		}
		got := text[start+len(heading) : end]
		if want := coverageSection(d.national, d.item); !strings.HasPrefix(got, want) {
			t.Errorf("berita acara of %s says\n%s\nwant (from GET /api/v1/coverage)\n%s …", d.item.RegionCode, got, want)
		}
		if !strings.Contains(text, "Halaman 2 dari 2") || strings.Contains(text, "dari 3") {
			t.Errorf("berita acara of %s is not two pages:\n%s", d.item.RegionCode, text)
		}
	}
}

// coverageSection is what the berita acara must print, in reading order,
// of the API's national counts and item (up to the moment it was read).
func coverageSection(n coverageCounts, it regencyCoverageBody) string {
	yes := func(b bool, no string) string {
		if b {
			return "Ya"
		}
		return no
	}
	living := "Belum ada sentra berstatus aktif atau kurang aktif"
	if it.ActiveSentra > 0 {
		living = fmt.Sprintf("%d (%s) sentra berstatus aktif atau kurang aktif", it.ActiveSentra, dak.Terbilang(int64(it.ActiveSentra)))
	}
	share := dak.PercentOf(dak.Money(n.WithActiveSentra), dak.Money(n.KabupatenKota)).Spelled()
	return fmt.Sprintf("Kabupaten/kota : %s Sentra IKM hidup : %s Di luar Pulau Jawa : %s "+
		"Daerah tertinggal : %s, menurut Peraturan Presiden Nomor 63 Tahun 2020 tentang Penetapan Daerah Tertinggal Tahun 2020–2024 "+
		"Kawasan perbatasan negara : %s Cakupan nasional : %d dari %d kabupaten/kota, %s, memiliki Sentra IKM hidup, menurut registri Sentra IKM pada ",
		it.RegionName, living, yes(it.OutsideJava, "Tidak"), yes(slices.Contains(it.Affirmative, "tertinggal"), "Tidak"),
		yes(slices.Contains(it.Affirmative, "perbatasan"), "Tidak tercantum dalam daftar kabupaten/kota perbatasan"),
		n.WithActiveSentra, n.KabupatenKota, share)
}

// pemdaOf signs in a new pemda account of the kabupaten/kota regency.
func pemdaOf(t *testing.T, e *apitest.Env, regency string) *apitest.Client {
	t.Helper()
	name := "pemda-" + strings.ReplaceAll(regency, ".", "")
	r, _ := region.Lookup(region.Code(regency))
	_, err := e.Store.CreateUser(context.Background(), store.NewUser{User: dak.User{Username: name, FullName: "Pengguna " + name,
		NIP: apitest.NIP, Position: "Kepala Dinas Perindustrian " + r.Name, Role: dak.RolePemda, RegionCode: regency}, Password: apitest.Password})
	if err != nil {
		t.Fatal(err)
	}
	return apitest.Login(t, e.URL, name, apitest.Password)
}

// createIn files apitest's pembangunan proposal as pemda, for a new sentra
// in the first desa of regency, with its required attachments.
func createIn(t *testing.T, e *apitest.Env, pemda *apitest.Client, regency string) int64 {
	t.Helper()
	in := apitest.ProposalInput("pembangunan", false)
	village := region.Children(region.Children(region.Code(regency))[0].Code)[0].Code
	in["sentra"].(map[string]any)["village_code"] = string(village)
	delete(in["sentra"].(map[string]any), "latitude")
	delete(in["sentra"].(map[string]any), "longitude")
	r := pemda.Do("POST", "/api/v1/proposals", in, nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("create proposal in %s = %d %s", regency, r.Status, r.Body)
	}
	id := int64(r.JSON()["id"].(float64))
	t.Logf("created %s", r.Body)
	for _, kind := range e.Engine.Current().Menus["pembangunan"].RequiredAttachments {
		if up := pemda.Upload(id, kind, kind+".pdf", apitest.PDFBytes(kind)); up.Status != http.StatusCreated {
			t.Fatalf("upload %s = %d %s", kind, up.Status, up.Body)
		}
	}
	return id
}

// rawDocumentText reads back the latest document of kind on a proposal
// with pdftotext -raw: the text in the order it was written, so that a
// key and its value stay together (-layout moves short values).
func rawDocumentText(t *testing.T, e *apitest.Env, id int64, kind string) string {
	t.Helper()
	var docs struct {
		Items []struct {
			ID   int64  `json:"id"`
			Kind string `json:"kind"`
		} `json:"items"`
	}
	e.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/documents", id), nil, nil).Decode(t, &docs)
	for i := len(docs.Items) - 1; i >= 0; i-- {
		if d := docs.Items[i]; d.Kind == kind {
			r := e.Auditor.Do("GET", fmt.Sprintf("/api/v1/documents/%d/pdf", d.ID), nil, nil)
			if r.Status != http.StatusOK {
				t.Fatalf("GET pdf of %s = %d", kind, r.Status)
			}
			path := filepath.Join(t.TempDir(), "doc.pdf")
			if err := os.WriteFile(path, r.Body, 0o600); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command("pdftotext", "-raw", path, "-").Output()
			if err != nil {
				t.Fatalf("pdftotext (install poppler-utils): %v", err)
			}
			return string(out)
		}
	}
	t.Fatalf("proposal %d has no %s", id, kind)
	return ""
}
