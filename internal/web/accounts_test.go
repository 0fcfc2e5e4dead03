package web_test

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/web/apitest"
)

func TestLoginAndTokens(t *testing.T) {
	e := apitest.NewEnv(t)
	anon := apitest.Anonymous(t, e.URL)
	r := anon.Do("POST", "/api/v1/auth/login", map[string]string{"username": "pemda", "password": apitest.Password}, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("login = %d %s", r.Status, r.Body)
	}
	body := r.JSON()
	if body["token"] == "" || body["expires_at"] == nil || body["user"].(map[string]any)["region_code"] != "18.71" {
		t.Errorf("login body = %s", r.Body)
	}
	if me := e.Pemda.Do("GET", "/api/v1/me", nil, nil); me.Status != http.StatusOK {
		t.Errorf("GET /me = %d", me.Status)
	}
	if r := anon.Do("GET", "/api/v1/me", nil, map[string]string{"Authorization": "Bearer " + "tidak-sah"}); r.Status != http.StatusUnauthorized {
		t.Errorf("bad token = %d, want 401", r.Status)
	}
	// Wrong passwords: 401, then 429 after five failures.
	for i := 1; i <= 6; i++ {
		r := anon.Do("POST", "/api/v1/auth/login", map[string]string{"username": "auditor", "password": "salah-sandi-xx"}, nil)
		want := http.StatusUnauthorized
		if i == 6 {
			want = http.StatusTooManyRequests
		}
		if r.Status != want {
			t.Errorf("failed login %d = %d, want %d", i, r.Status, want)
		}
	}
	// Tokens expire: move the clock past the session's lifetime.
	e.Store.SetClock(func() time.Time { return time.Now().Add(13 * time.Hour) })
	if r := e.Verifier.Do("GET", "/api/v1/me", nil, nil); r.Status != http.StatusUnauthorized {
		t.Errorf("expired token = %d, want 401", r.Status)
	}
	e.Store.SetClock(func() time.Time { return time.Now() })
	// Logout ends the session.
	if r := e.Approver.Do("POST", "/api/v1/auth/logout", nil, nil); r.Status != http.StatusNoContent {
		t.Errorf("logout = %d", r.Status)
	}
	if r := e.Approver.Do("GET", "/api/v1/me", nil, nil); r.Status != http.StatusUnauthorized {
		t.Errorf("after logout = %d, want 401", r.Status)
	}
	// A disabled account's sessions end at once.
	u, err := e.Store.Users(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, acc := range u {
		if acc.Username == "perbendaharaan2" {
			acc.Disabled = true
			if err := e.Store.UpdateUser(context.Background(), acc, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	if r := e.Treasury2.Do("GET", "/api/v1/me", nil, nil); r.Status != http.StatusUnauthorized {
		t.Errorf("disabled user = %d, want 401", r.Status)
	}
}

func TestCreateUser(t *testing.T) {
	e := apitest.NewEnv(t)
	good := map[string]any{"username": "pemda.palembang", "password": "sandi-yang-panjang", "role": "pemda", "region_code": "16.71",
		"full_name": "Rahmawati, S.E.", "nip": "197805122003122001", "position": "Kepala Dinas Perindustrian Kota Palembang"}
	if r := e.Pemda.Do("POST", "/api/v1/users", good, nil); r.Status != http.StatusForbidden {
		t.Errorf("pemda creating a user = %d, want 403", r.Status)
	}
	r := e.Admin.Do("POST", "/api/v1/users", good, nil)
	if r.Status != http.StatusCreated || r.JSON()["role"] != string(dak.RolePemda) {
		t.Fatalf("POST /users = %d %s", r.Status, r.Body)
	}
	if _, ok := r.JSON()["password_hash"]; ok {
		t.Error("the response leaks the password hash")
	}
	apitest.Login(t, e.URL, "pemda.palembang", "sandi-yang-panjang")
	if r := e.Admin.Do("POST", "/api/v1/users", good, nil); r.Status != http.StatusConflict {
		t.Errorf("duplicate username = %d, want 409", r.Status)
	}
	bad := map[string]any{"username": "x", "password": "pendek", "role": "raja", "region_code": "99.99"}
	r = e.Admin.Do("POST", "/api/v1/users", bad, nil)
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad user = %d, want 422", r.Status)
	}
	got := map[string]bool{}
	for _, f := range r.Fields() {
		got[f] = true
	}
	for _, f := range []string{"username", "password", "role"} {
		if !got[f] {
			t.Errorf("bad user: field %q not named in %s", f, r.Body)
		}
	}
	if r := e.Admin.Do("POST", "/api/v1/users", map[string]any{"username": "pemda.x", "password": "sandi-yang-panjang", "role": "pemda", "region_code": "18.71.01"}, nil); r.Status != http.StatusUnprocessableEntity {
		t.Errorf("pemda bound to a kecamatan = %d, want 422", r.Status)
	}
}

// TestRevisionsAndEditing: content is editable only while draft or
// needs_revision, each submission freezes a revision, and list filters work.
func TestRevisionsAndEditing(t *testing.T) {
	e := apitest.NewEnv(t)
	id := e.Create(t, "revitalisasi", true)
	path := "/api/v1/proposals/" + itoa(id)
	get := e.Pemda.Do("GET", path, nil, nil)
	etag := get.Header.Get("ETag")
	in := apitest.ProposalInput("revitalisasi", true)
	in["title"] = "Revitalisasi Sentra IKM Tenun Tapis Tahap Dua"
	if r := e.Pemda.Do("PUT", path, in, map[string]string{"If-Match": etag}); r.Status != http.StatusOK {
		t.Fatalf("PUT = %d %s", r.Status, r.Body)
	}
	if r := e.Pemda.Do("PUT", path, in, map[string]string{"If-Match": etag}); r.Status != http.StatusPreconditionFailed {
		t.Errorf("PUT with the old ETag = %d, want 412", r.Status)
	}
	e.Pemda.MustFire(id, "submit", "", nil)
	if r := e.Pemda.Do("PUT", path, in, nil); r.Status != http.StatusConflict {
		t.Errorf("PUT on a submitted proposal = %d, want 409", r.Status)
	}
	e.Verifier.MustFire(id, "start_review", "", nil)
	e.Verifier.MustFire(id, "request_revision", "", map[string]any{"notes": []map[string]any{{"field": "sentra.ikm_units", "note": "Jumlah IKM perlu dibuktikan"}}})
	in["sentra"].(map[string]any)["ikm_units"] = 20
	if r := e.Pemda.Do("PUT", path, in, nil); r.Status != http.StatusOK {
		t.Fatalf("PUT in needs_revision = %d %s", r.Status, r.Body)
	}
	e.Pemda.MustFire(id, "submit", "", nil)
	var revs struct {
		Items []struct {
			Number  int `json:"number"`
			Content struct {
				Sentra struct {
					IKMUnits int `json:"ikm_units"`
				} `json:"sentra"`
			} `json:"content"`
		} `json:"items"`
		Total int `json:"total"`
	}
	e.Verifier.Do("GET", path+"/revisions", nil, nil).Decode(t, &revs)
	if revs.Total != 2 || revs.Items[0].Content.Sentra.IKMUnits != 15 || revs.Items[1].Content.Sentra.IKMUnits != 20 {
		t.Errorf("revisions = %+v, want 2 frozen snapshots (15 then 20 IKM)", revs)
	}
	// Filters and paging.
	e.Create(t, "pembangunan", false)
	for _, tc := range []struct {
		query string
		total float64
	}{
		{"", 2}, {"?state=submitted", 1}, {"?menu=pembangunan", 1}, {"?region=18", 2}, {"?region=73", 0},
		{"?q=tahap%20dua", 1}, {"?fiscal_year=2027&per_page=1&page=2", 2},
	} {
		r := e.Auditor.Do("GET", "/api/v1/proposals"+tc.query, nil, nil)
		if r.Status != http.StatusOK || r.JSON()["total"] != tc.total {
			t.Errorf("GET /proposals%s = %d total %v, want %v", tc.query, r.Status, r.JSON()["total"], tc.total)
		}
	}
	if r := e.Auditor.Do("GET", "/api/v1/proposals?per_page=abc", nil, nil); r.Status != http.StatusBadRequest {
		t.Errorf("per_page=abc = %d, want 400", r.Status)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestCreateUserSignerFields: an account of a role that signs documents
// (pemda, verifier, approver, treasury) needs a name, an 18-digit NIP and a
// position; POST /api/v1/users refuses it otherwise with a 422 naming each
// missing field. Auditors and administrators sign nothing.
func TestCreateUserSignerFields(t *testing.T) {
	e := apitest.NewEnv(t)
	user := func(name, role string, change map[string]any) map[string]any {
		u := map[string]any{"username": name, "password": "sandi-yang-panjang", "role": role,
			"full_name": "Dewi Lestari, S.T.", "nip": "198502142010122003", "position": "Verifikator Direktorat Jenderal Industri Kecil, Menengah, dan Aneka"}
		if role == "pemda" {
			u["region_code"], u["position"] = "16.71", "Kepala Dinas Perindustrian Kota Palembang"
		}
		for k, v := range change {
			if v == nil {
				delete(u, k)
			} else {
				u[k] = v
			}
		}
		return u
	}
	for _, tc := range []struct {
		name, role string
		change     map[string]any
		want       []string // fields named in a 422; none: 201
	}{
		{"verifier", "verifier", nil, nil},
		{"verifier without NIP", "verifier", map[string]any{"nip": nil}, []string{"nip"}},
		{"pemda without NIP and position", "pemda", map[string]any{"nip": nil, "position": nil}, []string{"nip", "position"}},
		{"approver with a short NIP", "approver", map[string]any{"nip": "19800101200501100"}, []string{"nip"}},
		{"treasury with a NIP that is no date", "treasury", map[string]any{"nip": "198013452005011001"}, []string{"nip"}},
		{"approver without position", "approver", map[string]any{"position": "  "}, []string{"position"}},
		{"treasury without a name", "treasury", map[string]any{"full_name": nil}, []string{"full_name"}},
		{"auditor without NIP", "auditor", map[string]any{"nip": nil, "position": nil}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := strings.ReplaceAll(tc.name, " ", "-")
			r := e.Admin.Do("POST", "/api/v1/users", user(name, tc.role, tc.change), nil)
			if len(tc.want) == 0 {
				if r.Status != http.StatusCreated {
					t.Errorf("POST /users = %d %s, want 201", r.Status, r.Body)
				}
				return
			}
			if r.Status != http.StatusUnprocessableEntity {
				t.Fatalf("POST /users = %d %s, want 422", r.Status, r.Body)
			}
			if got := r.Fields(); !slices.Equal(got, tc.want) {
				t.Errorf("fields named = %v, want %v", got, tc.want)
			}
		})
	}
}
