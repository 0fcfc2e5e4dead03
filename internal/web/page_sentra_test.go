package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"dakflow/internal/web/apitest"
)

// sentraPages: the registry's list (filters, links, exports) and a
// sentra's page (fields, its place in Indonesian figures and on a map,
// history, funding in rupiah, use), each region's pemda seeing its own. e
// holds TestSentraRegistryAPI's records: sentra id (Sentra Tenun Tapis,
// kurang aktif after a field visit) and the pembangunan proposal of
// sentra fundedSentra.
func sentraPages(t *testing.T, e *apitest.Env, id, proposal, fundedSentra int64, number string) {
	var other struct{ Items []sentraOut }
	e.Verifier.Do("GET", "/api/v1/sentra?province=73", nil, nil).Decode(t, &other)
	if len(other.Items) != 1 {
		t.Fatalf("Makassar's sentra: %+v", other.Items)
	}
	pemda := loggedIn(t, e, "pemda")

	list := pemda.get("/sentra")
	if list.Status != http.StatusOK || !strings.Contains(list.Body, fmt.Sprintf(`href="/sentra/%d"`, id)) ||
		strings.Contains(list.Body, "Sentra Kerajinan Perak") || !strings.Contains(list.Body, `href="/sentra"`) {
		t.Errorf("GET /sentra as pemda = %d; want its own sentra linked, the nav link, and not Makassar's:\n%.2000s", list.Status, list.Body)
	}
	if !strings.Contains(list.Body, `data-sentra-status="kurang_aktif">Kurang aktif`) || !strings.Contains(list.Body, "data-export=\"xlsx\"") {
		t.Errorf("the list shows no status label or export link")
	}
	verifier := loggedIn(t, e, "verifikator")
	filtered := verifier.get("/sentra?province=73&q=perak")
	if !strings.Contains(filtered.Body, "Sentra Kerajinan Perak") || strings.Contains(filtered.Body, "Sentra Tenun Tapis") ||
		!strings.Contains(filtered.Body, "/sentra/ekspor?format=csv&amp;province=73&amp;q=perak") {
		t.Errorf("GET /sentra?province=73&q=perak as verifier:\n%.3000s", filtered.Body)
	}
	if bad := verifier.get("/sentra?status=hidup"); bad.Status != http.StatusBadRequest || !strings.Contains(bad.Body, "data-form-errors") {
		t.Errorf("GET /sentra?status=hidup = %d, want 400 with the error shown", bad.Status)
	}

	page := pemda.get(fmt.Sprintf("/sentra/%d", id))
	for _, want := range []string{
		"<h1>Sentra Tenun Tapis</h1>", "Kota Bandar Lampung", "Kedaton", "Jalan Way Halim No. 5, Kelurahan Kedaton",
		`data-coordinates>-5,41; 105,26</strong>`, "openstreetmap.org/?mlat=-5.41&amp;mlon=105.26", "data-sentra-map", "data-dot",
		`data-history-status="aktif"`, `data-history-status="kurang_aktif"`, "8 dari 15 IKM berproduksi", "Pengguna verifikator",
		"500/123/IV.40/2019 tanggal 1 Maret 2019", "1998", "data-no-funding", "data-no-reports",
		fmt.Sprintf(`href="/sentra/%d/laporan"`, id),
	} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("GET /sentra/%d lacks %q", id, want)
		}
	}
	if r := pemda.get(fmt.Sprintf("/sentra/%d", other.Items[0].ID)); r.Status != http.StatusNotFound {
		t.Errorf("Makassar's sentra as Bandar Lampung's pemda = %d, want 404", r.Status)
	}

	// A proposal of the sentra appears with its amounts in rupiah.
	funded := pemda.get(fmt.Sprintf("/sentra/%d", fundedSentra))
	if !strings.Contains(funded.Body, fmt.Sprintf(`href="/proposals/%d"`, proposal)) || !strings.Contains(funded.Body, number) ||
		!strings.Contains(funded.Body, "data-allocated-total>Rp0") || !strings.Contains(funded.Body, "Pembangunan Sentra IKM") {
		t.Errorf("the page of proposal %d's sentra %d shows no funding line:\n%.4000s", proposal, fundedSentra, funded.Body)
	}

	csv := pemda.get("/sentra/ekspor?format=csv")
	if csv.Status != http.StatusOK || !strings.HasPrefix(csv.Header.Get("Content-Type"), "text/csv") || !strings.Contains(csv.Body, "Sentra Tenun Tapis") ||
		strings.Contains(csv.Body, "Perak") {
		t.Errorf("GET /sentra/ekspor?format=csv = %d %s\n%s", csv.Status, csv.Header.Get("Content-Type"), csv.Body)
	}
	if r := pemda.get("/sentra/ekspor"); r.Status != http.StatusBadRequest {
		t.Errorf("GET /sentra/ekspor without a format = %d, want 400", r.Status)
	}
}
