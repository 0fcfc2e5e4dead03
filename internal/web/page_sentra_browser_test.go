package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/store"
	"dakflow/internal/web/apitest"
)

// TestBrowserSentra opens the registry's pages in headless Chromium on an
// office laptop (1366×768): the verifier filters and searches the list,
// opens a sentra and sees it on its map with its history and funding,
// and finds the flagged and the overdue sentra on /pemantauan; the pemda
// of Kota Bandar Lampung sees its own sentra only. No page scrolls
// sideways. Screenshots go to $DAKFLOW_SCREENSHOTS for review.
func TestBrowserSentra(t *testing.T) {
	env := apitest.NewEnv(t)
	b := newBrowser(t, env.URL)
	f := seedBrowserSentra(t, env)

	v := b.login("verifikator", 1366, 768)
	v.open("/sentra")
	if n := eval[int](v, `document.querySelectorAll('[data-sentra-list] tr[data-sentra]').length`); n != 6 {
		t.Errorf("the verifier's list shows %d sentra, want all 6 of every region", n)
	}
	noSideScroll(v, "/sentra")
	// A search within a province: Kota Makassar's silver, not Celuk's.
	v.set("#s-province", "73")
	v.set("#s-q", "perak")
	v.submit(`form[data-filters] button[type=submit]`)
	if got := rowNames(v); got != "Sentra Kerajinan Perak" || !strings.Contains(v.location(), "q=perak") {
		t.Errorf("province 73 and q=perak list %q at %s", got, v.location())
	}
	// A status filter over every province: only the dead sentra.
	v.open("/sentra?status=tidak_aktif")
	if got := rowNames(v); got != "Sentra Anyaman Rotan" || v.text(`[data-sentra-status]`) != "Tidak aktif" ||
		v.value("#s-status") != "tidak_aktif" {
		t.Errorf("status tidak_aktif lists %q (status chosen %q)", got, v.value("#s-status"))
	}
	v.shot("sentra-list", false)

	// The sentra's page: its dot inside the map's frame, its history of
	// two statuses, the draft proposal among its funding.
	v.open("/sentra?q=tapis")
	v.do(chromedpClick(fmt.Sprintf(`a[href="/sentra/%d"]`, f.tapis)), chromedpWaitReady(`[data-sentra-header]`))
	if got := v.text("h1"); got != "Sentra Tenun Tapis" {
		t.Fatalf("opened %q, want Sentra Tenun Tapis", got)
	}
	if !eval[bool](v, `(()=>{const m=document.querySelector('svg[data-sentra-map]'),d=m&&m.querySelector('circle[data-dot]');
		if(!d)return false;const r=m.getBoundingClientRect(),c=d.getBoundingClientRect();
		return r.width>0&&c.left>=r.left&&c.right<=r.right&&c.top>=r.top&&c.bottom<=r.bottom})()`) {
		t.Error("the sentra's map has no dot inside its frame")
	}
	if got := eval[string](v, `[...document.querySelectorAll('[data-sentra-history] tr[data-history-status]')].map(r=>r.dataset.historyStatus).join(',')`); got != "aktif,kurang_aktif" {
		t.Errorf("history = %q, want aktif,kurang_aktif", got)
	}
	if !strings.Contains(v.text(`[data-sentra-history]`), "Pendataan ulang sentra IKM 2026") {
		t.Errorf("history lacks the re-count's basis: %q", v.text(`[data-sentra-history]`))
	}
	if got := v.text(fmt.Sprintf(`[data-sentra-funding] tr[data-funding="%d"]`, f.proposal)); !strings.Contains(got, f.number) ||
		!strings.Contains(got, "Revitalisasi") {
		t.Errorf("funding row = %q, want proposal %s, revitalisasi", got, f.number)
	}
	noSideScroll(v, "/sentra/{id}")
	v.shot("sentra", false)

	// The monitoring list: one sentra overdue, one unused in two reports.
	v.open("/pemantauan")
	if !v.exists(fmt.Sprintf(`tr[data-monitored="%d"][data-overdue]`, f.overdue)) ||
		!v.exists(fmt.Sprintf(`tr[data-monitored="%d"][data-unused]`, f.unused)) {
		t.Errorf("/pemantauan lists %q; want sentra %d overdue and %d unused", v.text(`[data-monitoring]`), f.overdue, f.unused)
	}
	if got := v.text(fmt.Sprintf(`tr[data-monitored="%d"]`, f.unused)); !strings.Contains(got, "Tidak dimanfaatkan: 2 laporan berturut-turut") {
		t.Errorf("the unused sentra's reason = %q", got)
	}
	noSideScroll(v, "/pemantauan")
	v.shot("pemantauan", false)

	// The pemda of Kota Bandar Lampung: its own region only, no province
	// filter.
	p := b.login("pemda", 1366, 768)
	p.open("/sentra")
	regions := eval[string](p, `[...new Set([...document.querySelectorAll('[data-sentra-list] tr[data-sentra] td[data-label="Wilayah"]')].map(td=>td.innerText.split('\n')[0].trim()))].join('|')`)
	if regions != "Kota Bandar Lampung" || p.exists("#s-province") || !p.exists(fmt.Sprintf(`a[href="/sentra/%d"]`, f.tapis)) {
		t.Errorf("the pemda's list shows regions %q (province filter %v); want only Kota Bandar Lampung", regions, p.exists("#s-province"))
	}
	noSideScroll(p, "/sentra as pemda")
}

