package dak

// Stage amount bases: how a stage's amount was computed when it was
// requested or recommended (PRODUCT.md §3). Documents word each; the
// workflow engine sets one on every stage it prices.
const (
	BasisRKPercent        = "rk_percent"         // a percentage of the RK value
	BasisContract         = "contract"           // the value of the contract list
	BasisContractLessPaid = "contract_less_paid" // the contracts minus what was paid
	BasisCompletionNeed   = "completion_need"    // the pemda's rencana kebutuhan dana penyelesaian
	BasisContractLeft     = "contract_left"      // capped: what the contracts leave after what was paid
	BasisRKLeft           = "rk_left"            // capped: what the RK value (within the allocation) leaves
)

// Figures are every amount the API and the documents state about a
// proposal's money. They are computed here and nowhere else, from the
// stored stage amounts, so that no letter can print a figure that another
// letter or the API contradicts (DOCUMENTS.md: every figure reconciles).
type Figures struct {
	Allocation Money `json:"allocation"`
	RK         Money `json:"rk"`
	// Base is what the stages pay towards: the RK value, never above the
	// allocation.
	Base Money `json:"base"`
	// Recommended is the cumulative amount recommended: every stage
	// recommended or paid.
	Recommended Money `json:"recommended"`
	Disbursed   Money `json:"disbursed"`
	// Absorbed is the pemda's last reported absorption.
	Absorbed Money `json:"absorbed"`
	// Unabsorbed is what was disbursed but not (yet) reported absorbed:
	// the sisa dana held by the pemda.
	Unabsorbed Money `json:"unabsorbed"`
	// Left is the sisa alokasi: the allocation minus the cumulative
	// recommended amount (Rp0 once the last stage is recommended in full).
	Left Money `json:"left"`
	// Undisbursed is the allocation minus what was disbursed.
	Undisbursed Money `json:"undisbursed"`
	// Lapsed is what the lapsed stages would have paid: the RK value
	// (within the allocation) not disbursed, once the stages lapsed.
	Lapsed Money `json:"lapsed"`
	// NeverDisbursed is the part of the allocation that will never be
	// disbursed, once no stage is left to pay (all paid or lapsed): the
	// allocation minus what was disbursed. Zero while stages are open.
	NeverDisbursed Money          `json:"never_disbursed"`
	Stages         []StageFigures `json:"stages"`
}

// StageFigures are one stage's amounts.
type StageFigures struct {
	Number int `json:"number"`
	// Amount is what the stage pays: the paid amount, else the recommended
	// (or, while requested, the computed) amount, else the planned
	// estimate.
	Amount Money `json:"amount"`
	Paid   Money `json:"paid"`
	Lapsed Money `json:"lapsed"`
	// CumulativeRecommended counts this stage and those before it that
	// are recommended or paid.
	CumulativeRecommended Money `json:"cumulative_recommended"`
	// CumulativePaid counts this stage and those before it that are paid.
	CumulativePaid Money `json:"cumulative_paid"`
	// Left is the allocation minus CumulativeRecommended: the sisa
	// alokasi a letter about this stage states.
	Left Money `json:"left"`
}

// counts reports whether a stage's amount is recommended (or paid).
func (s Stage) counts() bool { return s.State == StageRecommended || s.State == StagePaid }

// Figures computes every amount of the proposal's disbursement.
func (p *Proposal) Figures() Figures {
	f := Figures{Allocation: p.AllocatedAmount, RK: p.RKAmount, Base: min(p.RKAmount, p.AllocatedAmount),
		Disbursed: p.DisbursedAmount, Absorbed: p.AbsorbedAmount, Stages: make([]StageFigures, 0, len(p.Stages))}
	f.Unabsorbed = max(0, f.Disbursed-f.Absorbed)
	f.Undisbursed = f.Allocation - f.Disbursed
	open, lapsed := false, false
	var cumRec, cumPaid Money
	for _, st := range p.Stages {
		sf := StageFigures{Number: st.Number, Amount: st.PlannedAmount}
		switch {
		case st.State == StagePaid:
			sf.Amount, sf.Paid = st.PaidAmount, st.PaidAmount
		case st.Amount > 0:
			sf.Amount = st.Amount
		}
		if st.counts() {
			cumRec += sf.Amount
		}
		cumPaid += sf.Paid
		sf.CumulativeRecommended, sf.CumulativePaid = cumRec, cumPaid
		sf.Left = f.Allocation - cumRec
		open = open || (st.State != StagePaid && st.State != StageLapsed)
		lapsed = lapsed || st.State == StageLapsed
		f.Stages = append(f.Stages, sf)
	}
	f.Recommended = cumRec
	f.Left = f.Allocation - cumRec
	if lapsed {
		f.Lapsed = f.spreadLapse(p.Stages)
	}
	if len(p.Stages) > 0 && !open {
		f.NeverDisbursed = f.Undisbursed
	}
	return f
}

// spreadLapse sets each lapsed stage's lapsed amount and returns their
// total: what the RK value (within the allocation) still held when the
// stages lapsed. Every lapsed stage but the last keeps its own amount (no
// more than what is left); the last takes the rest, so the parts always
// add up to the total whatever earlier stages paid.
func (f *Figures) spreadLapse(stages []Stage) Money {
	total := max(0, f.Base-f.Disbursed)
	last := -1
	for i, st := range stages {
		if st.State == StageLapsed {
			last = i
		}
	}
	rest := total
	for i, st := range stages {
		if st.State != StageLapsed {
			continue
		}
		part := min(f.Stages[i].Amount, rest)
		if i == last {
			part = rest
		}
		f.Stages[i].Lapsed = part
		rest -= part
	}
	return total
}
