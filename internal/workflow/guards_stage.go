package workflow

import (
	"fmt"
	"strings"
	"time"

	"dakflow/internal/dak"
)

// Guards of the disbursement (PRODUCT.md §3): a stage is requested with its
// report and documents, recommended on its conditions, paid by one SP2D,
// completed with the BAST, extended or lapsed at its deadline.

// guardStageLeft wants a stage still to be paid.
func guardStageLeft(c *guardContext) []dak.FieldError {
	if c.proposal.NextStage() == nil {
		return fail("data.stage", "semua tahap penyaluran sudah dibayar")
	}
	return nil
}

// report is the stage report a guard judges: the request's own data (an
// event that runs request_stage carries it), or, when an approver
// re-checks it, what the pemda reported.
func (c *guardContext) report() (int, dak.StageReport) {
	st := c.proposal.NextStage()
	if st == nil {
		return 0, dak.StageReport{}
	}
	if !c.event.Runs("request_stage") {
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

// guardStageConditions wants the report on the stage due next to meet the
// stage's conditions (stageConditions); the event requesting the stage
// also names it and its KPPN.
func guardStageConditions(c *guardContext) []dak.FieldError {
	n, r := c.report()
	if n == 0 {
		return nil
	}
	requesting := c.event.Runs("request_stage")
	var out []dak.FieldError
	if requesting && c.data.Stage != n {
		out = append(out, dak.FieldError{Field: "data.stage", Message: fmt.Sprintf("tahap yang dapat dimohonkan adalah tahap %d", n)})
	}
	if r.OutputPercent > 10000 {
		out = append(out, dak.FieldError{Field: "data.output_percent", Message: "capaian keluaran paling tinggi 100%"})
	}
	if requesting && r.KPPN == "" {
		out = append(out, dak.FieldError{Field: "data.kppn", Message: "nama KPPN mitra kerja pemerintah daerah wajib diisi (misalnya KPPN Bandar Lampung)"})
	}
	if r.AbsorbedAmount > c.proposal.DisbursedAmount {
		out = append(out, dak.FieldError{Field: "data.absorbed_amount", Message: fmt.Sprintf("penyerapan %s melebihi dana yang diterima %s", r.AbsorbedAmount, c.proposal.DisbursedAmount)})
	}
	return append(out, c.def.stageConditions(c.proposal, n, r)...)
}

func guardStageAttachments(c *guardContext) []dak.FieldError {
	kinds, n := stageFiles(c.def, c.proposal)
	var out []dak.FieldError
	for _, kind := range kinds {
		if !hasAttachment(c.files(), kind, n) {
			out = append(out, dak.FieldError{Field: "attachments." + kind,
				Message: fmt.Sprintf("lampiran %s untuk tahap %d belum diunggah", dak.AttachmentKinds[kind], n)})
		}
	}
	return out
}

// stageFiles are the files the stage due next requires, attached to that
// stage; none once every stage is paid.
func stageFiles(d *Definition, p *dak.Proposal) (kinds []string, stage int) {
	st := p.NextStage()
	if st == nil {
		return nil, 0
	}
	return d.stageDef(p, st.Number).Attachments, st.Number
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
		return append(out, dak.FieldError{Field: "data.sp2d_date", Message: "tanggal SP2D wajib diisi (" + dak.DateHint + ")"})
	}
	// An SP2D pays from the fiscal year's budget, after the recommendation
	// it pays (PRODUCT.md §3).
	fy := c.proposal.FiscalYear
	day := func(t time.Time) string { return t.In(dak.WIB).Format("2006-01-02") }
	switch recommended := c.lastRunning("recommend_stage"); {
	case date.Year() != fy:
		out = append(out, dak.FieldError{Field: "data.sp2d_date",
			Message: fmt.Sprintf("tanggal SP2D %s di luar tahun anggaran %d", dak.FormatDate(date), fy)})
	case !recommended.IsZero() && day(date) < day(recommended):
		out = append(out, dak.FieldError{Field: "data.sp2d_date",
			Message: "tanggal SP2D " + dak.FormatDate(date) + " mendahului rekomendasi penyaluran tanggal " + dak.FormatDate(recommended)})
	}
	return out
}

// lastRunning is when the proposal's latest event that ran the named
// action happened, or zero (history is loaded for the guards that need it).
func (c *guardContext) lastRunning(action string) time.Time {
	if e := latestRunning(c.def, c.history, action); e != nil {
		return e.At
	}
	return time.Time{}
}

// latestRunning is the latest event of history whose definition in d runs
// the named action, or nil.
func latestRunning(d *Definition, history []dak.Event, action string) *dak.Event {
	for i := len(history) - 1; i >= 0; i-- {
		if ev, ok := d.Event(history[i].Event); ok && ev.Runs(action) {
			return &history[i]
		}
	}
	return nil
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
			out = append(out, dak.FieldError{Field: "data.bast_date", Message: "tanggal BAST tidak valid (" + dak.DateHint + ")"})
		case date.Year() != c.proposal.FiscalYear:
			out = append(out, dak.FieldError{Field: "data.bast_date", Message: fmt.Sprintf("tanggal BAST di luar tahun anggaran %d", c.proposal.FiscalYear)})
		}
	}
	return out
}

// guardBAST wants the completion's files, attached to any stage.
func guardBAST(c *guardContext) []dak.FieldError {
	kinds, _ := completionFiles(c.def, c.proposal)
	for _, kind := range kinds {
		found := false
		for _, a := range c.files() {
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
		out = append(out, dak.FieldError{Field: "data.until", Message: "tanggal batas waktu baru wajib diisi (" + dak.DateHint + ")"})
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

// completionFiles are the files the completion requires, filed under the
// last stage.
func completionFiles(d *Definition, p *dak.Proposal) (kinds []string, stage int) {
	return d.Parameters.Completion.Attachments, len(p.Stages)
}
