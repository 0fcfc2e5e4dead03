package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/document"
	"dakflow/internal/store"
)

// Use after completion (PRODUCT.md §9): the pemda's semester reports on a
// completed sentra with their photos, the ministry's field visits, and
// the list of sentra overdue or unused (monitoring).

// monitoringRules are the rules of use after completion, from the current
// workflow file.
func (s *Server) monitoringRules() dak.MonitoringParams {
	return s.engine.Current().Parameters.MonitoringParams
}

// MonitoringOut is where a monitored sentra stands: the proposal whose
// completion started its reports, and what is overdue or unused.
type MonitoringOut struct {
	ProposalID     int64    `json:"proposal_id"`
	ProposalNumber string   `json:"proposal_number"`
	CompletedOn    string   `json:"completed_on"` // YYYY-MM-DD, WIB
	Overdue        []string `json:"overdue"`      // periods
	DueSoon        []string `json:"due_soon"`     // periods due within 30 days
	UnusedPeriods  []string `json:"unused_periods"`
	Reasons        []string `json:"reasons"`
}

func monitoringOf(m store.MonitoredSentra, rules dak.MonitoringParams) MonitoringOut {
	a := m.Assessment
	return MonitoringOut{ProposalID: m.ProposalID, ProposalNumber: m.ProposalNumber,
		CompletedOn: m.CompletedAt.In(dak.WIB).Format("2006-01-02"), Overdue: periodNames(a.Overdue),
		DueSoon: periodNames(a.DueSoon), UnusedPeriods: periodNames(a.UnusedPeriods), Reasons: nonNil(rules.Reasons(a))}
}

func periodNames(ps []dak.Period) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// SentraReportsOut answers GET /sentra/{id}/reports: the reports with
// their photos, oldest period first, the semesters owed with their state,
// and the sentra's flags; monitoring is null (and schedule empty) until a
// proposal of the sentra completed.
type SentraReportsOut struct {
	listBody[dak.SentraReport]
	SentraID   int64               `json:"sentra_id"`
	Schedule   []dak.ScheduleEntry `json:"schedule"`
	Flags      []string            `json:"flags"`
	Monitoring *MonitoringOut      `json:"monitoring"`
}

// fileSentraReport is POST /sentra/{id}/reports (the sentra's pemda).
func (s *Server) fileSentraReport(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.store.SentraVisible(c.Request().Context(), currentUser(c), id); err != nil {
		return err
	}
	var in dak.SentraReportInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	key, err := idempotencyKey(c)
	if err != nil {
		return err
	}
	r, replayed, err := s.storeSentraReport(c, id, in, key)
	if err != nil {
		return err
	}
	// A retry under an answered Idempotency-Key gets the report the first
	// request filed.
	if replayed {
		c.Response().Header().Set("Idempotent-Replayed", "true")
	}
	return c.JSON(http.StatusCreated, r)
}

// storeSentraReport validates a report and files it for the current user
// under key ("" for none), as the API and the page do: a retry files
// nothing and answers the first.
func (s *Server) storeSentraReport(c echo.Context, id int64, in dak.SentraReportInput, key string) (dak.SentraReport, bool, error) {
	period, err := in.Validate()
	if err = withPrintable(err, "issues", in.Issues); err != nil {
		return dak.SentraReport{}, false, err
	}
	var hash string
	if key != "" {
		body, err := json.Marshal(in)
		if err != nil {
			return dak.SentraReport{}, false, err
		}
		hash = requestHash(fmt.Appendf(nil, "laporan-sentra %d %s", id, body), nil)
	}
	return s.store.FileSentraReportOnce(c.Request().Context(), currentUser(c), id, in, period, s.monitoringRules(), key, hash)
}

// withPrintable adds to a validation's outcome err a problem with field,
// unless it names it already: text that the documents' font cannot print,
// refused now because letters may quote it (a verifier's berita acara
// shows a sentra's last report).
func withPrintable(err error, field, text string) error {
	var fields dak.Fields
	detail := "permintaan tidak valid"
	if de, ok := dak.AsError(err); ok && errors.Is(err, dak.ErrInvalid) {
		fields, detail = de.Fields, de.Detail
	} else if err != nil {
		return err
	}
	if slices.ContainsFunc(fields, func(f dak.FieldError) bool { return f.Field == field }) {
		return err
	}
	if perr := document.CheckText(text); perr != nil {
		fields.Add(field, "%v", perr)
	}
	return fields.Err(detail)
}

// listSentraReports is GET /sentra/{id}/reports.
func (s *Server) listSentraReports(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	rules := s.monitoringRules()
	v, err := s.store.SentraReports(c.Request().Context(), currentUser(c), id, rules)
	if err != nil {
		return err
	}
	out := SentraReportsOut{listBody: list(v.Reports, int64(len(v.Reports))), SentraID: id, Schedule: []dak.ScheduleEntry{}, Flags: []string{}}
	if m := v.Monitored; m != nil {
		mo := monitoringOf(*m, rules)
		out.Monitoring, out.Schedule, out.Flags = &mo, m.Assessment.Schedule, m.Assessment.Flags()
	}
	return c.JSON(http.StatusOK, out)
}

// recordSentraVisit is POST /sentra/{id}/visits (verifier): a field
// visit, recorded in the sentra's status history, changing its status
// when one is given.
func (s *Server) recordSentraVisit(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in dak.SentraVisitInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	key, err := idempotencyKey(c)
	if err != nil {
		return err
	}
	entry, replayed, err := s.storeSentraVisit(c, id, in, key)
	if err != nil {
		return err
	}
	// A retry under an answered Idempotency-Key gets the line the first
	// request added, and the history keeps one line for the visit.
	if replayed {
		c.Response().Header().Set("Idempotent-Replayed", "true")
	}
	return c.JSON(http.StatusCreated, entry)
}

// storeSentraVisit validates a visit and records it under key ("" for
// none), as the API and the page do: a retry adds no second history line.
func (s *Server) storeSentraVisit(c echo.Context, id int64, in dak.SentraVisitInput, key string) (dak.SentraEntry, bool, error) {
	day, err := in.Validate(s.store.Now())
	if err = withPrintable(err, "findings", in.Findings); err != nil {
		return dak.SentraEntry{}, false, err
	}
	var hash string
	if key != "" {
		hash = requestHash(fmt.Appendf(nil, "kunjungan-sentra %d %q %q %q", id, in.Date, in.Status, in.Findings), nil)
	}
	return s.store.RecordSentraVisitOnce(c.Request().Context(), currentUser(c), id, in, day, key, hash)
}
