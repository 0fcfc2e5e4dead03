package web

import (
	"crypto/rand"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/region"
	"dakflow/internal/store"
)

// The registry's forms (PRODUCT.md §9): register a sentra, edit one and
// record its status, each saved through the same validation and store
// call as the API (sentra.go). A refused form comes back as typed, every
// problem beside its field and in a summary at the top whose lines link
// to the fields.

// registryLabels name the fields of the registry's forms.
var registryLabels = map[string]string{"name": "Nama sentra", "commodity": "Komoditas/produk", "region_code": "Wilayah",
	"village_code": "Desa/kelurahan", "address": "Alamat", "latitude": "Lintang", "longitude": "Bujur",
	"ikm_units": "Jumlah unit usaha", "workers": "Jumlah tenaga kerja", "decree_number": "Nomor SK penetapan",
	"decree_date": "Tanggal SK penetapan", "established_year": "Tahun berdiri", "status": "Status",
	"status_date": "Tanggal status", "status_basis": "Dasar status", "date": "Tanggal status", "basis": "Dasar perubahan",
	"note": "Catatan", "version": "Versi"}

// registryFields are the fields of the forms in the order they show them,
// which the summary follows.
var registryFields = []string{"name", "commodity", "ikm_units", "workers", "established_year", "region_code", "village_code",
	"address", "latitude", "longitude", "decree_number", "decree_date", "status", "status_date", "status_basis", "date",
	"basis", "note"}

func registryOrder(field string) int {
	if i := slices.Index(registryFields, field); i >= 0 {
		return i
	}
	return len(registryFields)
}

// sentraFormPage is the page of one registry form: the record's
// (Record) or a status change's (Change).
type sentraFormPage struct {
	pageBase
	SentraID int64  // 0 when registering
	Name     string // the sentra's, when it exists
	Action   string
	Record   *registryFormView
	Change   *statusFormView
	Errors   fieldErrors
	Summary  []registryProblem
	Headline string
}

// registryProblem is one line of a form's summary, linked to its field.
type registryProblem struct{ Anchor, Label, Message string }

// registryFormView is the register or edit form.
type registryFormView struct {
	Edit    bool
	Version int64
	// Key is a new record's Idempotency-Key, fresh in every form shown,
	// so that the button pressed twice registers one sentra and both
	// answers lead to it.
	Key      string
	Region   string // the fixed region, named; "" when the desa decides it
	F        registryForm
	Regions  []regionSelect
	Statuses []option
}

// statusFormView is the form of a status change, with the status it
// changes.
type statusFormView struct {
	Current, Since    string
	Status            []option
	Date, Basis, Note string
	// Key is the form's Idempotency-Key, fresh in every form shown, so
	// that the button pressed twice records one history line.
	Key string
}

// registryForm is a registry record as typed: text, so that a refused
// form comes back as the user left it. Names are the API's JSON fields.
type registryForm struct {
	Name, Commodity, Village, Address, Lat, Lon              string
	IKMUnits, Workers, DecreeNumber, DecreeDate, Established string
	Status, StatusDate, StatusBasis                          string
}

func parseRegistryForm(c echo.Context, edit bool) registryForm {
	g := c.FormValue
	f := registryForm{Name: g("name"), Commodity: g("commodity"), Village: g("village_code"), Address: g("address"),
		Lat: g("latitude"), Lon: g("longitude"), IKMUnits: g("ikm_units"), Workers: g("workers"),
		DecreeNumber: g("decree_number"), DecreeDate: g("decree_date"), Established: g("established_year")}
	if !edit { // a record's status changes only through its history
		f.Status, f.StatusDate, f.StatusBasis = g("status"), g("status_date"), g("status_basis")
	}
	return f
}

// input turns the typed form into the registry's input; what is not a
// number where one belongs is named by field, the rest is Validate's.
// Coordinates may be typed with a decimal comma ("-5,14").
func (f registryForm) input() (dak.SentraRecordInput, dak.Fields) {
	var errs dak.Fields
	in := dak.SentraRecordInput{Name: f.Name, Commodity: f.Commodity, VillageCode: f.Village, Address: f.Address,
		Latitude: coordinate(&errs, "latitude", f.Lat), Longitude: coordinate(&errs, "longitude", f.Lon),
		IKMUnits: int(integer(&errs, "ikm_units", f.IKMUnits)), Workers: int(integer(&errs, "workers", f.Workers)),
		DecreeNumber: f.DecreeNumber, DecreeDate: formDate(&errs, "decree_date", f.DecreeDate), Status: dak.SentraStatus(f.Status),
		StatusDate: formDate(&errs, "status_date", f.StatusDate), StatusBasis: f.StatusBasis}
	if strings.TrimSpace(f.Established) != "" {
		n := len(errs)
		if y := int(integer(&errs, "established_year", f.Established)); len(errs) == n {
			in.EstablishedYear = &y
		}
	}
	return in, errs
}

