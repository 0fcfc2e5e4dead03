package web_test

import (
	"fmt"
	"net/http"
	"testing"

	"dakflow/internal/store/dbtest"
	"dakflow/internal/web/apitest"
)

// TestDatabaseDownIs503: while PostgreSQL refuses connections the API
// answers 503 (never 500) and /readyz says so; when it is back the service
// recovers by itself.
func TestDatabaseDownIs503(t *testing.T) {
	e := apitest.NewEnv(t)
	id := e.Create(t, "revitalisasi", false)
	restore, ok := dbtest.Outage(t, e.Store)
	if !ok {
		t.Skip("the embedded SQLite database cannot be down apart from the server; PostgreSQL run covers this")
	}
	path := fmt.Sprintf("/api/v1/proposals/%d", id)
	for _, p := range []string{path, "/api/v1/proposals"} {
		if r := e.Auditor.Do("GET", p, nil, nil); r.Status != http.StatusServiceUnavailable {
			t.Errorf("GET %s with the database down = %d %s, want 503", p, r.Status, r.Body)
		}
	}
	resp, err := http.Get(e.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz with the database down = %d, want 503", resp.StatusCode)
	}
	restore()
	if r := e.Auditor.Do("GET", path, nil, nil); r.Status != http.StatusOK {
		t.Errorf("GET %s after the database is back = %d %s", path, r.Status, r.Body)
	}
}
