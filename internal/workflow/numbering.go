package workflow

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/document"
)

// DefaultNumberPattern numbers every kind unless configured otherwise.
// {KIND} keeps kinds apart, since each kind counts on its own per year.
const DefaultNumberPattern = "B-{seq}/IKMA/DAK.{KIND}/{MM}/{YYYY}"

// Numbering holds the number pattern of each document kind (configurable);
// placeholders: {seq}, {KIND}, {MM}, {ROMAN} (month), {YYYY}.
type Numbering map[string]string

// ParseNumbering reads "kind=pattern;kind=pattern" (DAKFLOW_NUMBER_PATTERNS);
// the kind "*" sets the default. Each kind counts on its own from 1 every
// year, so a pattern that could print the same number twice is refused
// here, at start-up, rather than as a 409 on the second document: every
// pattern needs {seq} and {YYYY}; the default, shared by kinds, needs
// {KIND}; a kind's own pattern without {KIND} must differ from every other
// pattern. The error lists every problem.
func ParseNumbering(s string) (Numbering, error) {
	n := Numbering{}
	var errs []error
	for _, part := range strings.Split(s, ";") {
		if strings.TrimSpace(part) == "" {
			continue
		}
		kind, pattern, ok := strings.Cut(part, "=")
		kind, pattern = strings.TrimSpace(kind), strings.TrimSpace(pattern)
		switch {
		case !ok || (kind != "*" && !isKind(kind)):
			errs = append(errs, fmt.Errorf("number pattern %q: want kind=pattern, kind a document kind or *", part))
		case !strings.Contains(pattern, "{seq}") || !strings.Contains(pattern, "{YYYY}"):
			errs = append(errs, fmt.Errorf("number pattern %q: needs {seq} and {YYYY} (numbers restart each year)", part))
		case kind == "*" && !strings.Contains(pattern, "{KIND}"):
			errs = append(errs, fmt.Errorf("number pattern %q: the default needs {KIND} (each kind counts on its own)", part))
		default:
			n[kind] = pattern
		}
	}
	for kind, pattern := range n {
		if kind == "*" || strings.Contains(pattern, "{KIND}") {
			continue
		}
		for other, p := range n {
			if other != kind && p == pattern {
				errs = append(errs, fmt.Errorf("number patterns of %s and %s are the same without {KIND}", kind, other))
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return n, nil
}

// Format writes the number of the seq-th document of kind issued at t.
func (n Numbering) Format(kind string, seq int64, t time.Time) string {
	pattern := n[kind]
	if pattern == "" {
		pattern = n["*"]
	}
	if pattern == "" {
		pattern = DefaultNumberPattern
	}
	t = t.In(dak.WIB)
	return strings.NewReplacer("{seq}", strconv.FormatInt(seq, 10), "{KIND}", kindCode(kind),
		"{MM}", dak.Month2(t), "{ROMAN}", dak.RomanMonth(t), "{YYYY}", strconv.Itoa(t.Year())).Replace(pattern)
}

// kindCode is the short code of a document kind in its numbers.
func kindCode(kind string) string {
	code, _ := document.KindCode(kind)
	return code
}

// isKind reports whether kind is a document kind.
func isKind(kind string) bool {
	_, known := document.KindCode(kind)
	return known
}
