package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/workflow"
)

// readEvent reads an event form into the same data the API takes, keeping
// what was typed in a for a re-render.
func readEvent(d *workflow.Definition, form url.Values, a *actionView) (workflow.EventData, dak.Fields) {
	var ed workflow.EventData
	var errs dak.Fields
	g := func(k string) string { return strings.TrimSpace(form.Get(k)) }
	a.Comment = g("comment")
	switch a.Kind {
	case formRecommendation:
		a.Amount = g("data.recommended_amount")
		ed.RecommendedAmount = optMoney(&errs, "data.recommended_amount", a.Amount)
		a.AmountReason = g("data.amount_reason")
		ed.AmountReason = a.AmountReason
		for i := range a.Checklist {
			row := &a.Checklist[i]
			at := fmt.Sprintf("data.checklist[%d]", i)
			row.Met, row.Note = g(at+".met"), g(at+".note")
			ans := workflow.Answer{ID: row.ID, Note: row.Note}
			switch row.Met {
			case "true", "false":
				met := row.Met == "true"
				ans.Met = &met
			case "na":
				ans.NotApplicable = true
			}
			ed.Checklist = append(ed.Checklist, ans)
		}
	case formNotes:
		var rs []noteRow
		for _, r := range rows(form, "data.notes") {
			rs = append(rs, noteRow{Field: r["field"], Note: r["note"]})
			ed.Notes = append(ed.Notes, workflow.Note{Field: r["field"], Note: r["note"]})
		}
		a.Notes = newNoteEditor(rs, a.Errors)
	case formAmount:
		a.Amount = g("data.amount")
		ed.Amount = optMoney(&errs, "data.amount", a.Amount)
		a.AmountReason = g("data.amount_reason")
		ed.AmountReason = a.AmountReason
	case formRKApproval:
		a.DepartureBasis = g("data.departure_basis")
		ed.DepartureBasis = a.DepartureBasis
	case formRK:
		ls := parseLines(form, "data.activities")
		ed.Activities = linesInput(&errs, "data.activities", ls)
		a.Lines = newLineEditor("data.activities", ls, a.Errors)
	case formStage:
		a.Stage, a.ContractValue, a.Absorbed, a.Output = g("data.stage"), g("data.contract_value"), g("data.absorbed_amount"), g("data.output_percent")
		ed.Stage = int(integer(&errs, "data.stage", a.Stage))
		ed.ContractValue = optMoney(&errs, "data.contract_value", a.ContractValue)
		ed.AbsorbedAmount = optMoney(&errs, "data.absorbed_amount", a.Absorbed)
		ed.OutputPercent = percentField(&errs, "data.output_percent", a.Output)
		a.KPPN, a.CompletionNeed = g("data.kppn"), g("data.completion_need")
		ed.KPPN = a.KPPN
		ed.CompletionNeed = optMoney(&errs, "data.completion_need", a.CompletionNeed)
	case formSP2D:
		a.Amount, a.SP2DNumber, a.SP2DDate = g("data.amount"), g("data.sp2d_number"), g("data.sp2d_date")
		ed.Amount = optMoney(&errs, "data.amount", a.Amount)
		ed.SP2DNumber, ed.SP2DDate = a.SP2DNumber, formDate(&errs, "data.sp2d_date", a.SP2DDate)
	case formExtension:
		a.Stage, a.Until, a.LegalBasis = g("data.stage"), g("data.until"), g("data.legal_basis")
		ed.Stage, ed.Until, ed.LegalBasis = int(integer(&errs, "data.stage", a.Stage)), formDate(&errs, "data.until", a.Until), a.LegalBasis
	case formCompletion:
		a.Output, a.Absorbed, a.BAST, a.Shortfall = g("data.output_percent"), g("data.absorbed_amount"), g("data.bast_number"), g("data.shortfall")
		ed.OutputPercent = percentField(&errs, "data.output_percent", a.Output)
		ed.AbsorbedAmount = optMoney(&errs, "data.absorbed_amount", a.Absorbed)
		ed.BASTNumber, ed.Shortfall = a.BAST, a.Shortfall
		a.BASTDate = g("data.bast_date")
		ed.BASTDate = formDate(&errs, "data.bast_date", a.BASTDate)
	}
	return ed, errs
}

