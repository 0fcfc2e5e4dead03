package web_test

import (
	"testing"
	"time"

	"dakflow/internal/web/apitest"
)

// TestFiguresReconcile walks proposals through the API — bertahap with
// contracts below the RK value, sekaligus, lapsed after stage I, and
// withdrawn — and reads every document of each trail back with pdftotext,
// as an auditor would: every amount in words is the amount in figures,
// every amount printed is one the API states, and each labelled figure
// (stage, cumulative, sisa alokasi, absorbed, lapsed, never disbursed)
// is the API's own (GET /proposals/{id} "figures").
func TestFiguresReconcile(t *testing.T) {
	e := apitest.NewEnv(t)
	t.Run("bertahap, contracts below the RK", func(t *testing.T) {
		id := e.Create(t, "revitalisasi", true)
		e.WalkTo(t, id, true, "completed")
		f := apitest.Reconcile(t, e.Auditor, id)
		if f.NeverDisbursed != apitest.BigAllocation/10 || f.Left != apitest.BigAllocation/10 {
			t.Errorf("never disbursed %s, left %s; want the 10%% the contracts did not use", f.NeverDisbursed, f.Left)
		}
	})
	t.Run("sekaligus", func(t *testing.T) {
		id := e.Create(t, "pembangunan", false)
		e.WalkTo(t, id, false, "completed")
		f := apitest.Reconcile(t, e.Auditor, id)
		if f.Disbursed != apitest.SmallAllocation*9/10 {
			t.Errorf("sekaligus disbursed %s, want the contracts", f.Disbursed)
		}
	})
	t.Run("lapsed after stage I", func(t *testing.T) {
		id := e.Create(t, "revitalisasi", true)
		steps := e.Path(t, id, true)
		for _, s := range steps {
			e.Fire(t, id, s)
			if s.Event == "record_disbursement" {
				break
			}
		}
		lapseAfterDeadline(t, e, id)
		f := apitest.Reconcile(t, e.Auditor, id)
		if f.Lapsed != apitest.BigAllocation-f.Disbursed || f.Disbursed != apitest.BigAllocation/4 {
			t.Errorf("lapsed %s after %s disbursed", f.Lapsed, f.Disbursed)
		}
	})
	t.Run("withdrawn", func(t *testing.T) {
		id := e.Create(t, "revitalisasi", false)
		e.Pemda.MustFire(id, "submit", "", nil)
		e.Pemda.MustFire(id, "withdraw", "Lokasi akan dipindahkan", nil)
		apitest.Reconcile(t, e.Auditor, id)
	})
}

// lapseAfterDeadline runs the scheduler's lapse with the clock just past
// the next stage's deadline.
func lapseAfterDeadline(t *testing.T, e *apitest.Env, id int64) {
	t.Helper()
	p, err := e.Store.Proposal(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	at := p.NextStage().Deadline.Add(5 * time.Minute)
	e.Store.SetClock(func() time.Time { return at })
	n, err := e.Engine.LapseDue(t.Context())
	e.Store.SetClock(time.Now)
	if err != nil || n != 1 {
		t.Fatalf("LapseDue = %d, %v; want 1 lapsed", n, err)
	}
}
