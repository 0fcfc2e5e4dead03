package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/store"
)

// The forms of a sentra's report page (page_sentra_reports.go): a report,
// a photo and a field visit, each stored as the API stores it.

// fileSentraReport files the form's report as the API does, and returns
// to the page, or shows the form again with every problem beside its
// field.
func (p *pages) fileSentraReport(c echo.Context) error {
	data, err := p.sentraReportsData(c)
	if err != nil {
		return err
	}
	var parse dak.Fields
	in := dak.SentraReportInput{Period: strings.TrimSpace(c.FormValue("period")), Condition: strings.TrimSpace(c.FormValue("condition")),
		IKMUsing: optInteger(&parse, "ikm_using", c.FormValue("ikm_using")), Workers: optInteger(&parse, "workers", c.FormValue("workers")),
		ProductionValue:  optMoney(&parse, "production_value", c.FormValue("production_value")),
		OccupancyPercent: percentField(&parse, "occupancy_percent", c.FormValue("occupancy_percent")),
		OperatingBudget:  optMoney(&parse, "operating_budget", c.FormValue("operating_budget")), Issues: c.FormValue("issues")}
	key := c.FormValue("idempotency_key")
	if len(parse) == 0 {
		_, _, err = p.s.storeSentraReport(c, data.SentraID, in, formKey(key))
	} else {
		// A figure that could not be read is named with whatever else the
		// report lacks, in one answer.
		_, verr := in.Validate()
		if de, ok := dak.AsError(verr); ok {
			for _, f := range de.Fields {
				if !slices.ContainsFunc(parse, func(e dak.FieldError) bool { return e.Field == f.Field }) {
					parse = append(parse, f)
				}
			}
		}
		err = parse.Err("laporan pemanfaatan tidak valid")
	}
	if err == nil {
		return c.Redirect(http.StatusSeeOther, sentraReportsPath(data.SentraID)+"?filed=1#laporan")
	}
	f := &data.Report
	if errors.Is(err, store.ErrKeyReused) {
		// The form filed a report, then was sent again with other
		// figures (the back button): nothing more is filed until it is
		// sent again, under the fresh key of the form shown now.
		*f = newReportForm(f.Period.Options, in, fieldErrors{})
		f.Headline = keyUsedNotice("laporan yang dikirim dengan formulir ini sudah tersimpan",
			"hendak menyampaikan laporan periode lain")
		return p.render(c, http.StatusUnprocessableEntity, "sentra_reports", data)
	}
	errs := fieldErrors{}
	if !formErrors(err, errs, &f.Summary, &f.Headline) {
		return err
	}
	reportFormOrder.sort(f.Summary)
	summary, headline := f.Summary, f.Headline
	*f = newReportForm(f.Period.Options, in, errs)
	f.Summary, f.Headline = summary, headline
	// A refused report filed nothing: sent again corrected, it is the
	// same request, under the same key.
	if formKey(key) != "" {
		f.Key = key
	}
	return p.render(c, problemFor(err).Status, "sentra_reports", data)
}

// optInteger parses a whole number that may be left blank (nil).
func optInteger(errs *dak.Fields, path, raw string) *int64 {
	if strings.TrimSpace(raw) == "" {
		return nil
	}
	n := len(*errs)
	v := integer(errs, path, raw)
	if len(*errs) > n {
		return nil
	}
	return &v
}

