package workflow

import (
	"context"
	"fmt"
	"slices"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/store"
)

// CalendarDefaults are the workflow file's defaults of a fiscal year's
// calendar (PRODUCT.md §10), which the admin may change per year. The
// stages' document deadlines default to parameters.bertahap (and
// .sekaligus for a single stage), so they are written once.
type CalendarDefaults struct {
	SubmissionOpens  CalendarDate `yaml:"submission_opens" json:"submission_opens"`
	SubmissionCloses CalendarDate `yaml:"submission_closes" json:"submission_closes"`
	RKDeadline       CalendarDate `yaml:"rk_deadline" json:"rk_deadline"`
}

// CalendarDate is "MM-DD HH:MM" (WIB) of the fiscal year, or of the year
// before it when YearBefore (proposals for 2027 are submitted in 2026).
// Empty: no default, the year has no such limit until the admin sets one.
type CalendarDate struct {
	At         string `yaml:"at" json:"at"`
	YearBefore bool   `yaml:"year_before" json:"year_before,omitempty"`
}

// in is the instant of the date for fiscal year year, or nil when unset.
func (c CalendarDate) in(year int) *time.Time {
	if c.At == "" {
		return nil
	}
	if c.YearBefore {
		year--
	}
	t := deadline(year, c.At)
	return &t
}

// DefaultCalendar is the calendar of fiscal year year as the file sets it.
func (d *Definition) DefaultCalendar(year int) dak.Calendar {
	c := d.Calendar
	cal := dak.Calendar{SubmissionOpens: c.SubmissionOpens.in(year), SubmissionCloses: c.SubmissionCloses.in(year),
		RKDeadline: c.RKDeadline.in(year), StageDeadlines: map[int]time.Time{}}
	if at := d.Parameters.Sekaligus.Deadline; at != "" {
		cal.StageDeadlines[1] = deadline(year, at)
	}
	for _, s := range d.Parameters.Bertahap.Stages {
		cal.StageDeadlines[s.Number] = deadline(year, s.Deadline)
	}
	return cal
}

// StageNumbers are the stage numbers a calendar may hold a deadline for.
func (d *Definition) StageNumbers() []int {
	out := []int{1}
	for _, s := range d.Parameters.Bertahap.Stages {
		if !slices.Contains(out, s.Number) {
			out = append(out, s.Number)
		}
	}
	return out
}

// MaxReminderDays caps parameters.reminder_days.
const MaxReminderDays = 90

// checkCalendar checks the calendar block and parameters.reminder_days.
func (d *Definition) checkCalendar() []string {
	var p []string
	c := d.Calendar
	for name, cd := range map[string]CalendarDate{"submission_opens": c.SubmissionOpens,
		"submission_closes": c.SubmissionCloses, "rk_deadline": c.RKDeadline} {
		if cd.At == "" {
			continue
		}
		if _, err := parseDeadline(cd.At); err != nil {
			p = append(p, fmt.Sprintf("calendar.%s: %v", name, err))
		}
	}
	if len(p) == 0 {
		cal := d.DefaultCalendar(2027)
		if o, cl := cal.SubmissionOpens, cal.SubmissionCloses; o != nil && cl != nil && !o.Before(*cl) {
			p = append(p, "calendar: submission_opens must come before submission_closes")
		}
	}
	days := d.Parameters.ReminderDays
	if len(days) > 5 {
		p = append(p, "parameters.reminder_days: at most 5 reminders")
	}
	for i, n := range days {
		if n < 1 || n > MaxReminderDays {
			p = append(p, fmt.Sprintf("parameters.reminder_days: %d must be 1 to %d", n, MaxReminderDays))
		}
		if slices.Contains(days[:i], n) {
			p = append(p, fmt.Sprintf("parameters.reminder_days: %d twice", n))
		}
	}
	return p
}

