package workflow

import (
	"fmt"
	"time"

	"dakflow/internal/dak"
)

// The disbursement stages of PMK 25/2024: the mode of an allocation, the
// stages planned when the RK is approved, what each stage pays and the
// thresholds it must meet, all from the parameters of the workflow file.

// Disbursement modes (PMK 25/2024).
const (
	ModeSekaligus = "sekaligus"
	ModeBertahap  = "bertahap"
)

// Mode is the disbursement mode of an allocation: one stage up to the
// sekaligus ceiling of the workflow file, staged above it.
func (d *Definition) Mode(allocated dak.Money) string {
	if allocated <= d.Parameters.SekaligusMax {
		return ModeSekaligus
	}
	return ModeBertahap
}

// LegalBasis is the regulation a mode follows.
func (d *Definition) LegalBasis(mode string) string {
	if mode == ModeSekaligus {
		return d.Parameters.Sekaligus.LegalBasis
	}
	return d.Parameters.Bertahap.LegalBasis
}

// planStages fixes the stages when the RK is approved. Amounts depending on
// the contract value are set when the stage is requested; the planned
// amount is the estimate from the RK.
func (d *Definition) planStages(p *dak.Proposal) []dak.Stage {
	base := min(p.RKAmount, p.AllocatedAmount)
	year := p.FiscalYear
	if d.Mode(p.AllocatedAmount) == ModeSekaligus {
		return []dak.Stage{{Number: 1, Basis: "contract", Percent: dak.Percent(10000), PlannedAmount: base,
			State: dak.StagePending, Deadline: deadline(year, d.Parameters.Sekaligus.Deadline)}}
	}
	var out []dak.Stage
	var planned dak.Money
	for _, s := range d.Parameters.Bertahap.Stages {
		st := dak.Stage{Number: s.Number, Basis: s.Basis, State: dak.StagePending, Deadline: deadline(year, s.Deadline)}
		if s.Basis == "remainder" {
			st.PlannedAmount = base - planned
			st.Percent = dak.PercentOf(st.PlannedAmount, base)
		} else {
			st.Percent = dak.Percent(s.Percent * 100)
			st.PlannedAmount = base.MulPercent(st.Percent)
		}
		planned += st.PlannedAmount
		out = append(out, st)
	}
	return out
}

// deadline is the given "MM-DD HH:MM" of the fiscal year, in WIB.
func deadline(year int, at string) time.Time {
	t, _ := parseDeadline(at)
	return time.Date(year, t.month, t.day, t.hour, t.minute, 0, 0, dak.WIB).UTC()
}

// stageDef returns the rule of stage n for the proposal's mode.
func (d *Definition) stageDef(p *dak.Proposal, n int) StageDef {
	if d.Mode(p.AllocatedAmount) == ModeSekaligus {
		return StageDef{Number: 1, Basis: "contract", Attachments: d.Parameters.Sekaligus.Attachments}
	}
	for _, s := range d.Parameters.Bertahap.Stages {
		if s.Number == n {
			return s
		}
	}
	return StageDef{Number: n}
}

// stageAmount computes what stage st pays given the pemda's report, and
// how (one of the dak.Basis* constants), by the rules of PRODUCT.md §3:
//   - sekaligus: the value of the contract list;
//   - stage I: a percentage of the RK value, or the contracts if lower;
//   - stage II: a percentage of the RK value when the contracts exceed
//     contract_threshold % of it, otherwise the contracts minus what was paid;
//   - stage III: the pemda's rencana kebutuhan dana penyelesaian.
//
// Whatever the rule, cumulative disbursement never exceeds the contracts,
// the RK value or the allocation: the amount is capped by what each leaves.
func (d *Definition) stageAmount(p *dak.Proposal, st *dak.Stage, r dak.StageReport) (dak.Money, string) {
	base := min(p.RKAmount, p.AllocatedAmount)
	paid := p.DisbursedAmount
	var amount dak.Money
	var basis string
	switch st.Basis {
	case "contract":
		amount, basis = r.ContractValue-paid, dak.BasisContract
	case "rk_or_contract":
		amount, basis = base.MulPercent(st.Percent), dak.BasisRKPercent
		if r.ContractValue < amount {
			amount, basis = r.ContractValue, dak.BasisContract
		}
	case "rk_percent":
		amount, basis = base.MulPercent(st.Percent), dak.BasisRKPercent
		threshold := d.stageDef(p, st.Number).ContractThreshold
		if int64(r.ContractValue)*100 <= int64(base)*threshold {
			amount, basis = r.ContractValue-paid, dak.BasisContractLessPaid
		}
	case "remainder":
		amount, basis = r.CompletionNeed, dak.BasisCompletionNeed
	}
	if left := r.ContractValue - paid; amount > left {
		amount, basis = left, dak.BasisContractLeft
	}
	if left := base - paid; amount > left {
		amount, basis = left, dak.BasisRKLeft
	}
	return max(0, amount), basis
}

// stageConditions checks the thresholds of stage n against a report.
func (d *Definition) stageConditions(p *dak.Proposal, n int, r dak.StageReport) []dak.FieldError {
	def := d.stageDef(p, n)
	var out []dak.FieldError
	// Every stage is paid against the contract list: no stage exceeds
	// what the contracts leave.
	if r.ContractValue <= 0 {
		out = append(out, dak.FieldError{Field: "data.contract_value", Message: "nilai daftar kontrak wajib diisi"})
	} else if r.ContractValue <= p.DisbursedAmount {
		out = append(out, dak.FieldError{Field: "data.contract_value",
			Message: fmt.Sprintf("nilai kontrak %s tidak melebihi dana yang telah disalurkan %s: tidak ada yang dapat disalurkan", r.ContractValue, p.DisbursedAmount)})
	}
	if def.Basis == "remainder" && r.CompletionNeed <= 0 {
		out = append(out, dak.FieldError{Field: "data.completion_need", Message: "rencana kebutuhan dana penyelesaian wajib diisi untuk tahap ini"})
	}
	if def.MinAbsorption > 0 {
		got := dak.PercentOf(r.AbsorbedAmount, p.DisbursedAmount)
		if want := dak.Percent(def.MinAbsorption * 100); got < want {
			out = append(out, dak.FieldError{Field: "data.absorbed_amount",
				Message: fmt.Sprintf("penyerapan %s dari dana yang diterima %s, kurang dari %s", got, p.DisbursedAmount, want)})
		}
	}
	if def.MinOutput > 0 {
		if want := dak.Percent(def.MinOutput * 100); r.OutputPercent < want {
			out = append(out, dak.FieldError{Field: "data.output_percent",
				Message: fmt.Sprintf("capaian keluaran %s kurang dari %s", r.OutputPercent, want)})
		}
	}
	return out
}
