package region

import (
	"strings"
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
		{"13.12.07.2002", "Desa Baru", "desa", "Desa Baru", "Kepala Desa Baru"},
		{"82.01.01", "Jailolo", "kecamatan", "Kecamatan Jailolo", "Camat Jailolo"}, // beside Papua, not in it
		// A kota has kecamatan and kelurahan, and desa where Kemendagri numbers
		// one 2xxx (Kota Batu has 19).
		{"35.79.01", "Batu", "kecamatan", "Kecamatan Batu", "Camat Batu"},
		{"35.79.01.2005", "Sumberejo", "desa", "Desa Sumberejo", "Kepala Desa Sumberejo"},
		// Papua (UU 21/2001): distrik and kampung, in each of the six provinces
		// and in a kota too; a kelurahan stays a kelurahan.
		{"91", "Papua", "provinsi", "Provinsi Papua", "Gubernur Papua"},
		{"91.03.01", "Sentani", "distrik", "Distrik Sentani", "Kepala Distrik Sentani"},
		{"91.03.01.2011", "Hobong", "kampung", "Kampung Hobong", "Kepala Kampung Hobong"},
		{"91.03.01.1002", "Dobonsolo", "kelurahan", "Kelurahan Dobonsolo", "Lurah Dobonsolo"},
		{"91.03.01.3007", "Desa Adat Yoboi", "kampung", "Kampung Adat Yoboi", "Kepala Kampung Adat Yoboi"},
		{"91.71", "Jayapura", "kota", "Kota Jayapura", "Wali Kota Jayapura"},
		{"91.71.02", "Jayapura Selatan", "distrik", "Distrik Jayapura Selatan", "Kepala Distrik Jayapura Selatan"},
		{"91.71.02.2008", "Tobati", "kampung", "Kampung Tobati", "Kepala Kampung Tobati"},
		{"91.71.02.1005", "Entrop", "kelurahan", "Kelurahan Entrop", "Lurah Entrop"},
		{"92.02.03", "Warmare", "distrik", "Distrik Warmare", "Kepala Distrik Warmare"},
		{"92.02.03.2001", "Dindey", "kampung", "Kampung Dindey", "Kepala Kampung Dindey"},
		{"92.03.04.2011", "Kampung Baru", "kampung", "Kampung Baru", "Kepala Kampung Baru"},
		{"93.01.01", "Merauke", "distrik", "Distrik Merauke", "Kepala Distrik Merauke"},
		{"93.01.01.2001", "Nasem", "kampung", "Kampung Nasem", "Kepala Kampung Nasem"},
		{"94.01.01", "Nabire", "distrik", "Distrik Nabire", "Kepala Distrik Nabire"},
		{"94.01.01.2010", "Kalisusu", "kampung", "Kampung Kalisusu", "Kepala Kampung Kalisusu"},
		{"95.01.01", "Wamena", "distrik", "Distrik Wamena", "Kepala Distrik Wamena"},
		{"95.01.01.2002", "Honelama", "kampung", "Kampung Honelama", "Kepala Kampung Honelama"},
		{"96.01.01", "Makbon", "distrik", "Distrik Makbon", "Kepala Distrik Makbon"},
		{"96.01.01.2002", "Asbaken", "kampung", "Kampung Asbaken", "Kepala Kampung Asbaken"},
		{"96.71.07.1001", "Kampung Baru", "kelurahan", "Kelurahan Kampung Baru", "Lurah Kampung Baru"},
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
		"91.03.01.2011": "Kampung Hobong, Distrik Sentani, Kabupaten Jayapura, Provinsi Papua",
		"91.71.02.1005": "Kelurahan Entrop, Distrik Jayapura Selatan, Kota Jayapura, Provinsi Papua",
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

// TestPapuaWords walks every kecamatan and village of the six Papua provinces
// and of their neighbour Maluku: Papua says Distrik and Kampung (a kelurahan
// stays one), Maluku Kecamatan and Desa.
func TestPapuaWords(t *testing.T) {
	tests := []struct {
		provinces         []Code
		district, head    string // FullName and HeadTitle prefixes of a kecamatan
		village, village2 string // FullName prefixes of a non-kelurahan village
	}{
		{[]Code{"91", "92", "93", "94", "95", "96"}, "Distrik ", "Kepala Distrik ", "Kampung ", "Kampung Adat "},
		{[]Code{"81"}, "Kecamatan ", "Camat ", "Desa ", "Desa "},
	}
	for _, tt := range tests {
		n := 0
		for _, p := range tt.provinces {
			for _, reg := range Children(p) {
				for _, dist := range Children(reg.Code) {
					if !strings.HasPrefix(dist.FullName(), tt.district) || !strings.HasPrefix(dist.HeadTitle(), tt.head) {
						t.Errorf("%s: FullName %q, HeadTitle %q; want %q…, %q…", dist.Code, dist.FullName(), dist.HeadTitle(), tt.district, tt.head)
					}
					for _, v := range Children(dist.Code) {
						n++
						want, head := tt.village, "Kepala "+v.FullName()
						if v.Code.isKelurahan() {
							want, head = "Kelurahan ", "Lurah "+v.Name
						} else if strings.HasPrefix(v.Name, "Desa Adat ") {
							want = tt.village2
						}
						if !strings.HasPrefix(v.FullName(), want) || v.HeadTitle() != head {
							t.Errorf("%s: FullName %q, HeadTitle %q; want %q…, %q", v.Code, v.FullName(), v.HeadTitle(), want, head)
						}
					}
				}
			}
		}
		if n < 1000 {
			t.Errorf("provinces %v: walked %d villages, want the whole list", tt.provinces, n)
		}
	}
}
