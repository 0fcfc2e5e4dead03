package web

import (
	"cmp"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// fieldOrder is the order in which a form shows its fields, by JSON path,
// so that the error summary above the form reads from top to bottom as
// the form does rather than in the order the checks ran (issue 12). A
// list's lines are named once with "[]" ("budget_lines[].unit_price"),
// after the list itself ("budget_lines", its own messages); a name ending
// in ".*" stands for every path under it ("region_ceilings.*").
type fieldOrder []string

// sort puts a summary in the form's order: lines by line number, a line's
// parts in order; a field the form does not list comes last, where the
// checks put it.
func (o fieldOrder) sort(ps []formProblem) {
	slices.SortStableFunc(ps, func(a, b formProblem) int {
		ka, kb := o.key(a.Field), o.key(b.Field)
		for i := range ka {
			if c := cmp.Compare(ka[i], kb[i]); c != 0 {
				return c
			}
		}
		return 0
	})
}

// linePart splits "budget_lines[2].unit_price" into the list, the line
// and the rest (".unit_price").
var linePart = regexp.MustCompile(`^([A-Za-z0-9_.]+)\[([0-9]+)\](.*)$`)

// key ranks a path: the field's place, then its line (-1 for none), then
// the part's place within the line.
func (o fieldOrder) key(path string) [3]int {
	if m := linePart.FindStringSubmatch(path); m != nil {
		n, _ := strconv.Atoi(m[2])
		return [3]int{o.rank(m[1]), n, o.rank(m[1] + "[]" + m[3])}
	}
	return [3]int{o.rank(path), -1, 0}
}

// rank is the place of a path in the order, len(o) when it is not there.
func (o fieldOrder) rank(path string) int {
	if i := slices.Index(o, path); i >= 0 {
		return i
	}
	for i, f := range o {
		if prefix, ok := strings.CutSuffix(f, "*"); ok && strings.HasPrefix(path, prefix) {
			return i
		}
	}
	return len(o)
}

// proposalFormOrder is the proposal form's fields as proposal_form.html
// shows them; the region (region_code) is told by the desa picker.
var proposalFormOrder = fieldOrder{"fiscal_year", "menu", "title",
	"sentra_id", "sentra.name", "sentra.commodity", "region_code", "sentra.village_code", "sentra.address", "sentra.latitude", "sentra.longitude",
	"sentra.ikm_units", "sentra.workers", "sentra.decree_number", "sentra.decree_date",
	"land.area_m2", "land.ownership", "land.certificate_number",
	"budget_lines", "budget_lines[].category", "budget_lines[].description", "budget_lines[].quantity", "budget_lines[].unit",
	"budget_lines[].unit_price",
	"outputs", "outputs[].description", "outputs[].volume", "outputs[].unit"}

// userFormOrder is the order of the user forms (admin_users.html and
// admin_user.html; the edit form has no username).
var userFormOrder = fieldOrder{"username", "full_name", "nip", "position", "role", "region_code", "email", "password"}

// fiscalYearFormOrder is the order of the fiscal-year form
// (admin_fiscal_years.html).
var fiscalYearFormOrder = fieldOrder{"year", "ceiling", "submission_deadline", "calendar.submission_opens",
	"calendar.submission_closes", "calendar.rk_deadline", "calendar.stage_deadlines.*", "calendar.*",
	"menu_ceilings.pembangunan", "menu_ceilings.revitalisasi", "menu_ceilings.*",
	"region_ceilings", "region_ceilings.*", "change_reason", "legal_basis"}

// reportFormOrder and visitFormOrder are the order of a sentra's report
// and field-visit forms (sentra_reports.html).
var (
	reportFormOrder = fieldOrder{"period", "condition", "ikm_using", "workers", "occupancy_percent", "production_value",
		"operating_budget", "issues"}
	visitFormOrder = fieldOrder{"date", "status", "findings"}
)

// eventFormOrders are the orders of the action forms on the proposal page
// (proposal.html), by kind; each ends with its comment.
var eventFormOrders = map[formKind]fieldOrder{
	formRecommendation: {"data.recommended_amount", "data.amount_reason", "data.checklist", "data.checklist.*",
		"data.checklist[].met", "data.checklist[].note", "comment"},
	formNotes:      {"data.notes", "data.notes[].field", "data.notes[].note", "comment"},
	formAmount:     {"data.amount", "data.amount_reason", "comment"},
	formRKApproval: {"data.departure_basis", "comment"},
	formRK: {"data.activities", "data.activities[].category", "data.activities[].description", "data.activities[].quantity",
		"data.activities[].unit", "data.activities[].unit_price", "comment"},
	formStage: {"data.stage", "data.contract_value", "data.absorbed_amount", "data.output_percent", "data.kppn",
		"data.completion_need", "attachments.*", "comment"},
	formSP2D:       {"data.amount", "data.sp2d_number", "data.sp2d_date", "comment"},
	formExtension:  {"data.stage", "data.until", "data.legal_basis", "comment"},
	formCompletion: {"data.output_percent", "data.absorbed_amount", "data.bast_number", "data.bast_date", "data.shortfall", "attachments.*", "comment"},
}