// statesOf are the source states of the current workflow's events
// matching, in the order of the file: where a proposal still waits for
// what a deadline is about.
func (d *Definition) statesOf(match func(EventDef) bool) []string {
	var out []string
	for _, ev := range d.Events {
		if !match(ev) {
			continue
		}
		for _, s := range ev.From {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// reminderDays picks, of days, the reminder due for a deadline left away
// from now: the smallest that covers it, so a deadline first seen a day
// before is reminded once (at 1), not at 7 and 1 together. ok is false
// when none covers it yet.
func reminderDays(days []int, left time.Duration) (int, bool) {
	best, ok := 0, false
	for _, n := range days {
		if left <= time.Duration(n)*24*time.Hour && (!ok || n < best) {
			best, ok = n, true
		}
	}
	return best, ok
}

// SendReminders writes a `reminder` notification (in-app, and mail when
// on) to the pemda users of each proposal whose deadline comes within
// parameters.reminder_days (PRODUCT.md §10): drafts before submission
// closes, proposals whose RK is still to submit before the RK deadline,
// and those whose next stage's documents are due. What a proposal still
// waits for is read from the definition: the states of the events that
// check before_deadline, record the RK, or request a stage. A reminder is
// recorded with its key (deadline kind, proposal, days) and the deadline's
// instant in the same transaction as its notifications, so that a rerun or
// another process never sends it twice, and a deadline that moved (an
// extension, the admin's calendar) is reminded of again. It returns how
// many reminders it sent.
func (e *Engine) SendReminders(ctx context.Context) (int, error) {
	d := e.current
	days := d.Parameters.ReminderDays
	if len(days) == 0 {
		return 0, nil
	}
	window := time.Duration(slices.Max(days)) * 24 * time.Hour
	now := e.store.Now()
	type due struct {
		kind, label string
		t           store.ReminderTarget
	}
	var all []due
	sub, err := e.store.SubmissionReminderTargets(ctx, d.statesOf(func(ev EventDef) bool { return ev.Checks("before_deadline") }), now, window)
	if err != nil {
		return 0, err
	}
	for _, t := range sub {
		all = append(all, due{"submission", "batas pengajuan usulan", t})
	}
	rk, err := e.store.RKReminderTargets(ctx, d.statesOf(func(ev EventDef) bool { return ev.Runs("record_rk") }), now, window)
	if err != nil {
		return 0, err
	}
	for _, t := range rk {
		all = append(all, due{"rk", "batas pengajuan rencana kegiatan", t})
	}
	stages, err := e.store.StageReminderTargets(ctx, d.statesOf(func(ev EventDef) bool { return ev.Runs("request_stage") }), now, window)
	if err != nil {
		return 0, err
	}
	for _, t := range stages {
		all = append(all, due{dak.StageDeadlineKind(t.Stage), fmt.Sprintf("batas dokumen tahap %d", t.Stage), t.ReminderTarget})
	}
	mail := e.mail.Load()
	sent := 0
	for _, r := range all {
		fresh := false
		n, ok := reminderDays(days, r.t.Deadline.Sub(now))
		if !ok {
			continue
		}
		err := e.store.InTx(ctx, func(tx *store.Tx) error {
			var err error
			fresh, err = tx.AddReminder(r.kind, r.t.ProposalID, n, r.t.Deadline)
			if err != nil || !fresh {
				return err
			}
			users, err := tx.UsersWithRole(dak.RolePemda, r.t.RegionCode)
			if err != nil {
				return err
			}
			msg := fmt.Sprintf("Pengingat: %s untuk usulan %s adalah %s (dalam %d hari).", r.label, r.t.Number, dak.FormatDateTime(r.t.Deadline), n)
			var out []store.NewNotification
			for _, u := range users {
				nn := store.NewNotification{UserID: u.ID, Kind: "reminder", ProposalID: &r.t.ProposalID, Message: msg}
				if mail && u.EmailNotifications && u.Email != "" {
					nn.Email = u.Email
				}
				out = append(out, nn)
			}
			if len(out) == 0 {
				return nil
			}
			return tx.AddNotifications(out)
		})
		if err != nil {
			return sent, err
		}
		if fresh {
			sent++
		}
	}
	return sent, nil
}
