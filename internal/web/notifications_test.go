package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"dakflow/internal/store"
	"dakflow/internal/web/apitest"
)

// notificationList is GET /notifications as the test reads it.
type notificationList struct {
	Items []struct {
		ID         int64   `json:"id"`
		Kind       string  `json:"kind"`
		ProposalID *int64  `json:"proposal_id"`
		Message    string  `json:"message"`
		ReadAt     *string `json:"read_at"`
	} `json:"items"`
	Total int64 `json:"total"`
}

func unreadOf(t *testing.T, c *apitest.Client) notificationList {
	t.Helper()
	var l notificationList
	r := c.Do("GET", "/api/v1/notifications?unread=1", nil, nil)
	if r.Status != http.StatusOK {
		t.Fatalf("GET /notifications?unread=1 = %d %s", r.Status, r.Body)
	}
	r.Decode(t, &l)
	return l
}

// told reports how many unread notifications of kind about proposal id c has.
func told(t *testing.T, c *apitest.Client, id int64, kind string) int {
	t.Helper()
	n := 0
	for _, it := range unreadOf(t, c).Items {
		if it.ProposalID != nil && *it.ProposalID == id && it.Kind == kind {
			n++
		}
	}
	return n
}

// TestNotificationsWhoMustActNext: each event tells exactly the people the
// workflow says act next (PRODUCT.md §10): the verifiers' pool after a
// submission, the pemda of the region (not another region's) after a
// revision request, the approvers after a recommendation; nobody after
// start_review (the claimed proposal waits for its reviewer, who fired it);
// a refused event tells nobody. Then the read API, the badge and the list
// in the pages, and the mail switch.
func TestNotificationsWhoMustActNext(t *testing.T) {
	e := apitest.NewEnv(t)
	id := e.Create(t, "revitalisasi", false)
	everyone := map[string]*apitest.Client{"pemda": e.Pemda, "pemda-lain": e.Other, "verifikator": e.Verifier,
		"verifikator2": e.Verifier2, "penetap": e.Approver, "penetap2": e.Approver2, "perbendaharaan": e.Treasury,
		"auditor": e.Auditor, "admin": e.Admin}
	expect := func(step, kind string, who ...string) {
		t.Helper()
		for name, c := range everyone {
			want := 0
			for _, w := range who {
				if w == name {
					want = 1
				}
			}
			if got := told(t, c, id, kind); got != want {
				t.Errorf("after %s: %s has %d notifications %q, want %d", step, name, got, kind, want)
			}
		}
	}

	e.Pemda.MustFire(id, "submit", "", nil)
	expect("submit", "submit", "verifikator", "verifikator2")
	l := unreadOf(t, e.Verifier)
	number := e.Get(t, id)["number"].(string)
	if msg := l.Items[0].Message; !strings.Contains(msg, "Usulan "+number+" menunggu tindakan Anda: Mulai penilaian") {
		t.Errorf("message = %q, want the proposal's number and what waits", msg)
	}

	e.Verifier.MustFire(id, "start_review", "", nil)
	expect("start_review", "start_review")

	// Refused: the approver may not recommend; a verifier's recommend
	// without its data fails its guards. Neither writes a notification.
	before := unreadOf(t, e.Approver).Total + unreadOf(t, e.Pemda).Total
	if r := e.Approver.Fire(id, "recommend", "", nil, nil); r.Status != http.StatusForbidden {
		t.Fatalf("recommend as approver = %d, want 403", r.Status)
	}
	if r := e.Verifier.Fire(id, "recommend", "", map[string]any{"recommended_amount": 1}, nil); r.Status < 400 {
		t.Fatalf("recommend without checklist = %d, want a refusal", r.Status)
	}
	if after := unreadOf(t, e.Approver).Total + unreadOf(t, e.Pemda).Total; after != before {
		t.Errorf("refused events wrote %d notifications", after-before)
	}

	e.Verifier.MustFire(id, "request_revision", "", map[string]any{"notes": []map[string]any{{"field": "title", "note": "Perjelas judul"}}})
	expect("request_revision", "request_revision", "pemda")

	e.Pemda.MustFire(id, "submit", "", nil)
	e.Verifier.MustFire(id, "start_review", "", nil)
	e.Verifier.MustFire(id, "recommend", "", map[string]any{"recommended_amount": apitest.SmallAllocation,
		"amount_reason": apitest.AmountReason, "checklist": e.Checklist()})
	expect("recommend", "recommend", "penetap", "penetap2")

	// Reading: one's own (200, read_at set, and no longer unread), not
	// another's (404), then all.
	mine := unreadOf(t, e.Verifier)
	theirs := unreadOf(t, e.Approver).Items[0].ID
	r := e.Verifier.Do("POST", fmt.Sprintf("/api/v1/notifications/%d/read", mine.Items[0].ID), nil, nil)
	if r.Status != http.StatusOK || r.JSON()["read_at"] == nil {
		t.Errorf("read own = %d %s", r.Status, r.Body)
	}
	if got := unreadOf(t, e.Verifier).Total; got != mine.Total-1 {
		t.Errorf("unread after reading one = %d, want %d", got, mine.Total-1)
	}
	if r := e.Verifier.Do("POST", fmt.Sprintf("/api/v1/notifications/%d/read", theirs), nil, nil); r.Status != http.StatusNotFound {
		t.Errorf("read another's = %d, want 404", r.Status)
	}
	if unreadOf(t, e.Approver).Total == 0 {
		t.Error("the approver's notification was marked read by another")
	}
	var all notificationList
	e.Verifier.Do("GET", "/api/v1/notifications?per_page=1", nil, nil).Decode(t, &all)
	if all.Total != mine.Total || len(all.Items) != 1 {
		t.Errorf("GET /notifications?per_page=1 = %d items of %d, want 1 of %d", len(all.Items), all.Total, mine.Total)
	}
	if r := e.Verifier.Do("GET", "/api/v1/notifications?unread=2", nil, nil); r.Status != http.StatusBadRequest {
		t.Errorf("unread=2 = %d, want 400", r.Status)
	}

	// The badge and the list in the pages, and "tandai dibaca".
	page := loggedIn(t, e, "penetap")
	home := page.get("/")
	if !strings.Contains(home.Body, `data-notifications="1"`) || !strings.Contains(home.Body, `data-unread>1<`) {
		t.Errorf("home of the approver has no badge with 1 unread")
	}
	list := page.get("/notifikasi")
	if list.Status != http.StatusOK || !strings.Contains(list.Body, number) || !strings.Contains(list.Body, "tandai dibaca") {
		t.Fatalf("/notifikasi = %d, without the notification of %s", list.Status, number)
	}
	if res := page.post(fmt.Sprintf("/notifikasi/%d/baca", theirs), url.Values{"csrf_token": {list.csrf(t)}}); res.Status != http.StatusSeeOther {
		t.Errorf("tandai dibaca = %d, want 303", res.Status)
	}
	if home := page.get("/"); !strings.Contains(home.Body, `data-notifications="0"`) {
		t.Error("the badge still counts a notification marked read")
	}

	if r := e.Verifier2.Do("POST", "/api/v1/notifications/read-all", nil, nil); r.Status != http.StatusOK || r.JSON()["read"] != float64(2) {
		t.Errorf("read-all = %d %s, want 2 read", r.Status, r.Body)
	}
	checkNotificationSettings(t, e)
}

