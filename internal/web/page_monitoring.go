package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/store"
)

// The pages of use after completion (PRODUCT.md §9): the monitoring list
// for verifiers and auditors (/pemantauan), the reminders on the pemda's
// home page, the warning on a proposal page of a region with sentra
// overdue or unused, and a sentra's reports (page_sentra_reports.go).

// monitoredView is a sentra under monitoring as the pages list it.
type monitoredView struct {
	SentraID                        int64
	Name, Commodity, Region, Status string
	ProposalID                      int64
	ProposalNumber, Completed       string
	Overdue, Unused                 bool
	Reasons                         []string
	DueSoon                         []string // "Semester I 2028 (jatuh tempo 30 Juli 2028)"
}

func monitoredViewOf(m store.MonitoredSentra, rules dak.MonitoringParams) monitoredView {
	a := m.Assessment
	v := monitoredView{SentraID: m.SentraID, Name: m.Name, Commodity: m.Commodity, Region: regionName(m.RegionCode),
		Status: dak.SentraStatus(m.Status).Label(), ProposalID: m.ProposalID, ProposalNumber: m.ProposalNumber,
		Completed: dak.FormatDate(m.CompletedAt), Overdue: len(a.Overdue) > 0, Unused: a.Unused, Reasons: rules.Reasons(a)}
	for _, p := range a.DueSoon {
		v.DueSoon = append(v.DueSoon, p.Label()+" (jatuh tempo "+dak.FormatDate(rules.Due(p))+")")
	}
	return v
}

// flagged lists, of the monitored sentra f selects, those listed for a
// reason (overdue or unused) as the pages show them.
func (p *pages) flagged(c echo.Context, f store.MonitoringFilter) ([]monitoredView, error) {
	rules := p.s.monitoringRules()
	list, err := p.s.store.Monitoring(c.Request().Context(), f, rules)
	if err != nil {
		return nil, err
	}
	var out []monitoredView
	for _, m := range list {
		if len(m.Assessment.Flags()) > 0 {
			out = append(out, monitoredViewOf(m, rules))
		}
	}
	return out, nil
}

// monitoringPage is /pemantauan: the sentra overdue or unused.
type monitoringPage struct {
	pageBase
	Status   string
	Statuses []option
	Items    []monitoredView
}

// monitoring is GET /pemantauan (verifier, auditor, admin; a pemda sees
// its own region's), filtered like GET /api/v1/monitoring.
func (p *pages) monitoring(c echo.Context) error {
	f, err := parseMonitoring(c)
	if err != nil {
		return err
	}
	data := monitoringPage{pageBase: p.base(c, "Pemantauan pemanfaatan sentra"), Status: c.QueryParam("status")}
	for _, o := range []option{{Value: "", Label: "Terlambat atau tidak dimanfaatkan"}, {Value: "overdue", Label: "Laporan terlambat"},
		{Value: "flagged", Label: "Tidak dimanfaatkan"}} {
		o.Selected = o.Value == data.Status
		data.Statuses = append(data.Statuses, o)
	}
	if data.Items, err = p.flagged(c, f); err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "monitoring", data)
}

// reminderView is a report the pemda owes soon or already.
type reminderView struct {
	SentraID int64
	Name     string
	Overdue  []string // labels with due dates
	DueSoon  []string
}

// reportReminders are the pemda's sentra with a report overdue or due
// within dak.ReportReminderDays, for its home page (the reminder of
// PRODUCT.md §9 until notifications exist).
func (p *pages) reportReminders(c echo.Context, u dak.User) ([]reminderView, error) {
	rules := p.s.monitoringRules()
	list, err := p.s.store.Monitoring(c.Request().Context(), store.MonitoringFilter{Viewer: u}, rules)
	if err != nil {
		return nil, err
	}
	var out []reminderView
	for _, m := range list {
		a := m.Assessment
		if len(a.Overdue) == 0 && len(a.DueSoon) == 0 {
			continue
		}
		r := reminderView{SentraID: m.SentraID, Name: m.Name}
		for _, per := range a.Overdue {
			r.Overdue = append(r.Overdue, per.Label()+" (jatuh tempo "+dak.FormatDate(rules.Due(per))+")")
		}
		for _, per := range a.DueSoon {
			r.DueSoon = append(r.DueSoon, per.Label()+" (jatuh tempo "+dak.FormatDate(rules.Due(per))+")")
		}
		out = append(out, r)
	}
	return out, nil
}

// sentraReportsPath is the page of a sentra's reports.
func sentraReportsPath(id int64) string { return "/sentra/" + strconv.FormatInt(id, 10) + "/laporan" }
