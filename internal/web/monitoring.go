package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/store"
)

// The monitoring list (PRODUCT.md §9): sentra whose use report is overdue
// or that are flagged tidak_dimanfaatkan, for the verifier and the auditor,
// and for a pemda its own.

// MonitoredOut is one sentra of GET /monitoring: who it is, and why it is
// listed.
type MonitoredOut struct {
	SentraID    int64    `json:"sentra_id"`
	Name        string   `json:"name"`
	Commodity   string   `json:"commodity"`
	RegionCode  string   `json:"region_code"`
	RegionName  string   `json:"region_name"`
	Status      string   `json:"status"`
	StatusLabel string   `json:"status_label"`
	Flags       []string `json:"flags"`
	MonitoringOut
}

func monitoredOut(m store.MonitoredSentra, rules dak.MonitoringParams) MonitoredOut {
	return MonitoredOut{SentraID: m.SentraID, Name: m.Name, Commodity: m.Commodity, RegionCode: m.RegionCode,
		RegionName: regionName(m.RegionCode), Status: m.Status, StatusLabel: dak.SentraStatus(m.Status).Label(),
		Flags: m.Assessment.Flags(), MonitoringOut: monitoringOf(m, rules)}
}

// monitoringFlags are the values of GET /monitoring?status.
var monitoringFlags = map[string]string{"overdue": dak.FlagOverdue, "flagged": dak.FlagUnused}

// parseMonitoring reads the monitoring list's status filter: overdue,
// flagged, or none for both (400 otherwise).
func parseMonitoring(c echo.Context) (store.MonitoringFilter, error) {
	f := store.MonitoringFilter{Viewer: currentUser(c)}
	q := &query{c: c}
	if v := q.text("status", 20); v != "" {
		if f.Flag = monitoringFlags[v]; f.Flag == "" {
			q.errs.Add("status", "overdue atau flagged")
		}
	}
	return f, q.err()
}

// listMonitoring is GET /monitoring (verifier, auditor, admin: every
// region; pemda: its own): the sentra whose report is overdue or that are
// flagged tidak_dimanfaatkan, with the reasons.
func (s *Server) listMonitoring(c echo.Context) error {
	f, err := parseMonitoring(c)
	if err != nil {
		return err
	}
	rules := s.monitoringRules()
	list, err := s.store.Monitoring(c.Request().Context(), f, rules)
	if err != nil {
		return err
	}
	items := []MonitoredOut{}
	for _, m := range list {
		if len(m.Assessment.Flags()) > 0 { // listed for a reason only
			items = append(items, monitoredOut(m, rules))
		}
	}
	return c.JSON(http.StatusOK, listBody[MonitoredOut]{Items: items, Total: int64(len(items))})
}
