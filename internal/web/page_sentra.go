package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/region"
)

// The registry's pages (PRODUCT.md §9): the list with its filters and
// exports, and one sentra with its place, history, funding and use.

// sentraListPage is /sentra.
type sentraListPage struct {
	pageBase
	Q, Commodity string
	Provinces    []option // for those who see every region
	Statuses     []option
	Items        []registryRow
	Pager        pager
	// ExportCSV and ExportXLSX download the filtered list.
	ExportCSV, ExportXLSX string
	Headline              string
	Summary               []formProblem
}

// registryRow is one line of the list.
type registryRow struct {
	ID                               int64
	Name, Commodity, Region, Village string
	Status, StatusLabel, StatusDate  string
	IKMUnits, Workers                int
}

func (p *pages) sentraList(c echo.Context) error {
	u := currentUser(c)
	f, ferr := parseSentraFilter(c)
	if ferr != nil {
		if _, ok := dak.AsError(ferr); !ok {
			return ferr
		}
	}
	if f.PerPage == 0 {
		f.PerPage = 25
	}
	data := sentraListPage{pageBase: p.base(c, "Registri sentra"), Q: f.Query, Commodity: f.Commodity}
	if u.Role.SeesAllRegions() {
		data.Provinces = regionOptions("", f.Province)
	}
	selected := map[dak.SentraStatus]bool{}
	for _, st := range f.Status {
		selected[st] = true
	}
	for _, st := range dak.SentraStatuses {
		data.Statuses = append(data.Statuses, option{Value: string(st), Label: st.Label(), Selected: selected[st]})
	}
	status := http.StatusOK
	if ferr != nil {
		collect(ferr, fieldErrors{}, &data.Summary, &data.Headline)
		status = statusOf(ferr)
		return p.render(c, status, "sentra_list", data)
	}
	items, total, err := p.s.store.SentraList(c.Request().Context(), f)
	if err != nil {
		return err
	}
	for _, s := range items {
		s = sentraNamed(s)
		data.Items = append(data.Items, registryRow{ID: s.ID, Name: s.Name, Commodity: s.Commodity, Region: s.RegionName,
			Village: s.VillageName, Status: string(s.Status), StatusLabel: s.StatusLabel, StatusDate: dayOf(s.StatusDate),
			IKMUnits: s.IKMUnits, Workers: s.Workers})
	}
	data.Pager = newPager(c.QueryParams(), f.Page, f.PerPage, total)
	data.Pager.Noun = "sentra"
	q := url.Values{}
	for _, k := range []string{"q", "commodity", "province", "region", "status"} {
		for _, v := range c.QueryParams()[k] {
			q.Add(k, v)
		}
	}
	q.Set("format", "csv")
	data.ExportCSV = "/sentra/ekspor?" + q.Encode()
	q.Set("format", "xlsx")
	data.ExportXLSX = "/sentra/ekspor?" + q.Encode()
	return p.render(c, status, "sentra_list", data)
}

// sentraDownload is /sentra/ekspor?format=csv|xlsx: the list's export for
// a browser session (the API's needs a token).
func (s *Server) sentraDownload(c echo.Context) error {
	f, err := parseSentraFilter(c)
	if err != nil {
		return err
	}
	format := c.QueryParam("format")
	if format != "csv" && format != "xlsx" {
		return malformed("format", "format harus csv atau xlsx")
	}
	return s.exportSentra(c, f, format)
}

// sentraPage is /sentra/{id}.
type sentraPage struct {
	pageBase
	S                                dak.Sentra
	Address, Decree, Established     string
	StatusDate, Coordinates, MapLink string
	Map                              *registryMap
	History                          []registryStatusLine
	Funding                          []registryFundingLine
	Allocated, Disbursed             dak.Money
	Reports                          []registryReportLine
	ReportsLink                      string
}

// registryMap is the sentra on a small map of its surroundings: Indonesia's
// outline (region.MapOutline), framed around the point.
type registryMap struct {
	ViewBox, Indonesia, Neighbours string
	X, Y                           string
	Colour                         string
}

// registryStatusLine is one line of the status history.
type registryStatusLine struct {
	Status, Label, Date, Basis, Note, By string
	ProposalID                           int64
}

// registryFundingLine is one proposal of the sentra.
type registryFundingLine struct {
	Year                           int
	ProposalID                     int64
	Number, Menu, State, StateName string
	Allocated, Disbursed           dak.Money
}

// registryReportLine is one utilisation report, with its photos.
type registryReportLine struct {
	ID                               int64
	Period, Condition, Occupancy, By string
	IKMUsing, Workers                int64
	Production                       dak.Money
	Late, Unused                     bool
	Photos                           []registryPhoto
}

