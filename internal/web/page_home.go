package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/store"
)

// listItem is one proposal in a list or a queue.
type listItem struct {
	ID                                 int64
	Number, Title, Menu, Region, State string
	Reviewer                           string
	StateName                          string
	FiscalYear                         int
	Requested, Recommended, Allocated  dak.Money
	Disbursed, StageAmount             dak.Money
	Stage                              int
	Waiting                            []string // labels of the events the viewer may fire now
	Needs                              bool     // an event that is not optional waits for the viewer
	AgeDays                            int
	Deadline                           string
	DeadlineNear                       bool
}

// listView is a table of proposals; the flags choose its columns.
type listView struct {
	Items                                []listItem
	Empty                                string
	ShowAge, ShowWaiting, ShowDeadline   bool
	ShowRegion, ShowStage, ShowDecisions bool
	Pager                                pager
}

// item describes p for u at now; since is when it started waiting.
func (p *pages) item(pr dak.Proposal, u dak.User, now time.Time, since time.Time, fys map[int]dak.FiscalYear) listItem {
	it := listItem{ID: pr.ID, Number: pr.Number, Title: pr.Title, Menu: pr.Menu.Label(), Region: regionName(pr.RegionCode),
		State: pr.State, StateName: pr.State, FiscalYear: pr.FiscalYear, Requested: pr.RequestedAmount,
		Recommended: pr.RecommendedAmount, Allocated: pr.AllocatedAmount, Disbursed: pr.DisbursedAmount}
	submits := false // an event held by the submission deadline is open
	if d, ok := p.s.engine.Definition(pr.Workflow); ok {
		it.State = d.StateLabel(pr.State)
		for _, name := range p.s.engine.AvailableEvents(pr, u) {
			ev, _ := d.Event(name)
			it.Waiting = append(it.Waiting, ev.Label)
			it.Needs = it.Needs || !ev.Optional
			submits = submits || ev.Checks("before_deadline")
		}
	}
	if !since.IsZero() {
		it.AgeDays = int(now.Sub(since).Hours() / 24)
	}
	if st := pr.NextStage(); st != nil && len(pr.Stages) > 0 {
		it.Stage, it.StageAmount = st.Number, st.Amount
		it.Deadline = "Dokumen tahap " + strconv.Itoa(st.Number) + ": " + dak.FormatDate(st.Deadline)
		it.DeadlineNear = st.Deadline.Sub(now) < 14*24*time.Hour
	}
	if fy, ok := fys[pr.FiscalYear]; ok && submits && fy.SubmissionDeadline != nil {
		it.Deadline = "Pengajuan: " + dak.FormatDateTime(*fy.SubmissionDeadline)
		it.DeadlineNear = fy.SubmissionDeadline.Sub(now) < 14*24*time.Hour
	}
	return it
}

// home sends each role to its own start page (PRODUCT.md §6).
func (p *pages) home(c echo.Context) error {
	switch currentUser(c).Role {
	case dak.RolePemda:
		return p.homePemda(c)
	case dak.RoleVerifier:
		return p.homeVerifier(c)
	case dak.RoleApprover:
		return p.homeApprover(c)
	case dak.RoleTreasury:
		return p.homeTreasury(c)
	case dak.RoleAdmin:
		return p.homeAdmin(c)
	}
	return p.search(c)
}

// fiscalYearView is a fiscal year as a card shows it.
type fiscalYearView struct {
	Year                       int
	Ceiling, Committed, Left   dak.Money
	UsedPercent                dak.Percent
	Deadline                   string
	DeadlinePassed, HasCeiling bool
	Menus                      []menuCeilingView
	Calendar                   []calendarLine // page_calendar.go
}

// menuCeilingView is one menu's ceiling inside a fiscal year.
type menuCeilingView struct {
	Label                    string
	Ceiling, Committed, Left dak.Money
}

