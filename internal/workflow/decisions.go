package workflow

import (
	"encoding/json"
	"strings"

	"dakflow/internal/dak"
	"dakflow/internal/document"
	"dakflow/internal/store"
)

// decisionFacts adds to a document what the decisions on amounts and on the
// RK state: the reason of a corrected amount, how the RK departs from the
// assessed RAB and the basis it was approved on, and the planned outputs as
// the approved RK keeps them. Reasons stated by an earlier event are read
// from the trail.
func (e *Engine) decisionFacts(tx *store.Tx, gc *guardContext, p *dak.Proposal, in *document.Input) error {
	reason := strings.TrimSpace(gc.data.AmountReason)
	switch gc.event.Name {
	case "recommend":
		if p.RecommendedAmount < p.RequestedAmount {
			in.AmountReason = reason
		}
	case "allocate":
		if p.AllocatedAmount < p.RecommendedAmount {
			in.AmountReason = reason
		}
		if p.RecommendedAmount < p.RequestedAmount {
			d, err := lastData(tx, gc, "recommend")
			if err != nil {
				return err
			}
			in.RecommendationReason = strings.TrimSpace(d.AmountReason)
		}
	}
	switch gc.event.Name {
	case "submit_rk", "approve_rk", "complete":
		in.Departures = docDepartures(RKDepartures(p))
	}
	if len(in.Departures) > 0 {
		switch gc.event.Name {
		case "approve_rk":
			in.DepartureBasis = strings.TrimSpace(gc.data.DepartureBasis)
		case "complete":
			d, err := lastData(tx, gc, "approve_rk")
			if err != nil {
				return err
			}
			in.DepartureBasis = strings.TrimSpace(d.DepartureBasis)
		}
	}
	if len(p.Stages) > 0 { // the RK is approved: its outputs are the plan
		in.Proposal.Outputs = nil
		for _, o := range PlannedOutputs(p) {
			in.Proposal.Outputs = append(in.Proposal.Outputs, document.Output{Description: o.Description, Volume: o.Volume, Unit: o.Unit})
		}
	}
	return nil
}

// PlannedOutputs are the outputs a proposal plans: those of its content
// until an RK is approved, then as the approved RK keeps them
// (dak.RKOutputs). Documents, the API and pages quote them from here.
func PlannedOutputs(p *dak.Proposal) []dak.Output {
	if len(p.Stages) == 0 || len(p.RK) == 0 {
		return p.Content.Outputs
	}
	return dak.RKOutputs(p.Content.Outputs, p.Content.BudgetLines, p.RK)
}

// lastData is the data of the latest event of the given name in the
// proposal's trail, read once per transaction.
func lastData(tx *store.Tx, gc *guardContext, event string) (EventData, error) {
	if gc.history == nil {
		var err error
		if gc.history, err = tx.Events(gc.proposal.ID); err != nil {
			return EventData{}, err
		}
	}
	var d EventData
	for i := len(gc.history) - 1; i >= 0; i-- {
		if gc.history[i].Event == event {
			if len(gc.history[i].Data) > 0 {
				if err := json.Unmarshal(gc.history[i].Data, &d); err != nil {
					return d, err
				}
			}
			break
		}
	}
	return d, nil
}

func docDepartures(ds []dak.Departure) []document.Departure {
	var out []document.Departure
	for _, d := range ds {
		out = append(out, document.Departure{Kind: string(d.Kind), Category: d.Category, Unit: d.Unit,
			RABQuantity: d.RABQuantity, RKQuantity: d.RKQuantity, RABAmount: d.RABAmount, RKAmount: d.RKAmount})
	}
	return out
}