// browserSentra is what seedBrowserSentra registered.
type browserSentra struct {
	tapis, proposal int64 // Sentra Tenun Tapis and the draft revitalisasi naming it
	number          string
	overdue, unused int64 // completed sentra: no report, two reports under 30%
}

// seedBrowserSentra registers sentra in four provinces through the API as
// the verifier (Bandar Lampung's Tenun Tapis, re-counted kurang aktif and
// named by a draft revitalisasi; Makassar's and Celuk's silver; a dead
// rattan sentra in Sanggau) and completes two pembangunan proposals 20
// months ago, one of whose sentra then reports two semesters unused.
func seedBrowserSentra(t *testing.T, e *apitest.Env) browserSentra {
	t.Helper()
	register := func(village, name, commodity string, lat, lon float64) int64 {
		r := e.Verifier.Do("POST", "/api/v1/sentra", map[string]any{"name": name, "commodity": commodity, "village_code": village,
			"address": "Jalan Sentra Industri No. 3", "latitude": lat, "longitude": lon, "ikm_units": 15, "workers": 60,
			"established_year": 2009, "status": "aktif", "status_date": "2024-03-04", "status_basis": "Pendataan sentra oleh Dinas Perindustrian"}, nil)
		if r.Status != http.StatusCreated {
			t.Fatalf("register %s = %d %s", name, r.Status, r.Body)
		}
		return int64(r.JSON()["id"].(float64))
	}
	status := func(id int64, st dak.SentraStatus, date, basis, note string) {
		if r := e.Verifier.Do("POST", fmt.Sprintf("/api/v1/sentra/%d/status", id), map[string]any{"status": st, "date": date,
			"basis": basis, "note": note}, nil); r.Status != http.StatusOK {
			t.Fatalf("status of sentra %d = %d %s", id, r.Status, r.Body)
		}
	}
	var f browserSentra
	f.tapis = register(apitest.TapisVillage, "Sentra Tenun Tapis", "Kain tenun tapis", -5.41, 105.26)
	status(f.tapis, dak.SentraKurangAktif, "2026-08-12", "Pendataan ulang sentra IKM 2026", "8 dari 15 IKM berproduksi")
	register("73.71.01.1002", "Sentra Kerajinan Perak", "Kerajinan perak", -5.15, 119.45)
	register("51.04.01.2005", "Sentra Kerajinan Perak Celuk", "Kerajinan perak", -8.60, 115.27)
	status(register("61.03.01.2008", "Sentra Anyaman Rotan", "Anyaman rotan", 0.12, 110.60), dak.SentraTidakAktif,
		"2026-09-01", "Pendataan ulang sentra IKM 2026", "Tidak ada IKM yang masih berproduksi")

	in := apitest.ProposalInput("revitalisasi", false)
	in["sentra_id"] = f.tapis
	r := e.Pemda.Do("POST", "/api/v1/proposals", in, nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("revitalisasi of Tenun Tapis = %d %s", r.Status, r.Body)
	}
	f.proposal, f.number = int64(r.JSON()["id"].(float64)), r.JSON()["number"].(string)

	// Each pembangunan registers its own sentra; completion reads no
	// attachment, so none is uploaded.
	build := func() int64 {
		r := e.Pemda.Do("POST", "/api/v1/proposals", e.OwnSentraInput(t, "pembangunan", false), nil)
		if r.Status != http.StatusCreated {
			t.Fatalf("pembangunan = %d %s", r.Status, r.Body)
		}
		return int64(r.JSON()["id"].(float64))
	}
	completed := time.Now().AddDate(0, -20, 0)
	f.overdue = completeAt(t, e, build(), completed)
	f.unused = completeAt(t, e, build(), completed)
	today := time.Now().In(dak.WIB).Format(time.DateOnly)
	for _, id := range []int64{f.overdue, f.unused} { // built, as the workflow would have recorded
		status(id, dak.SentraAktif, today, "Serah terima hasil pembangunan dengan DAK Fisik Bidang IKM", "")
	}
	periods := e.Engine.Current().Parameters.MonitoringParams.Periods(completed)
	for i, occupancy := range []int{20, 10} {
		if r := e.Pemda.Do("POST", fmt.Sprintf("/api/v1/sentra/%d/reports", f.unused), report(periods[i].String(), 2, occupancy), nil); r.Status != http.StatusCreated {
			t.Fatalf("report %s = %d %s", periods[i], r.Status, r.Body)
		}
	}
	return f
}

