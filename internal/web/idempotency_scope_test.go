package web_test

import (
	"net/http"
	"testing"

	"dakflow/internal/web/apitest"
)

// TestIdempotencyKeyLeaksNothing: a pemda reusing one of its
// Idempotency-Keys on another region's proposal gets 404, exactly as for a
// proposal that does not exist — never "key already used", which would
// tell that the proposal exists.
func TestIdempotencyKeyLeaksNothing(t *testing.T) {
	e := apitest.NewEnv(t)
	own := e.Create(t, "revitalisasi", false)
	key := map[string]string{"Idempotency-Key": "ajukan-sekali-1"}
	if r := e.Pemda.Fire(own, "submit", "", nil, key); r.Status != http.StatusOK {
		t.Fatalf("submit = %d %s", r.Status, r.Body)
	}
	r := e.Other.Do("POST", "/api/v1/proposals", makassarInput(t), nil)
	if r.Status != http.StatusCreated {
		t.Fatalf("create in 73.71 = %d %s", r.Status, r.Body)
	}
	theirs := int64(r.JSON()["id"].(float64))
	for name, id := range map[string]int64{"another region's": theirs, "missing": theirs + 1000} {
		r := e.Pemda.Fire(id, "submit", "", nil, key)
		if r.Status != http.StatusNotFound {
			t.Errorf("%s proposal with a used key = %d %s, want 404", name, r.Status, r.Body)
		}
	}
	// The key still replays on its own proposal.
	if r := e.Pemda.Fire(own, "submit", "", nil, key); r.Status != http.StatusOK {
		t.Errorf("replay on the own proposal = %d %s", r.Status, r.Body)
	}
}
