package document

import "dakflow/internal/dak"

// sampleDepartureBasis is the approver's stated basis for the sample RK's
// departure from the assessed RAB (Sentra Tenun Tapis: five embroidery
// machines in the RAB, four in the RK).
const sampleDepartureBasis = "Harga mesin bordir komputer 6 kepala menurut survei harga pasar Rp82.500.000,00 per unit; " +
	"dalam batas alokasi dapat diadakan 4 (empat) unit, dan kapasitas produksi sentra tetap terpenuhi bersama 20 (dua puluh) unit ATBM " +
	"sesuai kajian Dinas Perindustrian Kota Bandar Lampung."

// sampleRKFacts adds to the RK documents of a sample what the engine adds
// (workflow.decisionFacts): how the RK departs from the assessed RAB, the
// approver's basis, and the planned outputs as the approved RK keeps them,
// computed by the same functions of dak.
func sampleRKFacts(in *Input) {
	switch in.Kind {
	case "tanda_terima_rk", "surat_persetujuan_rk", "laporan_penyelesaian":
	default:
		return
	}
	rab, rk := budgetLines(in.Proposal.BudgetLines), budgetLines(in.Activities)
	in.Departures = nil
	for _, d := range dak.RKDepartures(rab, rk) {
		in.Departures = append(in.Departures, Departure{Kind: string(d.Kind), Category: d.Category, Unit: d.Unit,
			RABQuantity: d.RABQuantity, RKQuantity: d.RKQuantity, RABAmount: d.RABAmount, RKAmount: d.RKAmount})
	}
	if len(in.Departures) > 0 && in.Kind != "tanda_terima_rk" {
		in.DepartureBasis = sampleDepartureBasis
	}
	if in.Kind == "laporan_penyelesaian" {
		var outs []dak.Output
		for _, o := range in.Proposal.Outputs {
			outs = append(outs, dak.Output{Description: o.Description, Volume: o.Volume, Unit: o.Unit})
		}
		in.Proposal.Outputs = nil
		for _, o := range dak.RKOutputs(outs, rab, rk) {
			in.Proposal.Outputs = append(in.Proposal.Outputs, Output{o.Description, o.Volume, o.Unit})
		}
	}
}

func budgetLines(ls []Line) []dak.BudgetLine {
	out := make([]dak.BudgetLine, len(ls))
	for i, l := range ls {
		out[i] = dak.BudgetLine{Category: l.Category, Description: l.Description, Quantity: l.Quantity, Unit: l.Unit,
			UnitPrice: l.UnitPrice, Total: l.Total}
	}
	return out
}