// completeAt marks proposal id completed at the moment at, as the engine
// leaves it (its state and the event that reached it) without the walk's
// documents, and returns its sentra's id. The monitoring reads only these.
func completeAt(t *testing.T, e *apitest.Env, id int64, at time.Time) int64 {
	t.Helper()
	e.Store.SetClock(func() time.Time { return at })
	defer e.Store.SetClock(time.Now)
	err := e.Store.InTx(context.Background(), func(tx *store.Tx) error {
		p, err := tx.LockProposal(id)
		if err != nil {
			return err
		}
		tip, err := tx.Tip(p.ID)
		if err != nil {
			return err
		}
		from := p.State
		p.State = "completed"
		if err := tx.SaveProposal(&p, p.Version); err != nil {
			return err
		}
		return tx.AppendEvent(&dak.Event{ProposalID: p.ID, Event: "complete", From: from, To: p.State, Actor: "Pengguna pemda",
			Role: dak.RolePemda}, tip)
	})
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.Store.Proposal(context.Background(), id)
	if err != nil || p.SentraID == 0 {
		t.Fatalf("proposal %d: sentra %d, %v", id, p.SentraID, err)
	}
	return p.SentraID
}

// rowNames lists the names in the registry list, by "|".
func rowNames(tb *tab) string {
	tb.t.Helper()
	return eval[string](tb, `[...document.querySelectorAll('[data-sentra-list] tr[data-sentra] td[data-label="Sentra"] strong')].map(s=>s.innerText.trim()).join('|')`)
}

// noSideScroll fails the test when the page is wider than the window.
func noSideScroll(tb *tab, page string) {
	tb.t.Helper()
	if w := eval[[]int](tb, `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`); w[0] > w[1] {
		tb.t.Errorf("%s scrolls sideways at 1366×768: %dpx of content in %dpx", page, w[0], w[1])
	}
}
