package web

import (
	"fmt"
	"strconv"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/store"
)

// diffView is what changed between two versions of a proposal's content,
// field by field; list lines are matched so that removing one line does
// not show every later line as changed.
type diffView struct {
	Heading string
	Rows    []diffRow
}

// diffRow is one changed field or line.
type diffRow struct {
	Label, Before, After string
	Change               string // "ubah", "tambah", "hapus"
}

// diffs compares the last two submitted revisions, and the current draft
// with the last submission when it has been edited since.
func (p *pages) diffs(c echo.Context, pr dak.Proposal) ([]diffView, error) {
	revs, err := p.s.store.Revisions(c.Request().Context(), pr.ID)
	if err != nil {
		return nil, err
	}
	var out []diffView
	n := len(revs)
	if n >= 1 { // content changes only where it may be edited again
		if rows := diffContent(revs[n-1].Content, pr.Content); len(rows) > 0 {
			out = append(out, diffView{Heading: fmt.Sprintf("Perubahan sejak pengajuan terakhir (revisi %d), belum diajukan", n), Rows: rows})
		}
	}
	if n >= 2 {
		out = append(out, revisionDiff(revs[n-2], revs[n-1]))
	}
	return out, nil
}

func revisionDiff(a, b store.Revision) diffView {
	v := diffView{Heading: fmt.Sprintf("Revisi %d (diajukan %s) dibanding revisi %d", b.Number, dak.FormatDateTime(b.CreatedAt), a.Number),
		Rows: diffContent(a.Content, b.Content)}
	if len(v.Rows) == 0 {
		v.Rows = []diffRow{{Label: "Isi usulan", Before: "—", After: "tidak berubah", Change: "ubah"}}
	}
	return v
}

// diffContent lists the differences between two contents.
func diffContent(a, b dak.ProposalInput) []diffRow {
	var out []diffRow
	fa, fb := scalars(a), scalars(b)
	for i, f := range fa {
		if f.Value != fb[i].Value {
			out = append(out, diffRow{Label: f.Label, Before: f.Value, After: fb[i].Value, Change: "ubah"})
		}
	}
	out = append(out, diffLines("RAB", budgetLines(a.BudgetLines), budgetLines(b.BudgetLines))...)
	// Both revisions were summed without error when they were submitted.
	sa, _ := dak.SumLines(append([]dak.BudgetLine(nil), a.BudgetLines...), "")
	sb, _ := dak.SumLines(append([]dak.BudgetLine(nil), b.BudgetLines...), "")
	if sa != sb {
		out = append(out, diffRow{Label: "Jumlah RAB", Before: tableRupiah(sa), After: tableRupiah(sb), Change: "ubah"})
	}
	return append(out, diffLines("Keluaran", outputLines(a.Outputs), outputLines(b.Outputs))...)
}

// scalars are the single-valued fields of the content, labelled, in order.
func scalars(in dak.ProposalInput) []keyValue {
	s, l := in.Sentra, in.Land
	return []keyValue{
		{dak.FieldLabel("fiscal_year"), fmtInt(int64(in.FiscalYear))}, {dak.FieldLabel("menu"), in.Menu.Label()},
		{dak.FieldLabel("title"), in.Title}, {dak.FieldLabel("sentra.name"), s.Name},
		{dak.FieldLabel("sentra.commodity"), s.Commodity}, {dak.FieldLabel("sentra.village_code"), villageName(s.VillageCode)},
		{dak.FieldLabel("sentra.address"), s.Address}, {dak.FieldLabel("sentra.latitude"), fmtCoord(s.Latitude)},
		{dak.FieldLabel("sentra.longitude"), fmtCoord(s.Longitude)}, {dak.FieldLabel("sentra.ikm_units"), fmtInt(int64(s.IKMUnits))},
		{dak.FieldLabel("sentra.workers"), fmtInt(int64(s.Workers))}, {dak.FieldLabel("sentra.decree_number"), s.DecreeNumber},
		{dak.FieldLabel("sentra.decree_date"), s.DecreeDate}, {dak.FieldLabel("land.area_m2"), fmtInt(l.AreaM2)},
		{dak.FieldLabel("land.ownership"), dak.LandOwnerships[l.Ownership]}, {dak.FieldLabel("land.certificate_number"), l.CertificateNumber},
	}
}

func villageName(code string) string {
	if code == "" {
		return ""
	}
	return regionName(code) + " (" + code + ")"
}

func budgetLines(ls []dak.BudgetLine) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		cat := dak.Categories[l.Category]
		if cat == "" {
			cat = l.Category
		}
		// A cell of the changes table: the amount as the tables write it.
		out[i] = fmt.Sprintf("%s — %s: %s %s × %s", cat, l.Description, strconv.FormatInt(l.Quantity, 10), l.Unit, tableRupiah(l.UnitPrice))
	}
	return out
}

func outputLines(os []dak.Output) []string {
	out := make([]string, len(os))
	for i, o := range os {
		out[i] = fmt.Sprintf("%s: %d %s", o.Description, o.Volume, o.Unit)
	}
	return out
}

// diffLines matches two lists by their longest common subsequence and
// reports what was removed and added; a removal followed by an addition
// at the same place is one changed line.
func diffLines(label string, a, b []string) []diffRow {
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []diffRow
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			i, j = i+1, j+1
		case i < n && j < m && lcs[i+1][j+1] == lcs[i][j]:
			out = append(out, diffRow{Label: fmt.Sprintf("%s, baris %d", label, j+1), Before: a[i], After: b[j], Change: "ubah"})
			i, j = i+1, j+1
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			out = append(out, diffRow{Label: fmt.Sprintf("%s, baris %d", label, j+1), Before: "", After: b[j], Change: "tambah"})
			j++
		default:
			out = append(out, diffRow{Label: fmt.Sprintf("%s, baris %d (lama)", label, i+1), Before: a[i], After: "", Change: "hapus"})
			i++
		}
	}
	return out
}
