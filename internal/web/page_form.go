package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"dakflow/internal/dak"
	"dakflow/internal/region"
)

// proposalForm is the proposal form as typed: every value kept as text, so
// that a form with mistakes comes back exactly as the user left it. Field
// names on the page are the API's JSON paths (PRODUCT.md §6).
type proposalForm struct {
	FiscalYear, Menu, Title                     string
	Name, Commodity, Village, Address, Lat, Lon string
	IKMUnits, Workers, DecreeNumber, DecreeDate string
	AreaM2, Ownership, Certificate              string
	Lines                                       []lineRow
	Outputs                                     []outputRow
}

// lineRow is one RAB or RK line as typed.
type lineRow struct {
	Category, Description, Quantity, Unit, UnitPrice string
	Total                                            dak.Money
}

// outputRow is one planned output as typed.
type outputRow struct{ Description, Volume, Unit string }

// parseProposalForm reads the posted form.
func parseProposalForm(v url.Values) proposalForm {
	g := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	f := proposalForm{FiscalYear: g("fiscal_year"), Menu: g("menu"), Title: g("title"),
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

// parseLines reads RAB-shaped rows under prefix.
func parseLines(v url.Values, prefix string) []lineRow {
	var out []lineRow
	for _, r := range rows(v, prefix) {
		out = append(out, lineRow{Category: r["category"], Description: r["description"], Quantity: r["quantity"],
			Unit: r["unit"], UnitPrice: r["unit_price"]})
	}
	return out
}

// input turns the typed form into the engine's input; values that are not
// numbers or dates are reported by path, the rest is the engine's to judge.
func (f proposalForm) input() (dak.ProposalInput, dak.Fields) {
	var errs dak.Fields
	in := dak.ProposalInput{Menu: dak.Menu(f.Menu), Title: f.Title,
		Sentra: dak.SentraInput{Name: f.Name, Commodity: f.Commodity, VillageCode: f.Village, Address: f.Address,
			Latitude: coordinate(&errs, "sentra.latitude", f.Lat), Longitude: coordinate(&errs, "sentra.longitude", f.Lon),
			IKMUnits: int(integer(&errs, "sentra.ikm_units", f.IKMUnits)), Workers: int(integer(&errs, "sentra.workers", f.Workers)),
			DecreeNumber: f.DecreeNumber, DecreeDate: f.DecreeDate},
		Land: dak.Land{AreaM2: integer(&errs, "land.area_m2", f.AreaM2), Ownership: f.Ownership, CertificateNumber: f.Certificate}}
	in.FiscalYear = int(integer(&errs, "fiscal_year", f.FiscalYear))
	in.BudgetLines = linesInput(&errs, "budget_lines", f.Lines)
	for i, o := range f.Outputs {
		in.Outputs = append(in.Outputs, dak.Output{Description: o.Description, Unit: o.Unit,
			Volume: integer(&errs, fmt.Sprintf("outputs[%d].volume", i), o.Volume)})
	}
	return in, errs
}

// linesInput parses typed lines into budget lines.
func linesInput(errs *dak.Fields, prefix string, rows []lineRow) []dak.BudgetLine {
	out := []dak.BudgetLine{}
	for i, l := range rows {
		at := fmt.Sprintf("%s[%d]", prefix, i)
		out = append(out, dak.BudgetLine{Category: l.Category, Description: l.Description, Unit: l.Unit,
			Quantity: integer(errs, at+".quantity", l.Quantity), UnitPrice: money(errs, at+".unit_price", l.UnitPrice)})
	}
	return out
}

// formOf writes stored content back into a form.
func formOf(in dak.ProposalInput) proposalForm {
	s := in.Sentra
	f := proposalForm{FiscalYear: fmtInt(int64(in.FiscalYear)), Menu: string(in.Menu), Title: in.Title,
		Name: s.Name, Commodity: s.Commodity, Village: s.VillageCode, Address: s.Address, Lat: fmtCoord(s.Latitude),
		Lon: fmtCoord(s.Longitude), IKMUnits: fmtInt(int64(s.IKMUnits)), Workers: fmtInt(int64(s.Workers)),
		DecreeNumber: s.DecreeNumber, DecreeDate: s.DecreeDate, AreaM2: fmtInt(in.Land.AreaM2),
		Ownership: in.Land.Ownership, Certificate: in.Land.CertificateNumber, Lines: linesOf(in.BudgetLines)}
	for _, o := range in.Outputs {
		f.Outputs = append(f.Outputs, outputRow{Description: o.Description, Volume: fmtInt(o.Volume), Unit: o.Unit})
	}
	return f
}

// linesOf writes budget lines back into typed rows.
func linesOf(lines []dak.BudgetLine) []lineRow {
	var out []lineRow
	for _, l := range lines {
		out = append(out, lineRow{Category: l.Category, Description: l.Description, Quantity: fmtInt(l.Quantity),
			Unit: l.Unit, UnitPrice: fmtMoney(l.UnitPrice)})
	}
	return out
}

// lineEditor is the RAB editor: rows that add, remove and total as you type.
type lineEditor struct {
	Prefix     string
	Rows       []lineEditorRow
	Categories []option
	Total      dak.Money
	Errors     fieldErrors
}

// lineEditorRow is one row of the editor with its own category choice.
type lineEditorRow struct {
	Index      int
	Line       lineRow
	Categories []option
	Total      dak.Money
}

// newLineEditor builds an editor over typed rows; totals of rows that parse
// are shown before any script runs.
func newLineEditor(prefix string, rows []lineRow, errs fieldErrors) lineEditor {
	ed := lineEditor{Prefix: prefix, Categories: optionsOf(dak.Categories, ""), Errors: errs}
	if len(rows) == 0 {
		rows = []lineRow{{}}
	}
	for i, r := range rows {
		var scratch dak.Fields
		q := integer(&scratch, "", r.Quantity)
		price := money(&scratch, "", r.UnitPrice)
		var total dak.Money
		if q > 0 && q <= dak.MaxQuantity && price > 0 && price <= dak.MaxMoney/dak.Money(q) {
			total = dak.Money(q) * price
		}
		ed.Total += total
		ed.Rows = append(ed.Rows, lineEditorRow{Index: i, Line: r, Categories: optionsOf(dak.Categories, r.Category), Total: total})
	}
	return ed
}

// regionSelect is one step of the desa picker, from below the pemda's own
// region down to the desa/kelurahan.
type regionSelect struct {
	Label, Noun, Name string
	Level             int
	Options           []option
}

// regionPicker builds the selects for a pemda of region own, with the
// chosen village (if any) preselected at every level.
func regionPicker(own, village string) []regionSelect {
	ownCode := region.Code(own)
	var path []region.Region
	if code, err := region.ParseCode(village); err == nil && code.IsWithin(ownCode) {
		path = region.Path(code)
	}
	var out []regionSelect
	parent := own
	for lv := ownCode.Level() + 1; lv <= region.Village; lv++ {
		noun := lv.NameIn(ownCode) // distrik and kampung in Papua
		sel := regionSelect{Label: strings.ToUpper(noun[:1]) + noun[1:], Noun: noun, Level: int(lv)}
		chosen := ""
		if len(path) >= int(lv) {
			chosen = string(path[lv-1].Code)
		}
		if parent != "" {
			sel.Options = regionOptions(parent, chosen)
		}
		if lv == region.Village {
			sel.Name = "sentra.village_code"
		}
		out = append(out, sel)
		parent = chosen
	}
	return out
}

// yearOptions are the fiscal years a proposal may be filed for.
func yearOptions(fys []dak.FiscalYear, selected string) []option {
	var out []option
	seen := false
	for _, fy := range fys {
		y := strconv.Itoa(fy.Year)
		out = append(out, option{Value: y, Label: "Tahun anggaran " + y, Selected: y == selected})
		seen = seen || y == selected
	}
	if !seen && selected != "" {
		out = append(out, option{Value: selected, Label: "Tahun anggaran " + selected, Selected: true})
	}
	return out
}

// formVersion is the proposal version a page form was opened with, sent
// back as its precondition (the API's If-Match). Every page form carries
// one: a missing or bad version is refused, never read as "no
// precondition", which would let a stale form overwrite a newer proposal.
func formVersion(form url.Values) (int64, error) {
	v, err := strconv.ParseInt(strings.TrimSpace(form.Get("version")), 10, 64)
	if err != nil || v <= 0 {
		return 0, malformed("version", "versi usulan pada formulir tidak ada atau tidak valid; muat ulang halaman")
	}
	return v, nil
}
