package web_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"dakflow/internal/web/apitest"
)

// fire opens the proposal page, presses the event's button, lets fill type
// into its form and sends it; the page that comes back must show no errors.
func (tb *tab) fire(id int64, event string, fill func()) {
	tb.t.Helper()
	tb.tryFire(id, event, fill)
	if errs := tb.formErrors(); errs != "" {
		tb.shot("error-"+tb.name+"-"+event, true)
		tb.t.Fatalf("%s: %s on proposal %d: %s", tb.name, event, id, errs)
	}
}

// tryFire is fire without the check, for a form that should fail.
func (tb *tab) tryFire(id int64, event string, fill func()) {
	tb.t.Helper()
	tb.open(fmt.Sprintf("/proposals/%d", id))
	btn := fmt.Sprintf(`button[data-event="%s"]`, event)
	if !tb.exists(btn) {
		tb.t.Fatalf("%s: no %s button on proposal %d (state %q)", tb.name, event, id, tb.text("[data-state]"))
	}
	tb.do(chromedpClick(btn))
	if !eval[bool](tb, fmt.Sprintf(`!document.getElementById("form-%s").hidden`, event)) {
		tb.t.Fatalf("%s: the %s button did not open its form", tb.name, event)
	}
	if fill != nil {
		fill()
	}
	tb.submit(fmt.Sprintf(`#form-%s button[type=submit]`, event))
}

// state is the state shown in the proposal header.
func (tb *tab) state() string {
	tb.t.Helper()
	return eval[string](tb, `(document.querySelector('[data-proposal-header] [data-state]')||{dataset:{}}).dataset.state||''`)
}

// upload sends one attachment through the upload form of the current page.
func (tb *tab) upload(kind, file string) {
	tb.t.Helper()
	tb.set("#up-kind", kind)
	tb.do(chromedpUpload("#up-file", file))
	tb.submit(`form[data-upload] button[type=submit]`)
	if errs := tb.formErrors(); errs != "" {
		tb.t.Fatalf("%s: upload %s: %s", tb.name, kind, errs)
	}
}

// pdfFile writes a small PDF for uploads and returns its path.
func pdfFile(t *testing.T, dir, kind string) string {
	t.Helper()
	p := filepath.Join(dir, kind+".pdf")
	if err := os.WriteFile(p, apitest.PDFBytes(kind), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// fillProposal types a revitalisasi proposal for Kota Bandar Lampung into
// the form, row by row, as an officer would; the RAB totals
// Rp3.215.000.000 (bertahap once allocated above Rp1 miliar).
func fillProposal(tb *tab, title string) {
	tb.t.Helper()
	tb.set("#f-menu", "revitalisasi")
	if title != "" {
		tb.typeIn("#f-title", title)
	}
	tb.typeIn("#f-sentra-name", "Sentra IKM Tenun Tapis")
	tb.typeIn("#f-sentra-commodity", "Kain tenun tapis")
	tb.set("#region-3", "18.71.01")
	tb.do(chromedpWaitReady(`#region-4[data-loaded="18.71.01"]`))
	tb.set("#region-4", "18.71.01.1003")
	tb.typeIn("#f-sentra-address", "Jalan Way Halim No. 5")
	tb.typeIn("#f-sentra-latitude", "-5,41")
	tb.typeIn("#f-sentra-longitude", "105,26")
	tb.typeIn("#f-sentra-ikm_units", "15")
	tb.typeIn("#f-sentra-workers", "60")
	tb.typeIn("#f-sentra-decree_number", "188.45/112/IV.40/2019")
	tb.set("#f-sentra-decree_date", "2019-04-15")
	lines := [][]string{
		{"gedung_produksi", "Gedung produksi bersama", "1", "paket", "1.400.000.000"},
		{"mesin_peralatan", "Mesin tenun ATBM", "6", "unit", "200000000"},
		{"ipal", "Instalasi pengolahan air limbah", "1", "paket", "600.000.000"},
		{"papan_identitas", "Papan identitas sentra", "1", "buah", "15.000.000"},
	}
	for i, l := range lines {
		if i > 0 {
			tb.do(chromedpClick(`[data-rows="budget_lines"] [data-add-row]`))
		}
		at := func(f string) string { return fmt.Sprintf(`[name="budget_lines[%d].%s"]`, i, f) }
		tb.set(at("category"), l[0])
		tb.typeIn(at("description"), l[1])
		tb.typeIn(at("quantity"), l[2])
		tb.typeIn(at("unit"), l[3])
		tb.typeIn(at("unit_price"), l[4])
	}
	outputs := [][]string{{"Gedung produksi", "1", "unit"}, {"Mesin tenun", "6", "unit"}}
	for i, o := range outputs {
		if i > 0 {
			tb.do(chromedpClick(`[data-rows="outputs"] [data-add-row]`))
		}
		tb.typeIn(fmt.Sprintf(`[name="outputs[%d].description"]`, i), o[0])
		tb.typeIn(fmt.Sprintf(`[name="outputs[%d].volume"]`, i), o[1])
		tb.typeIn(fmt.Sprintf(`[name="outputs[%d].unit"]`, i), o[2])
	}
}

// idFromLocation reads the proposal id from /proposals/{id}/….
func idFromLocation(t *testing.T, loc string) int64 {
	t.Helper()
	_, rest, ok := strings.Cut(loc, "/proposals/")
	if !ok {
		t.Fatalf("not a proposal page: %s", loc)
	}
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	id, err := strconv.ParseInt(rest[:end], 10, 64)
	if err != nil {
		t.Fatalf("not a proposal page: %s", loc)
	}
	return id
}
