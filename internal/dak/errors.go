package dak

import (
	"errors"
	"fmt"
	"strings"
)

// Error kinds. Every failure dakflow reports is one of these, so that each
// interface (HTTP, CLI) translates kinds to its own vocabulary in one place.
var (
	ErrInvalid         = errors.New("invalid input")          // 422 with fields, 400 without
	ErrRule            = errors.New("rule not satisfied")     // 422: a workflow guard failed
	ErrNotFound        = errors.New("not found")              // 404, also for what the caller may not see
	ErrConflict        = errors.New("conflict")               // 409: wrong state or a concurrent change
	ErrForbidden       = errors.New("forbidden")              // 403: the role may not
	ErrUnauthenticated = errors.New("unauthenticated")        // 401
	ErrPrecondition    = errors.New("precondition failed")    // 412: stale If-Match
	ErrTooLarge        = errors.New("too large")              // 413
	ErrUnsupported     = errors.New("unsupported media type") // 415
	ErrTooMany         = errors.New("too many attempts")      // 429
	// ErrIntegrity: the stored audit trail disagrees with its own hashes,
	// or the database refused a change to an append-only table (500; an
	// operator must look, PRODUCT.md §5).
	ErrIntegrity = errors.New("audit trail integrity failure")
	// ErrUnavailable: the service cannot do it now, e.g. a download whose
	// line in the access log could not be written (503; try again).
	ErrUnavailable = errors.New("temporarily unavailable")
	// ErrMalformed: the input cannot be read as what was asked for — a body
	// that is not the JSON expected, a query parameter that is not a number,
	// a field an event does not take — so no rule was judged (400, not the
	// 422 of ErrInvalid with fields). It is a kind of ErrInvalid:
	// errors.Is(err, ErrInvalid) holds for it too.
	ErrMalformed error = &subKind{msg: "malformed input", parent: ErrInvalid}
)

// subKind is an error kind that refines another, so that a caller asking
// for the broader kind finds it too.
type subKind struct {
	msg    string
	parent error
}

func (k *subKind) Error() string { return k.msg }

// Unwrap lets errors.Is match the broader kind.
func (k *subKind) Unwrap() error { return k.parent }

// FieldError names one offending field by its JSON path, e.g. "sentra.village_code".
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	// Guard names the workflow guard that failed, for a 422.
	Guard string `json:"guard,omitempty"`
	// Row, Column and Reason name a bad cell of an imported spreadsheet
	// (its row number, its column's header, why), Field being the cell
	// ("C5") and Message the reason again.
	Row    int    `json:"row,omitempty"`
	Column string `json:"column,omitempty"`
	Reason string `json:"reason,omitempty"`
	// Sheet names the workbook's sheet of a bad cell when a file has
	// several (a proposal import: "Usulan", "RAB").
	Sheet string `json:"sheet,omitempty"`
}

// Error is a failure of a known kind with details a user can act on.
type Error struct {
	Kind   error
	Detail string
	Fields []FieldError
	// Extra carries kind-specific facts for the client, such as the current
	// state and allowed events of a 409.
	Extra map[string]any
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Detail)
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Message)
	}
	return b.String()
}

// Unwrap lets errors.Is match the kind.
func (e *Error) Unwrap() error { return e.Kind }

// Errorf builds an *Error of the given kind.
func Errorf(kind error, format string, args ...any) *Error {
	return &Error{Kind: kind, Detail: fmt.Sprintf(format, args...)}
}

// Fields collects field errors while validating input; Err returns nil when
// nothing was added, so a validator can report every problem at once.
type Fields []FieldError

// Add records that field is wrong and why.
func (f *Fields) Add(field, format string, args ...any) {
	*f = append(*f, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Err returns the collected problems as one ErrInvalid error, or nil.
func (f Fields) Err(detail string) error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Kind: ErrInvalid, Detail: detail, Fields: f}
}

// AsError returns the *Error inside err, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