// fireEvent fires an event from its form through engine.Fire, exactly as
// POST /api/v1/proposals/{id}/events does, with the version the page showed
// as If-Match and the form's key as Idempotency-Key.
func (p *pages) fireEvent(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	pr, err := p.s.visible(c)
	if err != nil {
		return err
	}
	d, ok := p.s.engine.Definition(pr.Workflow)
	if !ok {
		return fmt.Errorf("proposal %d runs under unknown workflow %q", id, pr.Workflow)
	}
	name := c.Param("event")
	if _, ok := d.Event(name); !ok {
		return dak.Errorf(dak.ErrNotFound, "tindakan %q tidak dikenal", name)
	}
	form, err := c.FormParams()
	if err != nil {
		return malformed("body", "formulir tidak dapat dibaca")
	}
	a := p.action(d, pr, name)
	ed, perrs := readEvent(d, form, &a)
	a.Key = form.Get("idempotency_key")
	version, err := formVersion(form)
	if err != nil {
		return err
	}
	if len(perrs) > 0 {
		a.Headline = "Beberapa isian belum benar."
		merge(perrs, a.Errors, &a.Summary)
		return p.reopen(c, pr, a, http.StatusUnprocessableEntity)
	}
	raw, err := json.Marshal(ed)
	if err != nil {
		return err
	}
	if string(raw) == "{}" {
		raw = nil
	}
	req := workflow.Request{Event: name, Comment: a.Comment, Data: raw, IfMatch: version,
		IdempotencyKey: formKey(a.Key), RequestHash: formHash(strconv.FormatInt(id, 10)+"\n", form, "csrf_token")}
	done := proposalPath(id) + "?done=" + url.QueryEscape(name) + "#riwayat"
	_, err = p.s.engine.Fire(c.Request().Context(), currentUser(c), id, req)
	switch {
	case err == nil:
		return c.Redirect(http.StatusSeeOther, done)
	case errors.Is(err, dak.ErrPrecondition):
		fresh, ferr := p.s.visible(c)
		if ferr != nil {
			return ferr
		}
		a.Version = fresh.Version
		a.Headline = "Usulan ini telah berubah sejak halaman dibuka. Periksa riwayat dan isinya di atas; isian Anda masih di sini, kirim kembali bila tetap sesuai."
		return p.reopen(c, fresh, a, http.StatusPreconditionFailed)
	case errors.Is(err, dak.ErrRule) || errors.Is(err, dak.ErrInvalid):
		if collect(err, a.Errors, &a.Summary, &a.Headline) {
			return p.reopen(c, pr, a, http.StatusUnprocessableEntity)
		}
	}
	return err
}

// reopen renders the proposal page with one action's form open, showing
// what was typed and what is wrong with it.
func (p *pages) reopen(c echo.Context, pr dak.Proposal, a actionView, status int) error {
	data, err := p.proposalData(c, pr)
	if err != nil {
		return err
	}
	a.Open, a.ProposalID, a.CSRF = true, pr.ID, data.CSRF
	eventFormOrders[a.Kind].sort(a.Summary)
	a.Lines.Errors, a.Notes.Errors = a.Errors, a.Errors
	a.Lines.Note = data.RevisionNotes.For("activities")
	found := false
	for i := range data.Actions {
		if data.Actions[i].Name == a.Name {
			a.Priority = data.Actions[i].Priority // the coverage facts, read afresh
			data.Actions[i], found = a, true
		}
	}
	if !found {
		return dak.Errorf(dak.ErrConflict, "tindakan %s tidak tersedia lagi pada status %s", a.Label, data.State)
	}
	return p.render(c, status, "proposal", data)
}

// formKey is the Idempotency-Key of a page's form, from its hidden key
// field, marked as the pages' ("ui:") so that it never meets a key an API
// client chose; "" when the form has none.
func formKey(k string) string {
	if k = strings.TrimSpace(k); k == "" || len(k) > 100 {
		return ""
	}
	return "ui:" + k
}

// formHash is what a form asked for, to refuse its key sent again with
// other content: prefix, then every field but those named, encoded in the
// order of their names.
func formHash(prefix string, form url.Values, except ...string) string {
	hashed := url.Values{}
	for k, v := range form {
		if !slices.Contains(except, k) {
			hashed[k] = v
		}
	}
	return dak.SHA256Hex([]byte(prefix + hashed.Encode()))
}
