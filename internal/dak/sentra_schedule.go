package dak

import (
	"fmt"
	"strings"
	"time"
)

// MonitoringParams are the rules of use after completion (PRODUCT.md §9),
// kept as parameters of the workflow file beside the regulation's other
// figures. AfterState names the state whose reaching starts the
// monitoring, so that no state name is written in Go.
type MonitoringParams struct {
	AfterState string `yaml:"monitoring_after" json:"monitoring_after"`
	// Years of semester reports after completion (default 3).
	Years int `yaml:"monitoring_years" json:"monitoring_years"`
	// GraceDays after a semester's end by which its report is due (30).
	GraceDays int `yaml:"report_grace_days" json:"report_grace_days"`
	// UnusedOccupancyPercent: a report under this occupancy, or with no
	// IKM using the facility, shows it unused (30).
	UnusedOccupancyPercent int `yaml:"unused_occupancy_percent" json:"unused_occupancy_percent"`
	// UnusedConsecutiveReports such reports in a row flag the sentra
	// tidak_dimanfaatkan (2).
	UnusedConsecutiveReports int `yaml:"unused_consecutive_reports" json:"unused_consecutive_reports"`
}

// ReportReminderDays: a report due within this many days is shown to its
// pemda as a reminder (PRODUCT.md §10 asks reminders before deadlines).
const ReportReminderDays = 30

// Problems lists what is wrong with the parameters, for the workflow
// check; the state is checked there, against the workflow's states.
func (m MonitoringParams) Problems() []string {
	var p []string
	if m.AfterState == "" {
		p = append(p, "parameters.monitoring_after must name the state that starts the monitoring")
	}
	if m.Years < 1 || m.Years > 20 {
		p = append(p, "parameters.monitoring_years must be 1 to 20")
	}
	if m.GraceDays < 0 || m.GraceDays > 180 {
		p = append(p, "parameters.report_grace_days must be 0 to 180")
	}
	if m.UnusedOccupancyPercent < 0 || m.UnusedOccupancyPercent > 100 {
		p = append(p, "parameters.unused_occupancy_percent must be 0 to 100")
	}
	if m.UnusedConsecutiveReports < 1 || m.UnusedConsecutiveReports > 2*m.Years {
		p = append(p, "parameters.unused_consecutive_reports must be at least 1 and at most the reports owed")
	}
	return p
}

// Periods are the semesters owed after a completion at completed: the
// first whole semester after it, and each after that for Years years (a
// completion on 20 May 2027 owes 2027-S2 to 2030-S1).
func (m MonitoringParams) Periods(completed time.Time) []Period {
	out := make([]Period, 0, 2*m.Years)
	for p := PeriodOf(completed).Next(); len(out) < 2*m.Years; p = p.Next() {
		out = append(out, p)
	}
	return out
}

// Due is the last day on which p's report is on time, midnight WIB:
// GraceDays after the semester's last day.
func (m MonitoringParams) Due(p Period) time.Time { return p.End().AddDate(0, 0, m.GraceDays) }

// overdue reports whether now (in WIB) is past p's last day on time.
func (m MonitoringParams) overdue(p Period, now time.Time) bool {
	return !now.Before(m.Due(p).AddDate(0, 0, 1))
}

// CheckPeriod is why p cannot be reported for a sentra completed at
// completed ("" when it can): before the monitoring or after it, or a
// semester that has not begun.
func (m MonitoringParams) CheckPeriod(p Period, completed, now time.Time) string {
	ps := m.Periods(completed)
	if len(ps) == 0 {
		return "tidak ada periode pemantauan"
	}
	first, last := ps[0], ps[len(ps)-1]
	switch {
	case p.Before(first):
		return fmt.Sprintf("periode %s sebelum masa pemantauan: laporan dimulai %s, semester pertama setelah selesai pada %s",
			p, first, FormatDate(completed))
	case last.Before(p):
		return fmt.Sprintf("periode %s setelah masa pemantauan %d tahun berakhir (periode terakhir %s)", p, m.Years, last)
	case now.Before(p.Start()):
		return fmt.Sprintf("periode %s belum dimulai (mulai %s)", p, FormatDate(p.Start()))
	}
	return ""
}

// ReportFacts is what the schedule and the flags read of a filed report.
type ReportFacts struct {
	ID        int64
	Period    Period
	IKMUsing  int64
	Occupancy Percent
	FiledAt   time.Time
}

// Unused reports whether r shows the facility unused: no IKM using it, or
// occupancy under the threshold (PRODUCT.md §9).
func (m MonitoringParams) Unused(r ReportFacts) bool {
	return r.IKMUsing == 0 || r.Occupancy < Percent(m.UnusedOccupancyPercent)*100
}

