package apitest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// recorder is a testing.TB that keeps the failures it is told of.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// TestCheckContract shows that a call which departs from the description
// fails the test that made it, and that one which keeps to it does not: a
// server stub answers each call as the case says.
func TestCheckContract(t *testing.T) {
	const problem = `{"type":"/problems/invalid-input","title":"Permintaan tidak valid","status":400}`
	tests := []struct {
		name         string
		method, path string
		body         any
		status       int
		contentType  string
		answer       string
		want         string // in the failure; "" for none
	}{
		{"keeps to it", "GET", "/api/v1/trail-key", nil, 200, "application/json",
			`{"algorithm":"Ed25519","key_id":"dakflow-1","public_key":"AAAA"}`, ""},
		{"bad request refused", "POST", "/api/v1/auth/login", map[string]any{"username": "a", "password": "b", "extra": 1},
			400, "application/problem+json", problem, ""},
		{"unknown route answered 404", "GET", "/api/v1/nothing", nil, 404, "application/problem+json",
			`{"type":"about:blank","title":"Not Found","status":404}`, ""},
		{"wrong type", "GET", "/api/v1/trail-key", nil, 200, "application/json",
			`{"algorithm":"Ed25519","key_id":7,"public_key":"AAAA"}`, "does not describe"},
		{"field not described", "GET", "/api/v1/trail-key", nil, 200, "application/json",
			`{"algorithm":"Ed25519","key_id":"k","public_key":"AAAA","secret":"x"}`, "does not describe"},
		{"status not described", "GET", "/api/v1/trail-key", nil, 418, "application/problem+json",
			`{"type":"about:blank","title":"I'm a teapot","status":418}`, "does not describe"},
		{"content type not described", "GET", "/api/v1/trail-key", nil, 200, "text/plain", "Ed25519", "does not describe"},
		{"bad request accepted", "POST", "/api/v1/auth/login", map[string]any{"username": "a", "password": "b", "extra": 1},
			200, "application/json", `{}`, "the request does not match"},
		{"operation not described", "GET", "/api/v1/nothing", nil, 200, "application/json", `{}`, "no such operation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tt.contentType)
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.answer))
			}))
			defer srv.Close()
			rec := &recorder{TB: t}
			Anonymous(rec, srv.URL).Do(tt.method, tt.path, tt.body, nil)
			got := strings.Join(rec.errs, "\n")
			switch {
			case tt.want == "" && got != "":
				t.Errorf("%s %s answered %d %s: failed with %s, want no failure", tt.method, tt.path, tt.status, tt.answer, got)
			case tt.want != "" && !strings.Contains(got, tt.want):
				t.Errorf("%s %s answered %d %s: failed with %q, want a failure saying %q", tt.method, tt.path, tt.status, tt.answer, got, tt.want)
			}
		})
	}
}
