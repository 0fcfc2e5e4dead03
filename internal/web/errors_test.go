package web

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
)

// TestProblemStatus: the one error table decides the status of every kind,
// with no status carried in the error: malformed input is 400, a rule a
// well-formed request broke is 422, an ErrInvalid naming no field 400.
func TestProblemStatus(t *testing.T) {
	field := []dak.FieldError{{Field: "data.amount", Message: "wajib diisi"}}
	for _, tc := range []struct {
		name string
		err  error
		want int
	}{
		{"malformed with fields", &dak.Error{Kind: dak.ErrMalformed, Detail: "data tidak valid", Fields: field}, http.StatusBadRequest},
		{"malformed, wrapped", fmt.Errorf("fire: %w", malformed("body", "bukan JSON")), http.StatusBadRequest},
		{"invalid with fields", &dak.Error{Kind: dak.ErrInvalid, Detail: "usulan tidak valid", Fields: field}, http.StatusUnprocessableEntity},
		{"invalid naming no field", dak.Errorf(dak.ErrInvalid, "Idempotency-Key sudah dipakai"), http.StatusBadRequest},
		{"invalid, bare sentinel", fmt.Errorf("parse: %w", dak.ErrInvalid), http.StatusBadRequest},
		{"rule", &dak.Error{Kind: dak.ErrRule, Fields: field}, http.StatusUnprocessableEntity},
		{"conflict", dak.Errorf(dak.ErrConflict, "status salah"), http.StatusConflict},
		{"unknown", errors.New("disk penuh"), http.StatusInternalServerError},
		// The client went away while its upload waited for its turn: not a
		// server fault (TestMemoryUnderAbuse found these logged as errors).
		{"client gone", fmt.Errorf("upload slot: %w", context.Canceled), statusClientClosed},
	} {
		p := problemFor(tc.err)
		if p.Status != tc.want {
			t.Errorf("%s: problemFor(%v).Status = %d, want %d", tc.name, tc.err, p.Status, tc.want)
		}
		if tc.want == http.StatusBadRequest && p.Type != "/problems/invalid-input" {
			t.Errorf("%s: type %q, want /problems/invalid-input", tc.name, p.Type)
		}
	}
	if !errors.Is(malformed("body", "x"), dak.ErrInvalid) {
		t.Error("ErrMalformed is not a kind of ErrInvalid: callers asking for ErrInvalid would miss it")
	}
}

// TestClientGone: whatever fails after the client went away (SQLite's
// transaction, rolled back with the request's context, answers
// sql.ErrTxDone) is 499, not a 500 logged as a server fault; the same error
// while the client waits is still a 500.
func TestClientGone(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		want int
	}{
		{"client gone", ctx, statusClientClosed},
		{"client waiting", context.Background(), http.StatusInternalServerError},
	} {
		c := echo.New().NewContext(httptest.NewRequest("POST", "/", nil).WithContext(tc.ctx), httptest.NewRecorder())
		if got := problemFor(clientGone(c, fmt.Errorf("attach: %w", sql.ErrTxDone))).Status; got != tc.want {
			t.Errorf("%s: status of sql.ErrTxDone = %d, want %d", tc.name, got, tc.want)
		}
	}
}
