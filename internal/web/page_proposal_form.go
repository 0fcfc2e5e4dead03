package web

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/workflow"
)

// The proposal editor (/proposals/new, /proposals/{id}/edit): its form as
// typed, how the form becomes the engine's input and back, and the
// handlers that show it and save it through the same engine calls as the
// API.

// proposalForm is the proposal form as typed: every value kept as text, so
// that a form with mistakes comes back exactly as the user left it. Field
// names on the page are the API's JSON paths (PRODUCT.md §6).
type proposalForm struct {
	FiscalYear, Menu, Title                     string
	SentraID                                    string // the registered sentra a revitalisasi names (the picker)
	Name, Commodity, Village, Address, Lat, Lon string
	IKMUnits, Workers, DecreeNumber, DecreeDate string
	AreaM2, Ownership, Certificate              string
	Lines                                       []lineRow
	Outputs                                     []outputRow
}

// outputRow is one planned output as typed.
type outputRow struct{ Description, Volume, Unit string }

// parseProposalForm reads the posted form.
func parseProposalForm(v url.Values) proposalForm {
	g := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	f := proposalForm{FiscalYear: g("fiscal_year"), Menu: g("menu"), Title: g("title"), SentraID: g("sentra_id"),
		Name: g("sentra.name"), Commodity: g("sentra.commodity"), Village: g("sentra.village_code"), Address: g("sentra.address"),
		Lat: g("sentra.latitude"), Lon: g("sentra.longitude"), IKMUnits: g("sentra.ikm_units"), Workers: g("sentra.workers"),
		DecreeNumber: g("sentra.decree_number"), DecreeDate: g("sentra.decree_date"),
		AreaM2: g("land.area_m2"), Ownership: g("land.ownership"), Certificate: g("land.certificate_number")}
	f.Lines = parseLines(v, "budget_lines")
	for _, r := range rows(v, "outputs") {
		f.Outputs = append(f.Outputs, outputRow{Description: r["description"], Volume: r["volume"], Unit: r["unit"]})
	}
	return f
}

// input turns the typed form into the engine's input; values that are not
// numbers or dates are reported by path, the rest is the engine's to judge.
func (f proposalForm) input() (dak.ProposalInput, dak.Fields) {
	var errs dak.Fields
	in := dak.ProposalInput{Menu: dak.Menu(f.Menu), Title: f.Title,
		Sentra: dak.SentraInput{Name: f.Name, Commodity: f.Commodity, VillageCode: f.Village, Address: f.Address,
			Latitude: coordinate(&errs, "sentra.latitude", f.Lat), Longitude: coordinate(&errs, "sentra.longitude", f.Lon),
			IKMUnits: int(integer(&errs, "sentra.ikm_units", f.IKMUnits)), Workers: int(integer(&errs, "sentra.workers", f.Workers)),
			DecreeNumber: f.DecreeNumber, DecreeDate: formDate(&errs, "sentra.decree_date", f.DecreeDate)},
		Land: dak.Land{AreaM2: integer(&errs, "land.area_m2", f.AreaM2), Ownership: f.Ownership, CertificateNumber: f.Certificate}}
	in.FiscalYear = int(integer(&errs, "fiscal_year", f.FiscalYear))
	// The picker names a sentra for a revitalisasi only: a pembangunan
	// registers its own, so a choice left in the hidden picker is not one.
	if in.Menu == dak.MenuRevitalisasi {
		in.SentraID = integer(&errs, "sentra_id", f.SentraID)
	}
	in.BudgetLines = linesInput(&errs, "budget_lines", f.Lines)
	for i, o := range f.Outputs {
		in.Outputs = append(in.Outputs, dak.Output{Description: o.Description, Unit: o.Unit,
			Volume: integer(&errs, fmt.Sprintf("outputs[%d].volume", i), o.Volume)})
	}
	return in, errs
}

// formOf writes stored content back into a form.
func formOf(in dak.ProposalInput) proposalForm {
	s := in.Sentra
	f := proposalForm{FiscalYear: fmtInt(int64(in.FiscalYear)), Menu: string(in.Menu), Title: in.Title,
		Name: s.Name, Commodity: s.Commodity, Village: s.VillageCode, Address: s.Address, Lat: fmtCoord(s.Latitude),
		Lon: fmtCoord(s.Longitude), IKMUnits: fmtInt(int64(s.IKMUnits)), Workers: fmtInt(int64(s.Workers)),
		DecreeNumber: s.DecreeNumber, DecreeDate: s.DecreeDate, AreaM2: fmtInt(in.Land.AreaM2),
		Ownership: in.Land.Ownership, Certificate: in.Land.CertificateNumber, Lines: linesOf(in.BudgetLines)}
	if in.Menu == dak.MenuRevitalisasi { // a pembangunan's sentra is its own record, not a choice
		f.SentraID = fmtInt(in.SentraID)
	}
	for _, o := range in.Outputs {
		f.Outputs = append(f.Outputs, outputRow{Description: o.Description, Volume: fmtInt(o.Volume), Unit: o.Unit})
	}
	return f
}

