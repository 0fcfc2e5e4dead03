package workflow

import (
	"bytes"
	"encoding/json"
	"strings"

	"dakflow/internal/dak"
)

// Payloads of the events that carry data (PRODUCT.md §6, "Event data").

// Note is one reviewer note naming the part of the proposal it is about.
type Note struct {
	Field string `json:"field"`
	Note  string `json:"note"`
}

// Answer is one answered checklist item.
type Answer struct {
	ID   string `json:"id"`
	Met  *bool  `json:"met"`
	Note string `json:"note"`
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
	SP2DNumber        string           `json:"sp2d_number,omitempty"`
	SP2DDate          string           `json:"sp2d_date,omitempty"`
	BASTNumber        string           `json:"bast_number,omitempty"`
	Shortfall         string           `json:"shortfall,omitempty"`
}

// allowedData lists which data fields each event accepts.
var allowedData = map[string][]string{
	"recommend":            {"recommended_amount", "checklist"},
	"request_revision":     {"notes"},
	"request_rk_revision":  {"notes"},
	"return_request":       {"notes"},
	"allocate":             {"amount"},
	"submit_rk":            {"activities"},
	"request_disbursement": {"stage", "contract_value", "absorbed_amount", "output_percent"},
	"record_disbursement":  {"amount", "sp2d_number", "sp2d_date"},
	"complete":             {"output_percent", "absorbed_amount", "bast_number", "shortfall"},
}

// decodeData parses an event's data strictly: malformed JSON and fields the
// event does not take are ErrInvalid naming the field.
func decodeData(event string, raw json.RawMessage) (EventData, error) {
	var d EventData
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return d, nil
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(raw, &keys); err != nil {
		return d, &dak.Error{Kind: dak.ErrInvalid, Detail: "data harus berupa objek JSON",
			Fields: []dak.FieldError{{Field: "data", Message: "data harus berupa objek JSON"}}}
	}
	var errs dak.Fields
	allowed := map[string]bool{}
	for _, k := range allowedData[event] {
		allowed[k] = true
	}
	for k := range keys {
		if !allowed[k] {
			errs.Add("data."+k, "tidak dikenal untuk peristiwa %s", event)
		}
	}
	if err := errs.Err("data peristiwa tidak valid"); err != nil {
		return d, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		return d, &dak.Error{Kind: dak.ErrInvalid, Detail: "data peristiwa tidak valid",
			Fields: []dak.FieldError{{Field: "data" + fieldOf(err), Message: cleanJSONError(err)}}}
	}
	return d, nil
}

// fieldOf extracts ".name" from a json error about a field, if it says one.
func fieldOf(err error) string {
	var te *json.UnmarshalTypeError
	if ok := asTypeError(err, &te); ok && te.Field != "" {
		return "." + te.Field
	}
	msg := err.Error()
	if i := strings.Index(msg, "Go struct field "); i >= 0 {
		rest := msg[i+len("Go struct field "):]
		if j := strings.Index(rest, " "); j > 0 {
			name := rest[:j]
			if k := strings.Index(name, "."); k >= 0 {
				name = name[k+1:]
			}
			return "." + strings.ToLower(name)
		}
	}
	return ""
}

func asTypeError(err error, target **json.UnmarshalTypeError) bool {
	te, ok := err.(*json.UnmarshalTypeError)
	if ok {
		*target = te
	}
	return ok
}

func cleanJSONError(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && strings.Contains(msg, "json:") {
		return "nilai tidak valid: " + msg[i+2:]
	}
	return "nilai tidak valid: " + msg
}
