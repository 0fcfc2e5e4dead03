package web_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"dakflow/internal/store/dbtest"
	"dakflow/internal/web/apitest"
)

// TestDatabaseDownIs503: while PostgreSQL refuses connections the API
// answers 503 (never 500) and /readyz says so; when it is back the service
// recovers by itself. The outage is logged as one WARN line per 10 s with
// a count, not as an ERROR per request.
func TestDatabaseDownIs503(t *testing.T) {
	var logs apitest.LogBuffer
	e := apitest.NewEnvLog(t, slog.New(slog.NewJSONHandler(&logs, nil)))
	id := e.Create(t, "revitalisasi", false)
	restore, ok := dbtest.Outage(t, e.Store)
	if !ok {
		t.Skip("the embedded SQLite database cannot be down apart from the server; PostgreSQL run covers this")
	}
	path := fmt.Sprintf("/api/v1/proposals/%d", id)
	for range 5 {
		for _, p := range []string{path, "/api/v1/proposals"} {
			if r := e.Auditor.Do("GET", p, nil, nil); r.Status != http.StatusServiceUnavailable {
				t.Errorf("GET %s with the database down = %d %s, want 503", p, r.Status, r.Body)
			}
		}
	}
	if n := strings.Count(logs.String(), `"msg":"service unavailable"`); n != 1 {
		t.Errorf("10 answers 503 in a row logged %d WARN lines, want 1:\n%s", n, logs.String())
	}
	if strings.Contains(logs.String(), `"level":"ERROR"`) {
		t.Errorf("the outage was logged at ERROR:\n%s", logs.String())
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
