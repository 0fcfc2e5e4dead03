package workflow

import (
	"testing"
	"time"

	"dakflow/internal/dak"
	"dakflow/workflows"
)

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func shipped(t *testing.T) *Definition {
	t.Helper()
	defs, err := LoadAll(workflows.FS)
	if err != nil {
		t.Fatal(err)
	}
	return defs["dak-fisik-ikm"]
}

// TestPlanStages checks the stage figures of PMK 25/2024: sekaligus up to
// Rp1 miliar, else 25% / 45% / the rest of the RK, never past the allocation.
func TestPlanStages(t *testing.T) {
	d := shipped(t)
	for _, tc := range []struct {
		name      string
		allocated dak.Money
		rk        dak.Money
		want      []dak.Money
	}{
		{"sekaligus at the threshold", 1_000_000_000, 1_000_000_000, []dak.Money{1_000_000_000}},
		{"bertahap just above", 1_000_000_001, 1_000_000_001, []dak.Money{250_000_000, 450_000_000, 300_000_001}},
		{"bertahap RK below allocation", 3_250_000_000, 3_000_000_000, []dak.Money{750_000_000, 1_350_000_000, 900_000_000}},
		{"bertahap RK above allocation (tolerance)", 2_000_000_000, 2_000_500_000, []dak.Money{500_000_000, 900_000_000, 600_000_000}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &dak.Proposal{FiscalYear: 2027, AllocatedAmount: tc.allocated, RKAmount: tc.rk}
			stages := d.planStages(p)
			var got []dak.Money
			var sum dak.Money
			for _, s := range stages {
				got = append(got, s.PlannedAmount)
				sum += s.PlannedAmount
			}
			if len(got) != len(tc.want) {
				t.Fatalf("stages = %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("stage %d = %s, want %s", i+1, got[i], tc.want[i])
				}
			}
			if sum > tc.allocated {
				t.Errorf("planned %s > allocated %s", sum, tc.allocated)
			}
		})
	}
}

func TestStageAmountUsesLowerContractValue(t *testing.T) {
	d := shipped(t)
	p := &dak.Proposal{FiscalYear: 2027, AllocatedAmount: 4_000_000_000, RKAmount: 4_000_000_000}
	p.Stages = d.planStages(p)
	st := &p.Stages[0]
	if got := d.stageAmount(p, st, dak.StageReport{ContractValue: 600_000_000}); got != 600_000_000 {
		t.Errorf("stage I with contract Rp600 juta = %s, want the contract value", got)
	}
	if got := d.stageAmount(p, st, dak.StageReport{ContractValue: 3_000_000_000}); got != 1_000_000_000 {
		t.Errorf("stage I with contract Rp3 miliar = %s, want 25%% of RK", got)
	}
	p.DisbursedAmount = 3_900_000_000
	if got := d.stageAmount(p, &p.Stages[1], dak.StageReport{}); got != 100_000_000 {
		t.Errorf("stage II near the end = %s, want capped at what is left", got)
	}
}
