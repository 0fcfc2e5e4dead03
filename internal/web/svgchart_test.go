package web

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"dakflow/internal/dak"
)

func TestShortRupiah(t *testing.T) {
	for _, tc := range []struct {
		in   dak.Money
		want string
	}{
		{0, "Rp0"},
		{750_000, "Rp750.000"},
		{1_000_000, "Rp1 jt"},
		{815_000_000, "Rp815 jt"},
		{999_960_000, "Rp1.000 jt"},
		{3_215_000_000, "Rp3,2 M"},
		{3_250_000_000, "Rp3,3 M"}, // half up
		{996_000_000_000, "Rp996 M"},
		{1_000_000_000_000, "Rp1 T"},
		{1_250_000_000_000_000, "Rp1.250 T"},
		{-5_500_000, "-Rp5,5 jt"},
	} {
		if got := shortRupiah(tc.in); got != tc.want {
			t.Errorf("shortRupiah(%d) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestChartsAreXML draws each kind of chart with hostile labels (markup,
// quotes, control characters, empty and zero data) and parses the result.
func TestChartsAreXML(t *testing.T) {
	bad := "<b>Kota \"A\" & 'B'\x00\x01</b>" + strings.Repeat("é", 50)
	charts := map[string]string{
		"bar": string(barChart{ID: "a\"b", Title: bad, Desc: bad, Series: []chartSeries{{bad, "#000"}, {"Dua", "#111"}},
			Rows: []chartRow{{Label: bad, Values: []int64{5, -3}, Texts: []string{bad}}, {Label: "", Values: nil}}, Max: 4}.SVG()),
		"bar-empty": string(barChart{ID: "e", Title: "Kosong"}.SVG()),
		"stacked": string(stackedChart{ID: "s", Title: bad, Series: []chartSeries{{bad, "#000"}},
			Rows: []stackRow{{Label: bad, Values: []int64{0, 0}, Note: bad}, {Label: "x", Values: []int64{1, 1 << 62}}}}.SVG()),
		"donut": string(donutChart{ID: "d", Title: bad, Centre: bad, Slices: []donutSlice{{Label: bad, Text: bad, Colour: "#000", Value: 3},
			{Label: "nol", Colour: "#111"}}}.SVG()),
		"donut-empty": string(donutChart{ID: "d0", Title: "Kosong"}.SVG()),
	}
	for name, s := range charts {
		dec := xml.NewDecoder(strings.NewReader(s))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Errorf("%s chart is not XML: %v\n%s", name, err, s)
				break
			}
		}
		if strings.Contains(s, "<b>") || !strings.Contains(s, `role="img"`) || !strings.Contains(s, "<title") {
			t.Errorf("%s chart: markup not escaped, or no role or title:\n%s", name, s)
		}
	}
}
