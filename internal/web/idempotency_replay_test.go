package web_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"dakflow/internal/web/apitest"
)

// TestIdempotentReplayRebuilt: the answer to an Idempotency-Key is rebuilt
// from the event and document the first request wrote. Retried at once it
// is the first answer byte for byte; retried after the proposal moved on,
// it names the same event and document and shows the proposal as it is
// now, and nothing is fired again.
func TestIdempotentReplayRebuilt(t *testing.T) {
	e := apitest.NewEnv(t)
	id := e.Create(t, "revitalisasi", false)
	key := map[string]string{"Idempotency-Key": "ajukan-dibangun-ulang"}
	first := e.Pemda.Fire(id, "submit", "", nil, key)
	if first.Status != http.StatusOK {
		t.Fatalf("submit = %d %s", first.Status, first.Body)
	}
	again := e.Pemda.Fire(id, "submit", "", nil, key)
	if again.Status != first.Status || string(again.Body) != string(first.Body) || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay = %d (replayed %q) %s\nfirst  = %d %s", again.Status, again.Header.Get("Idempotent-Replayed"), again.Body,
			first.Status, first.Body)
	}
	if r := e.Verifier.Fire(id, "start_review", "", nil, nil); r.Status != http.StatusOK {
		t.Fatalf("start_review = %d %s", r.Status, r.Body)
	}
	late := e.Pemda.Fire(id, "submit", "", nil, key)
	if late.Status != http.StatusOK || late.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("late replay = %d (replayed %q) %s", late.Status, late.Header.Get("Idempotent-Replayed"), late.Body)
	}
	var was, now struct {
		Proposal struct {
			State string `json:"state"`
		} `json:"proposal"`
		Event    json.RawMessage `json:"event"`
		Document json.RawMessage `json:"document"`
	}
	first.Decode(t, &was)
	late.Decode(t, &now)
	if diff := cmp.Diff(string(was.Event), string(now.Event)); diff != "" {
		t.Errorf("late replay's event differs from the first answer's (-first +late):\n%s", diff)
	}
	if diff := cmp.Diff(string(was.Document), string(now.Document)); diff != "" {
		t.Errorf("late replay's document differs from the first answer's (-first +late):\n%s", diff)
	}
	if was.Proposal.State != "submitted" || now.Proposal.State != "in_review" {
		t.Errorf("proposal state first %q, late replay %q; want submitted, then in_review as it is now", was.Proposal.State, now.Proposal.State)
	}
	if names := concEventNames(concEvents(t, e, id)); !cmp.Equal(names, []string{"submit", "start_review"}) {
		t.Errorf("events = %v, want [submit start_review]: nothing fired again", names)
	}
}
