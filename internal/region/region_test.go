package region

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The regions of the demo sentra (PRODUCT.md §8) and their provinces, with the
// codes idn-area-data 4.0.1 gives them.
func TestLookupKnown(t *testing.T) {
	tests := []Region{
		{Code: "18", Name: "Lampung", Level: Province},
		{Code: "18.71", Name: "Kota Bandar Lampung", Level: Regency, Parent: "18"},
		{Code: "74.05", Name: "Kabupaten Konawe Selatan", Level: Regency, Parent: "74"},
		{Code: "74.02", Name: "Kabupaten Konawe", Level: Regency, Parent: "74"},
		{Code: "73.71", Name: "Kota Makassar", Level: Regency, Parent: "73"},
		{Code: "94.06", Name: "Kabupaten Dogiyai", Level: Regency, Parent: "94"},
		{Code: "19.05", Name: "Kabupaten Bangka Barat", Level: Regency, Parent: "19"},
		{Code: "35.75", Name: "Kota Pasuruan", Level: Regency, Parent: "35"},
		{Code: "35.14", Name: "Kabupaten Pasuruan", Level: Regency, Parent: "35"},
		{Code: "31", Name: "DKI Jakarta", Level: Province},
		{Code: "34", Name: "DI Yogyakarta", Level: Province},
		{Code: "73.10", Name: "Kabupaten Pangkajene dan Kepulauan", Level: Regency, Parent: "73"},
		{Code: "18.71.01", Name: "Kedaton", Level: District, Parent: "18.71"},
		{Code: "18.71.01.1004", Name: "Surabaya", Level: Village, Parent: "18.71.01"},
		{Code: "74.05.01.2003", Name: "Lapoa", Level: Village, Parent: "74.05.01"},
		// Names the generator tidies (see data/ATTRIBUTION.md).
		{Code: "53.02.10", Name: "Ki'e", Level: District, Parent: "53.02"},
		{Code: "35.29.22", Name: "Ra'as", Level: District, Parent: "35.29"},
		{Code: "33.07.11.2002", Name: "Candirejo", Level: Village, Parent: "33.07.11"},
		{Code: "35.25.05.2023", Name: "Ambeng-Ambeng Watangrejo", Level: Village, Parent: "35.25.05"},
		{Code: "12.01.03.1011", Name: "Aek Sitio-tio", Level: Village, Parent: "12.01.03"},
	}
	for _, want := range tests {
		t.Run(string(want.Code), func(t *testing.T) {
			got, ok := Lookup(want.Code)
			if !ok {
				t.Fatalf("Lookup(%q) not found", want.Code)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Lookup(%q) mismatch (-want +got):\n%s", want.Code, diff)
			}
		})
	}
}

func TestLookupUnknown(t *testing.T) {
	for _, c := range []Code{"", "10", "18.70", "18.99", "18.71.99", "18.71.01.1001", "1871", "ab", "18.71.01.1004 "} {
		if got, ok := Lookup(c); ok {
			t.Errorf("Lookup(%q) = %+v, true, want not found", c, got)
		}
	}
}

func TestRegionNames(t *testing.T) {
	tests := []struct {
		code                                  Code
		short, levelName, fullName, headTitle string
	}{
		{"18", "Lampung", "provinsi", "Provinsi Lampung", "Gubernur Lampung"},
		{"31", "DKI Jakarta", "provinsi", "Provinsi DKI Jakarta", "Gubernur DKI Jakarta"},
		{"74.05", "Konawe Selatan", "kabupaten", "Kabupaten Konawe Selatan", "Bupati Konawe Selatan"},
		{"18.71", "Bandar Lampung", "kota", "Kota Bandar Lampung", "Wali Kota Bandar Lampung"},
		{"31.71", "Jakarta Pusat", "kota", "Kota Administrasi Jakarta Pusat", "Wali Kota Administrasi Jakarta Pusat"},
		{"31.01", "Kepulauan Seribu", "kabupaten", "Kabupaten Administrasi Kepulauan Seribu", "Bupati Administrasi Kepulauan Seribu"},
		{"18.71.01", "Kedaton", "kecamatan", "Kecamatan Kedaton", "Camat Kedaton"},
		{"18.71.01.1004", "Surabaya", "kelurahan", "Kelurahan Surabaya", "Lurah Surabaya"},
		{"74.05.01.2003", "Lapoa", "desa", "Desa Lapoa", "Kepala Desa Lapoa"},
		{"91.03.01.3007", "Desa Adat Yoboi", "desa", "Desa Adat Yoboi", "Kepala Desa Adat Yoboi"},
		{"13.12.07.2002", "Desa Baru", "desa", "Desa Baru", "Kepala Desa Baru"},
	}
	for _, tt := range tests {
		t.Run(string(tt.code), func(t *testing.T) {
			r, ok := Lookup(tt.code)
			if !ok {
				t.Fatalf("Lookup(%q) not found", tt.code)
			}
			for _, c := range []struct{ what, got, want string }{
				{"ShortName", r.ShortName(), tt.short},
				{"LevelName", r.LevelName(), tt.levelName},
				{"FullName", r.FullName(), tt.fullName},
				{"HeadTitle", r.HeadTitle(), tt.headTitle},
			} {
				if c.got != c.want {
					t.Errorf("Lookup(%q).%s() = %q, want %q", tt.code, c.what, c.got, c.want)
				}
			}
		})
	}
}

func TestZeroRegion(t *testing.T) {
	var r Region
	if got := r.HeadTitle(); got != "" {
		t.Errorf("Region{}.HeadTitle() = %q, want \"\"", got)
	}
	if got := r.ShortName(); got != "" {
		t.Errorf("Region{}.ShortName() = %q, want \"\"", got)
	}
}

func TestPathAndAddress(t *testing.T) {
	got := Path("74.05.01.2003")
	want := []Region{
		{Code: "74", Name: "Sulawesi Tenggara", Level: Province},
		{Code: "74.05", Name: "Kabupaten Konawe Selatan", Level: Regency, Parent: "74"},
		{Code: "74.05.01", Name: "Tinanggea", Level: District, Parent: "74.05"},
		{Code: "74.05.01.2003", Name: "Lapoa", Level: Village, Parent: "74.05.01"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Path(74.05.01.2003) mismatch (-want +got):\n%s", diff)
	}

	addresses := map[Code]string{
		"74.05.01.2003": "Desa Lapoa, Kecamatan Tinanggea, Kabupaten Konawe Selatan, Provinsi Sulawesi Tenggara",
		"18.71.01.1004": "Kelurahan Surabaya, Kecamatan Kedaton, Kota Bandar Lampung, Provinsi Lampung",
		"18.71":         "Kota Bandar Lampung, Provinsi Lampung",
		"18":            "Provinsi Lampung",
		"18.70":         "",
		"":              "",
	}
	for code, want := range addresses {
		if got := Address(code); got != want {
			t.Errorf("Address(%q) = %q, want %q", code, got, want)
		}
	}
	if got := Path("18.71.99"); got != nil {
		t.Errorf("Path(18.71.99) = %v, want nil", got)
	}
}
