package workflow

import (
	"slices"
	"testing"
	"time"

	"dakflow/internal/dak"
)

// rkGuardCases are the tables of the guards of guards_rk.go.
func rkGuardCases(t *testing.T) map[string][]guardCase {
	allocated := func(c *guardContext) {
		c.proposal.RecommendedAmount, c.proposal.AllocatedAmount = 815_000_000, 800_000_000
	}
	rk := func(lines ...dak.BudgetLine) func(c *guardContext) {
		return func(c *guardContext) { c.data.Activities = lines }
	}
	line := func(cat string, qty int64, price dak.Money) dak.BudgetLine {
		return dak.BudgetLine{Category: cat, Description: "Kegiatan " + cat, Quantity: qty, Unit: "paket", UnitPrice: price}
	}
	approved := func(lines []dak.BudgetLine) func(c *guardContext) {
		return func(c *guardContext) { c.proposal.RK = lines }
	}
	rkDue := time.Date(2027, 3, 31, 23, 59, 0, 0, dak.WIB)
	rkYear := func(d *time.Time) func(c *guardContext) {
		return func(c *guardContext) {
			c.fiscalYear = &dak.FiscalYear{Year: 2027, Calendar: dak.Calendar{RKDeadline: d}}
		}
	}
	return map[string][]guardCase{
		"amount_correction_reasoned": {
			{"recommended as requested", on(t, "recommend", func(c *guardContext) { c.data.RecommendedAmount = money(815_000_000) }), nil},
			{"recommended less without a reason", on(t, "recommend", func(c *guardContext) { c.data.RecommendedAmount = money(700_000_000) }),
				[]string{"data.amount_reason"}},
			{"recommended less with a reason", on(t, "recommend", func(c *guardContext) {
				c.data.RecommendedAmount, c.data.AmountReason = money(700_000_000), "Harga mesin terlalu tinggi"
			}), nil},
			{"allocated less without a reason", on(t, "allocate", allocated, func(c *guardContext) { c.data.Amount = money(600_000_000) }),
				[]string{"data.amount_reason"}},
			{"allocated as recommended", on(t, "allocate", allocated, func(c *guardContext) { c.data.Amount = money(815_000_000) }), nil},
		},
		"rk_within_allocation": {
			{"within the allocation", on(t, "submit_rk", allocated, rk(line("mesin_peralatan", 16, 50_000_000))), nil},
			{"within the tolerance", on(t, "submit_rk", allocated, rk(line("mesin_peralatan", 1, 801_000_000))), nil},
			{"no activities", on(t, "submit_rk", allocated), []string{"data.activities"}},
			{"a line without its unit", on(t, "submit_rk", allocated, rk(dak.BudgetLine{Category: "ipal", Description: "IPAL", Quantity: 1, UnitPrice: 5})),
				[]string{"data.activities[0].unit"}},
			{"above allocation and tolerance", on(t, "submit_rk", allocated, rk(line("mesin_peralatan", 1, 801_000_001))),
				[]string{"data.activities"}},
		},
		"before_rk_deadline": {
			{"year not found", on(t, "submit_rk", allocated), nil},
			{"no RK deadline", on(t, "submit_rk", allocated, rkYear(nil)), nil},
			{"at the deadline", on(t, "submit_rk", allocated, rkYear(&rkDue), func(c *guardContext) { c.now = rkDue }), nil},
			{"after the deadline", on(t, "submit_rk", allocated, rkYear(&rkDue), func(c *guardContext) { c.now = rkDue.Add(time.Minute) }),
				[]string{"fiscal_year"}},
		},
		"rk_within_category_limits": {
			{"within the cap", on(t, "submit_rk", rk(line("gedung_produksi", 1, 1_500_000_000))), nil},
			{"one line above the cap", on(t, "submit_rk", rk(line("gedung_produksi", 1, 1_500_000_001))),
				[]string{"data.activities[0].unit_price"}},
			{"lines above the cap together", on(t, "submit_rk", rk(line("gedung_produksi", 1, 1_000_000_000), line("gedung_produksi", 1, 600_000_000))),
				[]string{"data.activities"}},
			{"a menu without caps", on(t, "submit_rk", rk(line("gedung_produksi", 1, 2_000_000_000)), func(c *guardContext) {
				c.proposal.Menu = dak.MenuPembangunan
			}), nil},
		},
		"rk_departures_justified": {
			{"the RK keeps to the RAB", on(t, "approve_rk", approved(rab())), nil},
			{"no RK", on(t, "approve_rk"), nil},
			{"a category dropped without a basis", on(t, "approve_rk", approved(rab()[:3])), []string{"data.departure_basis"}},
			{"a category dropped with a basis", on(t, "approve_rk", approved(rab()[:3]), func(c *guardContext) {
				c.data.DepartureBasis = "Papan identitas dibiayai APBD"
			}), nil},
		},
	}
}

