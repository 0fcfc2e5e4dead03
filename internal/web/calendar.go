package web

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/store"
)

// calendarInput is the "calendar" of PUT /fiscal-years/{year}: each
// instant "YYYY-MM-DDTHH:MM" (WIB) or RFC 3339. A field left out keeps
// what the year has (a new year: the workflow file's default); "" removes
// the limit.
type calendarInput struct {
	SubmissionOpens  *string           `json:"submission_opens"`
	SubmissionCloses *string           `json:"submission_closes"`
	RKDeadline       *string           `json:"rk_deadline"`
	StageDeadlines   map[string]string `json:"stage_deadlines"`
}

// parseInstant reads an instant of the calendar: "2026-11-22T23:59" or
// "2026-11-22 23:59" in WIB, or RFC 3339 with its offset.
func parseInstant(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, dak.WIB); err == nil {
			return t.UTC(), nil
		}
	}
	t, err := time.Parse(time.RFC3339, s)
	return t.UTC(), err
}

const instantFormat = "tanggal dan jam harus berformat YYYY-MM-DDTHH:MM (WIB), mis. 2026-11-22T23:59"

// fiscalYearCalendar is the calendar a PUT of year leaves: the year's
// stored one (the workflow's defaults for a year not opened yet) with in
// applied. closes is the submission deadline to store: the calendar's,
// unless the older submission_deadline field was given (legacy: when
// neither is given on an existing year, closes is nil as it always was).
// Every bad field is added to errs.
func (s *Server) fiscalYearCalendar(ctx context.Context, year int, in *calendarInput, legacy *time.Time, errs *dak.Fields) (dak.Calendar, *time.Time, error) {
	def := s.engine.Current()
	cal := def.DefaultCalendar(year)
	fy, err := s.store.FiscalYear(ctx, year)
	existing := err == nil
	switch {
	case existing:
		cal = fy.Calendar
	case !errors.Is(err, dak.ErrNotFound):
		return cal, nil, err
	}
	if in == nil {
		in = &calendarInput{}
	}
	set := func(field string, v *string, dst **time.Time) {
		if v == nil {
			return
		}
		if *v == "" {
			*dst = nil
			return
		}
		t, err := parseInstant(*v)
		switch {
		case err != nil:
			errs.Add("calendar."+field, "%s, dalam tahun %d–%d", instantFormat, year-5, year+5)
			return
		case t.Year() < year-5 || t.Year() > year+5:
			// Read, but far from the year: said without the API's format,
			// which a page's user did not type.
			errs.Add("calendar."+field, "%s di luar tahun %d–%d", dak.FormatDateTime(t), year-5, year+5)
			return
		}
		*dst = &t
	}
	set("submission_opens", in.SubmissionOpens, &cal.SubmissionOpens)
	set("submission_closes", in.SubmissionCloses, &cal.SubmissionCloses)
	set("rk_deadline", in.RKDeadline, &cal.RKDeadline)
	stages := def.StageNumbers()
	if len(in.StageDeadlines) > len(stages) {
		errs.Add("calendar.stage_deadlines", "paling banyak %d tahap", len(stages))
	} else {
		for key, v := range in.StageDeadlines {
			n, err := strconv.Atoi(key)
			if err != nil || !slices.Contains(stages, n) {
				errs.Add("calendar.stage_deadlines", "nomor tahap harus salah satu dari %s", joinInts(stages))
				continue
			}
			if cal.StageDeadlines == nil {
				cal.StageDeadlines = map[int]time.Time{}
			}
			var at *time.Time
			if old, ok := cal.StageDeadlines[n]; ok {
				at = &old
			}
			set("stage_deadlines."+key, &v, &at)
			if at == nil {
				delete(cal.StageDeadlines, n)
			} else {
				cal.StageDeadlines[n] = *at
			}
		}
	}
	closes := cal.SubmissionCloses
	switch {
	case legacy != nil && in.SubmissionCloses == nil:
		closes = legacy
	case legacy == nil && existing && in.SubmissionCloses == nil && len(*errs) == 0 && !calendarGiven(in):
		closes = nil
	}
	cal.SubmissionCloses = closes
	if o, c := cal.SubmissionOpens, closes; !existing && in.SubmissionOpens == nil && o != nil && c != nil && !o.Before(*c) {
		// A new year given only a close before the default opening: the
		// admin's close stands, without the default window around it.
		cal.SubmissionOpens = nil
	}
	if o, c := cal.SubmissionOpens, cal.SubmissionCloses; o != nil && c != nil && !o.Before(*c) {
		errs.Add("calendar.submission_closes", "penutupan pengajuan harus setelah pembukaannya (%s)", dak.FormatDateTime(*o))
	}
	return cal, closes, nil
}

// calendarGiven reports whether the request said anything of the calendar.
func calendarGiven(in *calendarInput) bool {
	return in.SubmissionOpens != nil || in.SubmissionCloses != nil || in.RKDeadline != nil || len(in.StageDeadlines) > 0
}

func joinInts(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ", ")
}

// proposalDeadlines are the deadlines a proposal in its state waits on,
// from its year's calendar and its stages: the submission window while it
// may still be submitted, the RK deadline while its RK is still to
// submit, its next stage's document deadline while a stage is due. Which
// applies is read from the definition's events from the state.
func (s *Server) proposalDeadlines(ctx context.Context, p dak.Proposal) ([]dak.Deadline, error) {
	d, ok := s.engine.Definition(p.Workflow)
	if !ok {
		return nil, nil
	}
	var submits, rk, stage bool
	for _, ev := range d.Events {
		if slices.Contains(ev.From, p.State) {
			submits = submits || ev.Checks("before_deadline")
			rk = rk || ev.Runs("record_rk")
			stage = stage || ev.Runs("request_stage")
		}
	}
	var out []dak.Deadline
	if stage {
		if st := p.NextStage(); st != nil && len(p.Stages) > 0 {
			out = append(out, dak.Deadline{Kind: dak.StageDeadlineKind(st.Number), Label: fmt.Sprintf("Batas dokumen tahap %d", st.Number), At: st.Deadline})
		}
	}
	if !submits && !rk {
		return out, nil
	}
	fy, err := s.store.FiscalYear(ctx, p.FiscalYear)
	if errors.Is(err, dak.ErrNotFound) {
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	for _, dl := range fy.Calendar.Deadlines() {
		switch {
		case submits && dl.Kind == "submission_opens" && s.store.Now().Before(dl.At),
			submits && dl.Kind == "submission_closes", rk && dl.Kind == "rk":
			out = append(out, dl)
		}
	}
	return out, nil
}

// setYear stores the ceilings and the calendar (fiscalYearCalendar) of
// one request in one transaction, for the API and the admin's page; the
// stages planned with the workflow file's default deadlines move with
// the calendar as those planned with the year's own.
func (s *Server) setYear(ctx context.Context, b store.Budget, cal dak.Calendar) (dak.FiscalYear, int, error) {
	planned := s.engine.Current().DefaultCalendar(b.Year).StageDeadlines
	return s.store.SetYear(ctx, store.YearChange{Budget: b, Calendar: cal, PlannedDeadlines: planned})
}
