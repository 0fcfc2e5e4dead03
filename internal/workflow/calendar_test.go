package workflow

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// TestCalendarCheckAndReminderDays: `workflow check` refuses a calendar
// block that cannot be read or whose window closes before it opens, and
// reminder days out of range or repeated; the reminder due is the
// closest one covering the time left.
func TestCalendarCheckAndReminderDays(t *testing.T) {
	data, err := os.ReadFile("../../workflows/dak-fisik-ikm.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ from, to, want string }{
		{`rk_deadline: {at: "02-28 23:59"}`, `rk_deadline: {at: "02-30 23:59"}`, "calendar.rk_deadline"},
		{`submission_opens: {at: "06-01 00:00", year_before: true}`, `submission_opens: {at: "12-01 00:00", year_before: true}`, "submission_opens must come before"},
		{"reminder_days: [7, 1]", "reminder_days: [7, 0, 7]", "reminder_days: 0 must be"},
		{"reminder_days: [7, 1]", "reminder_days: [7, 0, 7]", "reminder_days: 7 twice"},
	} {
		_, err := Parse([]byte(strings.Replace(string(data), c.from, c.to, 1)))
		var ce *CheckError
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: Parse = %v, want a problem %q", c.to, err, c.want)
		}
	}
	d, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	cal := d.DefaultCalendar(2027)
	if got := cal.SubmissionCloses.Format(time.RFC3339); got != "2026-11-22T16:59:00Z" {
		t.Errorf("default close = %s", got)
	}
	for _, c := range []struct {
		left time.Duration
		want int
		ok   bool
	}{{8 * 24 * time.Hour, 0, false}, {7 * 24 * time.Hour, 7, true}, {2 * 24 * time.Hour, 7, true}, {23 * time.Hour, 1, true}} {
		if n, ok := reminderDays([]int{7, 1}, c.left); n != c.want || ok != c.ok {
			t.Errorf("reminderDays(%v) = %d, %v; want %d, %v", c.left, n, ok, c.want, c.ok)
		}
	}
}
