package workflow

import (
	"testing"

	"dakflow/internal/dak"
	"dakflow/internal/region"
)

// reviewGuardCases are the tables of the guards of guards_review.go.
func reviewGuardCases(t *testing.T) map[string][]guardCase {
	allFiles := func(c *guardContext) {
		for _, kind := range c.def.Menus[string(c.proposal.Menu)].RequiredAttachments {
			c.attachments = append(c.attachments, attached(kind, 0))
		}
	}
	fiscalYear := func(fy dak.FiscalYear) func(c *guardContext) {
		return func(c *guardContext) { c.fiscalYear = &fy }
	}
	deadline := wib(2027, 3, 31, 23)
	answered := func(c *guardContext) {
		for _, item := range c.def.Checklist {
			if item.AppliesTo(c.proposal.Menu) {
				c.data.Checklist = append(c.data.Checklist, Answer{ID: item.ID, Met: yes()})
			} else {
				c.data.Checklist = append(c.data.Checklist, Answer{ID: item.ID, NotApplicable: true})
			}
		}
	}
	answer := func(i int, a Answer) func(c *guardContext) {
		return func(c *guardContext) { c.data.Checklist[i] = a }
	}
	recommended := func(c *guardContext) { c.proposal.RecommendedAmount = 800_000_000 }
	by := func(actor int64, event string) dak.Event { return dak.Event{ActorID: actor, Event: event} }
	const makassar = "73.71.01.1001" // a village of Kota Makassar
	if _, ok := region.Lookup(makassar); !ok {
		t.Fatalf("village %s is not registered", makassar)
	}
	return map[string][]guardCase{
		"proposal_complete": {
			{"every field and file", on(t, "submit", allFiles), nil},
			{"a field and a file missing", on(t, "submit", allFiles, func(c *guardContext) {
				c.proposal.Content.Title = ""
				c.attachments = c.attachments[:len(c.attachments)-1]
			}), []string{"title", "attachments.dokumen_lingkungan"}},
			{"a file of a stage does not count", on(t, "submit", func(c *guardContext) {
				allFiles(c)
				c.attachments[0].Stage = 1
			}), []string{"attachments.surat_usulan"}},
		},
		"budget_consistent": {
			{"adds up", on(t, "submit"), nil},
			{"no lines", on(t, "submit", func(c *guardContext) { c.proposal.Content.BudgetLines = nil }), []string{"budget_lines"}},
			{"unknown category", on(t, "submit", func(c *guardContext) { c.proposal.Content.BudgetLines[0].Category = "kapal" }),
				[]string{"budget_lines[0].category"}},
			{"sum differs from the request", on(t, "submit", func(c *guardContext) { c.proposal.RequestedAmount++ }), []string{"budget_lines"}},
			{"above the menu's cap", on(t, "submit", func(c *guardContext) {
				c.proposal.Content.BudgetLines[0].UnitPrice = 1_600_000_000
				c.proposal.RequestedAmount += 1_250_000_000
			}), []string{"budget_lines"}},
		},
		"village_in_region": {
			{"inside the region", on(t, "submit"), nil},
			{"not a village code", on(t, "submit", func(c *guardContext) { c.proposal.Content.Sentra.VillageCode = "18.71" }),
				[]string{"sentra.village_code"}},
			{"not registered", on(t, "submit", func(c *guardContext) { c.proposal.Content.Sentra.VillageCode = "18.71.01.9999" }),
				[]string{"sentra.village_code"}},
			{"another region's", on(t, "submit", func(c *guardContext) { c.proposal.Content.Sentra.VillageCode = makassar }),
				[]string{"sentra.village_code"}},
		},
		"before_deadline": {
			{"year not opened", on(t, "submit"), []string{"fiscal_year"}},
			{"before the deadline", on(t, "submit", fiscalYear(dak.FiscalYear{Year: 2027, SubmissionDeadline: &deadline})), nil},
			{"no deadline", on(t, "submit", fiscalYear(dak.FiscalYear{Year: 2027})), nil},
			{"after the deadline", on(t, "submit", fiscalYear(dak.FiscalYear{Year: 2027, SubmissionDeadline: &deadline}),
				func(c *guardContext) { c.now = deadline.Add(1) }), []string{"fiscal_year"}},
		},
		"comment_required": {
			{"a reason", on(t, "withdraw", func(c *guardContext) { c.comment = "Lokasi berubah" }), nil},
			{"none", on(t, "withdraw"), []string{"comment"}},
		},
		"notes_required": {
			{"a note on a part", on(t, "request_revision", func(c *guardContext) { c.data.Notes = []Note{{Field: "title", Note: "Perjelas"}} }), nil},
			{"none", on(t, "request_revision"), []string{"data.notes"}},
			{"empty note", on(t, "request_revision", func(c *guardContext) { c.data.Notes = []Note{{}} }),
				[]string{"data.notes[0].field", "data.notes[0].note"}},
		},
		"reviewer_assigned": {
			{"no reviewer yet", on(t, "recommend"), nil},
			{"the caller", on(t, "recommend", func(c *guardContext) { c.proposal.ReviewerID = 7 }), nil},
			{"another verifier", on(t, "recommend", func(c *guardContext) { c.proposal.ReviewerID = 8 }), []string{"reviewer"}},
		},
		"checklist_answered": {
			{"every item as its menu allows", on(t, "recommend", answered), nil},
			{"an item left out", on(t, "recommend", answered, func(c *guardContext) { c.data.Checklist = c.data.Checklist[1:] }),
				[]string{"data.checklist.dokumen_lengkap"}},
			{"an unknown item", on(t, "recommend", answered, func(c *guardContext) {
				c.data.Checklist = append(c.data.Checklist, Answer{ID: "rahasia", Met: yes()})
			}), []string{"data.checklist[9].id"}},
			{"not answered", on(t, "recommend", answered, answer(0, Answer{ID: "dokumen_lengkap"})), []string{"data.checklist[0]"}},
			{"answered twice", on(t, "recommend", answered, answer(0, Answer{ID: "dokumen_lengkap", Met: yes(), NotApplicable: true})),
				[]string{"data.checklist[0]"}},
			{"not applicable where it applies", on(t, "recommend", answered, answer(0, Answer{ID: "dokumen_lengkap", NotApplicable: true})),
				[]string{"data.checklist[0]"}},
			{"met where it does not apply", on(t, "recommend", answered, answer(2, Answer{ID: "kesiapan_lahan", Met: yes()})),
				[]string{"data.checklist[2]"}},
			{"not met without a note", on(t, "recommend", answered, answer(0, Answer{ID: "dokumen_lengkap", Met: no()})),
				[]string{"data.checklist[0].note"}},
			{"not met with a note", on(t, "recommend", answered, answer(0, Answer{ID: "dokumen_lengkap", Met: no(), Note: "DED belum ada"})), nil},
		},
		"recommended_within_requested": {
			{"the request", on(t, "recommend", func(c *guardContext) { c.data.RecommendedAmount = money(815_000_000) }), nil},
			{"none", on(t, "recommend"), []string{"data.recommended_amount"}},
			{"zero", on(t, "recommend", func(c *guardContext) { c.data.RecommendedAmount = money(0) }), []string{"data.recommended_amount"}},
			{"above the request", on(t, "recommend", func(c *guardContext) { c.data.RecommendedAmount = money(815_000_001) }),
				[]string{"data.recommended_amount"}},
		},
		"amount_within_recommended": {
			{"the recommendation", on(t, "allocate", recommended, func(c *guardContext) { c.data.Amount = money(800_000_000) }), nil},
			{"none", on(t, "allocate", recommended), []string{"data.amount"}},
			{"above the recommendation", on(t, "allocate", recommended, func(c *guardContext) { c.data.Amount = money(800_000_001) }),
				[]string{"data.amount"}},
		},
		"ceiling_available": {
			{"year without a ceiling", on(t, "allocate", func(c *guardContext) { c.data.Amount = money(800_000_000) }), []string{"fiscal_year"}},
			{"within the year and the menu", on(t, "allocate", fiscalYear(dak.FiscalYear{Year: 2027, Ceiling: 1_000_000_000,
				Menus: map[dak.Menu]dak.MenuCeiling{dak.MenuRevitalisasi: {Ceiling: 900_000_000}}}),
				func(c *guardContext) { c.data.Amount = money(800_000_000) }), nil},
			{"above what the year has left", on(t, "allocate", fiscalYear(dak.FiscalYear{Year: 2027, Ceiling: 1_000_000_000, Committed: 300_000_000}),
				func(c *guardContext) { c.data.Amount = money(800_000_000) }), []string{"data.amount"}},
			{"above what the menu has left", on(t, "allocate", fiscalYear(dak.FiscalYear{Year: 2027, Ceiling: 5_000_000_000,
				Menus: map[dak.Menu]dak.MenuCeiling{dak.MenuRevitalisasi: {Ceiling: 900_000_000, Committed: 200_000_000}}}),
				func(c *guardContext) { c.data.Amount = money(800_000_000) }), []string{"data.amount"}},
		},
		"four_eyes": {
			{"others decided before", on(t, "allocate", func(c *guardContext) {
				c.history = []dak.Event{by(5, "recommend"), by(7, "start_review")}
			}), nil},
			{"the caller recommended", on(t, "allocate", func(c *guardContext) { c.history = []dak.Event{by(7, "recommend")} }),
				[]string{"actor"}},
			{"the caller's own earlier try of this event", on(t, "allocate", func(c *guardContext) { c.history = []dak.Event{by(7, "allocate")} }), nil},
		},
	}
}
