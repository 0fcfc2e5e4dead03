package workflow

import (
	"fmt"
	"slices"
	"strings"

	"dakflow/internal/dak"
	"dakflow/internal/region"
	"dakflow/internal/store"
)

// Guards of the submission, the review and the allocation (PRODUCT.md §3):
// a complete and consistent proposal submitted in time, a review by one
// verifier with every checklist item answered, amounts within what came
// before and within the ceilings.

// guardComplete wants every field and attachment the proposal's menu
// requires (menus.<menu> of the workflow file).
func guardComplete(c *guardContext) []dak.FieldError {
	var out []dak.FieldError
	menu := c.def.Menus[string(c.proposal.Menu)]
	for _, f := range menu.RequiredFields {
		if empty, _ := c.proposal.Content.IsEmpty(f); empty {
			out = append(out, dak.FieldError{Field: f, Message: dak.FieldLabel(f) + " wajib diisi untuk menu " + string(c.proposal.Menu)})
		}
	}
	kinds, stage := proposalFiles(c.def, c.proposal)
	for _, kind := range kinds {
		if !hasAttachment(c.files(), kind, stage) {
			out = append(out, dak.FieldError{Field: "attachments." + kind, Message: "lampiran " + dak.AttachmentKinds[kind] + " belum diunggah"})
		}
	}
	return out
}

// proposalFiles are the files the proposal's menu requires, attached to
// the proposal itself (stage 0).
func proposalFiles(d *Definition, p *dak.Proposal) (kinds []string, stage int) {
	return d.Menus[string(p.Menu)].RequiredAttachments, 0
}

// guardBudget wants an RAB of valid lines adding up to the requested
// amount, within the category caps of the menu.
func guardBudget(c *guardContext) []dak.FieldError {
	lines := slices.Clone(c.proposal.Content.BudgetLines)
	if len(lines) == 0 {
		return fail("budget_lines", "RAB belum berisi baris anggaran")
	}
	if errs := dak.ValidateLines(lines, "budget_lines"); len(errs) > 0 {
		return errs
	}
	sum, _ := dak.SumLines(lines, "budget_lines")
	var out []dak.FieldError
	if sum != c.proposal.RequestedAmount {
		out = append(out, dak.FieldError{Field: "budget_lines", Message: fmt.Sprintf("jumlah RAB %s tidak sama dengan nilai usulan %s", sum, c.proposal.RequestedAmount)})
	}
	limits := c.def.Menus[string(c.proposal.Menu)].CategoryLimits
	perCategory := map[string]dak.Money{}
	for _, l := range lines {
		perCategory[l.Category] += l.Total
	}
	for cat, lim := range limits {
		if lim.MaxAmount > 0 && perCategory[cat] > lim.MaxAmount {
			out = append(out, dak.FieldError{Field: "budget_lines", Message: fmt.Sprintf("%s untuk menu %s paling banyak %s (diusulkan %s)",
				dak.Categories[cat], c.proposal.Menu, lim.MaxAmount, perCategory[cat])})
		}
	}
	return out
}

// guardVillage wants the sentra's village registered and inside the
// proposing region.
func guardVillage(c *guardContext) []dak.FieldError {
	code := c.proposal.Content.Sentra.VillageCode
	vc, err := region.ParseCode(code)
	if err != nil || vc.Level() != region.Village {
		return fail("sentra.village_code", "kode desa/kelurahan %q tidak valid (format NN.NN.NN.NNNN)", code)
	}
	if _, ok := region.Lookup(vc); !ok {
		return fail("sentra.village_code", "desa/kelurahan %s tidak terdaftar", code)
	}
	if !vc.IsWithin(region.Code(c.proposal.RegionCode)) {
		return fail("sentra.village_code", "desa/kelurahan %s tidak berada di wilayah pengusul %s", code, c.proposal.RegionCode)
	}
	return nil
}

// guardDeadline wants the fiscal year opened and its submission deadline
// not passed.
func guardDeadline(c *guardContext) []dak.FieldError {
	if c.fiscalYear == nil {
		return fail("fiscal_year", "tahun anggaran %d belum dibuka oleh administrator", c.proposal.FiscalYear)
	}
	if d := c.fiscalYear.SubmissionDeadline; d != nil && c.now.After(*d) {
		return fail("fiscal_year", "batas waktu pengajuan tahun anggaran %d telah lewat (%s)", c.proposal.FiscalYear, dak.FormatDateTime(*d))
	}
	if o := c.fiscalYear.Calendar.SubmissionOpens; o != nil && c.now.Before(*o) {
		return fail("fiscal_year", "pengajuan usulan tahun anggaran %d baru dibuka %s", c.proposal.FiscalYear, dak.FormatDateTime(*o))
	}
	return nil
}

// guardComment wants a comment: the reason of a withdrawal, rejection,
// decline or extension.
func guardComment(c *guardContext) []dak.FieldError {
	if c.comment == "" {
		return fail("comment", "alasan (comment) wajib diisi")
	}
	return nil
}

// guardNotes wants at least one note, each naming the part of the
// proposal it is about.
func guardNotes(c *guardContext) []dak.FieldError {
	if len(c.data.Notes) == 0 {
		return fail("data.notes", "sekurang-kurangnya satu catatan wajib diisi")
	}
	var out []dak.FieldError
	for i, n := range c.data.Notes {
		if n.Field == "" {
			out = append(out, dak.FieldError{Field: fmt.Sprintf("data.notes[%d].field", i), Message: "catatan harus menyebut bagian usulan"})
		}
		if n.Note == "" {
			out = append(out, dak.FieldError{Field: fmt.Sprintf("data.notes[%d].note", i), Message: "isi catatan wajib diisi"})
		}
	}
	return out
}

