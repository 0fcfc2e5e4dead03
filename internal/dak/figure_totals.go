package dak

// FigureTotals sums the money of a group of proposals for the year's
// figures (PRODUCT.md §10, "Figures"): each proposal's amounts come from
// Proposal.Figures, the computation the documents print, so that a
// summary row always equals the sum of its proposals' letters.
type FigureTotals struct {
	Count       int   `json:"count"`
	Requested   Money `json:"requested_amount"`
	Recommended Money `json:"recommended_amount"` // the verifier's recommendation of the RAB
	Allocated   Money `json:"allocated_amount"`
	RK          Money `json:"rk_amount"`
	// DisbursedByStage is what was paid for stage 1, 2, …: index i is
	// stage i+1.
	DisbursedByStage []Money `json:"disbursed_by_stage"`
	Disbursed        Money   `json:"disbursed_amount"`
	Absorbed         Money   `json:"absorbed_amount"`
	Lapsed           Money   `json:"lapsed_amount"`
	// LeftToDisburse is what may still be disbursed: the allocation not
	// disbursed, less what lapsed, and nothing once no stage is open
	// (Figures.NeverDisbursed).
	LeftToDisburse Money `json:"left_to_disburse"`
}

// Add counts p in the totals; stages widens DisbursedByStage to at least
// that many stages, so that every group of a summary has the same columns.
func (t *FigureTotals) Add(p *Proposal, stages int) {
	f := p.Figures()
	t.Count++
	t.Requested += p.RequestedAmount
	t.Recommended += p.RecommendedAmount
	t.Allocated += f.Allocation
	t.RK += f.RK
	t.Disbursed += f.Disbursed
	t.Absorbed += f.Absorbed
	t.Lapsed += f.Lapsed
	t.LeftToDisburse += max(0, f.Undisbursed-f.NeverDisbursed-f.Lapsed)
	for len(t.DisbursedByStage) < max(stages, len(f.Stages)) {
		t.DisbursedByStage = append(t.DisbursedByStage, 0)
	}
	for i, st := range f.Stages {
		t.DisbursedByStage[i] += st.Paid
	}
}
