package web

import (
	"crypto/rand"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/store"
)

// sentraReportsPage is /sentra/{id}/laporan: a sentra's monitoring after
// completion, its semester reports with their photos, the form the pemda
// files a report with, and the verifier's field visit form.
type sentraReportsPage struct {
	pageBase
	SentraID                        int64
	Name, Commodity, Region, Status string
	Monitored                       bool
	ProposalID                      int64
	ProposalNumber, Completed       string
	Reasons                         []string
	Schedule                        []scheduleView
	Reports                         []reportView
	CanFile, CanVisit               bool
	Report                          reportFormView
	Visit                           visitFormView
}

type scheduleView struct {
	Label, Due, State, StateName string
	ReportID                     int64
}

type reportView struct {
	ID                                     int64
	Label, IKMUsing, Workers, Occupancy    string
	Production, Budget                     dak.Money
	Condition, Issues, FiledBy, Filed, Due string
	Late, Unused                           bool
	Photos                                 []reportPhotoView
	PhotoForm                              *photoFormView // for the sentra's pemda
}

// photoFormView is the upload form of a report's photos; Key is its
// Idempotency-Key, fresh in every form rendered, so that the button
// pressed twice stores one photo.
type photoFormView struct {
	SentraID, ReportID int64
	CSRF, Error, Key   string
}

type reportPhotoView struct {
	URL, FileName, Size, Coords string
}

// reportFormView is the report form, with what was typed and what is
// wrong with it.
type reportFormView struct {
	Period, Condition                        selectField
	IKMUsing, Workers, Production, Occupancy formField
	Budget                                   formField
	Issues, IssuesError                      string
	Summary                                  []formProblem
	Headline                                 string
	// Key is the form's Idempotency-Key, fresh in every form shown, so
	// that the button pressed twice files one report and both answers
	// lead to it.
	Key string
}

// visitFormView is the field visit form.
type visitFormView struct {
	Date                    formField
	Status                  selectField
	Findings, FindingsError string
	Summary                 []formProblem
	Headline                string
	// Key is the form's Idempotency-Key, fresh in every form shown, so
	// that the button pressed twice records one visit.
	Key string
}

var scheduleStates = map[string]string{dak.ScheduleFiled: "Sudah dilaporkan", dak.ScheduleOverdue: "Terlambat",
	dak.ScheduleOpen: "Menunggu laporan", dak.ScheduleUpcoming: "Belum dimulai"}

// reportLabels name the fields of the report and visit forms.
var reportLabels = map[string]string{"period": "Periode", "ikm_using": "IKM yang memanfaatkan", "workers": "Tenaga kerja",
	"production_value": "Nilai produksi", "occupancy_percent": "Tingkat hunian", "condition": "Kondisi fasilitas",
	"operating_budget": "Anggaran operasional", "issues": "Permasalahan", "date": "Tanggal kunjungan",
	"status": "Status sentra", "findings": "Temuan", "file": "Berkas foto", "latitude": "Lintang", "longitude": "Bujur"}

// sentraReportsData reads the page for the current user, with empty forms.
func (p *pages) sentraReportsData(c echo.Context) (sentraReportsPage, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return sentraReportsPage{}, err
	}
	u := currentUser(c)
	rules := p.s.monitoringRules()
	v, err := p.s.store.SentraReports(c.Request().Context(), u, id, rules)
	if err != nil {
		return sentraReportsPage{}, err
	}
	data := sentraReportsPage{pageBase: p.base(c, "Laporan pemanfaatan "+v.Sentra.Name), SentraID: id, Name: v.Sentra.Name,
		Commodity: v.Sentra.Commodity, Region: regionName(v.Sentra.RegionCode), Status: v.Sentra.StatusLabel,
		CanVisit: u.Role == dak.RoleVerifier}
	var open []option
	if m := v.Monitored; m != nil {
		data.Monitored, data.ProposalID, data.ProposalNumber = true, m.ProposalID, m.ProposalNumber
		data.Completed, data.Reasons = dak.FormatDate(m.CompletedAt), rules.Reasons(m.Assessment)
		for _, e := range m.Assessment.Schedule {
			data.Schedule = append(data.Schedule, scheduleView{Label: e.Label, Due: dayOf(e.DueDate), State: scheduleStates[e.State],
				StateName: e.State, ReportID: e.ReportID})
			if e.State == dak.ScheduleOpen || e.State == dak.ScheduleOverdue {
				open = append(open, option{Value: e.Period, Label: e.Label})
			}
		}
		data.CanFile = u.ActsFor(v.Sentra.RegionCode) && len(open) > 0
	}
	for _, r := range v.Reports {
		rv := reportView{ID: r.ID, Label: r.PeriodLabel, IKMUsing: dak.Money(r.IKMUsing).Figures(), Workers: dak.Money(r.Workers).Figures(),
			Occupancy: r.OccupancyPercent.String(), Production: r.ProductionValue, Budget: r.OperatingBudget,
			Condition: dak.ReportConditions[r.Condition], Issues: r.Issues, FiledBy: r.FiledByName, Filed: dak.FormatDateTime(r.CreatedAt),
			Due: dayOf(r.DueDate), Late: r.Late, Unused: r.Unused}
		for _, ph := range r.Photos {
			pv := reportPhotoView{URL: sentraReportsPath(id) + "/" + strconv.FormatInt(r.ID, 10) + "/foto/" + strconv.FormatInt(ph.ID, 10),
				FileName: ph.FileName, Size: humanSize(ph.Size)}
			if ph.Latitude != nil && ph.Longitude != nil {
				pv.Coords = dak.FormatCoordinate(*ph.Latitude) + "; " + dak.FormatCoordinate(*ph.Longitude)
			}
			rv.Photos = append(rv.Photos, pv)
		}
		if u.ActsFor(v.Sentra.RegionCode) {
			rv.PhotoForm = &photoFormView{SentraID: id, ReportID: r.ID, CSRF: data.CSRF, Key: rand.Text()}
		}
		data.Reports = append(data.Reports, rv)
	}
	data.Report = newReportForm(open, dak.SentraReportInput{}, fieldErrors{})
	data.Visit = newVisitForm(dak.SentraVisitInput{Date: p.s.store.Now().In(dak.WIB).Format("2006-01-02")}, fieldErrors{})
	return data, nil
}