// guardReviewer keeps a proposal with the verifier who started its
// review.
func guardReviewer(c *guardContext) []dak.FieldError {
	if c.proposal.ReviewerID != 0 && c.proposal.ReviewerID != c.actor.ID {
		return fail("reviewer", "usulan ini sedang dinilai oleh verifikator lain")
	}
	return nil
}

// guardChecklist wants every item of the checklist answered once, in the
// answer the item allows for the proposal's menu: Memenuhi or Tidak
// Memenuhi (with a note) where it applies, Tidak Relevan where it does not
// (DOCUMENTS.md, "Checklist answers include Tidak Relevan").
func guardChecklist(c *guardContext) []dak.FieldError {
	answers := map[string]Answer{}
	var out []dak.FieldError
	bad := func(field, format string, args ...any) {
		out = append(out, dak.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	menu := c.proposal.Menu
	for i, a := range c.data.Checklist {
		at := fmt.Sprintf("data.checklist[%d]", i)
		k := slices.IndexFunc(c.def.Checklist, func(it ChecklistItem) bool { return it.ID == a.ID })
		if k < 0 {
			bad(at+".id", "butir %q tidak ada dalam daftar periksa", a.ID)
			continue
		}
		answers[a.ID] = a
		item := c.def.Checklist[k]
		switch {
		case a.Met != nil && a.NotApplicable:
			bad(at, "butir %q dijawab dua kali: pilih met (Memenuhi/Tidak Memenuhi) atau not_applicable (Tidak Relevan)", a.ID)
		case a.Met == nil && !a.NotApplicable:
			bad(at, "butir daftar periksa belum dijawab: %s", item.Text)
		case a.NotApplicable && item.AppliesTo(menu):
			bad(at, "butir %q berlaku untuk menu %s: jawab Memenuhi atau Tidak Memenuhi, bukan Tidak Relevan", a.ID, menu)
		case a.Met != nil && !item.AppliesTo(menu):
			bad(at, "butir %q tidak berlaku untuk menu %s (hanya %s): jawab Tidak Relevan", a.ID, menu, strings.Join(item.Menus, ", "))
		case a.Met != nil && !*a.Met && strings.TrimSpace(a.Note) == "":
			bad(at+".note", "jawaban Tidak Memenuhi wajib disertai catatan")
		}
	}
	for _, item := range c.def.Checklist {
		if _, ok := answers[item.ID]; !ok {
			bad("data.checklist."+item.ID, "butir daftar periksa belum dijawab: %s", item.Text)
		}
	}
	return out
}

// guardRecommended wants a recommended amount above zero and not above
// the requested one.
func guardRecommended(c *guardContext) []dak.FieldError {
	return amountUpTo(c.data.RecommendedAmount, "data.recommended_amount", "rekomendasi", c.proposal.RequestedAmount, "usulan")
}

// guardAllocation wants an allocated amount above zero and not above the
// recommended one.
func guardAllocation(c *guardContext) []dak.FieldError {
	return amountUpTo(c.data.Amount, "data.amount", "alokasi", c.proposal.RecommendedAmount, "rekomendasi")
}

// amountUpTo wants amount a (field) given, above zero and at most limit;
// what and limitWhat name them in the message ("nilai alokasi …").
func amountUpTo(a *dak.Money, field, what string, limit dak.Money, limitWhat string) []dak.FieldError {
	switch {
	case a == nil || *a <= 0:
		return fail(field, "nilai %s wajib diisi dan lebih dari Rp0", what)
	case *a > limit:
		return fail(field, "nilai %s %s melebihi nilai %s %s", what, *a, limitWhat, limit)
	}
	return nil
}

// guardCeiling reports a ceiling that is visibly too small; the binding
// check is the conditional UPDATE in the transaction (store.Tx.ReserveCeiling).
func guardCeiling(c *guardContext) []dak.FieldError {
	if c.fiscalYear == nil {
		return fail("fiscal_year", "pagu tahun anggaran %d belum ditetapkan", c.proposal.FiscalYear)
	}
	if a := c.data.Amount; a != nil {
		return ceilingFailure(*c.fiscalYear, c.proposal.Menu, c.proposal.RegionCode, *a)
	}
	return nil
}

// ceilingFailure explains which ceiling an allocation would pass, if any.
func ceilingFailure(fy dak.FiscalYear, menu dak.Menu, regionCode string, amount dak.Money) []dak.FieldError {
	if amount > fy.Left() {
		return fail("data.amount", "alokasi %s melebihi sisa pagu tahun anggaran %d (%s)", amount, fy.Year, fy.Left())
	}
	if m, ok := fy.Menus[menu]; ok && amount > m.Left() {
		return fail("data.amount", "alokasi %s melebihi sisa pagu menu %s tahun anggaran %d (%s)", amount, menu, fy.Year, m.Left())
	}
	for _, code := range store.CeilingRegions(regionCode) {
		if r, ok := fy.Regions[code]; ok && amount > r.Left() {
			name := code
			if reg, ok := region.Lookup(region.Code(code)); ok {
				name = reg.Name + " (" + code + ")"
			}
			return fail("data.amount", "alokasi %s melebihi sisa pagu wilayah %s tahun anggaran %d (%s)", amount, name, fy.Year, r.Left())
		}
	}
	return nil
}

// guardFourEyes refuses an actor who already performed another of the
// four_eyes events on the proposal (segregation of duties, PRODUCT.md §1).
func guardFourEyes(c *guardContext) []dak.FieldError {
	for _, e := range c.history {
		if e.ActorID == c.actor.ID && e.Event != c.event.Name && slices.Contains(c.def.FourEyes, e.Event) {
			return fail("actor", "pemisahan tugas: Anda sudah melakukan %q pada usulan ini", e.Event)
		}
	}
	return nil
}
