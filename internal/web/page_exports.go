package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
)

// exportsPage is the auditor's page of trail exports: a form to request a
// region's or a year's trails as one ZIP, and the exports so far.
type exportsPage struct {
	pageBase
	Region, Year string
	Regions      []option
	Years        []option
	Errors       fieldErrors
	Summary      []formProblem
	Headline     string
	Items        []exportView
	Pager        pager
}

// exportPage watches one export: its progress, refreshed every few seconds
// until it is finished, then its download.
type exportPage struct {
	pageBase
	Export exportView
}

// exportView is an export as the pages show it.
type exportView struct {
	ExportOut
	Scope, StateLabel, Created, Finished, Size string
	Href, Download                             string
}

func exportViewOf(e dak.TrailExport) exportView {
	v := exportView{ExportOut: exportOut(e), Scope: exportScope(e.RegionCode, e.FiscalYear),
		StateLabel: exportStateLabels[e.State], Created: dak.FormatDateTime(e.CreatedAt),
		Href: "/exports/" + strconv.FormatInt(e.ID, 10)}
	if e.FinishedAt != nil {
		v.Finished = dak.FormatDateTime(*e.FinishedAt)
	}
	if e.State == dak.ExportDone {
		v.Download = v.Href + "/zip"
		v.Size = humanSize(e.Size)
	}
	return v
}

var exportStateLabels = map[string]string{dak.ExportQueued: "Menunggu", dak.ExportRunning: "Sedang dibuat",
	dak.ExportDone: "Selesai", dak.ExportFailed: "Gagal"}

func (p *pages) exportsData(c echo.Context) (exportsPage, error) {
	data := exportsPage{pageBase: p.base(c, "Ekspor jejak"), Errors: fieldErrors{}}
	q := &query{c: c}
	page := q.num("page", 1, 1_000_000)
	if err := q.err(); err != nil {
		return data, err
	}
	es, total, err := p.s.store.TrailExports(c.Request().Context(), page, 20)
	if err != nil {
		return data, err
	}
	for _, e := range es {
		data.Items = append(data.Items, exportViewOf(e))
		if !e.Finished() {
			data.Refresh = 5
		}
	}
	data.Pager = newPager(c.QueryParams(), page, 20, total)
	data.Pager.Noun = "ekspor"
	fys, _, err := p.fiscalYears(c)
	if err != nil {
		return data, err
	}
	for _, fy := range fys {
		y := strconv.Itoa(fy.Year)
		data.Years = append(data.Years, option{Value: y, Label: y})
	}
	return data, nil
}

func (p *pages) exports(c echo.Context) error {
	data, err := p.exportsData(c)
	if err != nil {
		return err
	}
	data.Regions = regionTree("")
	return p.render(c, http.StatusOK, "exports", data)
}

// requestExport queues an export from the form and opens its page.
func (p *pages) requestExport(c echo.Context) error {
	data, err := p.exportsData(c)
	if err != nil {
		return err
	}
	data.Region, data.Year = strings.TrimSpace(c.FormValue("region")), strings.TrimSpace(c.FormValue("fiscal_year"))
	in := exportInput{Region: data.Region}
	if data.Year != "" {
		if in.FiscalYear, err = strconv.Atoi(data.Year); err != nil {
			in.FiscalYear = -1 // validate names it
		}
	}
	e, _, err := p.s.queueExport(c, in, "") // the page's form carries no key
	if err == nil {
		return c.Redirect(http.StatusSeeOther, "/exports/"+strconv.FormatInt(e.ID, 10))
	}
	if !collect(err, data.Errors, &data.Summary, &data.Headline) {
		return err
	}
	data.Regions = regionTree(data.Region)
	for i := range data.Years {
		data.Years[i].Selected = data.Years[i].Value == data.Year
	}
	data.Refresh = 0 // keep what was typed
	return p.render(c, statusOf(err), "exports", data)
}

// statusOf is the HTTP status of an error, for a page shown again with it.
func statusOf(err error) int { return problemFor(err).Status }

func (p *pages) export(c echo.Context) error {
	e, err := p.s.export(c)
	if err != nil {
		return err
	}
	data := exportPage{pageBase: p.base(c, "Ekspor jejak "+strconv.FormatInt(e.ID, 10)), Export: exportViewOf(e)}
	if !e.Finished() {
		data.Refresh = 3
	}
	return p.render(c, http.StatusOK, "export", data)
}
