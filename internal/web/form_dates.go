package web

import (
	"slices"
	"strings"

	"dakflow/internal/dak"
)

// Dates on the pages (issue 12): every date field is a text field that
// takes a date as an officer writes it — "31-03-2027", "31/03/2027",
// "31 Maret 2027", "2027-03-31" — read by dak.ParseFormDate in the form
// handlers, turned into the API's YYYY-MM-DD for the same input structs,
// and shown back in words ("31 Maret 2027"). app.js previews the date in
// words as it is typed; without it the server does everything. The API
// keeps to YYYY-MM-DD (dak.ParseDate).

// formDate reads the date field path of a page form. It returns the date
// as the API carries it (YYYY-MM-DD), "" for a blank field, and the text
// as typed, with the problem added to errs, for one that is not a date:
// callers let the parse error stand for the field (shapeErrors,
// checkRegistry, withParsed), so it is named once, with the hint.
func formDate(errs *dak.Fields, path, typed string) string {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return ""
	}
	d, err := dak.ParseFormDate(typed)
	if err != nil {
		errs.Add(path, "%v", err)
		return typed
	}
	return d.Format("2006-01-02")
}

// formDateTime reads a date-and-hour field of a page form
// (dak.ParseFormDateTime) as the API's "YYYY-MM-DDTHH:MM" in WIB; what
// the API itself reads (RFC 3339) passes as typed; anything else is added
// to errs and left out ("", false).
func formDateTime(errs *dak.Fields, path, typed string) (string, bool) {
	typed = strings.TrimSpace(typed)
	if t, err := dak.ParseFormDateTime(typed); err == nil {
		return t.In(dak.WIB).Format("2006-01-02T15:04"), true
	} else if _, ierr := parseInstant(typed); ierr != nil {
		errs.Add(path, "%v", err)
		return "", false
	}
	return typed, true
}

// formDateValue is the value a date field of kind "date" or "datetime"
// shows: a date the form reads, typed or stored, in words ("31 Maret
// 2027", "31 Maret 2027 23.59"), anything else as it was typed, so that
// a refused form comes back with the user's own text to correct.
func formDateValue(kind, s string) string {
	switch kind {
	case "date":
		if d, err := dak.ParseFormDate(s); err == nil {
			return dak.FormatDate(d)
		}
	case "datetime":
		if t, err := dak.ParseFormDateTime(s); err == nil {
			return dak.FormatDate(t) + " " + strings.TrimSuffix(dak.FormatTime(t), " WIB")
		}
	}
	return s
}

// dateInput is a date field of a page whose markup is its own (the filter
// bars, the status form): template "date_input" with the id it has.
func dateInput(id, name, value string, errs fieldErrors) formField {
	return formField{Kind: "date", ID: id, Name: name, Value: formDateValue("date", value), Error: errs.For(name)}
}

// IsDate reports whether the field takes a date, and template "field"
// draws it with "date_input".
func (f formField) IsDate() bool { return f.Kind == "date" || f.Kind == "datetime" }

// DateHint is the example under a date field.
func (f formField) DateHint() string {
	if f.Kind == "datetime" {
		return dak.FormDateTimeHint
	}
	return dak.FormDateHint
}

// withParsed joins the fields a page could not read (parsed) with the
// error of the domain's check of the rest (checked), each field named
// once, the parse error first: one round trip shows every mistake.
func withParsed(parsed dak.Fields, checked error, detail string) error {
	if len(parsed) == 0 {
		return checked
	}
	out := slices.Clone(parsed)
	if de, ok := dak.AsError(checked); ok {
		for _, f := range de.Fields {
			if !slices.ContainsFunc(parsed, func(e dak.FieldError) bool { return e.Field == f.Field }) {
				out = append(out, f)
			}
		}
	}
	return out.Err(detail)
}
