package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"dakflow/internal/store/dbtest"
	"dakflow/internal/web/apitest"
)

// TestTamperedEventShowsRecord: an attacker with the database owner's
// rights switches the append-only triggers off and rewrites an event's
// actor and comment. The API answers with the hashed record's values and
// marks the event "mismatch"; the proposal page shows the record's values
// under a red warning and never the forged ones.
func TestTamperedEventShowsRecord(t *testing.T) {
	e := apitest.NewEnv(t)
	id := e.Create(t, "revitalisasi", false)
	e.Pemda.MustFire(id, "submit", "", nil)
	e.Verifier.MustFire(id, "start_review", "Mulai diperiksa", nil)

	dbtest.Attack(t, e.Store).Exec(`UPDATE events SET actor_name = 'Pejabat Palsu', comment = 'Disetujui tanpa syarat'
		WHERE proposal_id = ? AND seq = 2`, id)

	var got struct {
		Items []struct {
			Seq       int      `json:"seq"`
			Actor     string   `json:"actor"`
			Comment   string   `json:"comment"`
			Integrity string   `json:"integrity"`
			Mismatch  []string `json:"mismatch"`
		} `json:"items"`
	}
	r := e.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/events", id), nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET events = %d %s", r.Status, r.Body)
	}
	r.Decode(t, &got)
	if len(got.Items) != 2 {
		t.Fatalf("GET events has %d items, want 2", len(got.Items))
	}
	if ev := got.Items[0]; ev.Integrity != "ok" || ev.Mismatch != nil {
		t.Errorf("event 1 integrity = %q %q, want ok", ev.Integrity, ev.Mismatch)
	}
	ev := got.Items[1]
	if ev.Actor != "Pengguna verifikator" || ev.Comment != "Mulai diperiksa" {
		t.Errorf("event 2 shows actor %q, comment %q; want the record's", ev.Actor, ev.Comment)
	}
	if diff := cmp.Diff([]string{"actor_name", "comment"}, ev.Mismatch); ev.Integrity != "mismatch" || diff != "" {
		t.Errorf("event 2 integrity = %q, mismatch (-want +got):\n%s", ev.Integrity, diff)
	}

	page := loggedIn(t, e, "auditor").get(fmt.Sprintf("/proposals/%d", id))
	if page.Status != http.StatusOK {
		t.Fatalf("GET proposal page = %d", page.Status)
	}
	for _, want := range []string{`data-integrity="mismatch"`, "Peringatan integritas jejak audit", "Catatan peristiwa nomor 2",
		"Tidak cocok dengan catatan yang di-hash: actor_name, comment", "Mulai diperiksa", "Pengguna verifikator"} {
		if !strings.Contains(page.Body, want) {
			t.Errorf("proposal page lacks %q", want)
		}
	}
	for _, forged := range []string{"Pejabat Palsu", "Disetujui tanpa syarat"} {
		if strings.Contains(page.Body, forged) {
			t.Errorf("proposal page shows the forged %q", forged)
		}
	}
}
