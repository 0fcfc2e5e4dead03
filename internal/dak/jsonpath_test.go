package dak

import "testing"

func TestJSONErrorPath(t *testing.T) {
	cases := []struct {
		body string
		want string // "" when it decodes
	}{
		{`{"fiscal_year": 2027, "budget_lines": [{"unit_price": 5}]}`, ""},
		{`{"budget_lines": [{"unit_price": 5}, {"unit_price": -5}]}`, "budget_lines[1].unit_price"},
		{`{"budget_lines": [{"unit_price": 1.5}]}`, "budget_lines[0].unit_price"},
		{`{"budget_lines": [{"quantity": 1.5}]}`, "budget_lines[0].quantity"},
		{`{"budget_lines": [{"Unit_Price": "5"}]}`, "budget_lines[0].Unit_Price"}, // names match ignoring case
		{`{"budget_lines": {"unit_price": 5}}`, "budget_lines"},
		{`{"sentra": {"latitude": null, "colour": 1}}`, "sentra.colour"},
		{`{"sentra": {"latitude": "x"}}`, "sentra.latitude"},
		{`{"fiscal_year": "2027"}`, "fiscal_year"},
		{`{"budget_lines": null, "sentra": null}`, ""},
	}
	for _, tc := range cases {
		got, err := JSONErrorPath([]byte(tc.body), &ProposalInput{})
		if got != tc.want || (err != nil) != (tc.want != "") {
			t.Errorf("JSONErrorPath(%s) = %q, %v; want %q", tc.body, got, err, tc.want)
		}
	}
}
