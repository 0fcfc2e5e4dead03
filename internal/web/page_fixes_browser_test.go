package web_test

import (
	"fmt"
	"strings"
	"testing"

	"dakflow/internal/web/apitest"
)

// TestPagesFitTheScreen: at 1366×768 the approver's queue and the
// auditor's search show every column without scrolling sideways, and so do
// they on a 390×844 phone, where the RAB editor's cells carry their labels.
func TestPagesFitTheScreen(t *testing.T) {
	env := apitest.NewEnv(t)
	b := newBrowser(t, env.URL)
	decide := env.Create(t, "revitalisasi", false)
	env.WalkTo(t, decide, false, "recommended")
	paying := env.Create(t, "revitalisasi", false)
	env.WalkTo(t, paying, false, "disbursement_requested")
	draft := env.Create(t, "revitalisasi", false)

	// A table hides its last columns inside its scrolling wrapper, not the
	// page: every wrapper must fit as well as the page.
	const fits = `document.documentElement.scrollWidth <= window.innerWidth &&
		[...document.querySelectorAll('.table-wrap')].every(w => w.scrollWidth <= w.clientWidth + 1)`
	for _, c := range []struct {
		user string
		w, h int64
	}{{"penetap", 1366, 768}, {"auditor", 1366, 768}, {"penetap", 390, 844}, {"auditor", 390, 844}} {
		tb := b.login(c.user, c.w, c.h)
		tb.open("/")
		if n := eval[int](tb, `document.querySelectorAll('tr[data-proposal]').length`); n == 0 {
			t.Fatalf("%s at %dx%d: no proposal listed", c.user, c.w, c.h)
		}
		if !eval[bool](tb, fits) {
			tb.shot(fmt.Sprintf("scroll-%s-%d", c.user, c.w), true)
			t.Errorf("%s at %dx%d: the page or a table scrolls sideways (page %d, widest table %d)", c.user, c.w, c.h,
				eval[int](tb, `document.documentElement.scrollWidth`),
				eval[int](tb, `Math.max(0, ...[...document.querySelectorAll('.table-wrap')].map(w => w.scrollWidth - w.clientWidth))`))
		}
		// Nor does an amount break inside its digits to fit (issue 12, item 7).
		if broken := eval[[]string](tb, dayBrokenAmounts); len(broken) > 0 {
			t.Errorf("%s at %dx%d: amounts broken inside their digits: %s", c.user, c.w, c.h, strings.Join(broken, "; "))
		}
	}

	phone := b.login("pemda", 390, 844)
	phone.open(fmt.Sprintf("/proposals/%d/edit", draft))
	label := eval[string](phone, `getComputedStyle(document.querySelector('[data-rows="budget_lines"] tr[data-row] td[data-label="Kuantitas"]'), '::before').content`)
	if label != `"Kuantitas"` {
		t.Errorf("the RAB editor on a phone: the quantity cell's label is %s", label)
	}
	if !eval[bool](phone, `document.documentElement.scrollWidth <= window.innerWidth`) {
		phone.shot("scroll-rab-phone", true)
		t.Errorf("the RAB editor scrolls sideways on a phone")
	}
	// Filled as a user types it: a fieldset is as wide as its widest
	// content unless told otherwise, and the RAB's was a pixel too wide.
	phone.open("/proposals/new")
	fillProposal(phone, "Revitalisasi Sentra IKM Tenun Tapis")
	if !eval[bool](phone, `document.documentElement.scrollWidth <= window.innerWidth`) {
		phone.shot("scroll-new-phone", true)
		t.Errorf("the new proposal's form, filled in, scrolls sideways on a phone (%d px wide)",
			eval[int](phone, `document.documentElement.scrollWidth`))
	}
}
