package web

import (
	"fmt"
	"net/url"

	"dakflow/internal/dak"
)

// Lines shaped like the RAB (the proposal's budget lines, the RK's
// activities): as typed, parsed into budget lines, written back, and the
// editor that adds, removes and totals them as the user types.

// lineRow is one RAB or RK line as typed.
type lineRow struct {
	Category, Description, Quantity, Unit, UnitPrice string
	Total                                            dak.Money
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
	Note       string // the reviewer's note on the whole list
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
