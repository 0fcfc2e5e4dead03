package dak

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func TestParseMoney(t *testing.T) {
	for s, want := range map[string]Money{
		"0":               0,
		"1":               1,
		"1250000000":      1250000000,
		"0500":            500,
		"999999999999999": MaxMoney,
	} {
		if got, err := ParseMoney(s); err != nil || got != want {
			t.Errorf("ParseMoney(%q) = %d, %v, want %d", s, got, err, want)
		}
	}
}

func TestParseMoneyRejects(t *testing.T) {
	for _, s := range []string{
		"", "-1", "+1", "1.250.000.000", "1,5", "1.5", "Rp1000", " 1000", "1000 ", "1e9", "abc",
		"1000000000000000", "99999999999999999999999999", "١٢٣", "0x10",
	} {
		if got, err := ParseMoney(s); err == nil {
			t.Errorf("ParseMoney(%q) = %d, want an error", s, got)
		}
	}
}

func TestMoneyFormats(t *testing.T) {
	for _, tc := range []struct {
		m                   Money
		str, figures, words string
	}{
		{0, "Rp0,00", "0", "nol rupiah"},
		{5, "Rp5,00", "5", "lima rupiah"},
		{999, "Rp999,00", "999", "sembilan ratus sembilan puluh sembilan rupiah"},
		{1000, "Rp1.000,00", "1.000", "seribu rupiah"},
		{1000000, "Rp1.000.000,00", "1.000.000", "satu juta rupiah"},
		{1250000000, "Rp1.250.000.000,00", "1.250.000.000", "satu miliar dua ratus lima puluh juta rupiah"},
		{-5000, "-Rp5.000,00", "-5.000", "minus lima ribu rupiah"},
		{MaxMoney, "Rp999.999.999.999.999,00", "999.999.999.999.999", Terbilang(int64(MaxMoney)) + " rupiah"},
		{math.MinInt64, "-Rp9.223.372.036.854.775.808,00", "-9.223.372.036.854.775.808",
			Terbilang(math.MinInt64) + " rupiah"},
	} {
		if got := tc.m.String(); got != tc.str {
			t.Errorf("Money(%d).String() = %q, want %q", tc.m, got, tc.str)
		}
		if got := tc.m.Figures(); got != tc.figures {
			t.Errorf("Money(%d).Figures() = %q, want %q", tc.m, got, tc.figures)
		}
		if got := tc.m.Words(); got != tc.words {
			t.Errorf("Money(%d).Words() = %q, want %q", tc.m, got, tc.words)
		}
		if got, want := tc.m.Spelled(), tc.str+" ("+tc.words+")"; got != want {
			t.Errorf("Money(%d).Spelled() = %q, want %q", tc.m, got, want)
		}
	}
}

func TestMoneyJSON(t *testing.T) {
	for raw, want := range map[string]Money{
		"0":               0,
		"1250000000":      1250000000,
		" 42 ":            42,
		"999999999999999": MaxMoney,
	} {
		var got Money
		if err := got.UnmarshalJSON([]byte(raw)); err != nil || got != want {
			t.Errorf("UnmarshalJSON(%s) = %d, %v, want %d", raw, got, err, want)
		}
		out, err := json.Marshal(got)
		if err != nil || string(out) != strings.TrimSpace(raw) {
			t.Errorf("json.Marshal(Money(%d)) = %s, %v, want %s", got, out, err, strings.TrimSpace(raw))
		}
	}
}

func TestMoneyJSONRejects(t *testing.T) {
	for _, raw := range []string{
		"1.5", "1.0", "1e9", "1E9", "1e+9", `"100"`, "-1", "-0", "1000000000000000",
		"1000000000000000000000000000000", "00012", "01", "null", "", "true", "{}", "[1]", "1.",
		".5", "+1", "0x10", "1 2", "NaN", "Infinity",
	} {
		var m Money
		err := m.UnmarshalJSON([]byte(raw))
		if err == nil {
			t.Errorf("UnmarshalJSON(%s) = %d, want an error", raw, m)
			continue
		}
		if len(err.Error()) > 200 {
			t.Errorf("UnmarshalJSON(%s): error too long: %v", raw, err)
		}
	}
}

func TestMoneyJSONThroughEncoding(t *testing.T) {
	type input struct {
		Amount   Money  `json:"amount"`
		Optional *Money `json:"optional"`
	}
	var in input
	if err := json.Unmarshal([]byte(`{"amount": 1250000000, "optional": null}`), &in); err != nil {
		t.Fatalf("json.Unmarshal: %v", err)
	}
	if in.Amount != 1250000000 || in.Optional != nil {
		t.Errorf("json.Unmarshal = %+v, want amount 1250000000 and no optional", in)
	}
	for _, body := range []string{
		`{"amount": null}`, `{"amount": 1.5}`, `{"amount": "100"}`, `{"amount": -1}`, `{"amount": 1e9}`,
	} {
		if err := json.Unmarshal([]byte(body), &in); err == nil {
			t.Errorf("json.Unmarshal(%s) = nil error, want an error", body)
		}
	}
	out, err := json.Marshal(input{Amount: MaxMoney})
	if want := `{"amount":999999999999999,"optional":null}`; err != nil || string(out) != want {
		t.Errorf("json.Marshal = %s, %v, want %s", out, err, want)
	}
}

func TestMoneyErrorsSayWhy(t *testing.T) {
	for raw, why := range map[string]string{
		"1.5":                         "tanpa pecahan",
		"1e9":                         "eksponen",
		`"100"`:                       "bukan teks",
		"-1":                          "tidak boleh negatif",
		"00012":                       "diawali nol",
		"null":                        "wajib diisi",
		"1" + strings.Repeat("0", 30): "terlalu besar",
	} {
		var m Money
		if err := m.UnmarshalJSON([]byte(raw)); err == nil || !strings.Contains(err.Error(), why) {
			t.Errorf("UnmarshalJSON(%s) = %v, want an error saying %q", raw, err, why)
		}
	}
}
