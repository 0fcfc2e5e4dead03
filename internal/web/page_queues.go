package web

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/store"
	"dakflow/internal/workflow"
)

// filterForm is the filter bar of a queue or search, as the user set it.
type filterForm struct {
	Q, State, Region, Menu, Year string
	Provinces, States, Menus     []option
	Years                        []option
	ShowQ, ShowState             bool
	// ShowAudit adds the auditor's search (page_search.go): number, actor,
	// a date range, and every kabupaten/kota under its province.
	ShowAudit               bool
	Number, Actor, From, To string
}

func (p *pages) filterForm(c echo.Context, f store.ProposalFilter, fys []dak.FiscalYear) filterForm {
	ff := filterForm{Q: f.Query, Region: f.Region, Menu: f.Menu, Provinces: regionOptions("", f.Region),
		Menus: optionsOf(map[string]string{"pembangunan": dak.MenuPembangunan.Label(), "revitalisasi": dak.MenuRevitalisasi.Label()}, f.Menu)}
	if f.FiscalYear != 0 {
		ff.Year = strconv.Itoa(f.FiscalYear)
	}
	for _, fy := range fys {
		y := strconv.Itoa(fy.Year)
		ff.Years = append(ff.Years, option{Value: y, Label: y, Selected: y == ff.Year})
	}
	ff.State = c.QueryParam("state")
	for _, s := range p.s.engine.Current().States {
		ff.States = append(ff.States, option{Value: s.Name, Label: s.Label, Selected: s.Name == ff.State})
	}
	return ff
}

// queuePage is a role's work list: the verifier's queue, the approver's
// decisions and the treasury's transfers.
type queuePage struct {
	pageBase
	Heading, Intro string
	Filter         filterForm
	ShowFilter     bool
	Year           *fiscalYearView
	Lists          []queueList
}

// queueList is one titled list on a queue page.
type queueList struct {
	Heading string
	List    listView
}

// queue reads one list of a queue page.
func (p *pages) queue(c echo.Context, f store.ProposalFilter, order store.QueueOrder, view listView) (listView, error) {
	u := currentUser(c)
	ps, total, err := p.s.store.Queue(c.Request().Context(), store.QueueFilter{ProposalFilter: f, Order: order})
	if err != nil {
		return view, err
	}
	now := p.s.store.Now()
	names := map[int64]string{}
	for _, pr := range ps {
		since := pr.UpdatedAt
		if order == store.BySubmission && pr.SubmittedAt != nil {
			since = *pr.SubmittedAt
		}
		it := p.item(pr, u, now, since, nil)
		if pr.ReviewerID != 0 {
			if _, ok := names[pr.ReviewerID]; !ok {
				if r, err := p.s.store.UserByID(c.Request().Context(), pr.ReviewerID); err == nil {
					names[pr.ReviewerID] = actorLabel(r)
				}
			}
			it.Reviewer = names[pr.ReviewerID]
		}
		view.Items = append(view.Items, it)
	}
	view.Pager = newPager(c.QueryParams(), max(f.Page, 1), max(f.PerPage, 20), total)
	return view, nil
}

func actorLabel(u dak.User) string {
	if u.FullName != "" {
		return u.FullName
	}
	return u.Username
}

func (p *pages) homeVerifier(c echo.Context) error {
	f, err := p.s.parseFilter(c)
	if err != nil {
		return err
	}
	fys, _, err := p.fiscalYears(c)
	if err != nil {
		return err
	}
	data := queuePage{pageBase: p.base(c, "Antrean penilaian"), Heading: "Antrean penilaian",
		Intro: "Usulan yang diajukan dan sedang dinilai, yang terlama di atas.", Filter: p.filterForm(c, f, fys), ShowFilter: true}
	proposals, rks := reviewStates(p.s.engine.Current())
	f.State = someStates(proposals)
	main, err := p.queue(c, f, store.BySubmission, listView{Empty: "Antrean kosong.", ShowAge: true, ShowRegion: true, ShowWaiting: true})
	if err != nil {
		return err
	}
	f.State, f.Page, f.PerPage = someStates(rks), 1, 100
	rk, err := p.queue(c, f, store.ByWaiting, listView{Empty: "Tidak ada rencana kegiatan yang menunggu.", ShowAge: true, ShowRegion: true, ShowWaiting: true})
	if err != nil {
		return err
	}
	rk.Pager.Prev, rk.Pager.Next = "", "" // the page links belong to the first list
	data.Lists = []queueList{{"Usulan menunggu penilaian", main}, {"Rencana kegiatan menunggu penilaian", rk}}
	return p.render(c, http.StatusOK, "queue", data)
}

// reviewStates splits the states where the verifier's work waits into the
// review of proposals and the review of RKs: the states an event carrying
// an RK (data activities) leads to.
func reviewStates(d *workflow.Definition) (proposals, rks []string) {
	var withRK []string
	for _, ev := range d.Events {
		for _, from := range ev.From {
			if ev.Takes("activities") {
				withRK = append(withRK, ev.Target(from))
			}
		}
	}
	for _, s := range d.WaitingStates(string(dak.RoleVerifier)) {
		if slices.Contains(withRK, s) {
			rks = append(rks, s)
		} else {
			proposals = append(proposals, s)
		}
	}
	return proposals, rks
}

func (p *pages) homeApprover(c echo.Context) error {
	f, err := p.s.parseFilter(c)
	if err != nil {
		return err
	}
	fys, byYear, err := p.fiscalYears(c)
	if err != nil {
		return err
	}
	data := queuePage{pageBase: p.base(c, "Menunggu keputusan"), Heading: "Menunggu keputusan",
		Intro:  "Usulan yang menunggu penetapan alokasi, persetujuan rencana kegiatan atau rekomendasi penyaluran.",
		Filter: p.filterForm(c, f, fys), ShowFilter: true}
	year := f.FiscalYear
	if year == 0 && len(fys) > 0 {
		year = fys[0].Year
	}
	if fy, ok := byYear[year]; ok {
		v := fiscalYearOf(fy, p.s.store.Now())
		data.Year = &v
	}
	f.State = p.actionStates(dak.RoleApprover)
	// actionStates leaves out the optional events (extending a deadline):
	// a proposal waiting for the pemda is not the approver's to decide.
	list, err := p.queue(c, f, store.ByWaiting, listView{Empty: "Tidak ada yang menunggu keputusan.", ShowAge: true,
		ShowRegion: true, ShowWaiting: true, ShowDecisions: true, ShowDeadline: true})
	if err != nil {
		return err
	}
	data.Lists = []queueList{{"Menunggu keputusan Anda", list}}
	return p.render(c, http.StatusOK, "queue", data)
}

func (p *pages) homeTreasury(c echo.Context) error {
	f, err := p.s.parseFilter(c)
	if err != nil {
		return err
	}
	data := queuePage{pageBase: p.base(c, "Penyaluran"), Heading: "Penyaluran menunggu pencatatan SP2D",
		Intro: "Tahap penyaluran yang telah direkomendasikan dan menunggu pencatatan SP2D."}
	f.State = p.actionStates(dak.RoleTreasury)
	list, err := p.queue(c, f, store.ByWaiting, listView{Empty: "Tidak ada penyaluran yang menunggu.", ShowAge: true,
		ShowRegion: true, ShowStage: true, ShowWaiting: true, ShowDeadline: true})
	if err != nil {
		return err
	}
	data.Lists = []queueList{{"Menunggu pencatatan", list}}
	return p.render(c, http.StatusOK, "queue", data)
}