// uploadReportPhoto stores the form's photo as the API does, under the
// form's key: pressed twice, or resent by the browser, the form stores one
// photo, and the second answer leads where the first did.
func (p *pages) uploadReportPhoto(c echo.Context) error {
	sid, err := pathID(c, "id")
	if err != nil {
		return err
	}
	rid, err := pathID(c, "rid")
	if err != nil {
		return err
	}
	if err := p.s.store.SentraVisible(c.Request().Context(), currentUser(c), sid); err != nil {
		return err
	}
	key := c.FormValue("idempotency_key")
	fh, err := c.FormFile("file")
	if err == nil {
		_, _, err = p.s.storeReportPhoto(c, sid, rid, fh, formKey(key))
	} else {
		err = &dak.Error{Kind: dak.ErrInvalid, Detail: "pilih foto yang akan diunggah",
			Fields: []dak.FieldError{{Field: "file", Message: "berkas wajib dipilih"}}}
	}
	if err == nil {
		return c.Redirect(http.StatusSeeOther, sentraReportsPath(sid)+"?photo=1#laporan-"+strconv.FormatInt(rid, 10))
	}
	de, ok := dak.AsError(err)
	if !ok || errors.Is(err, dak.ErrNotFound) {
		return err
	}
	data, derr := p.sentraReportsData(c)
	if derr != nil {
		return derr
	}
	status, msg := problemFor(err).Status, de.Detail
	for _, f := range de.Fields {
		msg += "; " + reportLabels[f.Field] + ": " + f.Message
	}
	reused := errors.Is(err, store.ErrKeyReused)
	if reused {
		// The form stored a photo, then another file was chosen in it (the
		// back button): nothing more is stored until it is sent again,
		// under the fresh key of the form shown now.
		status, msg = http.StatusUnprocessableEntity, "Foto yang dikirim sebelumnya dengan formulir ini sudah tersimpan; "+
			"berkas yang dipilih sesudahnya belum diunggah. Pilih berkasnya sekali lagi, lalu unggah bila memang hendak menambah foto lain."
	}
	for _, r := range data.Reports {
		if r.ID == rid && r.PhotoForm != nil {
			r.PhotoForm.Error = msg
			// A refused upload stored nothing: sent again, it is the same
			// upload, under the same key.
			if !reused && formKey(key) != "" {
				r.PhotoForm.Key = key
			}
		}
	}
	return p.render(c, status, "sentra_reports", data)
}

// recordVisit records the form's field visit as the API does.
func (p *pages) recordVisit(c echo.Context) error {
	data, err := p.sentraReportsData(c)
	if err != nil {
		return err
	}
	in := dak.SentraVisitInput{Date: strings.TrimSpace(c.FormValue("date")), Status: dak.SentraStatus(strings.TrimSpace(c.FormValue("status"))),
		Findings: c.FormValue("findings")}
	typed := in // the form comes back as typed
	key := c.FormValue("idempotency_key")
	var parsed dak.Fields
	if in.Date = formDate(&parsed, "date", in.Date); len(parsed) == 0 {
		_, _, err = p.s.storeSentraVisit(c, data.SentraID, in, formKey(key))
	} else {
		_, verr := in.Validate(p.s.store.Now())
		err = withParsed(parsed, verr, "kunjungan lapangan tidak valid")
	}
	if err == nil {
		return c.Redirect(http.StatusSeeOther, sentraReportsPath(data.SentraID)+"?visited=1")
	}
	if errors.Is(err, store.ErrKeyReused) {
		// The form recorded a visit, then was sent again with other
		// content (the back button): nothing more is recorded until it is
		// sent again, under the fresh key of the form shown now.
		data.Visit = newVisitForm(typed, fieldErrors{})
		data.Visit.Headline = keyUsedNotice("kunjungan ini sudah tercatat pada riwayat status sentra",
			"hendak mencatat kunjungan lain")
		return p.render(c, http.StatusUnprocessableEntity, "sentra_reports", data)
	}
	errs := fieldErrors{}
	var summary []formProblem
	var headline string
	if !formErrors(err, errs, &summary, &headline) {
		return err
	}
	visitFormOrder.sort(summary)
	data.Visit = newVisitForm(typed, errs)
	data.Visit.Summary, data.Visit.Headline = summary, headline
	// A refused visit recorded nothing: sent again corrected, it is the
	// same request, under the same key.
	if formKey(key) != "" {
		data.Visit.Key = key
	}
	return p.render(c, problemFor(err).Status, "sentra_reports", data)
}
