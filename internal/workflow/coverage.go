package workflow

import (
	"dakflow/internal/document"
	"dakflow/internal/region"
	"dakflow/internal/store"
)

// FinalStates are the states, across the loaded workflows, in which a
// proposal is closed: the coverage counts a proposal of the year in any
// other state as open (store.CoverageQuery).
func (e *Engine) FinalStates() []string {
	seen := map[string]bool{}
	var out []string
	for _, d := range e.Definitions() {
		for _, st := range d.States {
			if st.Final && !seen[st.Name] {
				seen[st.Name] = true
				out = append(out, st.Name)
			}
		}
	}
	return out
}

// coverageFacts states the national coverage of Sentra IKM the priority
// criterion is answered from (PRODUCT.md §9), as the event finds it: the
// proposal's kabupaten/kota (its living sentra, outside Java, daerah
// tertinggal, perbatasan) and the national share with a living sentra. It
// reads them with store's Coverage in the event's transaction — the one
// computation behind GET /api/v1/coverage and the verifier's checklist.
func coverageFacts(tx *store.Tx, c *guardContext, in *document.Input) error {
	p := c.proposal
	cov, err := tx.Coverage(store.CoverageQuery{Year: p.FiscalYear, FinalStates: c.finalStates})
	if err != nil {
		return err
	}
	code := store.ProposalRegion(p)
	n := cov.National
	out := document.RegionCoverage{Year: cov.Year, OutsideJava: region.OutsideJava(code),
		NationalWith: n.WithActiveSentra, NationalAll: n.KabupatenKota, NationalShare: n.ActiveShare()}
	if it, ok := cov.Regency(code); ok {
		out.RegionCode, out.RegionName, out.ActiveSentra, out.OutsideJava = it.RegionCode, it.RegionName, it.ActiveSentra, it.OutsideJava
		for _, a := range it.Affirmative {
			out.Tertinggal = out.Tertinggal || a == region.AffirmTertinggal
			out.Perbatasan = out.Perbatasan || a == region.AffirmPerbatasan
		}
	}
	in.Coverage = out
	return nil
}
