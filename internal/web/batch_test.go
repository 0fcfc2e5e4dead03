package web_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"dakflow/internal/web/apitest"
)

// TestBatchedSubmissions: on deadline day every pemda submits at once, and
// the events that issue one kind of document commit in batches (the
// workflow's batch.go). Twelve complete proposals and one without its
// attachments are submitted at the same moment: the twelve are received,
// each with exactly one event and its receipt, numbered 1..12 without gap
// (the refused one, a part of a batch rolled back alone, returned its
// number); the incomplete one is refused with its guard named, as alone;
// and some events share a commit, which their common time shows.
func TestBatchedSubmissions(t *testing.T) {
	env := apitest.NewEnv(t)
	var ids []int64
	for range 12 {
		ids = append(ids, env.Create(t, "revitalisasi", false))
	}
	r := env.Pemda.Do("POST", "/api/v1/proposals", apitest.ProposalInput("revitalisasi", false), nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("create = %d %s", r.Status, r.Body)
	}
	incomplete := int64(r.JSON()["id"].(float64))

	var calls []concCall
	for _, id := range append(ids, incomplete) {
		calls = append(calls, concFire(env.Pemda, id, "submit", "", nil, nil))
	}
	out := concAtOnce(t, env.URL, calls)
	for i, r := range out[:len(ids)] {
		if r.Status != http.StatusOK {
			t.Errorf("submit %d = %d %s", ids[i], r.Status, r.Body)
		}
	}
	if last := out[len(ids)]; last.Status != http.StatusUnprocessableEntity || len(last.Guards()) == 0 {
		t.Errorf("submit of the incomplete proposal = %d %s, want 422 naming its guards", last.Status, last.Body)
	}

	at := map[time.Time]int{}
	for _, id := range ids {
		evs := concEvents(t, env, id)
		if len(evs) != 1 || evs[0].Event != "submit" || evs[0].DocumentID == nil {
			t.Fatalf("events of %d = %+v, want one submit with its document", id, evs)
		}
		var full []struct {
			At time.Time `json:"at"`
		}
		var list struct {
			Items *[]struct {
				At time.Time `json:"at"`
			} `json:"items"`
		}
		list.Items = &full
		env.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/events", id), nil, nil).Decode(t, &list)
		at[full[0].At]++
	}
	if evs := concEvents(t, env, incomplete); len(evs) != 0 {
		t.Errorf("the refused proposal has events %+v", evs)
	}
	concCheckNumbers(t, env)
	if len(at) == len(ids) {
		t.Errorf("twelve submissions at once committed one by one (%d distinct times), want batches", len(at))
	}
}

// TestBatchedSameProposalTwice: a batch renders each document beside the
// next event's statements and stores it after them (the workflow's
// runBatch), except when the next event is on the same proposal, whose
// chain tip the first one moves. Each of six proposals is submitted twice
// at the same moment — half of the pairs under Idempotency-Keys of their
// own, which run whole in their part — beside six other proposals: every
// pair gets one 200 and one 409, each proposal has one event and one
// receipt, its trail verifies, and the receipts are numbered 1..12.
func TestBatchedSameProposalTwice(t *testing.T) {
	env := apitest.NewEnv(t)
	var twice, once []int64
	for range 6 {
		twice = append(twice, env.Create(t, "revitalisasi", false))
		once = append(once, env.Create(t, "revitalisasi", false))
	}
	var calls []concCall
	for i, id := range twice {
		for k := range 2 {
			var h map[string]string
			if i%2 == 1 {
				h = map[string]string{"Idempotency-Key": fmt.Sprintf("dua-kali-%d-%d", id, k)}
			}
			calls = append(calls, concFire(env.Pemda, id, "submit", "", nil, h))
		}
		calls = append(calls, concFire(env.Pemda, once[i], "submit", "", nil, nil))
	}
	out := concAtOnce(t, env.URL, calls)
	for i, id := range twice {
		a, b, c := out[3*i], out[3*i+1], out[3*i+2]
		if ok := (a.Status == http.StatusOK) != (b.Status == http.StatusOK); !ok ||
			(a.Status != http.StatusConflict && b.Status != http.StatusConflict) {
			t.Errorf("proposal %d submitted twice at once = %d and %d, want one 200 and one 409 (%s / %s)", id, a.Status, b.Status, a.Body, b.Body)
		}
		if c.Status != http.StatusOK {
			t.Errorf("submit %d = %d %s", once[i], c.Status, c.Body)
		}
	}
	for _, id := range append(twice, once...) {
		concSubmittedOnce(t, env, id)
		r := env.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/trail", id), nil, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("trail of %d = %d", id, r.Status)
		}
		if err := trailConsistent(r.Body); err != nil {
			t.Errorf("trail of %d: %v", id, err)
		}
	}
	concCheckNumbers(t, env)
}
