package workflow

import (
	"testing"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/document"
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

// TestStageAmount checks each stage rule of PRODUCT.md §3 with the figures
// of the demo's bertahap proposal (RK Rp3,2 miliar): no stage ever pays more
// than the contracts leave.
func TestStageAmount(t *testing.T) {
	d := shipped(t)
	const rk = 3_200_000_000
	for _, tc := range []struct {
		name      string
		allocated dak.Money
		stage     int
		paid      dak.Money
		report    dak.StageReport
		want      dak.Money
		wantBasis string
	}{
		{"sekaligus pays the contracts", 800_000_000, 1, 0, dak.StageReport{ContractValue: 720_000_000}, 720_000_000, dak.BasisContract},
		{"sekaligus never above the RK", 800_000_000, 1, 0, dak.StageReport{ContractValue: 900_000_000}, 800_000_000, dak.BasisRKLeft},
		{"stage I 25% of RK", rk, 1, 0, dak.StageReport{ContractValue: 2_880_000_000}, 800_000_000, dak.BasisRKPercent},
		{"stage I the contracts when lower", rk, 1, 0, dak.StageReport{ContractValue: 600_000_000}, 600_000_000, dak.BasisContract},
		{"stage II 45% when contracts > 70% of RK", rk, 2, 800_000_000, dak.StageReport{ContractValue: 2_880_000_000}, 1_440_000_000, dak.BasisRKPercent},
		{"stage II contracts minus paid at exactly 70%", rk, 2, 800_000_000, dak.StageReport{ContractValue: 2_240_000_000}, 1_440_000_000, dak.BasisContractLessPaid},
		{"stage II contracts minus paid below 70%", rk, 2, 800_000_000, dak.StageReport{ContractValue: 2_000_000_000}, 1_200_000_000, dak.BasisContractLessPaid},
		{"stage III what the pemda needs", rk, 3, 2_240_000_000, dak.StageReport{ContractValue: 2_880_000_000, CompletionNeed: 560_000_000}, 560_000_000, dak.BasisCompletionNeed},
		{"stage III never above the contracts left", rk, 3, 2_240_000_000, dak.StageReport{ContractValue: 2_880_000_000, CompletionNeed: 960_000_000}, 640_000_000, dak.BasisContractLeft},
		{"stage III never above the RK left", rk, 3, 2_240_000_000, dak.StageReport{ContractValue: 3_500_000_000, CompletionNeed: 1_200_000_000}, 960_000_000, dak.BasisRKLeft},
		{"nothing when contracts are all paid", rk, 3, 2_880_000_000, dak.StageReport{ContractValue: 2_880_000_000, CompletionNeed: 100}, 0, dak.BasisContractLeft},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &dak.Proposal{FiscalYear: 2027, AllocatedAmount: tc.allocated, RKAmount: tc.allocated}
			p.Stages = d.planStages(p)
			p.DisbursedAmount = tc.paid
			got, basis := d.stageAmount(p, &p.Stages[tc.stage-1], tc.report)
			if got != tc.want || basis != tc.wantBasis {
				t.Errorf("stageAmount = %s (%s), want %s (%s)", got, basis, tc.want, tc.wantBasis)
			}
			if tc.paid+got > max(tc.report.ContractValue, tc.paid) {
				t.Errorf("cumulative %s exceeds the contracts %s", tc.paid+got, tc.report.ContractValue)
			}
		})
	}
}

// TestDeadlinesAtCutOff: stage deadlines are the workflow file's dates at
// KPPN's 17.00 WIB cut-off.
func TestDeadlinesAtCutOff(t *testing.T) {
	d := shipped(t)
	p := &dak.Proposal{FiscalYear: 2027, AllocatedAmount: 3_200_000_000, RKAmount: 3_200_000_000}
	want := []string{"2027-07-22T17:00:00+07:00", "2027-10-21T17:00:00+07:00", "2027-12-15T17:00:00+07:00"}
	for i, st := range d.planStages(p) {
		if got := st.Deadline.In(dak.WIB).Format(time.RFC3339); got != want[i] {
			t.Errorf("stage %d deadline = %s, want %s", st.Number, got, want[i])
		}
	}
	p.AllocatedAmount, p.RKAmount = 800_000_000, 800_000_000
	if got := d.planStages(p)[0].Deadline.In(dak.WIB).Format(time.RFC3339); got != "2027-07-22T17:00:00+07:00" {
		t.Errorf("sekaligus deadline = %s", got)
	}
}

func TestParseDeadline(t *testing.T) {
	for _, s := range []string{"07-22", "07-22 24:00", "02-30 17:00", "13-01 17:00", "07-22 17:60", "x"} {
		if _, err := parseDeadline(s); err == nil {
			t.Errorf("parseDeadline(%q) accepted", s)
		}
	}
	if got, err := parseDeadline("10-21 17:00"); err != nil || got.month != 10 || got.day != 21 || got.hour != 17 {
		t.Errorf("parseDeadline(10-21 17:00) = %+v, %v", got, err)
	}
}

// TestSampleFollowsWorkflowFile: the document samples (goldens, `dakflow
// document sample`) print the deadlines, hours and legal basis of the
// workflow file, the one source of truth for them.
func TestSampleFollowsWorkflowFile(t *testing.T) {
	d := shipped(t)
	for name, sample := range map[string]func(string) (document.Input, error){
		"bertahap": document.SampleInput, "sekaligus": document.SampleInputSekaligus} {
		in, err := sample("surat_persetujuan_rk")
		if err != nil {
			t.Fatal(err)
		}
		p := &dak.Proposal{FiscalYear: in.Proposal.FiscalYear, AllocatedAmount: in.Proposal.AllocatedAmount, RKAmount: in.Proposal.RKAmount}
		planned := d.planStages(p)
		if len(planned) != len(in.Disbursement.Stages) {
			t.Fatalf("%s: sample has %d stages, workflow file %d", name, len(in.Disbursement.Stages), len(planned))
		}
		for i, st := range planned {
			if got := in.Disbursement.Stages[i].Deadline; !got.Equal(st.Deadline) {
				t.Errorf("%s stage %d: sample deadline %s, workflow file %s", name, st.Number, got.In(dak.WIB), st.Deadline.In(dak.WIB))
			}
		}
		if want := d.LegalBasis(d.Mode(p.AllocatedAmount)); in.Disbursement.LegalBasis != want {
			t.Errorf("%s: sample legal basis %q, workflow file %q", name, in.Disbursement.LegalBasis, want)
		}
	}
}
