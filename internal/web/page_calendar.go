package web

import (
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
)

// calendarLine is one deadline of a fiscal year or a proposal as a page
// shows it.
type calendarLine struct {
	Kind, Label, At string
	Passed          bool
}

func calendarLinesOf(ds []dak.Deadline, now time.Time) []calendarLine {
	out := make([]calendarLine, len(ds))
	for i, d := range ds {
		out[i] = calendarLine{Kind: d.Kind, Label: d.Label, At: dak.FormatDateTime(d.At), Passed: now.After(d.At)}
	}
	return out
}

// calendarFormFields are the calendar's fields of the admin's fiscal-year
// form, by name, with the part of calendarInput each sets.
var calendarFormFields = []string{"calendar.submission_opens", "calendar.submission_closes", "calendar.rk_deadline",
	"calendar.stage_deadlines.1", "calendar.stage_deadlines.2", "calendar.stage_deadlines.3"}

// calendarForm reads the calendar fields of the admin's form: a blank
// field leaves the year's value (a new year: the workflow's default). A
// date and hour is read as officers write it ("31 Maret 2027 23.59",
// formDateTime); what cannot be read is added to errs and left out.
func calendarForm(c echo.Context, errs *dak.Fields) (*calendarInput, map[string]string) {
	in := &calendarInput{StageDeadlines: map[string]string{}}
	typed := map[string]string{}
	for _, name := range calendarFormFields {
		v := c.FormValue(name)
		typed[name] = v
		if strings.TrimSpace(v) == "" {
			continue
		}
		var ok bool
		if v, ok = formDateTime(errs, name, v); !ok {
			continue
		}
		switch name {
		case "calendar.submission_opens":
			in.SubmissionOpens = &v
		case "calendar.submission_closes":
			in.SubmissionCloses = &v
		case "calendar.rk_deadline":
			in.RKDeadline = &v
		default:
			in.StageDeadlines[name[len("calendar.stage_deadlines."):]] = v
		}
	}
	return in, typed
}
