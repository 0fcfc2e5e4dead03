package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
)

// searchPage is the search across proposals: the auditor's start page, and
// everyone's "Cari usulan" (a pemda sees only its own region).
type searchPage struct {
	pageBase
	Heading string
	Filter  filterForm
	List    listView
	// Headline and Summary name the search parameters that are wrong; the
	// list is then empty.
	Headline string
	Summary  []formProblem
	// ExportCSV and ExportXLSX download the list as filtered (page_sheets.go).
	ExportCSV, ExportXLSX string
}

// search is the proposal search with the auditor's filters: number,
// region (a province or a kabupaten/kota), state, year, actor and a date
// range (PRODUCT.md §5). A bad parameter is shown above the form.
func (p *pages) search(c echo.Context) error {
	u := currentUser(c)
	f, ferr := p.s.parseFilter(c)
	if ferr != nil {
		if _, ok := dak.AsError(ferr); !ok {
			return ferr
		}
	}
	if f.PerPage == 0 {
		f.PerPage = 25
	}
	var ps []dak.Proposal
	var total int64
	if ferr == nil {
		var err error
		if ps, total, err = p.s.store.Proposals(c.Request().Context(), f); err != nil {
			return err
		}
	}
	fys, _, err := p.fiscalYears(c)
	if err != nil {
		return err
	}
	heading := "Cari usulan"
	if u.Role == dak.RoleAuditor && c.Request().URL.Path == "/" {
		heading = "Pencarian seluruh usulan"
	}
	data := searchPage{pageBase: p.base(c, heading), Heading: heading, Filter: p.filterForm(c, f, fys)}
	data.Filter.ShowQ, data.Filter.ShowState, data.Filter.ShowAudit = true, true, true
	data.Filter.Number, data.Filter.Actor = c.QueryParam("number"), c.QueryParam("actor")
	data.Filter.From, data.Filter.To = c.QueryParam("from"), c.QueryParam("to")
	if u.Role != dak.RolePemda {
		data.Filter.Provinces = regionTree(f.Region)
	}
	status := http.StatusOK
	if ferr != nil {
		collect(ferr, fieldErrors{}, &data.Summary, &data.Headline)
		status = statusOf(ferr)
	} else {
		data.ExportCSV, data.ExportXLSX = sheetLinks("/proposals/ekspor", c.QueryParams())
	}
	data.List = listView{Empty: "Tidak ada usulan yang cocok dengan pencarian.", ShowRegion: u.Role != dak.RolePemda,
		ShowDecisions: true, Pager: newPager(c.QueryParams(), f.Page, f.PerPage, total)}
	now := p.s.store.Now()
	for _, pr := range ps {
		data.List.Items = append(data.List.Items, p.item(pr, u, now, pr.UpdatedAt, nil))
	}
	return p.render(c, status, "search", data)
}

// homeAdminPage is the administrator's start page.
type homeAdminPage struct {
	pageBase
	Users, Disabled int
	ByRole          []roleCount
	FiscalYears     []fiscalYearView
}

// roleCount is how many accounts hold a role.
type roleCount struct {
	Role  string
	Count int
}

func (p *pages) homeAdmin(c echo.Context) error {
	users, err := p.s.store.Users(c.Request().Context())
	if err != nil {
		return err
	}
	fys, _, err := p.fiscalYears(c)
	if err != nil {
		return err
	}
	data := homeAdminPage{pageBase: p.base(c, "Administrasi"), Users: len(users)}
	counts := map[dak.Role]int{}
	for _, u := range users {
		counts[u.Role]++
		if u.Disabled {
			data.Disabled++
		}
	}
	for _, r := range dak.Roles {
		data.ByRole = append(data.ByRole, roleCount{Role: r.Label(), Count: counts[r]})
	}
	now := p.s.store.Now()
	for _, fy := range fys {
		data.FiscalYears = append(data.FiscalYears, fiscalYearOf(fy, now))
	}
	return p.render(c, http.StatusOK, "home_admin", data)
}

// regionTree lists every province and, under each, its kabupaten and kota,
// so that a search can name either.
func regionTree(selected string) []option {
	var out []option
	for _, prov := range regionOptions("", selected) {
		out = append(out, prov)
		for _, kab := range regionOptions(prov.Value, selected) {
			kab.Label = "— " + kab.Label
			out = append(out, kab)
		}
	}
	return out
}
