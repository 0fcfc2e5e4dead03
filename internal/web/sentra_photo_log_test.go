package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"dakflow/internal/web/apitest"
)

// TestSentraPhotoAccessLog: a use report's photo is an official file like
// a document (issue 11, PRODUCT.md §5): each download, through the API or
// the page, is in the access log with who, when, the photo and its
// sentra, shown on the page with its Indonesian label and a link to the
// sentra; when the line cannot be written the photo is not sent.
func TestSentraPhotoAccessLog(t *testing.T) {
	e := apitest.NewEnv(t)
	s := mustSentra(t, e.Pemda, tapis("Sentra Tenun Tapis Foto"))
	rid, pid := authzReport(t, e, s.ID, e.Pemda)
	api := fmt.Sprintf("/api/v1/sentra/%d/reports/%d/photos/%d", s.ID, rid, pid)
	if r := e.Verifier.Do("GET", api, nil, map[string]string{"X-Forwarded-For": "203.0.113.9"}); r.Status != http.StatusOK {
		t.Fatalf("GET %s = %d %s", api, r.Status, r.Body)
	}
	page := fmt.Sprintf("/sentra/%d/laporan/%d/foto/%d", s.ID, rid, pid)
	if p := loggedIn(t, e, "pemda").get(page); p.Status != http.StatusOK {
		t.Fatalf("GET %s = %d", page, p.Status)
	}
	// Refused downloads are not downloads.
	if r := e.Other.Do("GET", api, nil, nil); r.Status != http.StatusNotFound {
		t.Fatalf("GET %s by another region's pemda = %d, want 404", api, r.Status)
	}

	r := e.Auditor.Do("GET", "/api/v1/access-log", nil, nil)
	var body struct {
		Items []struct {
			accessLine
			SentraID   *int64 `json:"sentra_id"`
			SentraName string `json:"sentra_name"`
		} `json:"items"`
		Total int64 `json:"total"`
	}
	r.Decode(t, &body)
	type row struct {
		User, Role, Action, Object string
		ID, Sentra                 int64
		Name, Claim                string
		Proposal                   *int64
	}
	var got []row
	for _, a := range body.Items {
		var sid int64
		if a.SentraID != nil {
			sid = *a.SentraID
		}
		if a.At.IsZero() || time.Since(a.At) > time.Minute {
			t.Errorf("line %+v: want a download just now", a)
		}
		got = append(got, row{a.User, a.Role, a.Action, a.ObjectType, a.ObjectID, sid, a.SentraName, a.ForwardedFor, a.ProposalID})
	}
	want := []row{ // newest first
		{"pemda", "pemda", "download", "sentra_photo", pid, s.ID, "Sentra Tenun Tapis Foto", "", nil},
		{"verifikator", "verifier", "download", "sentra_photo", pid, s.ID, "Sentra Tenun Tapis Foto", "203.0.113.9", nil},
	}
	if diff := cmp.Diff(want, got); r.Status != http.StatusOK || diff != "" || body.Total != 2 {
		t.Errorf("access log = %d, total %d (-want +got):\n%s", r.Status, body.Total, diff)
	}

	p := loggedIn(t, e, "auditor").get("/access-log")
	href := fmt.Sprintf(`<a href="/sentra/%d">Foto laporan pemanfaatan sentra</a>`, s.ID)
	if p.Status != http.StatusOK || strings.Count(p.Body, `data-object-type="sentra_photo"`) != 2 || strings.Count(p.Body, href) != 2 ||
		!strings.Contains(p.Body, "data-access-sentra>Sentra Tenun Tapis Foto<") {
		t.Errorf("access-log page = %d, want both photo downloads labelled and linked to sentra %d:\n%s", p.Status, s.ID, p.Body)
	}

	// No line, no photo.
	if err := e.Store.Exec(context.Background(), `ALTER TABLE access_log RENAME TO access_log_hilang`); err != nil {
		t.Fatal(err)
	}
	if r := e.Verifier.Do("GET", api, nil, nil); r.Status != http.StatusServiceUnavailable || strings.Contains(string(r.Body), "JFIF") {
		t.Errorf("GET %s without an access log = %d, want 503 without the photo", api, r.Status)
	}
}

// TestSentraRegistrationRaceCase: two registrations of one name in one
// desa differing only in case, sent at once, never both get in (issue 11:
// the database's key ignores case since migration 0017): one is 201, the
// other the 422 on name that names the first, never a 500. Each round
// sends its pair at the same moment, so that on PostgreSQL they pass the
// store's check together and meet at the unique index.
func TestSentraRegistrationRaceCase(t *testing.T) {
	e := apitest.NewEnv(t)
	for round := range 6 {
		names := []string{fmt.Sprintf("Sentra Tenun %c", 'A'+round), fmt.Sprintf("SENTRA TENUN %c", 'A'+round)}
		if round%2 == 1 {
			names[0], names[1] = strings.ToLower(names[0]), names[0]
		}
		clients := []*apitest.Client{e.Pemda, e.Verifier}
		results := make([]apitest.Response, 2)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				results[i] = clients[i].Do("POST", "/api/v1/sentra", tapis(names[i]), nil)
			}()
		}
		close(start)
		wg.Wait()
		var won, lost []int
		for i, r := range results {
			switch r.Status {
			case http.StatusCreated:
				won = append(won, i)
			case http.StatusUnprocessableEntity:
				lost = append(lost, i)
			default:
				t.Errorf("round %d: POST %q = %d %s, want 201 or 422", round, names[i], r.Status, r.Body)
			}
		}
		if len(won) != 1 || len(lost) != 1 {
			t.Errorf("round %d: %d of %q saved, want exactly one", round, len(won), names)
			continue
		}
		winner := results[won[0]].JSON()
		loser := results[lost[0]]
		msg := fmt.Sprintf("sudah memiliki sentra bernama %q (sentra %d)", winner["name"], int64(winner["id"].(float64)))
		if fields := loser.Fields(); !cmp.Equal(fields, []string{"name"}) || !strings.Contains(fmt.Sprint(loser.JSON()["errors"]), msg) {
			t.Errorf("round %d: the loser's answer = %v %s, want 422 on name containing %s", round, fields, loser.Body, msg)
		}
	}
	if n, _ := sentraTotal(t, e.Auditor, "q=tenun"); n != 6 {
		t.Errorf("%d sentra named Sentra Tenun …, want 6", n)
	}
}
