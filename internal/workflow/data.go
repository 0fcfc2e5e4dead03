package workflow

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"

	"dakflow/internal/dak"
)

// Payloads of the events that carry data (PRODUCT.md §6, "Event data").

// Note is one reviewer note naming the part of the proposal it is about.
type Note struct {
	Field string `json:"field"`
	Note  string `json:"note"`
}

// Answer is one answered checklist item: Met true (Memenuhi) or false
// (Tidak Memenuhi, which needs a Note), or NotApplicable (Tidak Relevan, for
// an item the workflow file does not apply to the proposal's menu). An
// answer has exactly one of Met and NotApplicable.
type Answer struct {
	ID            string `json:"id"`
	Met           *bool  `json:"met"`
	NotApplicable bool   `json:"not_applicable,omitempty"`
	Note          string `json:"note"`
}

// EventData holds every event's fields; each event reads its own. Decoding
// is strict: unknown fields are rejected.
type EventData struct {
	RecommendedAmount *dak.Money       `json:"recommended_amount,omitempty"`
	Checklist         []Answer         `json:"checklist,omitempty"`
	Notes             []Note           `json:"notes,omitempty"`
	Amount            *dak.Money       `json:"amount,omitempty"`
	Activities        []dak.BudgetLine `json:"activities,omitempty"`
	Stage             int              `json:"stage,omitempty"`
	ContractValue     *dak.Money       `json:"contract_value,omitempty"`
	AbsorbedAmount    *dak.Money       `json:"absorbed_amount,omitempty"`
	OutputPercent     *dak.Percent     `json:"output_percent,omitempty"`
	CompletionNeed    *dak.Money       `json:"completion_need,omitempty"`
	KPPN              string           `json:"kppn,omitempty"`
	SP2DNumber        string           `json:"sp2d_number,omitempty"`
	SP2DDate          string           `json:"sp2d_date,omitempty"`
	BASTNumber        string           `json:"bast_number,omitempty"`
	BASTDate          string           `json:"bast_date,omitempty"`
	Shortfall         string           `json:"shortfall,omitempty"`
	Until             string           `json:"until,omitempty"`
	// LegalBasis is the rule an extension of a deadline rests on, as the
	// approver cites it (e.g. a KMK or a letter of DJPK); extend_deadline
	// requires it and its letter quotes it.
	LegalBasis string `json:"legal_basis,omitempty"`
	// AmountReason is why recommend decides less than was requested, or
	// allocate less than was recommended (guard amount_correction_reasoned).
	AmountReason string `json:"amount_reason,omitempty"`
	// DepartureBasis is the approver's stated basis for approving an RK
	// that departs from the assessed RAB (guard rk_departures_justified).
	DepartureBasis string `json:"departure_basis,omitempty"`
}

// dataFields are the JSON names of EventData's fields: what an event's
// data list in the workflow file may name.
var dataFields = func() map[string]bool {
	out := map[string]bool{}
	t := reflect.TypeFor[EventData]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		out[name] = true
	}
	return out
}()

// decodeData parses an event's data strictly: malformed JSON and fields the
// event does not take (its data list in the workflow file) are
// ErrMalformed naming the field (400, not 422: no rule was judged).
func decodeData(ev EventDef, raw json.RawMessage) (EventData, error) {
	var d EventData
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return d, nil
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(raw, &keys); err != nil {
		return d, malformedData("data harus berupa objek JSON", dak.FieldError{Field: "data", Message: "data harus berupa objek JSON"})
	}
	var errs dak.Fields
	for k := range keys {
		if !slices.Contains(ev.Data, k) {
			errs.Add("data."+k, "tidak dikenal untuk peristiwa %s", ev.Name)
		}
	}
	if len(errs) > 0 {
		return d, malformedData("data peristiwa tidak valid", errs...)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		// encoding/json names no field for Money and Percent errors.
		field := "data"
		if path, perr := dak.JSONErrorPath(raw, &EventData{}); path != "" && perr != nil {
			field, err = "data."+path, perr
		}
		return d, malformedData("data peristiwa tidak valid", dak.FieldError{Field: field, Message: cleanJSONError(err)})
	}
	return d, nil
}

// malformedData is ErrMalformed naming the fields.
func malformedData(detail string, fields ...dak.FieldError) error {
	return &dak.Error{Kind: dak.ErrMalformed, Detail: detail, Fields: fields}
}

func cleanJSONError(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && strings.Contains(msg, "json:") {
		return "nilai tidak valid: " + msg[i+2:]
	}
	return "nilai tidak valid: " + msg
}
