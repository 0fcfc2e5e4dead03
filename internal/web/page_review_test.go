package web_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"dakflow/internal/web/apitest"
)

func chromedpSendKeys(sel, keys string) chromedp.Action[chromedp.Void] {
	return chromedp.SendKeys(chromedp.CSS(sel), keys)
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// walkReview: the verifier's queue and review, the approver's allocation,
// the pemda's RK and its approval.
func walkReview(t *testing.T, b *browser, env *apitest.Env, id int64, verifier, pemda *tab) {
	t.Log("verifier: the queue, its filters, start_review and the checklist")
	verifier.open("/")
	row := fmt.Sprintf(`tr[data-proposal="%d"]`, id)
	if !verifier.exists(row) || !verifier.exists(row+" [data-age-days]") {
		t.Fatalf("verifier queue has no row with age for proposal %d", id)
	}
	verifier.shot("07-home-verifier", true)
	verifier.open("/?region=73")
	if verifier.exists(row) {
		t.Errorf("queue filtered by province 73 shows a Lampung proposal")
	}
	verifier.open("/?region=18&menu=revitalisasi&fiscal_year=2027")
	if !verifier.exists(row) {
		t.Errorf("queue filtered by province 18, menu and year misses the proposal")
	}
	verifier.fire(id, "start_review", nil)
	v2 := b.login("verifikator2", 1366, 768)
	v2.open(fmt.Sprintf("/proposals/%d", id))
	if v2.exists(`button[data-event="recommend"]`) {
		t.Errorf("a second verifier may recommend a proposal under another's review")
	}

	verifier.tryFire(id, "recommend", nil) // nothing answered: the guard lists every item
	if !verifier.exists(`#form-recommend:not([hidden]) [data-form-errors]`) || !verifier.exists(`#form-recommend .check-item.invalid`) {
		t.Fatalf("recommend without answers: no errors shown in the open form: %s", verifier.formErrors())
	}
	verifier.shot("08-recommend-errors", true)
	verifier.fire(id, "recommend", func() {
		// "Tandai semua Memenuhi" leaves the items the menu does not take
		// at Tidak Relevan.
		verifier.do(chromedpClick(`#form-recommend [data-check-all]`))
		if got := eval[int](verifier, `document.querySelectorAll('#form-recommend [data-not-applicable] input[value=na]:checked').length`); got != 1 {
			t.Errorf("after Tandai semua Memenuhi, %d not-applicable items answered Tidak Relevan, want 1", got)
		}
		n := eval[int](verifier, `document.querySelectorAll('#form-recommend .check-item').length`)
		for i := 0; i < n; i++ {
			verifier.typeIn(fmt.Sprintf(`#form-recommend [name="data.checklist[%d].note"]`, i), "Sesuai")
		}
		verifier.set(`#form-recommend [name="data.recommended_amount"]`, "3.200.000.000")
		verifier.typeIn(`#form-recommend [name="data.amount_reason"]`, "Harga satuan gedung produksi dikoreksi")
	})
	if verifier.state() != "recommended" {
		t.Fatalf("after recommend: state %q", verifier.state())
	}

	t.Log("approver: decisions waiting, the ceiling, allocate")
	approver := b.login("penetap", 1366, 768)
	approver.open("/")
	if !approver.exists(row) || !approver.exists("[data-ceiling]") {
		t.Fatalf("approver home lacks the proposal or the ceiling")
	}
	approver.shot("09-home-approver", true)
	approver.fire(id, "allocate", nil) // the amount is prefilled with the recommendation
	if approver.state() != "allocated" {
		t.Fatalf("after allocate: state %q", approver.state())
	}

	t.Log("pemda: RK, first over the allocation, then within it")
	pemda.tryFire(id, "submit_rk", nil) // prefilled from the RAB: Rp15.000.000 too much
	if !strings.Contains(pemda.formErrors(), "melebihi alokasi") {
		t.Fatalf("RK over the allocation: errors = %q", pemda.formErrors())
	}
	if got := pemda.value(`#form-submit_rk [name="data.activities[3].description"]`); got != "Papan identitas sentra" {
		t.Errorf("RK line 4 after the failed submit = %q", got)
	}
	pemda.do(chromedpClick(`#form-submit_rk tr[data-row]:nth-child(4) [data-remove-row]`))
	if got := pemda.text(`#form-submit_rk [data-grand-total]`); got != "Rp3.200.000.000" {
		t.Errorf("RK total after removing a line = %q", got)
	}
	pemda.submit(`#form-submit_rk button[type=submit]`)
	if errs := pemda.formErrors(); errs != "" || pemda.state() != "rk_submitted" {
		t.Fatalf("submit_rk: state %q, errors %s", pemda.state(), errs)
	}
	// The sign was dropped from the RK: approval needs a stated basis.
	approver.tryFire(id, "approve_rk", nil)
	if !strings.Contains(approver.formErrors(), "Papan identitas") {
		t.Fatalf("approve_rk of an RK without the sign: errors = %q", approver.formErrors())
	}
	approver.fire(id, "approve_rk", func() {
		approver.typeIn(`#form-approve_rk [name="data.departure_basis"]`, "Papan identitas dibiayai APBD kota")
	})
	if approver.state() != "rk_approved" || !approver.exists(`[data-stage="3"]`) {
		t.Fatalf("after approve_rk: state %q, three stages %v", approver.state(), approver.exists(`[data-stage="3"]`))
	}
}

// walkMoney: three stages requested, recommended and paid, then completion.
func walkMoney(t *testing.T, b *browser, env *apitest.Env, id int64, pemda *tab, files string) {
	approver := b.login("penetap2", 1366, 768)
	treasury := b.login("perbendaharaan", 1366, 768)
	stages := env.Engine.Current().Parameters.Bertahap.Stages
	for _, st := range stages {
		t.Logf("stage %d", st.Number)
		pemda.open(fmt.Sprintf("/proposals/%d", id))
		for _, kind := range st.Attachments {
			pemda.upload(kind, pdfFile(t, files, fmt.Sprintf("%s-%d", kind, st.Number)))
		}
		disbursed := int64(env.Get(t, id)["disbursed_amount"].(float64))
		pemda.fire(id, "request_disbursement", func() {
			pemda.typeIn(`#form-request_disbursement [name="data.contract_value"]`, "2880000000")
			pemda.typeIn(`#form-request_disbursement [name="data.absorbed_amount"]`, fmt.Sprint(disbursed*95/100))
			if st.MinOutput > 0 {
				pemda.typeIn(`#form-request_disbursement [name="data.output_percent"]`, "75,5")
			}
			if st.Number == 1 {
				pemda.typeIn(`#form-request_disbursement [name="data.kppn"]`, "KPPN Bandar Lampung")
			}
			if st.Basis == "remainder" {
				pemda.typeIn(`#form-request_disbursement [name="data.completion_need"]`, fmt.Sprint(2_880_000_000-disbursed))
			}
		})
		approver.fire(id, "recommend_disbursement", nil)
		if st.Number == 1 {
			treasury.open("/")
			if !treasury.exists(fmt.Sprintf(`tr[data-proposal="%d"]`, id)) {
				t.Errorf("treasury home lacks the recommended stage")
			}
			treasury.shot("10-home-treasury", true)
		}
		treasury.fire(id, "record_disbursement", func() {
			treasury.typeIn(`#form-record_disbursement [name="data.sp2d_number"]`, fmt.Sprintf("SP2D-%d-%d", id, st.Number))
			treasury.set(`#form-record_disbursement [name="data.sp2d_date"]`, "2027-03-15")
		})
		if treasury.state() != "tranche_disbursed" {
			t.Fatalf("stage %d: state %q after record_disbursement", st.Number, treasury.state())
		}
	}
	t.Log("pemda: BAST and completion")
	pemda.open(fmt.Sprintf("/proposals/%d", id))
	pemda.upload("bast", pdfFile(t, files, "bast"))
	pemda.fire(id, "complete", func() {
		pemda.typeIn(`#form-complete [name="data.bast_number"]`, "BAST/027/2027")
	})
	if pemda.state() != "completed" {
		t.Fatalf("after complete: state %q", pemda.state())
	}
	pemda.shot("11-proposal-completed", true)
}