// proposalFormPage is the proposal form, new or edit.
type proposalFormPage struct {
	pageBase
	Edit        bool
	ID          int64
	Number      string
	Version     int64
	State       string
	F           proposalForm
	Years       []option
	Menus       []option
	Ownerships  []option
	Regions     []regionSelect
	Sentra      []sentraChoice // the picker: the region's sentra a revitalisasi may name
	RAB         lineEditor
	Outputs     []outputRow
	Errors      fieldErrors
	Summary     []formProblem
	Headline    string
	Attachments *attachmentsView
	Notes       *revisionNotes // the open request for changes, shown by the fields it names
	// FilingKey is a new draft's form's Idempotency-Key: a second press of
	// the button (or a browser's retry) answers the draft the first filed.
	FilingKey string
}

// formPage builds the form for f; editing is the proposal being edited,
// nil for a new one.
func (p *pages) formPage(c echo.Context, f proposalForm, errs fieldErrors, editing *dak.Proposal) (proposalFormPage, error) {
	u := currentUser(c)
	fys, _, err := p.fiscalYears(c)
	if err != nil {
		return proposalFormPage{}, err
	}
	if f.FiscalYear == "" && len(fys) > 0 {
		f.FiscalYear = strconv.Itoa(fys[0].Year)
	}
	outputs := f.Outputs
	if len(outputs) == 0 {
		outputs = []outputRow{{}}
	}
	choices, err := p.sentraChoices(c, f, editing)
	if err != nil {
		return proposalFormPage{}, err
	}
	return proposalFormPage{Sentra: choices, pageBase: p.base(c, "Usulan baru"), F: f, Years: yearOptions(fys, f.FiscalYear),
		Menus:      optionsOf(map[string]string{"pembangunan": dak.MenuPembangunan.Label(), "revitalisasi": dak.MenuRevitalisasi.Label()}, f.Menu),
		Ownerships: optionsOf(dak.LandOwnerships, f.Ownership), Regions: regionPicker(u.RegionCode, f.Village),
		RAB: newLineEditor("budget_lines", f.Lines, errs), Outputs: outputs, Errors: errs}, nil
}

func (p *pages) newProposal(c echo.Context) error {
	data, err := p.formPage(c, proposalForm{}, fieldErrors{}, nil)
	if err != nil {
		return err
	}
	data.FilingKey = rand.Text()
	return p.render(c, http.StatusOK, "proposal_form", data)
}

// createProposal files a draft through the same engine call as the API,
// under the form's filing key: pressed twice, or resent by the browser, the
// form files one draft, and the second answer leads to it as the first did.
func (p *pages) createProposal(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return malformed("body", "formulir tidak dapat dibaca")
	}
	f := parseProposalForm(form)
	if err := p.fillFromRegistry(c, &f); err != nil {
		return err
	}
	key := form.Get("filing_key")
	in, perrs := f.input()
	errs, summary, headline := fieldErrors{}, []formProblem{}, ""
	if len(perrs) == 0 {
		release, err := p.s.filingTurn(c)
		if err != nil {
			return err
		}
		pr, _, err := p.s.engine.CreateProposalWithFiles(c.Request().Context(), currentUser(c), in, nil,
			workflow.Once{Key: formKey(key), RequestHash: formHash("", form, "csrf_token", "filing_key")})
		release()
		if err == nil {
			return c.Redirect(http.StatusSeeOther, "/proposals/"+strconv.FormatInt(pr.ID, 10)+"/edit?created=1#lampiran")
		}
		switch {
		case errors.Is(err, workflow.ErrKeyReused):
			// The form was filed before, then changed (the browser's
			// back button): nothing is filed until it is sent again,
			// under a key of its own.
			filed := "sebagai usulan"
			if pr, ok := p.s.engine.FiledUnderKey(c.Request().Context(), currentUser(c), formKey(key)); ok {
				filed = "sebagai usulan " + pr.Number + " (" + pr.Title + ")"
			}
			headline, key = "Formulir ini sudah pernah dikirim dan tercatat "+filed+"; perubahan sesudahnya belum disimpan. "+
				"Ubah usulan itu dari daftar usulan, atau kirim formulir ini sekali lagi bila memang hendak membuat usulan baru.", ""
		case !collect(err, errs, &summary, &headline):
			return err
		}
	} else {
		headline = "Beberapa isian belum benar."
		merge(shapeErrors(in, perrs), errs, &summary)
	}
	data, err := p.formPage(c, f, errs, nil)
	if err != nil {
		return err
	}
	proposalFormOrder.sort(summary)
	// A refused form files nothing: sent again corrected, it is the same
	// filing, under the same key.
	data.Summary, data.Headline, data.FilingKey = summary, headline, key
	if data.FilingKey == "" {
		data.FilingKey = rand.Text()
	}
	return p.render(c, http.StatusUnprocessableEntity, "proposal_form", data)
}

