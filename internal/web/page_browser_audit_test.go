package web_test

import (
	"strings"
	"testing"
	"time"
)

// TestAuditorInBrowser: the auditor's work through the pages in Chromium —
// a search by actor and dates, an export requested and watched until it is
// done (the page refreshes itself), and the access log — on a laptop and
// on a phone, with screenshots.
func TestAuditorInBrowser(t *testing.T) {
	f := newSearchFixture(t)
	b := newBrowser(t, f.e.URL)
	f.e.RunExports(t)
	aud := b.login("auditor", 1366, 768)

	if st := aud.open("/?actor=verifikator2&from=2026-03-12&to=2026-03-12"); st != 200 {
		t.Fatalf("search page = %d", st)
	}
	if n := eval[int](aud, `document.querySelectorAll('tr[data-proposal]').length`); n != 1 {
		t.Errorf("search by actor and dates lists %d proposals, want 1", n)
	}
	aud.shot("auditor-search", true)
	aud.set("#f-from", "2026-03-13")
	aud.set("#f-to", "2026-03-11")
	aud.submit(`form[data-filters] button[type=submit]`)
	if got := aud.formErrors(); !strings.Contains(got, "from") {
		t.Errorf("to before from: the page says %q, want the problem named", got)
	}

	aud.open("/exports")
	aud.set("#x-region", "18.71")
	aud.submit(`form[data-request-export] button[type=submit]`)
	if !strings.HasPrefix(aud.location(), f.e.URL+"/exports/") {
		t.Fatalf("after requesting an export the browser is at %s: %s", aud.location(), aud.formErrors())
	}
	deadline := time.Now().Add(60 * time.Second)
	for eval[string](aud, `(document.querySelector('[data-export-state]')||{dataset:{}}).dataset.exportState||''`) != "done" {
		if time.Now().After(deadline) {
			t.Fatalf("the export page never showed the export done (it refreshes itself): %s", aud.text("main"))
		}
		time.Sleep(200 * time.Millisecond)
	}
	if !aud.exists(`a[data-download-export]`) || aud.text(`[data-done]`) != "3 dari 3 usulan" {
		t.Errorf("finished export page: %q", aud.text("main"))
	}
	aud.shot("auditor-export", true)

	aud.open("/access-log")
	if n := eval[int](aud, `document.querySelectorAll('tr[data-access]').length`); n != 1 {
		t.Errorf("access log lists %d lines, want the export request", n)
	}
	aud.shot("auditor-access-log", true)

	phone := b.login("auditor", 390, 844)
	phone.open("/exports")
	phone.shot("auditor-exports-phone", true)
	if w := eval[int](phone, `document.documentElement.scrollWidth`); w > 400 {
		t.Errorf("the exports page is %d px wide on a 390 px phone", w)
	}
}