// Late reports whether r was filed after its period's last day on time.
func (m MonitoringParams) Late(r ReportFacts) bool { return m.overdue(r.Period, r.FiledAt) }

// States of a semester in the schedule.
const (
	ScheduleFiled    = "filed"    // its report is in
	ScheduleOverdue  = "overdue"  // past its due date with no report
	ScheduleOpen     = "open"     // begun, not yet overdue, no report
	ScheduleUpcoming = "upcoming" // not begun
)

// Flags of a monitored sentra.
const (
	FlagOverdue = "overdue"            // a report is overdue
	FlagUnused  = "tidak_dimanfaatkan" // unused in consecutive reports
)

// ScheduleEntry is one semester owed, as the API shows it.
type ScheduleEntry struct {
	Period   string `json:"period"`
	Label    string `json:"label"`
	DueDate  string `json:"due_date"` // last day on time, YYYY-MM-DD
	State    string `json:"state"`    // Schedule* constants
	ReportID int64  `json:"report_id,omitempty"`
}

// Assessment is where a sentra stands in its monitoring at a moment.
type Assessment struct {
	Completed time.Time
	Schedule  []ScheduleEntry
	Overdue   []Period // owed, past due, not filed
	DueSoon   []Period // owed, not filed, due within ReportReminderDays
	// Unused: the latest UnusedConsecutiveReports reports, in period
	// order, all show the facility unused; UnusedPeriods are theirs. A
	// later report that shows use clears the flag.
	Unused        bool
	UnusedPeriods []Period
}

// Flags lists the flags the assessment raises, in a fixed order.
func (a Assessment) Flags() []string {
	out := []string{}
	if len(a.Overdue) > 0 {
		out = append(out, FlagOverdue)
	}
	if a.Unused {
		out = append(out, FlagUnused)
	}
	return out
}

// Assess places a sentra completed at completed, with its filed reports,
// in its schedule at now. Reports for periods outside the schedule (none
// can be filed) count toward nothing.
func (m MonitoringParams) Assess(completed time.Time, reports []ReportFacts, now time.Time) Assessment {
	a := Assessment{Completed: completed}
	filed := map[Period]ReportFacts{}
	for _, r := range reports {
		filed[r.Period] = r
	}
	var inOrder []ReportFacts
	soon := now.AddDate(0, 0, ReportReminderDays)
	for _, p := range m.Periods(completed) {
		e := ScheduleEntry{Period: p.String(), Label: p.Label(), DueDate: m.Due(p).Format(time.DateOnly)}
		r, ok := filed[p]
		switch {
		case ok:
			e.State, e.ReportID = ScheduleFiled, r.ID
			inOrder = append(inOrder, r)
		case m.overdue(p, now):
			e.State = ScheduleOverdue
			a.Overdue = append(a.Overdue, p)
		case now.Before(p.Start()):
			e.State = ScheduleUpcoming
		default:
			e.State = ScheduleOpen
		}
		if !ok && !m.overdue(p, now) && m.Due(p).Before(soon) {
			a.DueSoon = append(a.DueSoon, p)
		}
		a.Schedule = append(a.Schedule, e)
	}
	if n := m.UnusedConsecutiveReports; n > 0 && len(inOrder) >= n {
		a.Unused = true
		for _, r := range inOrder[len(inOrder)-n:] {
			a.Unused = a.Unused && m.Unused(r)
			a.UnusedPeriods = append(a.UnusedPeriods, r.Period)
		}
		if !a.Unused {
			a.UnusedPeriods = nil
		}
	}
	return a
}

// Reasons says in Indonesian why a sentra is listed for the verifier and
// the auditor: each overdue report with its due date, and the reports
// behind tidak_dimanfaatkan.
func (m MonitoringParams) Reasons(a Assessment) []string {
	var out []string
	for _, p := range a.Overdue {
		out = append(out, fmt.Sprintf("Laporan pemanfaatan %s belum disampaikan (jatuh tempo %s).", p.Label(), FormatDate(m.Due(p))))
	}
	if a.Unused {
		labels := make([]string, len(a.UnusedPeriods))
		for i, p := range a.UnusedPeriods {
			labels[i] = p.Label()
		}
		out = append(out, fmt.Sprintf("Tidak dimanfaatkan: %d laporan berturut-turut (%s) tanpa IKM yang memanfaatkan atau dengan tingkat hunian di bawah %d%%.",
			len(labels), strings.Join(labels, ", "), m.UnusedOccupancyPercent))
	}
	return out
}
