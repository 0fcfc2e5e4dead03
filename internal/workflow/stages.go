package workflow

import (
	"fmt"
	"strings"
	"time"

	"dakflow/internal/dak"
)

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

func guardStageLeft(c *guardContext) []dak.FieldError {
	if c.proposal.NextStage() == nil {
		return fail("data.stage", "semua tahap penyaluran sudah dibayar")
	}
	return nil
}

// report is the stage report a guard judges: the request's own data, or,
// when an approver re-checks it, what the pemda reported.
func (c *guardContext) report() (int, dak.StageReport) {
	st := c.proposal.NextStage()
	if st == nil {
		return 0, dak.StageReport{}
	}
	if c.event.Name != "request_disbursement" {
		return st.Number, st.Report
	}
	var r dak.StageReport
	if c.data.ContractValue != nil {
		r.ContractValue = *c.data.ContractValue
	}
	if c.data.AbsorbedAmount != nil {
		r.AbsorbedAmount = *c.data.AbsorbedAmount
	}
	if c.data.OutputPercent != nil {
		r.OutputPercent = *c.data.OutputPercent
	}
	if c.data.CompletionNeed != nil {
		r.CompletionNeed = *c.data.CompletionNeed
	}
	r.KPPN = c.data.KPPN
	if r.KPPN == "" {
		r.KPPN = lastKPPN(c.proposal)
	}
	return st.Number, r
}

func guardStageConditions(c *guardContext) []dak.FieldError {
	n, r := c.report()
	if n == 0 {
		return nil
	}
	var out []dak.FieldError
	if c.event.Name == "request_disbursement" && c.data.Stage != n {
		out = append(out, dak.FieldError{Field: "data.stage", Message: fmt.Sprintf("tahap yang dapat dimohonkan adalah tahap %d", n)})
	}
	if r.OutputPercent > 10000 {
		out = append(out, dak.FieldError{Field: "data.output_percent", Message: "capaian keluaran paling tinggi 100%"})
	}
	if c.event.Name == "request_disbursement" && r.KPPN == "" {
		out = append(out, dak.FieldError{Field: "data.kppn", Message: "nama KPPN mitra kerja pemerintah daerah wajib diisi (misalnya KPPN Bandar Lampung)"})
	}
	if r.AbsorbedAmount > c.proposal.DisbursedAmount {
		out = append(out, dak.FieldError{Field: "data.absorbed_amount", Message: fmt.Sprintf("penyerapan %s melebihi dana yang diterima %s", r.AbsorbedAmount, c.proposal.DisbursedAmount)})
	}
	return append(out, c.def.stageConditions(c.proposal, n, r)...)
}

func guardStageAttachments(c *guardContext) []dak.FieldError {
	st := c.proposal.NextStage()
	if st == nil {
		return nil
	}
	var out []dak.FieldError
	for _, kind := range c.def.stageDef(c.proposal, st.Number).Attachments {
		if !hasAttachment(c.attachments, kind, st.Number) {
			out = append(out, dak.FieldError{Field: "attachments." + kind,
				Message: fmt.Sprintf("lampiran %s untuk tahap %d belum diunggah", dak.AttachmentKinds[kind], st.Number)})
		}
	}
	return out
}

func guardStageAmount(c *guardContext) []dak.FieldError {
	st := c.proposal.NextStage()
	if st == nil {
		return nil
	}
	if c.data.Amount == nil || *c.data.Amount != st.Amount {
		return fail("data.amount", "jumlah penyaluran harus sama dengan rekomendasi tahap %d: %s", st.Number, st.Amount)
	}
	return nil
}

func guardSP2D(c *guardContext) []dak.FieldError {
	var out []dak.FieldError
	if c.data.SP2DNumber == "" {
		out = append(out, dak.FieldError{Field: "data.sp2d_number", Message: "nomor SP2D wajib diisi"})
	} else if c.sp2dTaken {
		out = append(out, dak.FieldError{Field: "data.sp2d_number", Message: "nomor SP2D " + c.data.SP2DNumber + " sudah tercatat"})
	}
	date, err := dak.ParseDate(c.data.SP2DDate)
	if err != nil {
		return append(out, dak.FieldError{Field: "data.sp2d_date", Message: "tanggal SP2D wajib diisi (YYYY-MM-DD)"})
	}
	// An SP2D pays from the fiscal year's budget, after the recommendation
	// it pays (PRODUCT.md §3).
	fy := c.proposal.FiscalYear
	day := func(t time.Time) string { return t.In(dak.WIB).Format("2006-01-02") }
	switch recommended := c.lastEventAt("recommend_disbursement"); {
	case date.Year() != fy:
		out = append(out, dak.FieldError{Field: "data.sp2d_date",
			Message: fmt.Sprintf("tanggal SP2D %s di luar tahun anggaran %d", dak.FormatDate(date), fy)})
	case !recommended.IsZero() && day(date) < day(recommended):
		out = append(out, dak.FieldError{Field: "data.sp2d_date",
			Message: "tanggal SP2D " + dak.FormatDate(date) + " mendahului rekomendasi penyaluran tanggal " + dak.FormatDate(recommended)})
	}
	return out
}

// lastEventAt is when the proposal's latest event of the given name
// happened, or zero (history is loaded for the guards that need it).
func (c *guardContext) lastEventAt(name string) time.Time {
	for i := len(c.history) - 1; i >= 0; i-- {
		if c.history[i].Event == name {
			return c.history[i].At
		}
	}
	return time.Time{}
}

