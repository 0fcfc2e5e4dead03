package dak

import (
	"encoding/json"
	"math"
	"math/big"
	"testing"
)

func TestParsePercent(t *testing.T) {
	for s, want := range map[string]Percent{
		"0": 0, "45": 4500, "70.5": 7050, "80,5": 8050, "70.25": 7025, "70,25": 7025, "0.05": 5,
		"0,5": 50, "100": 10000, "100.00": 10000, "150": 15000, "070": 7000,
		"92233720368547758.07": math.MaxInt64,
	} {
		if got, err := ParsePercent(s); err != nil || got != want {
			t.Errorf("ParsePercent(%q) = %d, %v, want %d", s, got, err, want)
		}
	}
}

func TestParsePercentRejects(t *testing.T) {
	for _, s := range []string{
		"", "-5", "+5", "70.555", "70,125", "1e2", "70.", ".5", ",5", "abc", "70%", " 70", "70 ",
		"70.5.5", "70,5,5", "70.5,5", "92233720368547758.08", "99999999999999999999", "4,5e1",
	} {
		if got, err := ParsePercent(s); err == nil {
			t.Errorf("ParsePercent(%q) = %d, want an error", s, got)
		}
	}
}

func TestPercentFormats(t *testing.T) {
	for _, tc := range []struct {
		p                Percent
		str, words, json string
	}{
		{0, "0%", "nol persen", "0"},
		{5, "0,05%", "nol koma nol lima persen", "0.05"},
		{50, "0,5%", "nol koma lima persen", "0.5"},
		{2500, "25%", "dua puluh lima persen", "25"},
		{4340, "43,4%", "empat puluh tiga koma empat persen", "43.4"},
		{4500, "45%", "empat puluh lima persen", "45"},
		{7025, "70,25%", "tujuh puluh koma dua lima persen", "70.25"},
		{7050, "70,5%", "tujuh puluh koma lima persen", "70.5"},
		{7510, "75,1%", "tujuh puluh lima koma satu persen", "75.1"},
		{8050, "80,5%", "delapan puluh koma lima persen", "80.5"},
		{9001, "90,01%", "sembilan puluh koma nol satu persen", "90.01"},
		{10000, "100%", "seratus persen", "100"},
		{-250, "-2,5%", "minus dua koma lima persen", "-2.5"},
	} {
		if got := tc.p.String(); got != tc.str {
			t.Errorf("Percent(%d).String() = %q, want %q", tc.p, got, tc.str)
		}
		if got := tc.p.Words(); got != tc.words {
			t.Errorf("Percent(%d).Words() = %q, want %q", tc.p, got, tc.words)
		}
		if got, want := tc.p.Spelled(), tc.str+" ("+tc.words+")"; got != want {
			t.Errorf("Percent(%d).Spelled() = %q, want %q", tc.p, got, want)
		}
		if got, err := json.Marshal(tc.p); err != nil || string(got) != tc.json {
			t.Errorf("json.Marshal(Percent(%d)) = %s, %v, want %s", tc.p, got, err, tc.json)
		}
		if tc.p < 0 {
			continue
		}
		var back Percent
		if err := json.Unmarshal([]byte(tc.json), &back); err != nil || back != tc.p {
			t.Errorf("json.Unmarshal(%s) = %d, %v, want %d", tc.json, back, err, tc.p)
		}
	}
	if got, want := Percent(4500).Spelled(), "45% (empat puluh lima persen)"; got != want {
		t.Errorf("Percent(4500).Spelled() = %q, want %q", got, want)
	}
}

func TestPercentJSON(t *testing.T) {
	for raw, want := range map[string]Percent{"70.5": 7050, "70.50": 7050, "45": 4500, "0": 0, "100.0": 10000} {
		var got Percent
		if err := got.UnmarshalJSON([]byte(raw)); err != nil || got != want {
			t.Errorf("UnmarshalJSON(%s) = %d, %v, want %d", raw, got, err, want)
		}
	}
	for _, raw := range []string{
		"70.555", "70.500", "-1", "-0.5", "1e2", "7.05E1", `"70.5"`, "null", "", "070", "70.", ".5",
		"true", "100000000000000000000", "70,5",
	} {
		var p Percent
		if err := p.UnmarshalJSON([]byte(raw)); err == nil {
			t.Errorf("UnmarshalJSON(%s) = %d, want an error", raw, p)
		}
	}
}

func TestValid0to100(t *testing.T) {
	for p, ok := range map[Percent]bool{0: true, 1: true, 7050: true, 10000: true, -1: false, 10001: false} {
		if err := p.Valid0to100(); (err == nil) != ok {
			t.Errorf("Percent(%d).Valid0to100() = %v, want ok=%v", p, err, ok)
		}
	}
}