// registryFormOf writes a record back into the edit form.
func registryFormOf(s dak.Sentra) registryForm {
	f := registryForm{Name: s.Name, Commodity: s.Commodity, Village: s.VillageCode, Address: s.Address,
		IKMUnits: strconv.Itoa(s.IKMUnits), Workers: strconv.Itoa(s.Workers), DecreeNumber: s.DecreeNumber, DecreeDate: s.DecreeDate}
	if s.Latitude != nil && s.Longitude != nil {
		f.Lat, f.Lon = dak.FormatCoordinate(*s.Latitude), dak.FormatCoordinate(*s.Longitude)
	}
	if s.EstablishedYear != nil {
		f.Established = strconv.Itoa(*s.EstablishedYear)
	}
	return f
}

// checkRegistry validates in for u and joins what could not be read
// (parsed) with the record's rules, each field named once, so that one
// round trip shows every mistake.
func (p *pages) checkRegistry(in *dak.SentraRecordInput, parsed dak.Fields, u dak.User, creating bool) error {
	err := in.Validate(u, p.s.store.Now(), knownRegion, creating)
	if len(parsed) == 0 {
		return err
	}
	out := append(dak.Fields(nil), parsed...)
	if de, ok := dak.AsError(err); ok {
		for _, f := range de.Fields {
			if !slices.ContainsFunc(out, func(e dak.FieldError) bool { return e.Field == f.Field }) {
				out = append(out, f)
			}
		}
	}
	return out.Err("data sentra tidak valid")
}

// showRefusal puts a refusal's messages on the form; false for an error no
// form shows (not found, forbidden, a fault), which the error page shows.
func (d *sentraFormPage) showRefusal(err error) bool {
	de, ok := dak.AsError(err)
	if !ok || errors.Is(err, dak.ErrNotFound) || errors.Is(err, dak.ErrForbidden) || len(de.Fields) == 0 &&
		!errors.Is(err, dak.ErrPrecondition) && !errors.Is(err, dak.ErrConflict) {
		return false
	}
	d.Headline = de.Detail
	if r, n := utf8.DecodeRuneInString(de.Detail); n > 0 {
		d.Headline = string(unicode.ToUpper(r)) + de.Detail[n:]
	}
	fields := slices.Clone(de.Fields)
	slices.SortStableFunc(fields, func(a, b dak.FieldError) int { return registryOrder(a.Field) - registryOrder(b.Field) })
	for _, f := range fields {
		field := f.Field
		if field == "region_code" { // the region follows from the desa
			field = "village_code"
		}
		d.Errors[field] = append(d.Errors[field], f.Message)
		label := registryLabels[f.Field]
		if label == "" {
			label = fieldLabel(f.Field)
		}
		d.Summary = append(d.Summary, registryProblem{Anchor: "f-" + field, Label: label, Message: f.Message})
	}
	return true
}

// registryPage is the register or edit form for u, around f. A pemda's
// region is its own; an edited record keeps its region; otherwise the
// desa chosen decides it.
func (p *pages) registryPage(c echo.Context, f registryForm, s *dak.Sentra) sentraFormPage {
	u := currentUser(c)
	v := &registryFormView{F: f}
	own, _ := u.RegionScope()
	data := sentraFormPage{pageBase: p.base(c, "Daftarkan sentra"), Action: "/sentra/baru", Record: v, Errors: fieldErrors{}}
	if s != nil {
		own = s.RegionCode
		data.Title, data.SentraID, data.Name = "Ubah "+s.Name, s.ID, s.Name
		data.Action = "/sentra/" + strconv.FormatInt(s.ID, 10) + "/ubah"
		v.Edit, v.Version = true, s.Version
	} else {
		v.Key = rand.Text()
		st := dak.SentraStatus(f.Status)
		if st == "" {
			st = dak.SentraAktif
		}
		v.Statuses = sentraStatusOptions(st)
	}
	if own != "" {
		v.Region = regionName(own) + " (" + own + ")"
	}
	v.Regions = registryPicker(own, strings.TrimSpace(f.Village))
	return data
}

