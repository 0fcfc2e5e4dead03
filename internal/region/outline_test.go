package region

import (
	"strings"
	"testing"
)

// TestMapOutline checks the embedded outline: both groups present, path data
// only (the coverage page writes it into an SVG attribute as it is), and
// inside the view.
func TestMapOutline(t *testing.T) {
	o := MapOutline()
	for name, d := range map[string]string{"indonesia": o.Indonesia, "neighbours": o.Neighbours} {
		if !strings.HasPrefix(d, "M") || !strings.HasSuffix(d, "Z") || len(d) < 1000 {
			t.Errorf("%s: %d bytes, starting %.20q", name, len(d), d)
		}
		if bad := strings.Trim(d, "0123456789.,- MZ"); bad != "" {
			t.Errorf("%s holds more than path data: %.40q", name, bad)
		}
	}
	if n := strings.Count(o.Indonesia, "M"); n < 100 {
		t.Errorf("Indonesia has %d rings, want the larger islands (over 100)", n)
	}
}

func TestMapViewProject(t *testing.T) {
	for _, tc := range []struct {
		name     string
		lat, lon float64
		inside   bool
	}{
		{"Sabang", 5.89, 95.32, true},
		{"Merauke", -8.49, 140.40, true},
		{"Miangas", 5.56, 126.58, true},
		{"Rote", -10.9, 123.0, true},
		{"Tokyo", 35.7, 139.7, false},
		{"Colombo", 6.9, 79.9, false},
	} {
		if got := MapView.Contains(tc.lat, tc.lon); got != tc.inside {
			x, y := MapView.Project(tc.lat, tc.lon)
			t.Errorf("%s (%g, %g) → (%g, %g): inside = %v, want %v", tc.name, tc.lat, tc.lon, x, y, got, tc.inside)
		}
	}
	if x, y := MapView.Project(MapView.North, MapView.West); x != 0 || y != 0 {
		t.Errorf("the top-left corner projects to (%g, %g)", x, y)
	}
}
