package web_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/web/apitest"
	"dakflow/internal/workflow"
)

// TestImpossibleFactsRefused: facts that cannot be true are a 422 naming
// the field and change nothing (PRODUCT.md §3): an SP2D dated outside its
// fiscal year or before the recommendation it pays, a BAST number already
// recorded for another proposal, a stage request without its KPPN or, for
// the last stage, without the rencana kebutuhan dana penyelesaian.
func TestImpossibleFactsRefused(t *testing.T) {
	e := apitest.NewEnv(t)
	refused := func(t *testing.T, c *apitest.Client, id int64, event string, data map[string]any, field string) {
		t.Helper()
		before := e.Get(t, id)["version"]
		r := c.Fire(id, event, "", data, nil)
		if r.Status != http.StatusUnprocessableEntity || !slices.Contains(r.Fields(), field) {
			t.Fatalf("%s = %d %s; want 422 naming %s", event, r.Status, r.Body, field)
		}
		if after := e.Get(t, id)["version"]; after != before {
			t.Errorf("%s refused but the proposal changed: version %v → %v", event, before, after)
		}
	}

	t.Run("SP2D outside the fiscal year or before its recommendation", func(t *testing.T) {
		id := e.Create(t, "revitalisasi", false)
		e.WalkTo(t, id, false, "disbursement_requested")
		// The recommendation is dated 10 April of the fiscal year.
		approver := user(t, e, e.Approver)
		e.Store.SetClock(func() time.Time { return time.Date(apitest.Year, 4, 10, 10, 0, 0, 0, dak.WIB) })
		_, err := e.Engine.Fire(t.Context(), approver, id, workflow.Request{Event: "recommend_disbursement"})
		e.Store.SetClock(time.Now)
		if err != nil {
			t.Fatal(err)
		}
		amount := e.StageAmount(t, id, 1)
		record := func(date string) map[string]any {
			return map[string]any{"amount": amount, "sp2d_number": "270451203000118", "sp2d_date": date}
		}
		refused(t, e.Treasury, id, "record_disbursement", record(fmt.Sprintf("%d-11-20", apitest.Year-1)), "data.sp2d_date")
		refused(t, e.Treasury, id, "record_disbursement", record(fmt.Sprintf("%d-01-05", apitest.Year+1)), "data.sp2d_date")
		refused(t, e.Treasury, id, "record_disbursement", record(fmt.Sprintf("%d-04-09", apitest.Year)), "data.sp2d_date")
		e.Treasury.MustFire(id, "record_disbursement", "", record(fmt.Sprintf("%d-04-10", apitest.Year)))
	})

	t.Run("BAST number of another proposal", func(t *testing.T) {
		first := e.Create(t, "pembangunan", false)
		e.WalkTo(t, first, false, "completed")
		bast := e.Get(t, first)["bast_number"]
		if bast == nil || bast == "" {
			t.Fatalf("completed proposal shows no bast_number: %v", e.Get(t, first))
		}
		second := e.Create(t, "pembangunan", false)
		e.WalkTo(t, second, false, "tranche_disbursed")
		if up := e.Pemda.Upload(second, "bast", "bast.pdf", apitest.PDFBytes("bast")); up.Status != http.StatusCreated {
			t.Fatalf("upload bast = %d", up.Status)
		}
		paid := int64(e.Get(t, second)["disbursed_amount"].(float64))
		done := map[string]any{"output_percent": 100, "absorbed_amount": paid, "bast_number": " " + fmt.Sprint(bast) + " "}
		refused(t, e.Pemda, second, "complete", done, "data.bast_number")
		done["bast_number"] = "BAST/LAIN/2027"
		e.Pemda.MustFire(second, "complete", "", done)
	})

	t.Run("stage requests name their KPPN and, last, what is still needed", func(t *testing.T) {
		id := e.Create(t, "revitalisasi", true)
		e.WalkTo(t, id, true, "rk_approved")
		e.UploadStageFiles(t, id, 1, true)
		req := map[string]any{"stage": 1, "contract_value": 2_880_000_000, "absorbed_amount": 0, "output_percent": 0}
		refused(t, e.Pemda, id, "request_disbursement", req, "data.kppn")
		req["kppn"] = "KPPN Bandar Lampung"
		e.Pemda.MustFire(id, "request_disbursement", "", req)
		e.Approver.MustFire(id, "recommend_disbursement", "", nil)
		e.Treasury.MustFire(id, "record_disbursement", "", map[string]any{"amount": e.StageAmount(t, id, 1),
			"sp2d_number": "270451203000300", "sp2d_date": fmt.Sprintf("%d-03-20", apitest.Year)})
		// Stage II names no KPPN: the one named before is kept.
		e.UploadStageFiles(t, id, 2, true)
		e.Pemda.MustFire(id, "request_disbursement", "", map[string]any{"stage": 2, "contract_value": 2_880_000_000,
			"absorbed_amount": 760_000_000, "output_percent": 40})
		stages := e.Get(t, id)["disbursement"].(map[string]any)["stages"].([]any)
		if k := stages[1].(map[string]any)["kppn"]; k != "KPPN Bandar Lampung" {
			t.Errorf("stage II kppn = %v, want the one named for stage I", k)
		}
		e.Approver.MustFire(id, "recommend_disbursement", "", nil)
		e.Treasury.MustFire(id, "record_disbursement", "", map[string]any{"amount": e.StageAmount(t, id, 2),
			"sp2d_number": "270451203000301", "sp2d_date": fmt.Sprintf("%d-07-20", apitest.Year)})
		e.UploadStageFiles(t, id, 3, true)
		req3 := map[string]any{"stage": 3, "contract_value": 2_880_000_000, "absorbed_amount": 2_200_000_000, "output_percent": 80}
		refused(t, e.Pemda, id, "request_disbursement", req3, "data.completion_need")
		req3["completion_need"] = 900_000_000 // more than the contracts leave
		e.Pemda.MustFire(id, "request_disbursement", "", req3)
		if got := e.StageAmount(t, id, 3); got != 2_880_000_000-2_240_000_000 {
			t.Errorf("stage III = %d, want what the contracts leave (Rp640.000.000)", got)
		}
	})
}

// user reads the account behind a logged-in client.
func user(t *testing.T, e *apitest.Env, c *apitest.Client) dak.User {
	t.Helper()
	u, err := e.Store.UserByID(t.Context(), int64(c.User["id"].(float64)))
	if err != nil {
		t.Fatal(err)
	}
	return u
}
