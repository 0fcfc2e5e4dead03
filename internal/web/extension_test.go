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
	if r := e.Pemda.Fire(id, "extend_deadline", "tolong", map[string]any{"stage": 1, "until": "2027-09-30"}, nil); r.Status != http.StatusForbidden {
		t.Errorf("pemda extending = %d, want 403", r.Status)
	}
	res := e.Approver.MustFire(id, "extend_deadline", "Lelang ulang karena gagal tender", map[string]any{"stage": 1, "until": "2027-09-30"})
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
	if got := dak.FormatDateTime(deadline); got != "30 September 2027 pukul 23.59 WIB" {
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
		"data.stage": {"1"}, "data.until": {"2027-09-30"}}
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
