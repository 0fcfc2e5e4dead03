package workflow

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"dakflow/internal/dak"
)

// Guards of the decisions on amounts and on the Rencana Kegiatan (RK):
// a corrected amount states its reason, and an RK never departs silently
// from the RAB that was assessed (PRODUCT.md §3; DOCUMENTS.md, "a correction
// of the amount states its reason").

// guardAmountReason wants data.amount_reason when a decision on an amount
// corrects it downwards: a recommended amount (data.recommended_amount)
// below the requested one, or an allocated amount (data.amount) below the
// recommended one.
func guardAmountReason(c *guardContext) []dak.FieldError {
	if strings.TrimSpace(c.data.AmountReason) != "" {
		return nil
	}
	if a := c.data.RecommendedAmount; a != nil && *a > 0 && *a < c.proposal.RequestedAmount {
		return fail("data.amount_reason", "nilai rekomendasi %s lebih rendah dari nilai usulan %s: alasan koreksi wajib diisi", *a, c.proposal.RequestedAmount)
	}
	if a := c.data.Amount; a != nil && *a > 0 && *a < c.proposal.RecommendedAmount {
		return fail("data.amount_reason", "nilai alokasi %s lebih rendah dari nilai rekomendasi %s: alasan koreksi wajib diisi", *a, c.proposal.RecommendedAmount)
	}
	return nil
}

// guardRKDeadline refuses the RK after its fiscal year's RK deadline
// (PRODUCT.md §10, the calendar the admin sets), as before_deadline
// refuses a proposal outside the submission window. A year with no RK
// deadline sets no limit. The approver's extend_deadline moves a stage's
// deadline only, never the RK's: the admin moves the year's RK deadline.
func guardRKDeadline(c *guardContext) []dak.FieldError {
	if c.fiscalYear == nil {
		return nil
	}
	if d := c.fiscalYear.Calendar.RKDeadline; d != nil && c.now.After(*d) {
		return fail("fiscal_year", "batas pengajuan rencana kegiatan %s telah lewat", dak.FormatDateTime(*d))
	}
	return nil
}

// guardRK wants an RK of valid lines whose total stays within the
// allocation and the rounding tolerance of the workflow file.
func guardRK(c *guardContext) []dak.FieldError {
	if len(c.data.Activities) == 0 {
		return fail("data.activities", "rencana kegiatan belum berisi kegiatan")
	}
	lines := slices.Clone(c.data.Activities)
	errs := dak.ValidateLines(lines, "data.activities")
	if len(errs) > 0 {
		return errs
	}
	sum, _ := dak.SumLines(lines, "data.activities")
	if limit := c.proposal.AllocatedAmount + c.def.Parameters.RKTolerance; sum > limit {
		return fail("data.activities", "total rencana kegiatan %s melebihi alokasi %s (toleransi %s)", sum, c.proposal.AllocatedAmount, c.def.Parameters.RKTolerance)
	}
	return nil
}

// guardRKLimits refuses an RK whose category totals pass a cap of the
// workflow file for the proposal's menu (menus.<menu>.category_limits), as
// budget_consistent does for the RAB. A category on one line names that
// line's unit price; on several, the activities.
func guardRKLimits(c *guardContext) []dak.FieldError {
	limits := c.def.Menus[string(c.proposal.Menu)].CategoryLimits
	if len(limits) == 0 {
		return nil
	}
	lines := slices.Clone(c.data.Activities)
	if _, errs := dak.SumLines(lines, "data.activities"); len(errs) > 0 {
		return nil // rk_within_allocation reports lines that cannot be added up
	}
	cats := make([]string, 0, len(limits))
	for cat := range limits {
		cats = append(cats, cat)
	}
	sort.Strings(cats)
	var out []dak.FieldError
	for _, cat := range cats {
		max := limits[cat].MaxAmount
		var sum dak.Money
		var at []int
		for i, l := range lines {
			if l.Category == cat {
				sum, at = sum+l.Total, append(at, i)
			}
		}
		if max <= 0 || sum <= max {
			continue
		}
		field := "data.activities"
		if len(at) == 1 {
			field = fmt.Sprintf("data.activities[%d].unit_price", at[0])
		}
		out = append(out, dak.FieldError{Field: field, Message: fmt.Sprintf("%s untuk menu %s paling banyak %s (rencana kegiatan %s)",
			dak.Categories[cat], c.proposal.Menu, max, sum)})
	}
	return out
}

// guardRKDepartures refuses to approve an RK that departs from the assessed
// RAB — a category dropped, another category, a lower quantity — unless
// the approver states a basis in data.departure_basis, which the approval
// letter prints. Each departure is one error.
func guardRKDepartures(c *guardContext) []dak.FieldError {
	if strings.TrimSpace(c.data.DepartureBasis) != "" {
		return nil
	}
	var out []dak.FieldError
	for _, d := range RKDepartures(c.proposal) {
		out = append(out, dak.FieldError{Field: "data.departure_basis",
			Message: d.String() + "; nyatakan dasar persetujuannya atau minta perbaikan rencana kegiatan"})
	}
	return out
}

// RKDepartures lists how the proposal's RK departs from the RAB of the
// revision that was assessed (its content's budget lines); none before an
// RK is submitted.
func RKDepartures(p *dak.Proposal) []dak.Departure {
	if len(p.RK) == 0 {
		return nil
	}
	return dak.RKDepartures(p.Content.BudgetLines, p.RK)
}