// staged is tapis allocated and approved for 3,2 miliar (bertahap: 800
// million, 1,44 miliar, 960 million), its first paid stages paid.
func staged(paid int) func(c *guardContext) {
	return func(c *guardContext) {
		p := c.proposal
		p.RecommendedAmount, p.AllocatedAmount, p.RKAmount = 3_200_000_000, 3_200_000_000, 3_200_000_000
		p.Stages = c.def.planStages(p)
		for i := range paid {
			st := &p.Stages[i]
			st.Amount, st.PaidAmount, st.State = st.PlannedAmount, st.PlannedAmount, dak.StagePaid
			p.DisbursedAmount += st.PlannedAmount
		}
	}
}

// stageGuardCases are the tables of the guards of guards_stage.go.
func stageGuardCases(t *testing.T) map[string][]guardCase {
	report := func(stage int, contract, absorbed int64, kppn string) func(c *guardContext) {
		return func(c *guardContext) {
			c.data.Stage, c.data.ContractValue, c.data.AbsorbedAmount, c.data.KPPN = stage, money(contract), money(absorbed), kppn
		}
	}
	reported := func(r dak.StageReport) func(c *guardContext) {
		return func(c *guardContext) { c.proposal.NextStage().Report = r }
	}
	recommendedAt := wib(2027, 8, 5, 9)
	sp2d := func(number, date string) func(c *guardContext) {
		return func(c *guardContext) {
			c.data.SP2DNumber, c.data.SP2DDate = number, date
			c.history = []dak.Event{{Event: "recommend_disbursement", At: recommendedAt}}
		}
	}
	completion := func(output int64, absorbed int64, bast string) func(c *guardContext) {
		return func(c *guardContext) {
			c.data.OutputPercent, c.data.AbsorbedAmount, c.data.BASTNumber = percent(output), money(absorbed), bast
		}
	}
	extension := func(stage int, until, basis string) func(c *guardContext) {
		return func(c *guardContext) { c.data.Stage, c.data.Until, c.data.LegalBasis = stage, until, basis }
	}
	withFile := func(kind string, stage int) func(c *guardContext) {
		return func(c *guardContext) { c.attachments = append(c.attachments, attached(kind, stage)) }
	}
	return map[string][]guardCase{
		"stage_left": {
			{"a stage to pay", on(t, "request_disbursement", staged(2)), nil},
			{"every stage paid", on(t, "request_disbursement", staged(3)), []string{"data.stage"}},
		},
		"stage_conditions": {
			{"stage I as reported", on(t, "request_disbursement", staged(0), report(1, 2_880_000_000, 0, "KPPN Bandar Lampung")), nil},
			{"another stage, no KPPN, no contracts", on(t, "request_disbursement", staged(0), report(2, 0, 0, "")),
				[]string{"data.stage", "data.kppn", "data.contract_value"}},
			{"the KPPN of an earlier request", on(t, "request_disbursement", staged(1), report(2, 2_880_000_000, 700_000_000, ""),
				func(c *guardContext) { c.proposal.Stages[0].Report.KPPN = "KPPN Bandar Lampung" }), nil},
			{"stage II below its absorption", on(t, "request_disbursement", staged(1), report(2, 2_880_000_000, 500_000_000, "KPPN Bandar Lampung")),
				[]string{"data.absorbed_amount"}},
			{"more absorbed than received", on(t, "request_disbursement", staged(1), report(2, 2_880_000_000, 900_000_000, "KPPN Bandar Lampung")),
				[]string{"data.absorbed_amount"}},
			{"the approver re-checks what was reported", on(t, "recommend_disbursement", staged(0),
				reported(dak.StageReport{ContractValue: 2_880_000_000, OutputPercent: 10001})), []string{"data.output_percent"}},
			{"stage III without its need", on(t, "request_disbursement", staged(2), report(3, 2_880_000_000, 2_100_000_000, "KPPN Bandar Lampung"),
				func(c *guardContext) { c.data.OutputPercent = percent(7500) }), []string{"data.completion_need"}},
			{"nothing left to pay", on(t, "request_disbursement", staged(3)), nil},
		},
		"stage_attachments": {
			{"the stage's files", on(t, "request_disbursement", staged(0), withFile("daftar_kontrak", 1)), nil},
			{"a file of the proposal, not the stage", on(t, "request_disbursement", staged(0), withFile("daftar_kontrak", 0)),
				[]string{"attachments.daftar_kontrak"}},
			{"stage II's files missing", on(t, "request_disbursement", staged(1), withFile("daftar_kontrak", 2)),
				[]string{"attachments.lrpd_co", "attachments.lhr_apip"}},
		},
		"amount_equals_stage": {
			{"the recommended amount", on(t, "record_disbursement", staged(0), func(c *guardContext) {
				c.proposal.Stages[0].Amount, c.data.Amount = 800_000_000, money(800_000_000)
			}), nil},
			{"another amount", on(t, "record_disbursement", staged(0), func(c *guardContext) {
				c.proposal.Stages[0].Amount, c.data.Amount = 800_000_000, money(799_999_999)
			}), []string{"data.amount"}},
			{"no amount", on(t, "record_disbursement", staged(0)), []string{"data.amount"}},
		},
		"sp2d_unique": {
			{"a new SP2D after the recommendation", on(t, "record_disbursement", staged(0), sp2d("SP2D-001", "2027-08-05")), nil},
			{"no number, no date", on(t, "record_disbursement", staged(0), sp2d("", "")), []string{"data.sp2d_number", "data.sp2d_date"}},
			{"a number already recorded", on(t, "record_disbursement", staged(0), sp2d("SP2D-001", "2027-08-06"),
				func(c *guardContext) { c.sp2dTaken = true }), []string{"data.sp2d_number"}},
			{"outside the fiscal year", on(t, "record_disbursement", staged(0), sp2d("SP2D-001", "2028-01-05")), []string{"data.sp2d_date"}},
			{"before the recommendation", on(t, "record_disbursement", staged(0), sp2d("SP2D-001", "2027-08-04")), []string{"data.sp2d_date"}},
		},
		"all_stages_paid": {
			{"every stage paid", on(t, "complete", staged(3)), nil},
			{"a stage unpaid", on(t, "complete", staged(2)), []string{"stages"}},
			{"no stages", on(t, "complete"), []string{"stages"}},
		},
		"output_complete_or_shortfall": {
			{"all of it", on(t, "complete", staged(3), completion(10000, 3_000_000_000, "BAST-7")), nil},
			{"less, explained", on(t, "complete", staged(3), completion(9000, 3_000_000_000, "BAST-7"),
				func(c *guardContext) { c.data.Shortfall = "Satu mesin belum terpasang" }), nil},
			{"no output", on(t, "complete", staged(3)), []string{"data.output_percent"}},
			{"less, unexplained", on(t, "complete", staged(3), completion(9000, 3_000_000_000, "BAST-7")), []string{"data.shortfall"}},
			{"above 100%, more absorbed than paid, no BAST", on(t, "complete", staged(3), completion(10001, 3_200_000_001, "")),
				[]string{"data.output_percent", "data.absorbed_amount", "data.bast_number"}},
			{"another proposal's BAST", on(t, "complete", staged(3), completion(10000, 3_000_000_000, "BAST-7"),
				func(c *guardContext) { c.bastTaken = true }), []string{"data.bast_number"}},
			{"a BAST date outside the year", on(t, "complete", staged(3), completion(10000, 3_000_000_000, "BAST-7"),
				func(c *guardContext) { c.data.BASTDate = "2028-01-02" }), []string{"data.bast_date"}},
			{"a BAST date that is no date", on(t, "complete", staged(3), completion(10000, 3_000_000_000, "BAST-7"),
				func(c *guardContext) { c.data.BASTDate = "kemarin" }), []string{"data.bast_date"}},
		},
		"bast_attached": {
			{"the BAST", on(t, "complete", withFile("bast", 3)), nil},
			{"no BAST", on(t, "complete", withFile("daftar_kontrak", 3)), []string{"attachments.bast"}},
		},
		"stage_deadline_passed": {
			{"past stage I's deadline", on(t, "lapse", staged(0), func(c *guardContext) { c.now = wib(2027, 7, 22, 17).Add(time.Second) }), nil},
			{"at the deadline", on(t, "lapse", staged(0), func(c *guardContext) { c.now = wib(2027, 7, 22, 17) }), []string{"stages"}},
			{"nothing left to lapse", on(t, "lapse", staged(3), func(c *guardContext) { c.now = wib(2027, 12, 31, 0) }), []string{"stages"}},
		},
		"extension_valid": {
			{"a later day of the year, with its basis", on(t, "extend_deadline", staged(0), extension(1, "2027-08-15", "KMK 12/2027")), nil},
			{"another stage, no date, no basis", on(t, "extend_deadline", staged(0), extension(2, "", "")),
				[]string{"data.stage", "data.until", "data.legal_basis"}},
			{"not later", on(t, "extend_deadline", staged(0), extension(1, "2027-07-22", "KMK 12/2027")), []string{"data.until"}},
			{"into the next year", on(t, "extend_deadline", staged(0), extension(1, "2028-01-10", "KMK 12/2027")), []string{"data.until"}},
			{"nothing left to extend", on(t, "extend_deadline", staged(3), extension(1, "2027-08-15", "KMK 12/2027")), []string{"data.stage"}},
		},
	}
}

