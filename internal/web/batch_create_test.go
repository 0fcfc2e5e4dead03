package web_test

import (
	"net/http"
	"testing"
	"time"

	"dakflow/internal/web/apitest"
)

// TestBatchedCreations: drafts filed at the same moment share commits (their
// numbers come from one counter row per year, held from the draw to the
// commit), stay numbered without gap, and a draft refused inside the shared
// transaction — the second of two pembangunan of one new sentra — fails
// alone and returns its number.
func TestBatchedCreations(t *testing.T) {
	env := apitest.NewEnv(t)
	// Batching is opportunistic: requests that arrive while a commit runs
	// share the next one. On a loaded machine the 14 may happen to arrive
	// one after another, so the filing is tried up to three times.
	batched := false
	for attempt := 1; attempt <= 3 && !batched; attempt++ {
		var calls []concCall
		for range 12 {
			calls = append(calls, concCall{client: env.Pemda, method: "POST", path: "/api/v1/proposals",
				body: env.OwnSentraInput(t, "pembangunan", false)})
		}
		twice := env.OwnSentraInput(t, "pembangunan", false)
		calls = append(calls, concCall{client: env.Pemda, method: "POST", path: "/api/v1/proposals", body: twice},
			concCall{client: env.Pemda, method: "POST", path: "/api/v1/proposals", body: twice})
		out := concAtOnce(t, env.URL, calls)

		created, refused := 0, 0
		at := map[time.Time]int{}
		for i, r := range out {
			switch r.Status {
			case http.StatusCreated:
				created++
				var p struct {
					CreatedAt time.Time `json:"created_at"`
				}
				r.Decode(t, &p)
				at[p.CreatedAt]++
			case http.StatusUnprocessableEntity:
				refused++
				if i < 12 {
					t.Errorf("draft %d of its own sentra refused: %s", i, r.Body)
				}
			default:
				t.Errorf("create %d = %d %s", i, r.Status, r.Body)
			}
		}
		if created != 13 || refused != 1 {
			t.Errorf("%d created and %d refused, want 13 and the second filing of one sentra refused", created, refused)
		}
		batched = len(at) < created
		if !batched {
			t.Logf("attempt %d: the %d drafts committed one by one", attempt, created)
		}
	}
	concCheckNumbers(t, env)
	if !batched {
		t.Errorf("drafts filed at once committed one by one in three attempts, want batches")
	}
}
