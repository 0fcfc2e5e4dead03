package workflow

import (
	"fmt"
	"strings"

	"dakflow/internal/dak"
	"dakflow/internal/document"
	"dakflow/internal/store"
)

// The status of a pembangunan's sentra moves with its proposal
// (PRODUCT.md §9): usulan when filed (store), dalam_pembangunan once
// allocated, aktif once completed, tidak_aktif when the proposal ends
// without being built. Each move is a line of the sentra's status history,
// dated the event's day (WIB), whose basis names the event's document —
// so it is written after the document has its number (afterIssue), in
// the event's transaction. A revitalisasi's sentra keeps the status the
// registry gives it.

// sentraInConstruction: the allocation starts the building.
func sentraInConstruction(_ *store.Tx, c *guardContext) error {
	return moveSentra(c, []dak.SentraStatus{dak.SentraUsulan}, dak.SentraDalamPembangunan, func(p *dak.Proposal, doc string) string {
		return fmt.Sprintf("Alokasi DAK Fisik Bidang IKM tahun anggaran %d ditetapkan untuk usulan %s%s", p.FiscalYear, p.Number, doc)
	})
}

// sentraBuilt: the completion report says the sentra stands.
func sentraBuilt(_ *store.Tx, c *guardContext) error {
	return moveSentra(c, []dak.SentraStatus{dak.SentraUsulan, dak.SentraDalamPembangunan}, dak.SentraAktif, func(p *dak.Proposal, doc string) string {
		return fmt.Sprintf("Pembangunan selesai menurut laporan penyelesaian usulan %s%s", p.Number, doc)
	})
}

// sentraNotBuilt: the proposal ended (rejected, withdrawn, not allocated,
// lapsed) before its sentra was built.
func sentraNotBuilt(_ *store.Tx, c *guardContext) error {
	return moveSentra(c, []dak.SentraStatus{dak.SentraUsulan, dak.SentraDalamPembangunan}, dak.SentraTidakAktif, func(p *dak.Proposal, doc string) string {
		return fmt.Sprintf("Usulan %s berakhir tanpa pembangunan — %s%s", p.Number, strings.ToLower(c.def.StateLabel(p.State)), doc)
	})
}

// moveSentra leaves to afterIssue the move of a pembangunan's sentra from
// one of from to status, on the basis basis words with the document's
// number, the event's comment as its note.
func moveSentra(c *guardContext, from []dak.SentraStatus, status dak.SentraStatus, basis func(p *dak.Proposal, doc string) string) error {
	if c.proposal.Menu != dak.MenuPembangunan || c.proposal.SentraID == 0 {
		return nil
	}
	c.afterIssue = append(c.afterIssue, func(tx *store.Tx, doc *dak.Document) error {
		cited := ""
		if doc != nil {
			cited = ", dokumen nomor " + doc.Number
		}
		_, err := tx.MoveProposalSentra(c.proposal, from, status, basis(c.proposal, cited), c.comment, c.actor)
		return err
	})
	return nil
}

// sentraHistoryFacts states what the registry knows of the proposal's
// sentra (store.SentraBackground, as the proposal page shows it): its
// status and since when, its other DAK funding, its last utilisation
// report. Nothing when the proposal names no registered sentra.
func sentraHistoryFacts(tx *store.Tx, c *guardContext, in *document.Input) error {
	p := c.proposal
	if p.SentraID == 0 {
		return nil
	}
	b, err := tx.SentraBackground(p.SentraID, p.ID)
	if err != nil {
		return err
	}
	h := document.SentraHistory{ID: b.Sentra.ID, Status: b.Sentra.Status.Label(), Basis: b.Sentra.StatusBasis}
	if d, err := dak.ParseDate(b.Sentra.StatusDate); err == nil {
		h.Since = d
	}
	for _, f := range b.Funding {
		h.Funding = append(h.Funding, document.SentraFunding{FiscalYear: f.FiscalYear, Number: f.Number, Menu: string(f.Menu),
			State: c.def.StateLabel(f.State), Allocated: f.AllocatedAmount, Disbursed: f.DisbursedAmount})
	}
	if r := b.LastReport; r != nil {
		h.LastReport = &document.UtilisationReport{Period: periodLabel(r.Period), IKMUsing: r.IKMUsing,
			OccupancyPercent: r.OccupancyPercent, Condition: dak.ReportConditions[r.Condition]}
	}
	in.SentraHistory = h
	return nil
}

// periodLabel is a report's semester in words ("Semester I 2028"), or as
// stored if it does not parse.
func periodLabel(s string) string {
	if per, err := dak.ParsePeriod(s); err == nil {
		return per.Label()
	}
	return s
}