// lastKPPN is the KPPN named by an earlier stage request of the proposal,
// so that the pemda names it once.
func lastKPPN(p *dak.Proposal) string {
	for i := len(p.Stages) - 1; i >= 0; i-- {
		if k := p.Stages[i].Report.KPPN; k != "" {
			return k
		}
	}
	return ""
}

func guardAllPaid(c *guardContext) []dak.FieldError {
	if len(c.proposal.Stages) == 0 || c.proposal.NextStage() != nil {
		return fail("stages", "belum semua tahap penyaluran dibayar")
	}
	return nil
}

func guardOutput(c *guardContext) []dak.FieldError {
	var out []dak.FieldError
	if c.data.OutputPercent == nil {
		return fail("data.output_percent", "capaian keluaran wajib diisi")
	}
	if *c.data.OutputPercent > 10000 {
		out = append(out, dak.FieldError{Field: "data.output_percent", Message: "capaian keluaran paling tinggi 100%"})
	} else if *c.data.OutputPercent < 10000 && c.data.Shortfall == "" {
		out = append(out, dak.FieldError{Field: "data.shortfall", Message: "capaian keluaran di bawah 100%: jelaskan kekurangannya"})
	}
	if c.data.AbsorbedAmount == nil || *c.data.AbsorbedAmount > c.proposal.DisbursedAmount {
		out = append(out, dak.FieldError{Field: "data.absorbed_amount", Message: fmt.Sprintf("penyerapan wajib diisi dan tidak melebihi dana tersalur %s", c.proposal.DisbursedAmount)})
	}
	if c.data.BASTNumber == "" {
		out = append(out, dak.FieldError{Field: "data.bast_number", Message: "nomor BAST wajib diisi"})
	} else if c.bastTaken {
		out = append(out, dak.FieldError{Field: "data.bast_number", Message: "nomor BAST " + c.data.BASTNumber + " sudah tercatat pada usulan lain"})
	}
	if c.data.BASTDate != "" {
		date, err := dak.ParseDate(c.data.BASTDate)
		switch {
		case err != nil:
			out = append(out, dak.FieldError{Field: "data.bast_date", Message: "tanggal BAST tidak valid (YYYY-MM-DD)"})
		case date.Year() != c.proposal.FiscalYear:
			out = append(out, dak.FieldError{Field: "data.bast_date", Message: fmt.Sprintf("tanggal BAST di luar tahun anggaran %d", c.proposal.FiscalYear)})
		}
	}
	return out
}

func guardBAST(c *guardContext) []dak.FieldError {
	for _, kind := range c.def.Parameters.Completion.Attachments {
		found := false
		for _, a := range c.attachments {
			found = found || a.Kind == kind
		}
		if !found {
			return fail("attachments."+kind, "lampiran %s belum diunggah", dak.AttachmentKinds[kind])
		}
	}
	return nil
}

func guardStageDeadline(c *guardContext) []dak.FieldError {
	st := c.proposal.NextStage()
	if st == nil || !c.now.After(st.Deadline) {
		return fail("stages", "batas waktu dokumen tahap belum lewat")
	}
	return nil
}

// guardExtension: an extension names the stage due next, a later date
// within the fiscal year and the legal basis it rests on, which its letter
// cites (issue 7 item 10).
func guardExtension(c *guardContext) []dak.FieldError {
	st := c.proposal.NextStage()
	if st == nil {
		return fail("data.stage", "tidak ada tahap yang tersisa")
	}
	var out []dak.FieldError
	if c.data.Stage != st.Number {
		out = append(out, dak.FieldError{Field: "data.stage", Message: fmt.Sprintf("batas waktu yang dapat diperpanjang adalah tahap %d", st.Number)})
	}
	until, err := dak.ParseDate(c.data.Until)
	end := extendedDeadline(until, st.Deadline)
	yearEnd := time.Date(c.proposal.FiscalYear, 12, 31, 23, 59, 59, 0, dak.WIB)
	switch {
	case err != nil:
		out = append(out, dak.FieldError{Field: "data.until", Message: "tanggal batas waktu baru wajib diisi (YYYY-MM-DD)"})
	case !end.After(st.Deadline):
		out = append(out, dak.FieldError{Field: "data.until", Message: "batas waktu baru harus setelah " + dak.FormatDate(st.Deadline)})
	case end.After(yearEnd):
		out = append(out, dak.FieldError{Field: "data.until", Message: fmt.Sprintf("batas waktu baru harus dalam tahun anggaran %d", c.proposal.FiscalYear)})
	}
	if strings.TrimSpace(c.data.LegalBasis) == "" {
		out = append(out, dak.FieldError{Field: "data.legal_basis", Message: "dasar hukum perpanjangan wajib diisi (mis. KMK atau surat DJPK)"})
	}
	return out
}

// extendedDeadline is the new deadline of an extension to the given day:
// the same cut-off hour as the deadline it replaces (KPPN's 17.00 WIB),
// never the end of the day.
func extendedDeadline(until, old time.Time) time.Time {
	o := old.In(dak.WIB)
	u := until.In(dak.WIB)
	return time.Date(u.Year(), u.Month(), u.Day(), o.Hour(), o.Minute(), o.Second(), 0, dak.WIB).UTC()
}