// checkNotificationSettings: a user switches mail off; a body without the
// switch is 422 naming it, and so is an administrator's bad address.
func checkNotificationSettings(t *testing.T, e *apitest.Env) {
	t.Helper()
	if me := e.Pemda.Do("GET", "/api/v1/me", nil, nil).JSON(); me["email_notifications"] != true {
		t.Errorf("a new account's email_notifications = %v, want true", me["email_notifications"])
	}
	r := e.Pemda.Do("PUT", "/api/v1/me/notifications", map[string]any{"email": false}, nil)
	if r.Status != http.StatusOK || r.JSON()["email_notifications"] != false {
		t.Errorf("PUT /me/notifications false = %d %s", r.Status, r.Body)
	}
	if me := e.Pemda.Do("GET", "/api/v1/me", nil, nil).JSON(); me["email_notifications"] != false {
		t.Errorf("after switching off, email_notifications = %v", me["email_notifications"])
	}
	r = e.Pemda.Do("PUT", "/api/v1/me/notifications", map[string]any{}, nil)
	if f := r.Fields(); r.Status != http.StatusUnprocessableEntity || len(f) != 1 || f[0] != "email" {
		t.Errorf("PUT /me/notifications {} = %d %v, want 422 naming email", r.Status, f)
	}
	r = e.Admin.Do("POST", "/api/v1/users", map[string]any{"username": "surel", "role": "auditor", "password": apitest.Password,
		"email": "bukan alamat"}, nil)
	if f := r.Fields(); r.Status != http.StatusUnprocessableEntity || len(f) != 1 || f[0] != "email" {
		t.Errorf("POST /users with a bad email = %d %v, want 422 naming email", r.Status, f)
	}
}

// authzNotifications gives every account of the authorization matrix a
// notification of its own, for the routes that take one's id.
func authzNotifications(t *testing.T, e *apitest.Env) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, c := range []*apitest.Client{e.Pemda, e.Other, e.Verifier, e.Approver, e.Treasury, e.Auditor, e.Admin} {
		userID := int64(c.User["id"].(float64))
		name := c.User["username"].(string)
		err := e.Store.InTx(context.Background(), func(tx *store.Tx) error {
			return tx.AddNotifications([]store.NewNotification{{UserID: userID, Kind: "matriks", Message: "Uji matriks"}})
		})
		if err != nil {
			t.Fatal(err)
		}
		ns, _, err := e.Store.Notifications(context.Background(), userID, true, 1, 1)
		if err != nil || len(ns) == 0 {
			t.Fatalf("notification of %s: %v", name, err)
		}
		out[name] = ns[0].ID
	}
	return out
}
