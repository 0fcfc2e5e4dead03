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
	// Key is the request form's Idempotency-Key, fresh in every form
	// rendered: the button pressed twice queues one export.
	Key string
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
	data.Regions, data.Key = regionTree(""), rand.Text()
	return p.render(c, http.StatusOK, "exports", data)
}

// requestExport queues an export from the form and opens its page, under
// the form's key: pressed twice, or resent by the browser, the form queues
// one export, and both answers lead to it.
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
	key := c.FormValue("idempotency_key")
	e, _, err := p.s.queueExport(c, in, formKey(key))
	status := statusOf(err)
	switch {
	case err == nil:
		return c.Redirect(http.StatusSeeOther, "/exports/"+strconv.FormatInt(e.ID, 10))
	case errors.Is(err, store.ErrKeyReused):
		// The form queued an export, then its choices were changed (the
		// back button): nothing is queued until it is sent again, under
		// a key of its own.
		queued := "sebagai ekspor"
		if prev, ok := p.exportUnderKey(c, formKey(key)); ok {
			queued = "sebagai ekspor " + strconv.FormatInt(prev.ID, 10) + " (" + exportScope(prev.RegionCode, prev.FiscalYear) + ")"
		}
		status, key = http.StatusUnprocessableEntity, ""
		data.Headline = "Formulir ini sudah pernah dikirim dan tercatat " + queued + "; pilihan sesudahnya belum diajukan. " +
			"Periksa pilihan di bawah, lalu kirim formulir ini sekali lagi bila memang hendak membuat ekspor lain."
	case !collect(err, data.Errors, &data.Summary, &data.Headline):
		return err
	}
	// A refused request queued nothing: sent again corrected, it is the
	// same request, under the same key.
	if data.Key = key; formKey(key) == "" {
		data.Key = rand.Text()
	}
	data.Regions = regionTree(data.Region)
	for i := range data.Years {
		data.Years[i].Selected = data.Years[i].Value == data.Year
	}
	data.Refresh = 0 // keep what was typed
	return p.render(c, status, "exports", data)
}

// exportUnderKey is the export the current user's form key queued, to
// name it when the key comes back with other choices.
func (p *pages) exportUnderKey(c echo.Context, key string) (dak.TrailExport, bool) {
	ctx := c.Request().Context()
	var id int64
	if err := p.s.store.ReadTx(ctx, func(tx *store.Tx) error {
		prev, err := tx.IdempotentReply(currentUser(c).ID, key)
		if prev != nil {
			id = prev.Export
		}
		return err
	}); err != nil || id == 0 {
		return dak.TrailExport{}, false
	}
	e, err := p.s.store.TrailExport(ctx, id)
	return e, err == nil
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
