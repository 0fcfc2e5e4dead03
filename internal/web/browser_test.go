package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"dakflow/internal/web/apitest"
)

// TestBrowserWalk takes one proposal from draft to completion through the
// pages alone, in headless Chromium, logging in as each role through the
// login page; it checks what each role can and cannot see, and saves
// screenshots of the key pages to $DAKFLOW_SCREENSHOTS (when set) for review.
func TestBrowserWalk(t *testing.T) {
	env := apitest.NewEnv(t)
	b := newBrowser(t, env.URL)
	env.RegisterTapis(t) // the living sentra the form's revitalisasi names
	files := t.TempDir()

	t.Log("login page, a wrong password shown in place")
	anon := b.anonymous("anon", 1366, 768)
	anon.open("/")
	if !strings.Contains(anon.location(), "/login?next=") {
		t.Fatalf("unauthenticated / went to %s, want the login page", anon.location())
	}
	anon.shot("01-login", false)
	anon.do(chromedpSendKeys("#username", "pemda"), chromedpSendKeys("#password", "salah-sekali"))
	anon.submit(`form[data-login] button[type=submit]`)
	if got := anon.text("#login-error"); !strings.Contains(got, "salah") {
		t.Fatalf("wrong password: error = %q", got)
	}
	if anon.value("#username") != "pemda" {
		t.Errorf("username not kept after a failed login")
	}
	phone := b.anonymous("phone", 390, 844)
	phone.open("/login")
	phone.shot("01-login-phone", false)

	t.Log("pemda: home, the proposal form with its mistakes, then a saved draft")
	pemda := b.login("pemda", 1366, 768)
	pemda.shot("02-home-pemda", true)
	pemda.open("/proposals/new")
	fillProposal(pemda, "")
	if got := pemda.text(`[data-rows="budget_lines"] [data-grand-total]`); got != "Rp3.215.000.000" {
		t.Errorf("RAB total as typed = %q, want Rp3.215.000.000", got)
	}
	pemda.do(chromedpClick(`[data-rows="budget_lines"] [data-add-row]`))
	pemda.typeIn(`[name="budget_lines[4].quantity"]`, "2")
	pemda.typeIn(`[name="budget_lines[4].unit_price"]`, "1000")
	if got := pemda.text(`[data-rows="budget_lines"] [data-grand-total]`); got != "Rp3.215.002.000" {
		t.Errorf("RAB total with a fifth line = %q", got)
	}
	pemda.do(chromedpClick(`[data-rows="budget_lines"] tr[data-row]:last-child [data-remove-row]`))
	if got := pemda.text(`[data-rows="budget_lines"] [data-grand-total]`); got != "Rp3.215.000.000" {
		t.Errorf("RAB total after removing the line = %q", got)
	}
	pemda.set("#f-sentra-latitude", "lima derajat")
	pemda.shot("03-form", true)
	pemda.submit(`[data-save]`)
	for _, field := range []string{"title", "sentra.latitude"} {
		if !pemda.exists(fmt.Sprintf(`[data-error-for="%s"]`, field)) {
			t.Errorf("no error shown next to %s: %s", field, pemda.formErrors())
		}
	}
	if got := pemda.value("#f-sentra-name"); got != "Sentra IKM Tenun Tapis" {
		t.Errorf("sentra.name after a failed save = %q, want the typed value", got)
	}
	if got := pemda.value(`[name="budget_lines[2].unit_price"]`); got != "600.000.000" {
		t.Errorf("budget_lines[2].unit_price after a failed save = %q", got)
	}
	if got := pemda.value("#region-4"); got != "18.71.01.1003" {
		t.Errorf("desa after a failed save = %q", got)
	}
	pemda.shot("03-form-errors", true)
	pemda.set("#f-sentra-latitude", "-5,41")
	pemda.typeIn("#f-title", "Revitalisasi Sentra IKM Tenun Tapis")
	pemda.submit(`[data-save]`)
	if errs := pemda.formErrors(); errs != "" {
		t.Fatalf("save draft: %s", errs)
	}
	id := idFromLocation(t, pemda.location())

	t.Log("pemda: attachments through the upload form")
	bad := files + "/catatan.txt"
	writeFile(t, bad, "bukan pdf")
	pemda.set("#up-kind", "tor")
	pemda.do(chromedpUpload("#up-file", bad))
	pemda.submit(`form[data-upload] button[type=submit]`)
	if !pemda.exists("[data-upload-error]") {
		t.Errorf("a text file was accepted as an attachment")
	}
	for _, kind := range env.Engine.Current().Menus["revitalisasi"].RequiredAttachments {
		pemda.upload(kind, pdfFile(t, files, kind))
	}
	if strings.Contains(pemda.text("[data-required]"), "✘") {
		t.Errorf("required attachments still missing: %s", pemda.text("[data-required]"))
	}
	pemda.shot("04-edit-attachments", true)

	t.Log("who may see the draft")
	other := b.login("pemda-lain", 1366, 768)
	if st := other.open(fmt.Sprintf("/proposals/%d", id)); st != http.StatusNotFound || !other.exists(`[data-error-status="404"]`) {
		t.Errorf("another region's pemda: status %d, want the 404 page", st)
	}
	other.shot("05-other-region-404", false)
	verifier := b.login("verifikator", 1366, 768)
	verifier.open(fmt.Sprintf("/proposals/%d", id))
	if verifier.exists(`button[data-event="submit"]`) || verifier.exists(`[data-edit]`) {
		t.Errorf("a verifier sees the pemda's submit or edit button")
	}

	t.Log("pemda submits")
	pemda.fire(id, "submit", nil)
	if pemda.state() != "submitted" || !pemda.exists("[data-document]") {
		t.Fatalf("after submit: state %q, documents %v", pemda.state(), pemda.exists("[data-document]"))
	}
	if pemda.exists(`button[data-event="submit"]`) {
		t.Errorf("submit button still shown after submitting")
	}
	pemda.shot("06-proposal-submitted", true)

	walkReview(t, b, env, id, verifier, pemda)
	walkMoney(t, b, env, id, pemda, files)
	walkAfter(t, b, env, id)
}