func TestPercentOf(t *testing.T) {
	for _, tc := range []struct {
		part, whole Money
		want        Percent
	}{
		{0, 0, 0}, {5, 0, 0}, {0, 5, 0},
		{1, 3, 3333}, {2, 3, 6667}, {1, 8, 1250}, {800, 1000, 8000},
		{1, 20000, 1}, // 0,005% rounds half up
		{1, 20001, 0}, // just under half
		{3, 40000, 1}, // 0,0075%
		{1, 30000, 0}, // 0,0033%
		{-1, 2, -5000}, {1, -3, -3333}, {-1, -3, 3333}, {-1, 20000, -1},
		{750_000_000, 1_000_000_000, 7500}, {1_250_000_000, 5_000_000_000, 2500},
		{MaxMoney, MaxMoney, 10000},
		{MaxMoney - 1, MaxMoney, 10000},
		{1, MaxMoney, 0},
		{999_999_999_999_999, 1_000_000_000_000_000, 10000},
		{math.MaxInt64, math.MaxInt64, 10000},    // part×10000 needs 128 bits
		{math.MaxInt64 / 2, math.MaxInt64, 5000}, // 4999,99…, rounds up
		{math.MaxInt64 / 3, math.MaxInt64, 3333}, // 3333,33…
		{math.MinInt64, math.MinInt64, 10000},    // |MinInt64| does not fit int64
		{MaxMoney, 1, math.MaxInt64},             // saturates
		{math.MaxInt64, 1, math.MaxInt64},        // saturates
		{math.MinInt64, 1, math.MinInt64},        // saturates
	} {
		if got := PercentOf(tc.part, tc.whole); got != tc.want {
			t.Errorf("PercentOf(%d, %d) = %d, want %d", tc.part, tc.whole, got, tc.want)
		}
	}
}

func TestMulPercent(t *testing.T) {
	for _, tc := range []struct {
		m    Money
		p    Percent
		want Money
	}{
		{0, 4500, 0}, {1_000_000, 0, 0},
		{1_000_000_000, 2500, 250_000_000}, {1_250_000_000, 4500, 562_500_000},
		{999, 3333, 332}, {1, 9999, 0}, {3, 3333, 0}, {100, 7050, 70},
		{MaxMoney, 10000, MaxMoney},
		{MaxMoney, 4500, 449_999_999_999_999}, // 449.999.999.999.999,55 rounds down
		{MaxMoney, 3333, 333_299_999_999_999}, // product 3,3×10^18
		{math.MaxInt64, 10000, math.MaxInt64}, // product needs 128 bits
		{math.MaxInt64, 5000, math.MaxInt64 / 2},
		{-1_000, 2500, -250}, {-999, 3333, -332}, {999, -3333, -332},
		{math.MinInt64, 10000, math.MinInt64},
		{math.MaxInt64, 20000, math.MaxInt64}, // saturates
		{math.MinInt64, 20000, math.MinInt64}, // saturates
		{math.MaxInt64, math.MaxInt64, math.MaxInt64},
	} {
		if got := tc.m.MulPercent(tc.p); got != tc.want {
			t.Errorf("Money(%d).MulPercent(%d) = %d, want %d", tc.m, tc.p, got, tc.want)
		}
	}
}

// clampBig saturates x to the int64 range, as PercentOf and MulPercent do.
func clampBig(x *big.Int) int64 {
	switch {
	case x.Cmp(big.NewInt(math.MaxInt64)) > 0:
		return math.MaxInt64
	case x.Cmp(big.NewInt(math.MinInt64)) < 0:
		return math.MinInt64
	}
	return x.Int64()
}

func FuzzMulPercent(f *testing.F) {
	f.Add(int64(MaxMoney), int64(4500))
	f.Add(int64(math.MinInt64), int64(-1))
	f.Fuzz(func(t *testing.T, m, p int64) {
		want := new(big.Int).Mul(big.NewInt(m), big.NewInt(p))
		want.Quo(want, big.NewInt(10000)) // Quo truncates toward zero
		if got := Money(m).MulPercent(Percent(p)); int64(got) != clampBig(want) {
			t.Fatalf("Money(%d).MulPercent(%d) = %d, want %d", m, p, got, clampBig(want))
		}
	})
}

func FuzzPercentOf(f *testing.F) {
	f.Add(int64(1), int64(3))
	f.Add(int64(math.MinInt64), int64(7))
	f.Fuzz(func(t *testing.T, part, whole int64) {
		var want int64
		if whole != 0 {
			num := new(big.Int).Mul(new(big.Int).Abs(big.NewInt(part)), big.NewInt(10000))
			den := new(big.Int).Abs(big.NewInt(whole))
			q, r := new(big.Int).QuoRem(num, den, new(big.Int))
			if r.Lsh(r, 1).Cmp(den) >= 0 {
				q.Add(q, big.NewInt(1))
			}
			if (part < 0) != (whole < 0) {
				q.Neg(q)
			}
			want = clampBig(q)
		}
		if got := PercentOf(Money(part), Money(whole)); int64(got) != want {
			t.Fatalf("PercentOf(%d, %d) = %d, want %d", part, whole, got, want)
		}
	})
}