// TestNeededAttachments: the files the next step needs are those the
// guards of the open events want, the proposal's before the completion's
// before a stage's.
func TestNeededAttachments(t *testing.T) {
	for _, tc := range []struct {
		name      string
		events    []string
		paid      int // stages paid; -1: no stages planned
		wantKinds []string
		wantStage int
	}{
		{"a draft", []string{"submit", "withdraw"}, -1, []string{"surat_usulan", "tor", "rab", "ded", "sk_sentra", "dokumen_lingkungan"}, 0},
		{"stage 2 due", []string{"request_disbursement"}, 1, []string{"daftar_kontrak", "lrpd_co", "lhr_apip"}, 2},
		{"completion open beside stage 2", []string{"complete", "request_disbursement"}, 1, []string{"bast"}, 3},
		{"every stage paid", []string{"complete", "request_disbursement"}, 3, []string{"bast"}, 3},
		{"no stage left", []string{"request_disbursement"}, 3, nil, 0},
		{"nothing wants files", []string{"withdraw", "start_review", "no_such_event"}, -1, nil, 0},
	} {
		c := on(t, "complete")
		if tc.paid >= 0 {
			staged(tc.paid)(c)
		}
		kinds, stage := c.def.NeededAttachments(c.proposal, tc.events)
		if !slices.Equal(kinds, tc.wantKinds) || stage != tc.wantStage {
			t.Errorf("%s: NeededAttachments(%v) = %v, %d; want %v, %d", tc.name, tc.events, kinds, stage, tc.wantKinds, tc.wantStage)
		}
	}
	for _, r := range fileRules {
		if _, ok := guards[r.guard]; !ok {
			t.Errorf("fileRules names guard %q, which is not registered", r.guard)
		}
	}
}
