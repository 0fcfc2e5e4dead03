package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"dakflow/internal/dak"
	"dakflow/internal/web/apitest"
)

// sentraOut is a registry record as the API answers it.
type sentraOut struct {
	ID            int64    `json:"id"`
	Name          string   `json:"name"`
	Commodity     string   `json:"commodity"`
	RegionCode    string   `json:"region_code"`
	RegionName    string   `json:"region_name"`
	VillageCode   string   `json:"village_code"`
	VillageName   string   `json:"village_name"`
	Latitude      *float64 `json:"latitude"`
	IKMUnits      int      `json:"ikm_units"`
	Status        string   `json:"status"`
	StatusLabel   string   `json:"status_label"`
	StatusDate    string   `json:"status_date"`
	StatusBasis   string   `json:"status_basis"`
	Version       int64    `json:"version"`
	StatusHistory []struct {
		Status, Date, Basis, Note, By string
	} `json:"status_history"`
	Funding []struct {
		FiscalYear int    `json:"fiscal_year"`
		ProposalID int64  `json:"proposal_id"`
		Number     string `json:"number"`
		Menu       string `json:"menu"`
		State      string `json:"state"`
	} `json:"funding"`
}

// tapis is a registry record of Kota Bandar Lampung, as posted.
func tapis(name string) map[string]any {
	return map[string]any{"name": name, "commodity": "Tenun tapis", "village_code": "18.71.01.1003",
		"address": "Jalan Way Halim No. 5", "latitude": -5.41, "longitude": 105.26, "ikm_units": 15, "workers": 60,
		"decree_number": "500/123/IV.40/2019", "decree_date": "2019-03-01", "established_year": 1998,
		"status_basis": "Pendataan ulang 2026"}
}

func mustSentra(t *testing.T, c *apitest.Client, body map[string]any) sentraOut {
	t.Helper()
	r := c.Do("POST", "/api/v1/sentra", body, nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("POST /sentra %v = %d %s", body["name"], r.Status, r.Body)
	}
	var s sentraOut
	r.Decode(t, &s)
	return s
}

func sentraTotal(t *testing.T, c *apitest.Client, query string) (int64, []string) {
	t.Helper()
	r := c.Do("GET", "/api/v1/sentra?"+query, nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET /sentra?%s = %d %s", query, r.Status, r.Body)
	}
	var l struct {
		Items []sentraOut `json:"items"`
		Total int64       `json:"total"`
	}
	r.Decode(t, &l)
	var names []string
	for _, s := range l.Items {
		names = append(names, s.Name)
	}
	return l.Total, names
}

