package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
)

// accessLogPage lists the access log for auditors and administrators:
// who downloaded what, when and from where (PRODUCT.md §5).
type accessLogPage struct {
	pageBase
	User, Proposal, From, To string
	Lines                    []accessView
	Pager                    pager
	Headline                 string
	Summary                  []formProblem
}

// accessView is one line of the access log as the page shows it.
type accessView struct {
	dak.Access
	When, RoleLabel, What, Href string
}

// accessObjects name what was accessed, in Indonesian.
var accessObjects = map[string]string{dak.ObjectDocument: "Dokumen (PDF)", dak.ObjectAttachment: "Lampiran",
	dak.ObjectTrail: "Jejak audit (ZIP)", dak.ObjectTrailExport: "Ekspor jejak (ZIP)",
	dak.ObjectSentraPhoto: "Foto laporan pemanfaatan sentra"}

func accessViewOf(a dak.Access) accessView {
	v := accessView{Access: a, When: dak.FormatDateTime(a.At), RoleLabel: a.Role.Label(), What: accessObjects[a.ObjectType]}
	if a.Action == dak.AccessExportRequest {
		v.What = "Permintaan ekspor jejak"
	}
	switch {
	case a.ObjectType == dak.ObjectTrailExport:
		v.Href = "/exports/" + strconv.FormatInt(a.ObjectID, 10)
	case a.SentraID != nil:
		v.Href = "/sentra/" + strconv.FormatInt(*a.SentraID, 10)
	case a.ProposalID != nil:
		v.Href = "/proposals/" + strconv.FormatInt(*a.ProposalID, 10)
	}
	return v
}

func (p *pages) accessLog(c echo.Context) error {
	data := accessLogPage{pageBase: p.base(c, "Log akses"), User: c.QueryParam("user"), Proposal: c.QueryParam("proposal"),
		From: c.QueryParam("from"), To: c.QueryParam("to")}
	f, err := parseAccessFilter(c)
	if err != nil {
		if !collect(err, fieldErrors{}, &data.Summary, &data.Headline) {
			return err
		}
		return p.render(c, http.StatusBadRequest, "access_log", data)
	}
	if f.PerPage == 0 {
		f.PerPage = 50
	}
	lines, total, err := p.s.store.AccessLog(c.Request().Context(), f)
	if err != nil {
		return err
	}
	for _, a := range lines {
		data.Lines = append(data.Lines, accessViewOf(a))
	}
	data.Pager = newPager(c.QueryParams(), max(f.Page, 1), f.PerPage, total)
	data.Pager.Noun = "catatan"
	return p.render(c, http.StatusOK, "access_log", data)
}