// editData loads an editable proposal for its own pemda.
func (p *pages) editData(c echo.Context, f *proposalForm, errs fieldErrors) (proposalFormPage, dak.Proposal, error) {
	pr, err := p.s.visible(c)
	if err != nil {
		return proposalFormPage{}, pr, err
	}
	if f == nil {
		ff := formOf(pr.Content)
		f = &ff
	}
	data, err := p.formPage(c, *f, errs, &pr)
	if err != nil {
		return data, pr, err
	}
	data.Title = "Ubah usulan " + pr.Number
	data.Edit, data.ID, data.Number, data.Version = true, pr.ID, pr.Number, pr.Version
	data.State = p.s.engine.Current().StateLabel(pr.State)
	if d, ok := p.s.engine.Definition(pr.Workflow); ok {
		data.State = d.StateLabel(pr.State)
	}
	av, err := p.attachments(c, pr, "edit")
	if err != nil {
		return data, pr, err
	}
	data.Attachments = &av
	if d, ok := p.s.engine.Definition(pr.Workflow); ok {
		events, err := p.s.store.Events(c.Request().Context(), pr.ID)
		if err != nil {
			return data, pr, err
		}
		data.Notes = openNotes(d, pr, events)
		data.RAB.Note = data.Notes.For("budget_lines")
	}
	return data, pr, nil
}

func (p *pages) editProposal(c echo.Context) error {
	data, _, err := p.editData(c, nil, fieldErrors{})
	if err != nil {
		return err
	}
	if c.QueryParam("created") != "" {
		data.Notice = "Draf usulan tersimpan. Unggah lampiran yang diwajibkan di bawah ini, lalu ajukan dari halaman usulan."
	}
	return p.render(c, http.StatusOK, "proposal_form", data)
}

// updateProposal saves the content if the proposal is still at the
// version the form was opened with (the API's If-Match).
func (p *pages) updateProposal(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	// Another region's proposal is not found, whatever the form says, as
	// in PUT /api/v1/proposals/{id} (PRODUCT.md §1).
	if _, err := p.s.visible(c); err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return malformed("body", "formulir tidak dapat dibaca")
	}
	version, err := formVersion(form)
	if err != nil {
		return err
	}
	f := parseProposalForm(form)
	if err := p.fillFromRegistry(c, &f); err != nil {
		return err
	}
	in, perrs := f.input()
	errs, summary, headline := fieldErrors{}, []formProblem{}, ""
	status := http.StatusUnprocessableEntity
	if len(perrs) == 0 {
		_, err := p.s.engine.UpdateProposal(c.Request().Context(), currentUser(c), id, version, in)
		switch {
		case err == nil:
			return c.Redirect(http.StatusSeeOther, "/proposals/"+strconv.FormatInt(id, 10)+"?saved=1")
		case errors.Is(err, dak.ErrPrecondition):
			status, headline = http.StatusPreconditionFailed,
				"Usulan ini telah diubah di tempat lain sejak formulir dibuka. Isian Anda masih di bawah; periksa halaman usulan, lalu simpan kembali."
		case !collect(err, errs, &summary, &headline):
			return err
		}
	} else {
		headline = "Beberapa isian belum benar."
		merge(shapeErrors(in, perrs), errs, &summary)
	}
	// After a stale save the form carries the current version: the user
	// has been told, and saving again is a deliberate choice.
	data, _, err := p.editData(c, &f, errs)
	if err != nil {
		return err
	}
	proposalFormOrder.sort(summary)
	data.Summary, data.Headline = summary, headline
	return p.render(c, status, "proposal_form", data)
}

// shapeErrors adds the domain's own shape checks to the parse errors of a
// form, so that one round trip shows every mistake; fields that did not
// parse are reported once, by the parser.
func shapeErrors(in dak.ProposalInput, parsed dak.Fields) dak.Fields {
	out := append(dak.Fields(nil), parsed...)
	seen := map[string]bool{}
	for _, f := range parsed {
		seen[f.Field] = true
	}
	if de, ok := dak.AsError(in.Validate()); ok {
		for _, f := range de.Fields {
			if !seen[f.Field] {
				out = append(out, f)
			}
		}
	}
	return out
}
