package workflow

import (
	"testing"

	"dakflow/internal/dak"
	"dakflow/internal/store"
)

// sentraGuardCases are the tables of the guards of the sentra a proposal
// names (guards_sentra.go), on tapis (a revitalisasi of 2027) linked to
// sentra 9 of Kota Bandar Lampung.
func sentraGuardCases(t *testing.T) map[string][]guardCase {
	linked := func(status dak.SentraStatus, region string) func(c *guardContext) {
		return func(c *guardContext) {
			c.proposal.SentraID = 9
			c.sentra = &store.LinkedSentra{ID: 9, Name: "Sentra IKM Tenun Tapis", RegionCode: region, VillageCode: "18.71.01.1003",
				Status: status, StatusDate: "2026-11-20"}
			c.sentraProposals = []store.SentraProposal{{ID: c.proposal.ID, Number: "USL-2027-1871-00001", FiscalYear: 2027, State: "draft"}}
		}
	}
	alive := linked(dak.SentraAktif, "18.71")
	pembangunan := func(c *guardContext) { c.proposal.Menu = dak.MenuPembangunan }
	other := func(fiscalYear int, state string) func(c *guardContext) {
		return func(c *guardContext) {
			c.sentraProposals = append(c.sentraProposals, store.SentraProposal{ID: 2, Number: "USL-2025-1871-00007",
				FiscalYear: fiscalYear, Menu: dak.MenuPembangunan, State: state})
		}
	}
	gap := func(years int) func(c *guardContext) {
		return func(c *guardContext) {
			d := *c.def
			d.Parameters.FundingGapYears = years
			c.def = &d
		}
	}
	return map[string][]guardCase{
		"sentra_alive": {
			{"a living sentra of the region", on(t, "submit", alive), nil},
			{"a fading one (kurang_aktif) may be revitalised", on(t, "submit", linked(dak.SentraKurangAktif, "18.71")), nil},
			{"no registered sentra named", on(t, "submit"), []string{"sentra_id"}},
			{"a dead sentra", on(t, "submit", linked(dak.SentraTidakAktif, "18.71")), []string{"sentra_id"}},
			{"one still being built", on(t, "submit", linked(dak.SentraDalamPembangunan, "18.71")), []string{"sentra_id"}},
			{"another region's, and dead", on(t, "submit", linked(dak.SentraTidakAktif, "73.71")), []string{"sentra_id", "sentra_id"}},
			{"pembangunan registers its own", on(t, "submit", pembangunan), nil},
			{"pembangunan of a sentra still usulan", on(t, "submit", pembangunan, linked(dak.SentraUsulan, "18.71")), nil},
		},
		"no_double_funding": {
			{"the proposal is the sentra's only one", on(t, "submit", alive), nil},
			{"no sentra named: nothing to weigh", on(t, "submit"), nil},
			{"another proposal still a draft", on(t, "submit", alive, other(2027, "draft")), []string{"sentra_id"}},
			{"another in review", on(t, "submit", alive, other(2026, "in_review")), []string{"sentra_id"}},
			{"another withdrawn (final)", on(t, "submit", alive, other(2027, "withdrawn")), nil},
			{"another lapsed: ended, not completed", on(t, "submit", alive, other(2026, "lapsed")), nil},
			{"completed for 2025, 2027 is within two years", on(t, "submit", alive, other(2025, "completed")), []string{"sentra_id"}},
			{"completed for 2024, 2027 is past the gap", on(t, "submit", alive, other(2024, "completed")), nil},
			{"a gap of three years reaches 2024", on(t, "submit", alive, other(2024, "completed"), gap(3)), []string{"sentra_id"}},
			{"both: one open, one recently completed", on(t, "submit", alive, other(2025, "completed"), other(2027, "submitted")),
				[]string{"sentra_id", "sentra_id"}},
		},
	}
}

// TestFundingGapDefault: a workflow file without funding_gap_years waits
// DefaultFundingGapYears, and Check refuses a negative gap.
func TestFundingGapDefault(t *testing.T) {
	d := *shipped(t)
	if got := d.FundingGapYears(); got != 2 {
		t.Errorf("shipped FundingGapYears() = %d, want 2", got)
	}
	d.Parameters.FundingGapYears = 0
	if got := d.FundingGapYears(); got != DefaultFundingGapYears {
		t.Errorf("FundingGapYears() without the parameter = %d, want %d", got, DefaultFundingGapYears)
	}
	d.Parameters.FundingGapYears = -1
	found := false
	for _, p := range d.Check() {
		found = found || p == "parameters.funding_gap_years must be 0 (the default, 2) to 50"
	}
	if !found {
		t.Errorf("Check() accepts funding_gap_years -1: %q", d.Check())
	}
}

// TestBuiltStates: a proposal counts as completed funding in the states
// entered by an event that runs sentra_built, read from the file.
func TestBuiltStates(t *testing.T) {
	got := builtStates(shipped(t))
	if len(got) != 1 || !got["completed"] {
		t.Errorf("builtStates = %v, want only completed", got)
	}
}
