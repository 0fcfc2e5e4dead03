package dak

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestFigures walks the amounts of the cases auditors reconstruct: every
// stage paid, contracts below the RK, a lapse after stage I, and a sekaligus
// paid below its allocation.
func TestFigures(t *testing.T) {
	const alloc = 3_200_000_000
	planned := func(states ...string) []Stage {
		amounts := []Money{800_000_000, 1_440_000_000, 960_000_000}
		var out []Stage
		for i, s := range states {
			out = append(out, Stage{Number: i + 1, PlannedAmount: amounts[i], State: s})
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		p     Proposal
		want  Figures
		edits func(p *Proposal)
	}{
		{
			name: "stage I recommended",
			p:    Proposal{AllocatedAmount: alloc, RKAmount: alloc, Stages: planned(StageRecommended, StagePending, StagePending)},
			edits: func(p *Proposal) {
				p.Stages[0].Amount = 800_000_000
			},
			want: Figures{Allocation: alloc, RK: alloc, Base: alloc, Recommended: 800_000_000, Left: 2_400_000_000,
				Undisbursed: alloc, Stages: []StageFigures{
					{Number: 1, Amount: 800_000_000, CumulativeRecommended: 800_000_000, Left: 2_400_000_000},
					{Number: 2, Amount: 1_440_000_000, CumulativeRecommended: 800_000_000, Left: 2_400_000_000},
					{Number: 3, Amount: 960_000_000, CumulativeRecommended: 800_000_000, Left: 2_400_000_000},
				}},
		},
		{
			name: "contracts below the RK, all paid: sisa alokasi Rp0 is never what was paid before",
			p: Proposal{AllocatedAmount: alloc, RKAmount: alloc, DisbursedAmount: 2_880_000_000, AbsorbedAmount: 2_850_000_000,
				Stages: planned(StagePaid, StagePaid, StagePaid)},
			edits: func(p *Proposal) {
				for i, a := range []Money{800_000_000, 1_440_000_000, 640_000_000} {
					p.Stages[i].Amount, p.Stages[i].PaidAmount = a, a
				}
			},
			want: Figures{Allocation: alloc, RK: alloc, Base: alloc, Recommended: 2_880_000_000, Disbursed: 2_880_000_000,
				Absorbed: 2_850_000_000, Unabsorbed: 30_000_000, Left: 320_000_000, Undisbursed: 320_000_000,
				NeverDisbursed: 320_000_000, Stages: []StageFigures{
					{Number: 1, Amount: 800_000_000, Paid: 800_000_000, CumulativeRecommended: 800_000_000, CumulativePaid: 800_000_000, Left: 2_400_000_000},
					{Number: 2, Amount: 1_440_000_000, Paid: 1_440_000_000, CumulativeRecommended: 2_240_000_000, CumulativePaid: 2_240_000_000, Left: 960_000_000},
					{Number: 3, Amount: 640_000_000, Paid: 640_000_000, CumulativeRecommended: 2_880_000_000, CumulativePaid: 2_880_000_000, Left: 320_000_000},
				}},
		},
		{
			name: "lapsed after stage I paid below plan: the last lapsed stage takes the rest",
			p: Proposal{AllocatedAmount: alloc, RKAmount: alloc, DisbursedAmount: 700_000_000,
				Stages: planned(StagePaid, StageLapsed, StageLapsed)},
			edits: func(p *Proposal) {
				p.Stages[0].Amount, p.Stages[0].PaidAmount = 700_000_000, 700_000_000
			},
			want: Figures{Allocation: alloc, RK: alloc, Base: alloc, Recommended: 700_000_000, Disbursed: 700_000_000,
				Unabsorbed: 700_000_000, Left: 2_500_000_000, Undisbursed: 2_500_000_000, Lapsed: 2_500_000_000,
				NeverDisbursed: 2_500_000_000, Stages: []StageFigures{
					{Number: 1, Amount: 700_000_000, Paid: 700_000_000, CumulativeRecommended: 700_000_000, CumulativePaid: 700_000_000, Left: 2_500_000_000},
					{Number: 2, Amount: 1_440_000_000, Lapsed: 1_440_000_000, CumulativeRecommended: 700_000_000, CumulativePaid: 700_000_000, Left: 2_500_000_000},
					{Number: 3, Amount: 960_000_000, Lapsed: 1_060_000_000, CumulativeRecommended: 700_000_000, CumulativePaid: 700_000_000, Left: 2_500_000_000},
				}},
		},
		{
			name: "sekaligus lapsed with an RK below the allocation",
			p: Proposal{AllocatedAmount: 800_000_000, RKAmount: 799_500_000,
				Stages: []Stage{{Number: 1, PlannedAmount: 799_500_000, State: StageLapsed}}},
			want: Figures{Allocation: 800_000_000, RK: 799_500_000, Base: 799_500_000, Left: 800_000_000,
				Undisbursed: 800_000_000, Lapsed: 799_500_000, NeverDisbursed: 800_000_000,
				Stages: []StageFigures{{Number: 1, Amount: 799_500_000, Lapsed: 799_500_000, Left: 800_000_000}}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.p
			p.Stages = append([]Stage(nil), p.Stages...)
			if tc.edits != nil {
				tc.edits(&p)
			}
			got := p.Figures()
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Figures() mismatch (-want +got):\n%s", diff)
			}
			var lapsed Money
			for _, s := range got.Stages {
				lapsed += s.Lapsed
			}
			if lapsed != got.Lapsed {
				t.Errorf("stages' lapsed parts add up to %s, total %s", lapsed, got.Lapsed)
			}
		})
	}
}