func with(body map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range body {
		out[k] = v
	}
	for i := 0; i < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

// TestSentraRegistryAPI walks the registry through the API: register,
// refuse bad input with a 422 naming the field (nothing saved), hide
// another region's sentra, edit under If-Match, record a status, list
// with filters, show funding; then its exports, its pages and its import
// (one server for all, to keep the suite fast).
func TestSentraRegistryAPI(t *testing.T) {
	e := apitest.NewEnv(t)
	s := mustSentra(t, e.Pemda, tapis("Sentra Tenun Tapis"))
	if s.RegionCode != "18.71" || s.RegionName != "Kota Bandar Lampung" || s.VillageName != "Kedaton" || s.Status != "aktif" ||
		s.StatusLabel != "Aktif" || s.Version != 1 || len(s.StatusHistory) != 1 || s.StatusHistory[0].By != "Pengguna pemda" {
		t.Errorf("registered %+v", s)
	}
	path := fmt.Sprintf("/api/v1/sentra/%d", s.ID)

	t.Run("bad input is a 422 naming the field, nothing saved", func(t *testing.T) {
		tests := []struct {
			name   string
			client *apitest.Client
			body   map[string]any
			fields []string
		}{
			{"a coordinate outside Indonesia", e.Pemda, with(tapis("Sentra A"), "latitude", 35.68, "longitude", 139.69), []string{"latitude"}},
			{"a desa outside the region", e.Pemda, with(tapis("Sentra B"), "village_code", "73.71.01.1001"), []string{"village_code"}},
			{"another region for the pemda", e.Pemda, with(tapis("Sentra C"), "region_code", "73.71"), []string{"region_code"}},
			{"an unknown desa", e.Verifier, with(tapis("Sentra D"), "village_code", "18.71.01.1999"), []string{"village_code"}},
			{"a status date in the future", e.Pemda, with(tapis("Sentra E"), "status_date", "2099-01-01"), []string{"status_date"}},
			{"a duplicate sentra in one desa", e.Verifier, with(tapis(" sentra tenun  TAPIS"), "commodity", "Tenun"), []string{"name"}},
			{"negative counts and a NUL", e.Pemda, with(tapis("Sentra\x00F"), "ikm_units", -1, "workers", -2),
				[]string{"name", "ikm_units", "workers"}},
			{"an unknown status", e.Verifier, with(tapis("Sentra G"), "status", "mati"), []string{"status"}},
		}
		for _, tt := range tests {
			r := tt.client.With(t).Do("POST", "/api/v1/sentra", tt.body, nil)
			if r.Status != http.StatusUnprocessableEntity || !cmp.Equal(r.Fields(), tt.fields) {
				t.Errorf("%s: POST /sentra = %d %v, want 422 naming %v\n%s", tt.name, r.Status, r.Fields(), tt.fields, r.Body)
			}
		}
		if total, _ := sentraTotal(t, e.Verifier, ""); total != 1 {
			t.Errorf("%d sentra after refused input, want 1", total)
		}
		for _, body := range []string{`{"name": 1}`, `{"nama": "x"}`, `[`} {
			if r := e.Pemda.With(t).Do("POST", "/api/v1/sentra", body, nil); r.Status != http.StatusBadRequest {
				t.Errorf("POST /sentra %s = %d, want 400", body, r.Status)
			}
		}
	})

	t.Run("who may", func(t *testing.T) {
		for _, call := range []struct {
			client       *apitest.Client
			method, path string
			body         any
			want         int
		}{
			{e.Approver, "POST", "/api/v1/sentra", tapis("Sentra H"), http.StatusForbidden},
			{e.Auditor, "POST", path + "/status", map[string]any{}, http.StatusForbidden},
			{e.Admin, "POST", path + "/status", map[string]any{}, http.StatusForbidden},
			{e.Other, "GET", path, nil, http.StatusNotFound},
			{e.Other, "PUT", path, tapis("Sentra Tenun Tapis"), http.StatusNotFound},
			{e.Other, "POST", path + "/status", map[string]any{"status": "aktif", "date": "2026-01-01", "basis": "x"}, http.StatusNotFound},
			{e.Auditor, "GET", path, nil, http.StatusOK},
			{e.Pemda, "GET", "/api/v1/sentra/999999", nil, http.StatusNotFound},
		} {
			if r := call.client.With(t).Do(call.method, call.path, call.body, nil); r.Status != call.want {
				t.Errorf("%s %s as %s = %d, want %d\n%s", call.method, call.path, call.client.User["username"], r.Status, call.want, r.Body)
			}
		}
		makassar := mustSentra(t, e.Verifier, with(tapis("Sentra Kerajinan Perak"), "village_code", "73.71.01.1001", "commodity",
			"Perak", "latitude", -5.14, "longitude", 119.42))
		if makassar.RegionCode != "73.71" {
			t.Errorf("a verifier's sentra lies in %q, want the desa's kota 73.71", makassar.RegionCode)
		}
	})

	t.Run("edit under If-Match", func(t *testing.T) {
		edit := with(tapis("Sentra Tenun Tapis"), "ikm_units", 21)
		delete(edit, "status_basis")
		if r := e.Pemda.With(t).Do("PUT", path, edit, map[string]string{"If-Match": `"7"`}); r.Status != http.StatusPreconditionFailed {
			t.Errorf("PUT with a stale If-Match = %d, want 412", r.Status)
		}
		if r := e.Pemda.With(t).Do("PUT", path, with(edit, "status", "tidak_aktif"), nil); r.Status != http.StatusUnprocessableEntity ||
			!cmp.Equal(r.Fields(), []string{"status"}) {
			t.Errorf("PUT with a status = %d %v, want 422 naming status", r.Status, r.Fields())
		}
		r := e.Pemda.With(t).Do("PUT", path, edit, map[string]string{"If-Match": `"1"`})
		var got sentraOut
		r.Decode(t, &got)
		if r.Status != http.StatusOK || got.IKMUnits != 21 || got.Version != 2 || r.Header.Get("ETag") != `"2"` || got.Status != "aktif" {
			t.Errorf("PUT = %d %+v, ETag %s", r.Status, got, r.Header.Get("ETag"))
		}
	})

	t.Run("status", func(t *testing.T) {
		future := map[string]any{"status": "kurang_aktif", "date": "2099-01-01", "basis": "Pendataan ulang"}
		if r := e.Verifier.With(t).Do("POST", path+"/status", future, nil); r.Status != http.StatusUnprocessableEntity ||
			!cmp.Equal(r.Fields(), []string{"date"}) {
			t.Errorf("a status dated in the future = %d %v, want 422 naming date", r.Status, r.Fields())
		}
		change := map[string]any{"status": "kurang_aktif", "date": e.Store.Now().In(dak.WIB).Format("2006-01-02"), "basis": "Kunjungan lapangan",
			"note": "8 dari 15 IKM berproduksi"}
		r := e.Verifier.With(t).Do("POST", path+"/status", change, nil)
		var got sentraOut
		r.Decode(t, &got)
		if r.Status != http.StatusOK || got.Status != "kurang_aktif" || len(got.StatusHistory) != 2 ||
			got.StatusHistory[1].By != "Pengguna verifikator" || got.StatusHistory[1].Note != "8 dari 15 IKM berproduksi" {
			t.Errorf("POST status = %d %+v", r.Status, got)
		}
	})

	t.Run("list", func(t *testing.T) {
		mustSentra(t, e.Pemda, with(tapis("Sentra Kopi 100% Robusta"), "village_code", "18.71.02.1003", "commodity", "Kopi"))
		tests := []struct {
			client *apitest.Client
			query  string
			want   []string
		}{
			{e.Pemda, "", []string{"Sentra Kopi 100% Robusta", "Sentra Tenun Tapis"}},
			{e.Other, "", []string{"Sentra Kerajinan Perak"}},
			{e.Verifier, "province=73", []string{"Sentra Kerajinan Perak"}},
			{e.Verifier, "region=18.71.02", []string{"Sentra Kopi 100% Robusta"}},
			{e.Verifier, "status=kurang_aktif,tidak_aktif", []string{"Sentra Tenun Tapis"}},
			{e.Verifier, "status=aktif&status=usulan&commodity=PERAK", []string{"Sentra Kerajinan Perak"}},
			{e.Auditor, "q=" + url.QueryEscape("0%"), []string{"Sentra Kopi 100% Robusta"}},
			{e.Auditor, "q=_", nil},
			{e.Auditor, "per_page=1&page=3", []string{"Sentra Kerajinan Perak"}},
		}
		for _, tt := range tests {
			_, names := sentraTotal(t, tt.client.With(t), tt.query)
			if diff := cmp.Diff(tt.want, names); diff != "" {
				t.Errorf("GET /sentra?%s as %s (-want +got):\n%s", tt.query, tt.client.User["username"], diff)
			}
		}
		for _, q := range []string{"status=hidup", "province=18.71", "region=x", "per_page=0", "q=%00", "q=%FF", "format=pdf",
			"status=" + strings.Repeat("aktif,", 10)} {
			if r := e.Verifier.With(t).Do("GET", "/api/v1/sentra?"+q, nil, nil); r.Status != http.StatusBadRequest {
				t.Errorf("GET /sentra?%.40s = %d, want 400", q, r.Status)
			}
		}
	})

	var funded struct {
		ID       int64
		SentraID int64  `json:"sentra_id"`
		Number   string `json:"number"`
	}
	t.Run("funding across years", func(t *testing.T) {
		id := e.Create(t, "pembangunan", false)
		p := &funded
		p.ID = id
		e.Pemda.Do("GET", fmt.Sprintf("/api/v1/proposals/%d", id), nil, nil).Decode(t, p)
		if p.SentraID == 0 {
			t.Fatalf("proposal %d names no sentra", id)
		}
		r := e.Verifier.With(t).Do("GET", fmt.Sprintf("/api/v1/sentra/%d", p.SentraID), nil, nil)
		var got sentraOut
		r.Decode(t, &got)
		if r.Status != http.StatusOK || !slices.ContainsFunc(got.Funding, func(f struct {
			FiscalYear int    `json:"fiscal_year"`
			ProposalID int64  `json:"proposal_id"`
			Number     string `json:"number"`
			Menu       string `json:"menu"`
			State      string `json:"state"`
		}) bool {
			return f.ProposalID == id && f.FiscalYear == apitest.Year && f.Menu == "pembangunan" && f.Number != ""
		}) {
			t.Errorf("GET /sentra/%d = %d, funding %+v; want proposal %d", p.SentraID, r.Status, got.Funding, id)
		}
	})

	t.Run("export", func(t *testing.T) { sentraExport(t, e) })
	t.Run("pages", func(t *testing.T) { sentraPages(t, e, s.ID, funded.ID, funded.SentraID, funded.Number) })
	t.Run("import CSV", func(t *testing.T) { sentraImportCSV(t, e) })
	t.Run("import XLSX", func(t *testing.T) { sentraImportXLSX(t, e) })
}