func fiscalYearOf(fy dak.FiscalYear, now time.Time) fiscalYearView {
	v := fiscalYearView{Year: fy.Year, Ceiling: fy.Ceiling, Committed: fy.Committed, Left: fy.Left(), HasCeiling: fy.Ceiling > 0}
	if fy.Ceiling > 0 {
		v.UsedPercent = dak.PercentOf(fy.Committed, fy.Ceiling)
	}
	if d := fy.SubmissionDeadline; d != nil {
		v.Deadline, v.DeadlinePassed = dak.FormatDateTime(*d), now.After(*d)
	}
	v.Calendar = calendarLinesOf(fy.Calendar.Deadlines(), now)
	for _, m := range []dak.Menu{dak.MenuPembangunan, dak.MenuRevitalisasi} {
		if mc, ok := fy.Menus[m]; ok {
			v.Menus = append(v.Menus, menuCeilingView{Label: m.Label(), Ceiling: mc.Ceiling, Committed: mc.Committed, Left: mc.Left()})
		}
	}
	return v
}

func (p *pages) fiscalYears(c echo.Context) ([]dak.FiscalYear, map[int]dak.FiscalYear, error) {
	fys, err := p.s.store.FiscalYears(c.Request().Context())
	if err != nil {
		return nil, nil, err
	}
	m := map[int]dak.FiscalYear{}
	for _, fy := range fys {
		m[fy.Year] = fy
	}
	return fys, m, nil
}

// homePemdaPage is the pemda's start page: its proposals, what waits for
// it, and the deadlines.
type homePemdaPage struct {
	pageBase
	Region      string
	FiscalYears []fiscalYearView
	Waiting     listView
	All         listView
	// Reminders are the sentra whose use report is overdue or due soon
	// (page_monitoring.go).
	Reminders []reminderView
}

func (p *pages) homePemda(c echo.Context) error {
	u := currentUser(c)
	f, err := p.s.parseFilter(c)
	if err != nil {
		return err
	}
	f.PerPage = 25
	ps, total, err := p.s.store.Queue(c.Request().Context(), store.QueueFilter{ProposalFilter: f, Order: store.ByRecent})
	if err != nil {
		return err
	}
	fys, byYear, err := p.fiscalYears(c)
	if err != nil {
		return err
	}
	now := p.s.store.Now()
	data := homePemdaPage{pageBase: p.base(c, "Beranda"), Region: regionName(u.RegionCode)}
	for _, fy := range fys {
		data.FiscalYears = append(data.FiscalYears, fiscalYearOf(fy, now))
	}
	data.All = listView{Empty: "Belum ada usulan. Mulai dengan membuat usulan baru.", ShowWaiting: true, ShowDeadline: true, ShowDecisions: true,
		Pager: newPager(c.QueryParams(), f.Page, f.PerPage, total)}
	for _, pr := range ps {
		data.All.Items = append(data.All.Items, p.item(pr, u, now, time.Time{}, byYear))
	}
	waiting, _, err := p.s.store.Queue(c.Request().Context(), store.QueueFilter{Order: store.ByWaiting,
		ProposalFilter: store.ProposalFilter{Viewer: u, State: p.actionStates(u.Role), PerPage: 100}})
	if err != nil {
		return err
	}
	if data.Reminders, err = p.reportReminders(c, u); err != nil {
		return err
	}
	data.Waiting = listView{Empty: "Tidak ada yang menunggu tindakan Anda.", ShowWaiting: true, ShowDeadline: true}
	for _, pr := range waiting {
		if it := p.item(pr, u, now, time.Time{}, byYear); it.Needs {
			data.Waiting.Items = append(data.Waiting.Items, it)
		}
	}
	return p.render(c, http.StatusOK, "home_pemda", data)
}

// actionStates are the states in which role may fire an event that is not
// optional, read from the workflow definition: where its work waits.
func (p *pages) actionStates(role dak.Role) []string {
	return someStates(p.s.engine.Current().WaitingStates(string(role)))
}

// someStates is states as a list filter: an empty list would filter
// nothing, so it becomes one that matches no proposal.
func someStates(states []string) []string {
	if len(states) == 0 {
		return []string{"-"}
	}
	return states
}
