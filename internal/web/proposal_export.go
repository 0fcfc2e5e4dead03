package web

import (
	"fmt"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/store"
)

// GET /proposals?…&format=csv|xlsx (PRODUCT.md §10): the filtered list,
// every page of it, as a spreadsheet.

// maxProposalExport bounds one list download, built in memory: a year
// has a few thousand proposals nationally; more means a filter was meant.
const maxProposalExport = 10_000

// exportBatch is how many proposals one read of a download takes.
const exportBatch = 500

// proposalColumns are the list's columns: the proposal, where, what, its
// state in Indonesian, and its amounts as exact rupiah.
var proposalColumns = []struct {
	sheetColumn
	value func(s *Server, p *dak.Proposal) any
}{
	{sheetColumn{"Nomor usulan", 24}, func(_ *Server, p *dak.Proposal) any { return p.Number }},
	{sheetColumn{"Tahun anggaran", 10}, func(_ *Server, p *dak.Proposal) any { return p.FiscalYear }},
	{sheetColumn{"Judul", 40}, func(_ *Server, p *dak.Proposal) any { return p.Title }},
	{sheetColumn{"Kode wilayah", 12}, func(_ *Server, p *dak.Proposal) any { return p.RegionCode }},
	{sheetColumn{"Wilayah", 28}, func(_ *Server, p *dak.Proposal) any { return regionName(p.RegionCode) }},
	{sheetColumn{"Menu", 14}, func(_ *Server, p *dak.Proposal) any { return p.Menu.Label() }},
	{sheetColumn{"Status", 24}, func(s *Server, p *dak.Proposal) any { return s.stateLabel(p) }},
	{sheetColumn{"Diusulkan (Rp)", 20}, func(_ *Server, p *dak.Proposal) any { return p.RequestedAmount }},
	{sheetColumn{"Direkomendasikan (Rp)", 20}, func(_ *Server, p *dak.Proposal) any { return p.RecommendedAmount }},
	{sheetColumn{"Dialokasikan (Rp)", 20}, func(_ *Server, p *dak.Proposal) any { return p.AllocatedAmount }},
	{sheetColumn{"Nilai RK (Rp)", 20}, func(_ *Server, p *dak.Proposal) any { return p.RKAmount }},
	{sheetColumn{"Disalurkan (Rp)", 20}, func(_ *Server, p *dak.Proposal) any { return p.DisbursedAmount }},
	{sheetColumn{"Diserap (Rp)", 20}, func(_ *Server, p *dak.Proposal) any { return p.AbsorbedAmount }},
}

// stateLabel is p's state in Indonesian, as its workflow names it.
func (s *Server) stateLabel(p *dak.Proposal) string {
	if d, ok := s.engine.Definition(p.Workflow); ok {
		return d.StateLabel(p.State)
	}
	return p.State
}

// exportProposals answers every proposal matching f (its paging ignored)
// as CSV or XLSX, newest first as the list is; more than
// maxProposalExport is a 422 asking for a narrower filter.
func (s *Server) exportProposals(c echo.Context, f store.ProposalFilter, format string) error {
	f.PerPage = exportBatch
	var rows []dak.Proposal
	for f.Page = 1; ; f.Page++ {
		ps, total, err := s.store.Proposals(c.Request().Context(), f)
		if err != nil {
			return err
		}
		if total > maxProposalExport {
			return &dak.Error{Kind: dak.ErrInvalid, Detail: "ekspor terlalu besar", Fields: []dak.FieldError{{Field: "format",
				Message: fmt.Sprintf("%d usulan, lebih dari %d; persempit saringan (tahun, wilayah, status)", total, maxProposalExport)}}}
		}
		for i := range ps {
			// The list shows neither; a page's worth of RABs need not stay.
			ps[i].Content, ps[i].RK = dak.ProposalInput{}, nil
		}
		rows = append(rows, ps...)
		if len(ps) < exportBatch || int64(len(rows)) >= total {
			break
		}
	}
	cols := make([]sheetColumn, len(proposalColumns))
	for i, col := range proposalColumns {
		cols[i] = col.sheetColumn
	}
	name := "usulan-" + s.store.Now().In(dak.WIB).Format("20060102")
	return sendSheet(c, name, format, outSheet{name: "Usulan", columns: cols, rows: len(rows), row: func(r int, into []any) {
		for i, col := range proposalColumns {
			into[i] = col.value(s, &rows[r])
		}
	}})
}
