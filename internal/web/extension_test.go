package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/web/apitest"
)

// TestExtensionDefersLapse: an approver extends the deadline of the stage
// due next; the extension is on the trail, the state does not move, and the
// scheduler lapses the proposal only after the new deadline.
func TestExtensionDefersLapse(t *testing.T) {
	e := apitest.NewEnv(t)
	id := e.Create(t, "pembangunan", false)
	e.WalkTo(t, id, false, "rk_approved")
	before := e.Get(t, id)
	data := map[string]any{"stage": 1, "until": "2027-09-30", "legal_basis": extensionBasis}
	if r := e.Pemda.Fire(id, "extend_deadline", "tolong", data, nil); r.Status != http.StatusForbidden {
		t.Errorf("pemda extending = %d, want 403", r.Status)
	}
	res := e.Approver.MustFire(id, "extend_deadline", "Lelang ulang karena gagal tender", data)
	p := res["proposal"].(map[string]any)
	if p["state"] != "rk_approved" || p["version"].(float64) != before["version"].(float64)+1 {
		t.Errorf("after extension: state %v version %v, want rk_approved and one version more", p["state"], p["version"])
	}
	ev := res["event"].(map[string]any)
	if ev["event"] != "extend_deadline" || ev["from"] != "rk_approved" || ev["to"] != "rk_approved" || ev["comment"] == "" {
		t.Errorf("extension event = %v", ev)
	}
	stage := p["disbursement"].(map[string]any)["stages"].([]any)[0].(map[string]any)
	deadline, _ := time.Parse(time.RFC3339, stage["deadline"].(string))
	if got := dak.FormatDateTime(deadline); got != "30 September 2027 pukul 17.00 WIB" {
		t.Errorf("new deadline = %s", got)
	}
	ctx := context.Background()
	at := func(s string) {
		v, _ := time.Parse(time.RFC3339, s)
		e.Store.SetClock(func() time.Time { return v })
	}
	defer e.Store.SetClock(time.Now)
	at("2027-08-01T00:00:00Z") // past the original 22 July deadline
	if n, err := e.Engine.LapseDue(ctx); err != nil || n != 0 {
		t.Fatalf("LapseDue before the extended deadline = %d, %v; want 0", n, err)
	}
	at("2027-10-01T00:00:00Z")
	if n, err := e.Engine.LapseDue(ctx); err != nil || n != 1 {
		t.Fatalf("LapseDue after the extended deadline = %d, %v; want 1", n, err)
	}
	e.Store.SetClock(time.Now) // the test's sessions live in the present
	if st := e.Get(t, id)["state"]; st != "lapsed" {
		t.Errorf("state = %v, want lapsed", st)
	}
	var events struct {
		Items []struct{ Event string } `json:"items"`
	}
	e.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/events", id), nil, nil).Decode(t, &events)
	last := events.Items[len(events.Items)-2:]
	if last[0].Event != "extend_deadline" || last[1].Event != "lapse" {
		t.Errorf("trail ends with %v, want extend_deadline then lapse", last)
	}
}

// TestPageExtension: the approver extends a deadline through the proposal
// page's form.
func TestPageExtension(t *testing.T) {
	e := apitest.NewEnv(t)
	id := e.Create(t, "pembangunan", false)
	e.WalkTo(t, id, false, "rk_approved")
	approver := loggedIn(t, e, "penetap")
	path := fmt.Sprintf("/proposals/%d", id)
	p := approver.get(path)
	if !strings.Contains(p.Body, `data-event="extend_deadline"`) {
		t.Fatalf("the approver's page offers no extend_deadline button")
	}
	form := url.Values{"csrf_token": {p.csrf(t)}, "version": {p.field(t, "extend_deadline", "version")},
		"data.stage": {"1"}, "data.until": {"2027-09-30"}, "data.legal_basis": {extensionBasis}}
	if r := approver.post(path+"/events/extend_deadline", form); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "wajib diisi") {
		t.Errorf("extension without a reason = %d, want 422", r.Status)
	}
	form.Set("comment", "Gagal tender, lelang ulang")
	if r := approver.post(path+"/events/extend_deadline", form); r.Status != http.StatusSeeOther {
		t.Fatalf("extension = %d %.300s", r.Status, r.Body)
	}
	if body := approver.get(path).Body; !strings.Contains(body, "30 September 2027") {
		t.Errorf("the page does not show the new deadline")
	}
}

// extensionBasis is the legal basis an approver gives for an extension.
const extensionBasis = "Surat Direktur Jenderal Perimbangan Keuangan Nomor S-214/PK/2027"

// TestExtensionLetter: extend_deadline issues surat_perpanjangan_batas_waktu
// to the head of region, stating the stage, the deadline before and after,
// the legal basis and the reason, signed by the approver (a Direktur, so
// a.n. the Direktur Jenderal); without a legal basis it is refused.
func TestExtensionLetter(t *testing.T) {
	e := apitest.NewEnv(t)
	id := e.Create(t, "pembangunan", false)
	e.WalkTo(t, id, false, "rk_approved")
	deadline := func(p map[string]any) time.Time {
		st := p["disbursement"].(map[string]any)["stages"].([]any)[0].(map[string]any)
		d, err := time.Parse(time.RFC3339, st["deadline"].(string))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	old := deadline(e.Get(t, id))
	r := e.Approver.Fire(id, "extend_deadline", "Gagal tender", map[string]any{"stage": 1, "until": "2027-09-30"}, nil)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), "data.legal_basis") {
		t.Errorf("extension without a legal basis = %d %s, want 422 naming data.legal_basis", r.Status, r.Body)
	}
	res := e.Approver.MustFire(id, "extend_deadline", "Pekerjaan gedung dilelang ulang karena tender pertama gagal",
		map[string]any{"stage": 1, "until": "2027-09-30", "legal_basis": extensionBasis})
	doc, ok := res["document"].(map[string]any)
	if !ok || doc["kind"] != "surat_perpanjangan_batas_waktu" {
		t.Fatalf("extension document = %v, want surat_perpanjangan_batas_waktu", res["document"])
	}
	newDeadline := deadline(res["proposal"].(map[string]any))
	pdf := e.Pemda.Do("GET", fmt.Sprintf("/api/v1/documents/%d/pdf", int64(doc["id"].(float64))), nil, nil)
	if pdf.Status != http.StatusOK {
		t.Fatalf("GET pdf = %d", pdf.Status)
	}
	text := strings.Join(strings.Fields(pdfText(t, pdf.Body)), " ")
	for _, want := range []string{
		"Persetujuan Perpanjangan Batas Waktu Penyampaian Dokumen Penyaluran DAK Fisik Bidang IKM",
		"dokumen persyaratan penyaluran sekaligus, yang", // one stage: no "Tahap I"
		"Yth. Wali Kota Bandar Lampung",
		"semula " + dak.FormatDateTime(old) + ", diperpanjang menjadi " + dak.FormatDateTime(newDeadline),
		"ditetapkan berdasarkan " + extensionBasis,
		"Pekerjaan gedung dilelang ulang karena tender pertama gagal",
		"a.n. Direktur Jenderal Industri Kecil, Menengah, dan Aneka Direktur Industri Kecil dan Menengah Kimia, Sandang, dan Kerajinan",
		"Pengguna penetap", "NIP " + apitest.NIP,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("letter lacks %q:\n%s", want, text)
		}
	}
	if dak.FormatDateTime(old) == dak.FormatDateTime(newDeadline) {
		t.Errorf("deadline did not move: %s", dak.FormatDateTime(old))
	}
}
