package web

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

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
