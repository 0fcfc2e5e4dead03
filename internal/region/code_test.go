package region

import (
	"errors"
	"strings"
	"testing"
)

func TestParseCode(t *testing.T) {
	good := []struct {
		in   string
		want Code
	}{
		{"18", "18"},
		{"18.71", "18.71"},
		{"74.05", "74.05"},
		{"74.05.01", "74.05.01"},
		{"18.71.01.1004", "18.71.01.1004"},
		{"74.05.01.2003", "74.05.01.2003"},
		{"91.03.01.3007", "91.03.01.3007"},
		{" 35.75 ", "35.75"},
		{"99.99.99.3999", "99.99.99.3999"}, // well-formed though not in the list
	}
	for _, tt := range good {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseCode(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("ParseCode(%q) = %q, %v, want %q, nil", tt.in, got, err, tt.want)
			}
		})
	}

	bad := []struct{ in, reason string }{
		{"", "kosong"},
		{"1", "tidak sesuai format"},
		{"1871", "tidak sesuai format"},
		{"18-71", "tidak sesuai format"},
		{"18.7", "tidak sesuai format"},
		{"18.71.", "tidak sesuai format"},
		{"18.71.1.1001", "tidak sesuai format"},
		{"18.71.01.101", "tidak sesuai format"},
		{"18.71.01.10011", "tidak sesuai format"},
		{"1a.71", "angka"},
		{"18.71.01.10a1", "angka"},
		{"18..71.01", "tidak sesuai format"},
		{"18.7a", "angka"},
		{"00", "provinsi 00"},
		{"10", "provinsi 10"},
		{"18.00", "kabupaten/kota 00"},
		{"18.70", "kabupaten/kota 70"},
		{"18.71.00", "kecamatan 00"},
		{"18.71.01.0001", "desa/kelurahan 0001"},
		{"18.71.01.4001", "desa/kelurahan 4001"},
		{"18.71.01.2000", "desa/kelurahan 2000"},
	}
	for _, tt := range bad {
		t.Run("bad "+tt.in, func(t *testing.T) {
			got, err := ParseCode(tt.in)
			if err == nil {
				t.Fatalf("ParseCode(%q) = %q, nil, want an error", tt.in, got)
			}
			if !errors.Is(err, ErrInvalidCode) {
				t.Errorf("ParseCode(%q) error %v does not wrap ErrInvalidCode", tt.in, err)
			}
			for _, want := range []string{tt.reason, "NN.NN.NN.NNNN (desa/kelurahan)", "kode wilayah tidak valid"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("ParseCode(%q) error %q, want it to mention %q", tt.in, err, want)
				}
			}
		})
	}
}

func TestCodeHierarchy(t *testing.T) {
	tests := []struct {
		code                      Code
		level                     Level
		parent, province, regency Code
	}{
		{"18", Province, "", "18", ""},
		{"18.71", Regency, "18", "18", "18.71"},
		{"18.71.01", District, "18.71", "18", "18.71"},
		{"18.71.01.1004", Village, "18.71.01", "18", "18.71"},
		{"", 0, "", "", ""},
		{"1871", 0, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(string(tt.code), func(t *testing.T) {
			c := tt.code
			if got := c.Level(); got != tt.level {
				t.Errorf("Code(%q).Level() = %v, want %v", c, got, tt.level)
			}
			if got := c.Parent(); got != tt.parent {
				t.Errorf("Code(%q).Parent() = %q, want %q", c, got, tt.parent)
			}
			if got := c.Province(); got != tt.province {
				t.Errorf("Code(%q).Province() = %q, want %q", c, got, tt.province)
			}
			if got := c.Regency(); got != tt.regency {
				t.Errorf("Code(%q).Regency() = %q, want %q", c, got, tt.regency)
			}
		})
	}
}

func TestIsWithin(t *testing.T) {
	tests := []struct {
		code, ancestor Code
		want           bool
	}{
		{"18.71.01.1004", "18.71.01.1004", true},
		{"18.71.01.1004", "18.71.01", true},
		{"18.71.01.1004", "18.71", true},
		{"18.71.01.1004", "18", true},
		{"18.71", "18.71", true},
		{"18", "18", true},
		{"18.71.01.1004", "18.72", false},
		{"18.71", "18.71.01", false}, // a parent is not within its child
		{"18.71", "1", false},        // prefix of the digits, not of the segments
		{"11.01", "11.0", false},
		{"18.71", "", false}, // the empty code contains nothing
		{"", "", false},
		{"1871", "18", false},
		{"74.05.01.2003", "74.05", true},
		{"74.05.01.2003", "74.02", false},
	}
	for _, tt := range tests {
		if got := tt.code.IsWithin(tt.ancestor); got != tt.want {
			t.Errorf("Code(%q).IsWithin(%q) = %v, want %v", tt.code, tt.ancestor, got, tt.want)
		}
	}
}

func TestLevelString(t *testing.T) {
	tests := map[Level]string{
		Province: "provinsi", Regency: "kabupaten/kota", District: "kecamatan",
		Village: "desa/kelurahan", 0: "Level(0)", 7: "Level(7)",
	}
	for l, want := range tests {
		if got := l.String(); got != want {
			t.Errorf("Level(%d).String() = %q, want %q", int(l), got, want)
		}
	}
}

func TestLevelNameIn(t *testing.T) {
	tests := []struct {
		l    Level
		in   Code
		want string
	}{
		{District, "18.71", "kecamatan"},
		{Village, "18.71.01", "desa/kelurahan"},
		{Regency, "91", "kabupaten/kota"},
		{District, "91", "distrik"},
		{District, "96.71", "distrik"},
		{Village, "94.01.01", "kampung/kelurahan"},
		{Village, "95", "kampung/kelurahan"},
		{Village, "82.01", "desa/kelurahan"},
		{Village, "", "desa/kelurahan"},
	}
	for _, tt := range tests {
		if got := tt.l.NameIn(tt.in); got != tt.want {
			t.Errorf("%v.NameIn(%q) = %q, want %q", tt.l, tt.in, got, tt.want)
		}
	}
}