// registryPicker is the desa picker of the form: the selects from below
// the region own ("" for all of Indonesia, from the province) down to the
// desa, which is the record's village_code, the chosen desa's path
// preselected. Each select lists the choices under the one above it once
// that one is chosen; the page's script fills them as the user chooses.
func registryPicker(own, village string) []regionSelect {
	ownCode := region.Code(own)
	var path []region.Region
	if code, err := region.ParseCode(village); err == nil && code.Level() == region.Village && (own == "" || code.IsWithin(ownCode)) {
		path = region.Path(code)
	}
	speech := ownCode // names the levels: distrik and kampung in Papua
	if len(path) > 0 {
		speech = path[len(path)-1].Code
	}
	var out []regionSelect
	parent, known := own, true
	for lv := ownCode.Level() + 1; lv <= region.Village; lv++ {
		noun := lv.NameIn(speech)
		sel := regionSelect{Label: strings.ToUpper(noun[:1]) + noun[1:], Noun: noun, Level: int(lv)}
		chosen := ""
		if len(path) >= int(lv) {
			chosen = string(path[lv-1].Code)
		}
		if known {
			sel.Options = regionOptions(parent, chosen)
		}
		if lv == region.Village {
			sel.Name = "village_code"
		}
		out = append(out, sel)
		parent, known = chosen, chosen != ""
	}
	return out
}

func sentraStatusOptions(selected dak.SentraStatus) []option {
	out := make([]option, len(dak.SentraStatuses))
	for i, st := range dak.SentraStatuses {
		out[i] = option{Value: string(st), Label: st.Label(), Selected: st == selected}
	}
	return out
}

// newSentraForm is GET /sentra/baru.
func (p *pages) newSentraForm(c echo.Context) error {
	f := registryForm{StatusDate: p.s.store.Now().In(dak.WIB).Format("2006-01-02")}
	return p.render(c, http.StatusOK, "sentra_form", p.registryPage(c, f, nil))
}

// registerSentra is POST /sentra/baru: the record registered as POST
// /api/v1/sentra registers it, then its page.
func (p *pages) registerSentra(c echo.Context) error {
	u := currentUser(c)
	f := parseRegistryForm(c, false)
	in, parsed := f.input()
	key := c.FormValue("idempotency_key")
	err := p.checkRegistry(&in, parsed, u, true)
	if err == nil {
		var s dak.Sentra
		if s, _, err = p.s.registerSentra(c, in, formKey(key)); err == nil {
			return c.Redirect(http.StatusSeeOther, "/sentra/"+strconv.FormatInt(s.ID, 10)+"?created=1")
		}
	}
	data := p.registryPage(c, f, nil)
	if errors.Is(err, store.ErrKeyReused) {
		// The form registered a sentra, then was sent again with other
		// data (the back button): nothing more is registered until it is
		// sent again, under the fresh key of the form shown now.
		data.Headline = keyUsedNotice("sentra yang dikirim dengan formulir ini sudah terdaftar",
			"hendak mendaftarkan sentra lain")
		return p.render(c, http.StatusUnprocessableEntity, "sentra_form", data)
	}
	if !data.showRefusal(err) {
		return err
	}
	// A refused registration saved nothing: sent again corrected, it is
	// the same request, under the same key.
	if formKey(key) != "" {
		data.Record.Key = key
	}
	return p.render(c, problemFor(err).Status, "sentra_form", data)
}

// editableSentra reads the path's record for a form of u: 404 for one u
// may not see, 403 for one u may see but not change (may).
func (p *pages) editableSentra(c echo.Context, may func(dak.User, string) bool) (dak.Sentra, error) {
	s, err := p.s.visibleSentra(c)
	if err != nil {
		return s, err
	}
	if !may(currentUser(c), s.RegionCode) {
		return s, dak.Errorf(dak.ErrForbidden, "peran Anda tidak dapat mengubah sentra ini")
	}
	return sentraNamed(s), nil
}

// editSentraForm is GET /sentra/{id}/ubah.
func (p *pages) editSentraForm(c echo.Context) error {
	s, err := p.editableSentra(c, dak.User.MayRegisterSentra)
	if err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "sentra_form", p.registryPage(c, registryFormOf(s), &s))
}

// editSentra is POST /sentra/{id}/ubah: saved as PUT /api/v1/sentra/{id}
// saves it, if the record is still at the version the form was opened
// with (the API's If-Match).
func (p *pages) editSentra(c echo.Context) error {
	cur, err := p.editableSentra(c, dak.User.MayRegisterSentra)
	if err != nil {
		return err
	}
	version, err := strconv.ParseInt(strings.TrimSpace(c.FormValue("version")), 10, 64)
	if err != nil || version <= 0 {
		return malformed("version", "versi sentra pada formulir tidak ada atau tidak valid; muat ulang halaman")
	}
	u := currentUser(c)
	f := parseRegistryForm(c, true)
	in, parsed := f.input()
	in.RegionCode = cur.RegionCode
	err = p.checkRegistry(&in, parsed, u, false)
	if err == nil {
		if _, err = p.s.store.UpdateSentra(c.Request().Context(), cur.ID, version, in, u); err == nil {
			return c.Redirect(http.StatusSeeOther, "/sentra/"+strconv.FormatInt(cur.ID, 10)+"?saved=1")
		}
	}
	stale := errors.Is(err, dak.ErrPrecondition) || errors.Is(err, dak.ErrConflict)
	if stale {
		// The form carries the version now stored: the user has been
		// told, and saving again is a deliberate choice.
		if cur, err = p.s.visibleSentra(c); err != nil {
			return err
		}
		err = dak.Errorf(dak.ErrPrecondition, "Sentra ini telah diubah oleh pengguna lain sejak formulir dibuka. "+
			"Isian Anda masih di bawah; periksa halaman sentra, lalu simpan kembali.")
	}
	data := p.registryPage(c, f, &cur)
	if !data.showRefusal(err) {
		return err
	}
	return p.render(c, problemFor(err).Status, "sentra_form", data)
}