// registryPhoto is a photo of a report, linked for the browser.
type registryPhoto struct{ Href, Name string }

func (p *pages) sentraDetail(c echo.Context) error {
	s, err := p.s.visibleSentra(c)
	if err != nil {
		return err
	}
	s = sentraNamed(s)
	u := currentUser(c)
	data := sentraPage{pageBase: p.base(c, s.Name), S: s, Address: region.Address(region.Code(s.VillageCode)),
		StatusDate: dayOf(s.StatusDate), ReportsLink: fmt.Sprintf("/sentra/%d/laporan", s.ID)}
	data.Notice = registryNotice(c) // after a form of page_sentra_registry_forms.go
	if s.Address != "" {
		data.Address = s.Address + ", " + data.Address
	}
	if s.DecreeNumber != "" {
		data.Decree = s.DecreeNumber
		if s.DecreeDate != "" {
			data.Decree += " tanggal " + dayOf(s.DecreeDate)
		}
	}
	if s.EstablishedYear != nil {
		data.Established = strconv.Itoa(*s.EstablishedYear)
	}
	if s.Latitude != nil && s.Longitude != nil {
		lat, lon := *s.Latitude, *s.Longitude
		data.Coordinates = dak.FormatCoordinate(lat) + "; " + dak.FormatCoordinate(lon)
		data.MapLink = fmt.Sprintf("https://www.openstreetmap.org/?mlat=%g&mlon=%g#map=14/%g/%g", lat, lon, lat, lon)
		data.Map = registryMapOf(lat, lon, s.Status)
	}
	for _, h := range s.StatusHistory {
		data.History = append(data.History, registryStatusLine{Status: string(h.Status), Label: h.StatusLabel, Date: dayOf(h.Date),
			Basis: h.Basis, Note: h.Note, By: h.By, ProposalID: h.ProposalID})
	}
	for _, f := range s.Funding {
		v := registryFundingLine{Year: f.FiscalYear, ProposalID: f.ProposalID, Number: f.Number, Menu: f.Menu.Label(), State: f.State,
			StateName: f.State, Allocated: f.AllocatedAmount, Disbursed: f.DisbursedAmount}
		if d, ok := p.s.engine.Definition(f.Workflow); ok {
			v.State = d.StateLabel(f.State)
		}
		data.Allocated += f.AllocatedAmount
		data.Disbursed += f.DisbursedAmount
		data.Funding = append(data.Funding, v)
	}
	reports, err := p.s.store.SentraReports(c.Request().Context(), u, s.ID, p.s.monitoringRules())
	if err != nil {
		return err
	}
	for _, r := range reports.Reports {
		v := registryReportLine{ID: r.ID, Period: r.PeriodLabel, Condition: dak.ReportConditions[r.Condition],
			Occupancy: r.OccupancyPercent.String(), By: r.FiledByName, IKMUsing: r.IKMUsing, Workers: r.Workers,
			Production: r.ProductionValue, Late: r.Late, Unused: r.Unused}
		for _, ph := range r.Photos {
			v.Photos = append(v.Photos, registryPhoto{Href: fmt.Sprintf("/sentra/%d/laporan/%d/foto/%d", s.ID, r.ID, ph.ID), Name: ph.FileName})
		}
		data.Reports = append(data.Reports, v)
	}
	return p.render(c, http.StatusOK, "sentra", data)
}

// registryMapOf frames the point in a window of about 6° by 4° of the
// national map's projection, with the outline drawn once for all pages.
func registryMapOf(lat, lon float64, status dak.SentraStatus) *registryMap {
	v := region.MapView
	x, y := v.Project(lat, lon)
	const w, h = 120.0, 80.0 // pixels of the national map: 6° by 4°
	o := region.MapOutline()
	m := &registryMap{ViewBox: fmt.Sprintf("%.1f %.1f %.0f %.0f", x-w/2, y-h/2, w, h), Indonesia: o.Indonesia,
		Neighbours: o.Neighbours, X: fmt.Sprintf("%.2f", x), Y: fmt.Sprintf("%.2f", y), Colour: "#1f4e9e"}
	for _, st := range sentraStatuses {
		if st.Status == string(status) {
			m.Colour = st.Colour
		}
	}
	return m
}

// dayOf writes a stored YYYY-MM-DD as an Indonesian date, "22 November
// 2026"; anything else as it is.
func dayOf(s string) string {
	if t, err := dak.ParseDate(s); err == nil {
		return dak.FormatDate(t)
	}
	return s
}
