package workflow

import (
	"context"
	"fmt"

	"dakflow/internal/dak"
	"dakflow/internal/store"
)

// RevitalisableSentra lists the registered sentra of region that a
// revitalisasi for fiscalYear may name now, in the registry's order: the
// sentra the proposal form offers (PRODUCT.md §9). They are judged by the
// guards that judge the proposal at submission, sentra_alive (the
// region's own, aktif or kurang_aktif) and no_double_funding (no other
// proposal under way, no completed DAK funding within funding_gap_years).
// editing is the proposal being edited, whose own link does not count
// against its sentra and whose workflow judges; nil for a new proposal,
// judged by the current workflow. u reads the registry (a pemda its own
// region only).
func (e *Engine) RevitalisableSentra(ctx context.Context, u dak.User, region string, fiscalYear int, editing *dak.Proposal) ([]dak.Sentra, error) {
	def := e.current
	p := dak.Proposal{Menu: dak.MenuRevitalisasi, RegionCode: region, FiscalYear: fiscalYear}
	if editing != nil {
		if d, ok := e.defs[editing.Workflow]; ok {
			def = d
		}
		p.ID = editing.ID
	}
	var living []dak.Sentra
	f := store.SentraFilter{Viewer: u, Region: region, Status: []dak.SentraStatus{dak.SentraAktif, dak.SentraKurangAktif}}
	if err := e.store.EachSentra(ctx, f, func(s dak.Sentra) error {
		if s.RegionCode == region {
			living = append(living, s)
		}
		return nil
	}); err != nil {
		return nil, fmt.Errorf("sentra of region %s: %w", region, err)
	}
	var out []dak.Sentra
	err := e.store.ReadTx(ctx, func(tx *store.Tx) error {
		for _, s := range living {
			ls := store.LinkedSentra{ID: s.ID, Name: s.Name, Commodity: s.Commodity, RegionCode: s.RegionCode,
				VillageCode: s.VillageCode, Status: s.Status, StatusDate: s.StatusDate, StatusBasis: s.StatusBasis}
			proposals, err := tx.SentraProposals(s.ID)
			if err != nil {
				return err
			}
			gc := &guardContext{def: def, proposal: &p, actor: u, sentra: &ls, sentraProposals: proposals}
			if len(guardSentraAlive(gc)) == 0 && len(guardNoDoubleFunding(gc)) == 0 {
				out = append(out, s)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("revitalisable sentra of region %s: %w", region, err)
	}
	return out, nil
}
