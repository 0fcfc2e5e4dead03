package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dakflow/internal/web/apitest"
)

// TestPageRevisionDiff: a proposal sent back with notes is edited through
// the form and resubmitted through its page; the page shows what changed
// before and after the second submission, and the reviewer's notes.
func TestPageRevisionDiff(t *testing.T) {
	env := apitest.NewEnv(t)
	id := env.Create(t, "revitalisasi", false)
	env.Pemda.MustFire(id, "submit", "", nil)
	env.Verifier.MustFire(id, "start_review", "", nil)
	env.Verifier.MustFire(id, "request_revision", "", map[string]any{"notes": []map[string]any{
		{"field": "title", "note": "Judul belum menyebut lokasi"}, {"field": "budget_lines", "note": "Harga mesin terlalu tinggi"}}})

	pemda := loggedIn(t, env, "pemda")
	path := fmt.Sprintf("/proposals/%d", id)
	if p := pemda.get(path); !strings.Contains(p.Body, "Judul belum menyebut lokasi") || !strings.Contains(p.Body, "Harga mesin terlalu tinggi") {
		t.Errorf("the proposal page does not show the reviewer's notes")
	}
	edit := pemda.get(path + "/edit")
	if edit.Status != http.StatusOK {
		t.Fatalf("edit page = %d", edit.Status)
	}
	in := apitest.ProposalInput("revitalisasi", false)
	in["title"] = "Revitalisasi Sentra IKM Tenun Tapis Kedaton"
	lines := in["budget_lines"].([]map[string]any)
	lines[1]["unit_price"] = 45_000_000
	in["budget_lines"] = append(lines[:2], lines[3]) // the IPAL line goes
	form := url.Values{"csrf_token": {edit.csrf(t)}, "version": {hidden(t, edit.Body, "version")}}
	flatten("", in, form)
	if p := pemda.post(path+"/edit", form); p.Status != http.StatusSeeOther || p.Location != path+"?saved=1" {
		t.Fatalf("save = %d %q %.400s", p.Status, p.Location, p.Body)
	}
	p := pemda.get(path)
	for _, want := range []string{"Perubahan sejak pengajuan terakhir", "Revitalisasi Sentra IKM Tenun Tapis Kedaton",
		`data-change="hapus"`, "Instalasi pengolahan air limbah", "× Rp45.000.000<", "Jumlah RAB"} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("unsubmitted changes: page lacks %q", want)
		}
	}
	p = pemda.post(path+"/events/submit", url.Values{"csrf_token": {p.csrf(t)}, "version": {p.field(t, "submit", "version")},
		"idempotency_key": {p.field(t, "submit", "idempotency_key")}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("resubmit = %d %.400s", p.Status, p.Body)
	}
	verifier := loggedIn(t, env, "verifikator")
	p = verifier.get(path)
	for _, want := range []string{"Revisi 2", "dibanding revisi 1", `data-change="ubah"`, `data-change="hapus"`} {
		if !strings.Contains(p.Body, want) {
			t.Errorf("after resubmission: page lacks %q", want)
		}
	}
	if strings.Contains(p.Body, "Perubahan sejak pengajuan terakhir") {
		t.Errorf("a submitted proposal still shows unsubmitted changes")
	}
}

// hidden reads a hidden input of a page by name.
func hidden(t *testing.T, body, name string) string {
	t.Helper()
	i := strings.Index(body, `name="`+name+`" value="`)
	if i < 0 {
		t.Fatalf("no hidden %s", name)
	}
	rest := body[i+len(`name="`+name+`" value="`):]
	return rest[:strings.IndexByte(rest, '"')]
}

// TestPageNotesAndComments fires the events that take notes or a reason
// through their forms, first incomplete, then complete.
func TestPageNotesAndComments(t *testing.T) {
	env := apitest.NewEnv(t)
	verifier := loggedIn(t, env, "verifikator")
	review := func() (int64, string, htmlPage) {
		id := env.Create(t, "revitalisasi", false)
		env.Pemda.MustFire(id, "submit", "", nil)
		env.Verifier.MustFire(id, "start_review", "", nil)
		path := fmt.Sprintf("/proposals/%d", id)
		return id, path, verifier.get(path)
	}
	form := func(p htmlPage, event string, kv ...string) url.Values {
		v := url.Values{"csrf_token": {p.csrf(t)}, "version": {p.field(t, event, "version")}}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v
	}

	id, path, p := review()
	if r := verifier.post(path+"/events/request_revision", form(p, "request_revision")); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, "sekurang-kurangnya satu catatan") {
		t.Errorf("request_revision without notes = %d, want 422 naming the missing notes", r.Status)
	}
	r := verifier.post(path+"/events/request_revision", form(p, "request_revision",
		"data.notes[0].field", "title", "data.notes[0].note", "Sebutkan lokasi",
		"data.notes[2].field", "attachments.ded", "data.notes[2].note", "DED belum ditandatangani"))
	if r.Status != http.StatusSeeOther {
		t.Fatalf("request_revision = %d %.300s", r.Status, r.Body)
	}
	events := string(env.Auditor.Do("GET", "/api/v1"+path+"/events", nil, nil).Body)
	if !strings.Contains(events, `"notes":[{"field":"title","note":"Sebutkan lokasi"},{"field":"attachments.ded","note":"DED belum ditandatangani"}]`) {
		t.Errorf("notes as stored: %s", events)
	}
	if st := env.Get(t, id)["state"]; st != "needs_revision" {
		t.Errorf("state = %v", st)
	}

	id, path, p = review()
	if r := verifier.post(path+"/events/reject", form(p, "reject")); r.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.Body, "alasan (comment) wajib diisi") {
		t.Errorf("reject without a reason = %d, want 422 next to the reason", r.Status)
	}
	if r := verifier.post(path+"/events/reject", form(p, "reject", "comment", "Sentra tidak aktif lagi")); r.Status != http.StatusSeeOther {
		t.Errorf("reject with a reason = %d", r.Status)
	}
	if st := env.Get(t, id)["state"]; st != "rejected" {
		t.Errorf("state = %v, want rejected", st)
	}
	if body := verifier.get(path).Body; !strings.Contains(body, "Sentra tidak aktif lagi") || !strings.Contains(body, "data-no-actions") {
		t.Errorf("rejected proposal page lacks the reason or still offers actions")
	}
}