func newReportForm(periods []option, in dak.SentraReportInput, errs fieldErrors) reportFormView {
	for i := range periods {
		periods[i].Selected = periods[i].Value == in.Period
	}
	f := reportFormView{Period: newSelectField("period", "Periode", periods, errs, ""),
		Condition:  newSelectField("condition", "Kondisi fasilitas", optionsOf(dak.ReportConditions, in.Condition), errs, ""),
		IKMUsing:   newFormField("int", "ikm_using", "IKM yang memanfaatkan", fmtOptInt(in.IKMUsing), errs, "0 bila tidak ada"),
		Workers:    newFormField("int", "workers", "Tenaga kerja", fmtOptInt(in.Workers), errs, ""),
		Production: newFormField("money", "production_value", "Nilai produksi semester ini", fmtOptMoney(in.ProductionValue), errs, "rupiah"),
		Occupancy:  newFormField("int", "occupancy_percent", "Tingkat hunian", fmtOptPercent(in.OccupancyPercent), errs, "persen, 0–100"),
		Budget:     newFormField("money", "operating_budget", "Anggaran operasional dari APBD", fmtOptMoney(in.OperatingBudget), errs, "rupiah"),
		Issues:     in.Issues, IssuesError: errs.For("issues"), Key: rand.Text()}
	return f
}

func newVisitForm(in dak.SentraVisitInput, errs fieldErrors) visitFormView {
	statuses := []option{{Value: "", Label: "Tidak berubah", Selected: in.Status == ""}}
	for _, st := range dak.SentraStatuses {
		statuses = append(statuses, option{Value: string(st), Label: st.Label(), Selected: st == in.Status})
	}
	status := newSelectField("status", "Status sentra yang ditemukan", statuses, errs, "")
	return visitFormView{Date: newFormField("date", "date", "Tanggal kunjungan", in.Date, errs, ""), Status: status,
		Findings: in.Findings, FindingsError: errs.For("findings"), Key: rand.Text()}
}

func fmtOptInt(n *int64) string {
	if n == nil {
		return ""
	}
	return strconv.FormatInt(*n, 10)
}

func fmtOptMoney(m *dak.Money) string {
	if m == nil {
		return ""
	}
	return m.Figures()
}

func fmtOptPercent(p *dak.Percent) string {
	if p == nil {
		return ""
	}
	return strings.TrimSuffix(p.String(), "%")
}

// formErrors turns a refusal into the form's messages, each labelled; it
// returns false for an error no form shows (the error page shows it).
func formErrors(err error, errs fieldErrors, summary *[]formProblem, headline *string) bool {
	de, ok := dak.AsError(err)
	if !ok || errors.Is(err, dak.ErrNotFound) {
		return false
	}
	*headline = de.Detail
	for _, f := range de.Fields {
		errs[f.Field] = append(errs[f.Field], f.Message)
		label := reportLabels[f.Field]
		if label == "" {
			label = f.Field
		}
		*summary = append(*summary, formProblem{Label: label, Message: f.Message, Field: f.Field})
	}
	return true
}

func (p *pages) sentraReports(c echo.Context) error {
	data, err := p.sentraReportsData(c)
	if err != nil {
		return err
	}
	switch {
	case c.QueryParam("filed") != "":
		data.Notice = "Laporan pemanfaatan tersimpan."
	case c.QueryParam("photo") != "":
		data.Notice = "Foto terunggah."
	case c.QueryParam("visited") != "":
		data.Notice = "Kunjungan lapangan tercatat."
	}
	return p.render(c, http.StatusOK, "sentra_reports", data)
}

// flaggedInRegion are the region's sentra overdue or unused, for the
// warning on its proposals' pages.
func (p *pages) flaggedInRegion(c echo.Context, region string) ([]monitoredView, error) {
	return p.flagged(c, store.MonitoringFilter{Viewer: currentUser(c), Region: region})
}