// statusPage is the status form of s around what was typed.
func (p *pages) statusPage(c echo.Context, s dak.Sentra, in dak.SentraStatusInput) sentraFormPage {
	today := p.s.store.Now().In(dak.WIB).Format("2006-01-02")
	if in.Date == "" {
		in.Date = today
	}
	opts := append([]option{{Value: "", Label: "— pilih —"}}, sentraStatusOptions(in.Status)...)
	return sentraFormPage{pageBase: p.base(c, "Catat status "+s.Name), SentraID: s.ID, Name: s.Name,
		Action: "/sentra/" + strconv.FormatInt(s.ID, 10) + "/status", Errors: fieldErrors{},
		Change: &statusFormView{Current: s.Status.Label(), Since: dayOf(s.StatusDate), Status: opts, Date: in.Date,
			Basis: in.Basis, Note: in.Note, Key: rand.Text()}}
}

// sentraStatusForm is GET /sentra/{id}/status.
func (p *pages) sentraStatusForm(c echo.Context) error {
	s, err := p.editableSentra(c, dak.User.MayRecordSentraStatus)
	if err != nil {
		return err
	}
	return p.render(c, http.StatusOK, "sentra_form", p.statusPage(c, s, dak.SentraStatusInput{}))
}

// recordSentraStatus is POST /sentra/{id}/status: a re-count's or a
// field visit's finding, recorded as POST /api/v1/sentra/{id}/status
// records it, under the form's key: pressed twice, or resent by the
// browser, the form records one history line, and the second answer leads
// where the first did.
func (p *pages) recordSentraStatus(c echo.Context) error {
	s, err := p.editableSentra(c, dak.User.MayRecordSentraStatus)
	if err != nil {
		return err
	}
	in := dak.SentraStatusInput{Status: dak.SentraStatus(c.FormValue("status")), Date: c.FormValue("date"),
		Basis: c.FormValue("basis"), Note: c.FormValue("note")}
	typed := in // Validate trims; the form comes back as typed
	key := c.FormValue("idempotency_key")
	var parsed dak.Fields
	in.Date = formDate(&parsed, "date", in.Date)
	err = withParsed(parsed, in.Validate(p.s.store.Now()), "perubahan status sentra tidak valid")
	if err == nil {
		if _, _, err = p.s.changeSentraStatus(c, s.ID, in, formKey(key)); err == nil {
			return c.Redirect(http.StatusSeeOther, "/sentra/"+strconv.FormatInt(s.ID, 10)+"?status=1#riwayat")
		}
	}
	data := p.statusPage(c, s, typed)
	if errors.Is(err, store.ErrKeyReused) {
		// The form recorded a change, then was sent again with other
		// content (the back button): nothing more is recorded until it is
		// sent again, under the fresh key of the form shown now.
		data.Headline = keyUsedNotice("perubahan status sentra ini sudah tercatat pada riwayat status",
			"hendak mencatat perubahan status lain")
		return p.render(c, http.StatusUnprocessableEntity, "sentra_form", data)
	}
	if !data.showRefusal(err) {
		return err
	}
	// A refused change recorded nothing: sent again corrected, it is the
	// same request, under the same key.
	if formKey(key) != "" {
		data.Change.Key = key
	}
	return p.render(c, problemFor(err).Status, "sentra_form", data)
}

// keyUsedNotice is what a form says when it was sent again, under the key
// it was answered with, with other content: what the first sending did,
// and that the other content is not saved until the form is sent again
// for another purpose.
func keyUsedNotice(done, purpose string) string {
	return "Formulir ini sudah pernah dikirim: " + done + "; isian sesudahnya belum dicatat. " +
		"Periksa isian di bawah, lalu kirim formulir ini sekali lagi bila memang " + purpose + "."
}

// registryNotice is what the sentra's page says after one of these forms
// saved and redirected to it.
func registryNotice(c echo.Context) string {
	switch {
	case c.QueryParam("created") != "":
		return "Sentra terdaftar di registri."
	case c.QueryParam("saved") != "":
		return "Data sentra tersimpan."
	case c.QueryParam("status") != "":
		return "Status sentra tercatat."
	}
	return ""
}
