package workflow

import (
	"errors"
	"fmt"

	"dakflow/internal/dak"
	"dakflow/internal/store"
)

// Guards of the sentra a proposal names (PRODUCT.md §9): revitalisasi
// improves a registered sentra of the region that still lives; a sentra
// has one proposal under way at a time, and none within
// funding_gap_years of its last completed DAK funding.

// DefaultFundingGapYears is parameters.funding_gap_years when the
// workflow file leaves it out.
const DefaultFundingGapYears = 2

// FundingGapYears is how many fiscal years after a completed DAK funding
// a sentra waits for the next (parameters.funding_gap_years).
func (d *Definition) FundingGapYears() int {
	if d.Parameters.FundingGapYears == 0 {
		return DefaultFundingGapYears
	}
	return d.Parameters.FundingGapYears
}

// guardSentraAlive wants a revitalisasi to name a registered sentra of
// the proposal's region whose status is aktif or kurang_aktif; a
// pembangunan registers its own sentra and passes.
func guardSentraAlive(c *guardContext) []dak.FieldError {
	p := c.proposal
	if p.Menu != dak.MenuRevitalisasi {
		return nil
	}
	if c.sentra == nil {
		return fail("sentra_id", "revitalisasi harus menunjuk sentra yang terdaftar di registri sentra (sentra_id, atau nama dan desa/kelurahan sentra yang terdaftar)")
	}
	return revitalisable(*c.sentra, p.RegionCode)
}

// revitalisable lists why sentra s may not be revitalised by a proposal
// of region: it is another region's, or it is not living (aktif or
// kurang_aktif). Guard sentra_alive and the filing of a proposal
// (linkInput) judge alike.
func revitalisable(s store.LinkedSentra, region string) []dak.FieldError {
	var out []dak.FieldError
	if s.RegionCode != region {
		out = append(out, fail("sentra_id", "sentra %d (%s) bukan sentra wilayah %s", s.ID, s.Name, region)...)
	}
	if s.Status != dak.SentraAktif && s.Status != dak.SentraKurangAktif {
		since := ""
		if d, err := dak.ParseDate(s.StatusDate); err == nil {
			since = " sejak " + dak.FormatDate(d)
		}
		out = append(out, fail("sentra_id", "sentra %s (sentra %d) berstatus %s%s; revitalisasi hanya untuk sentra yang masih hidup (aktif atau kurang aktif)",
			s.Name, s.ID, s.Status.Label(), since)...)
	}
	return out
}

// guardNoDoubleFunding wants the proposal's sentra to have no other
// proposal under way (every state but a final one, drafts too: PRODUCT.md
// §9, "at most one proposal that is not in a final state") and no
// completed DAK funding within funding_gap_years of this fiscal year;
// each refusal names that proposal.
func guardNoDoubleFunding(c *guardContext) []dak.FieldError {
	if c.sentra == nil {
		return nil
	}
	p, s := c.proposal, c.sentra
	gap := c.def.FundingGapYears()
	built := builtStates(c.def)
	var out []dak.FieldError
	for _, o := range c.sentraProposals {
		st, known := c.def.State(o.State)
		switch {
		case o.ID == p.ID:
		case !known || !st.Final:
			out = append(out, fail("sentra_id", "sentra %s sudah memiliki usulan %s (tahun anggaran %d, %s) yang belum selesai; satu sentra hanya satu usulan berjalan — selesaikan atau tarik usulan itu lebih dahulu",
				s.Name, o.Number, o.FiscalYear, c.def.StateLabel(o.State))...)
		case built[o.State] && o.FiscalYear >= p.FiscalYear-gap:
			out = append(out, fail("sentra_id", "sentra %s telah menerima DAK melalui usulan %s (tahun anggaran %d, %s); usulan baru untuk sentra ini dapat diajukan paling cepat untuk tahun anggaran %d (jeda %d tahun)",
				s.Name, o.Number, o.FiscalYear, c.def.StateLabel(o.State), o.FiscalYear+gap+1, gap)...)
		}
	}
	return out
}

// builtStates are the states in which a proposal's sentra was built or
// revitalised: those entered by an event that runs action sentra_built.
func builtStates(d *Definition) map[string]bool {
	out := map[string]bool{}
	for _, ev := range d.Events {
		if ev.Runs("sentra_built") && ev.To != Stay {
			out[ev.To] = true
		}
	}
	return out
}

// loadSentra reads the proposal's sentra and its proposals for the
// guards (needsSentra); a link to a record that is gone leaves none.
func loadSentra(tx *store.Tx, gc *guardContext) error {
	id := gc.proposal.SentraID
	if id == 0 {
		return nil
	}
	s, props, err := tx.SentraAndProposals(id)
	if errors.Is(err, dak.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	gc.sentra, gc.sentraProposals = &s, props
	return nil
}

// linkInput resolves the sentra a proposal's content names, in the
// filing's or the edit's transaction. A revitalisasi names the registered
// sentra of sentra_id; else the one registered in the desa under the
// block's name; else, on an edit, the one it named before; else none (a
// draft sentra_alive refuses at submission). A sentra that may not be
// revitalised is refused at once (ErrInvalid naming sentra_id); a linked
// one fills the block's name, commodity and desa from its record. A
// pembangunan registers its own sentra (the store), so its sentra_id may
// only echo that record. stored is the proposal as it was before an edit
// (nil when filing).
func linkInput(tx *store.Tx, in *dak.ProposalInput, stored *dak.Proposal) error {
	var current int64
	if stored != nil {
		current = stored.SentraID
	}
	if in.Menu != dak.MenuRevitalisasi {
		if in.SentraID != 0 && in.SentraID != current {
			return sentraInvalid("pembangunan mendaftarkan sentra yang dibangunnya sendiri; sentra %d yang sudah terdaftar diusulkan dengan menu revitalisasi", in.SentraID)
		}
		in.SentraID = current
		return nil
	}
	id := in.SentraID
	if id == 0 && in.Sentra.VillageCode != "" && in.Sentra.Name != "" {
		s, found, err := tx.SentraNamed(in.Sentra.VillageCode, in.Sentra.Name)
		if err != nil {
			return err
		}
		if found {
			id = s.ID
		}
	}
	if id == 0 && stored != nil && stored.Menu == dak.MenuRevitalisasi {
		id = current
	}
	if id == 0 {
		return nil
	}
	s, err := tx.LinkedSentra(id)
	if errors.Is(err, dak.ErrNotFound) {
		return sentraInvalid("sentra %d tidak terdaftar di registri sentra", id)
	}
	if err != nil {
		return err
	}
	if problems := revitalisable(s, in.RegionCode); len(problems) > 0 {
		return &dak.Error{Kind: dak.ErrInvalid, Detail: "sentra tidak dapat direvitalisasi", Fields: problems}
	}
	in.SentraID = s.ID
	in.Sentra.Name, in.Sentra.Commodity, in.Sentra.VillageCode = s.Name, s.Commodity, s.VillageCode
	return nil
}

func sentraInvalid(format string, args ...any) error {
	return &dak.Error{Kind: dak.ErrInvalid, Detail: "sentra usulan tidak valid",
		Fields: []dak.FieldError{{Field: "sentra_id", Message: fmt.Sprintf(format, args...)}}}
}
