package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"dakflow/internal/web/apitest"
	"dakflow/internal/web/openapi"
)

// TestMain runs the package's tests, then says how many API calls the
// suite held to the OpenAPI description (apitest.checkContract).
func TestMain(m *testing.M) {
	code := m.Run()
	if missed, total := apitest.ContractCoverage(); total > 0 {
		fmt.Fprintf(os.Stderr, "openapi: %d API calls validated against openapi.yaml (%d bad requests refused as described), reaching %d of its %d operations\n",
			apitest.ContractStats.Requests.Load(), apitest.ContractStats.Refused.Load(), total-len(missed), total)
		if len(missed) > 0 {
			fmt.Fprintf(os.Stderr, "openapi: not reached: %s\n", strings.Join(missed, ", "))
		}
	}
	os.Exit(code)
}

// TestOpenAPIRoutes holds the description and the route table to each
// other (issue 10, item 6): every route under /api/v1 has its operation in
// openapi.yaml and every operation there is a route, so neither can gain
// or lose one alone. The description itself must be valid OpenAPI 3, and
// served as it is written.
func TestOpenAPIRoutes(t *testing.T) {
	e := apitest.NewEnv(t)
	doc, _ := apitest.Contract(t)
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.yaml is not valid OpenAPI: %v", err)
	}
	described := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			described[method+" "+echoPath(path)] = true
		}
	}
	registered := map[string]bool{}
	for _, r := range e.Server.Routes() {
		if r.Method == echo.RouteNotFound { // a group's catch-all
			continue
		}
		key := r.Method + " " + r.Path
		registered[key] = true
		if strings.HasPrefix(r.Path, "/api/v1/") && !described[key] {
			t.Errorf("route %s is not in internal/web/openapi/openapi.yaml: describe it", key)
		}
	}
	for key := range described {
		if !registered[key] {
			t.Errorf("openapi.yaml describes %s, which the server does not register", key)
		}
	}

	r := apitest.Anonymous(t, e.URL).Do("GET", "/api/v1/openapi.json", nil, nil)
	if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "application/json" {
		t.Errorf("GET /api/v1/openapi.json = %d %s, want 200 application/json", r.Status, r.Header.Get("Content-Type"))
	}
	if !bytes.Equal(r.Body, openapi.JSON()) {
		t.Errorf("GET /api/v1/openapi.json served %d bytes, not the %d of openapi.JSON()", len(r.Body), len(openapi.JSON()))
	}
}

// echoPath writes an OpenAPI path as echo registers it: /a/{id} is /a/:id.
func echoPath(path string) string {
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}") {
			parts[i] = ":" + p[1:len(p)-1]
		}
	}
	return strings.Join(parts, "/")
}

// TestOpenAPIReference calls the operations that the rest of the suite
// reaches seldom or never, so that each answer is validated against the
// description at least once (apitest.ContractCoverage lists the ones no
// test reached).
func TestOpenAPIReference(t *testing.T) {
	e := apitest.NewEnv(t)
	anonymous := apitest.Anonymous(t, e.URL)
	tests := []struct {
		client *apitest.Client
		path   string
		want   int
	}{
		{anonymous, "/healthz", http.StatusOK},
		{anonymous, "/readyz", http.StatusOK},
		{anonymous, "/verify/TIDAK-ADA", http.StatusNotFound},
		{anonymous, "/api/v1/verify/TIDAK-ADA", http.StatusNotFound},
		{anonymous, "/api/v1/keys", http.StatusOK},
		{e.Pemda, "/api/v1/regions", http.StatusOK},
		{e.Pemda, "/api/v1/regions?parent=18.71", http.StatusOK},
		{e.Pemda, "/api/v1/regions?parent=18.99", http.StatusNotFound},
		{e.Pemda, "/api/v1/regions?parent=x", http.StatusBadRequest},
		{e.Pemda, "/api/v1/workflows", http.StatusOK},
		{e.Pemda, "/api/v1/workflows/tidak-ada", http.StatusNotFound},
		{e.Admin, "/api/v1/users", http.StatusOK},
		{e.Pemda, "/api/v1/users", http.StatusForbidden},
		{e.Pemda, "/api/v1/fiscal-years", http.StatusOK},
		{e.Pemda, fmt.Sprintf("/api/v1/fiscal-years/%d/summary", apitest.Year), http.StatusForbidden},
		{e.Auditor, "/api/v1/fiscal-years/2019/summary", http.StatusUnprocessableEntity},
		{e.Auditor, "/api/v1/fiscal-years/2099/summary", http.StatusNotFound},
		{e.Auditor, "/api/v1/trail-exports", http.StatusOK},
		{e.Auditor, "/api/v1/trail-exports?page=0", http.StatusBadRequest},
		{e.Auditor, "/api/v1/checkpoints/latest", http.StatusNotFound},
	}
	for _, tt := range tests {
		if r := tt.client.With(t).Do("GET", tt.path, nil, nil); r.Status != tt.want {
			t.Errorf("GET %s = %d %s, want %d", tt.path, r.Status, r.Body, tt.want)
		}
	}
}
