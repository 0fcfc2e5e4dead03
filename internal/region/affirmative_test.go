package region

import (
	"slices"
	"strings"
	"testing"
)

// TestKabupatenKotaCount holds the list to the 514 kabupaten/kota the
// coverage figures count against: 416 kabupaten and 98 kota, with the 2022
// Papua provinces (data/README.md).
func TestKabupatenKotaCount(t *testing.T) {
	kab, kota := 0, 0
	for _, p := range Children("") {
		for _, r := range Children(p.Code) {
			if r.LevelName() == "kota" {
				kota++
			} else {
				kab++
			}
		}
	}
	if kab != 416 || kota != 98 || Count(Regency) != 514 || Count(Province) != 38 {
		t.Errorf("%d kabupaten, %d kota, %d kabupaten/kota, %d provinces; want 416, 98, 514, 38", kab, kota, Count(Regency), Count(Province))
	}
}

// TestAffirmativeLists checks every listed code against the region list:
// it exists, its name is the one written beside it, the counts are those of
// the sources (data/README.md), and a daerah tertinggal is a kabupaten
// (Perpres 63/2020 lists no kota).
func TestAffirmativeLists(t *testing.T) {
	for _, tc := range []struct {
		name  string
		text  string
		codes []Code
		want  int
	}{
		{"tertinggal", tertinggalTSV, TertinggalCodes(), 62},
		{"perbatasan", perbatasanTSV, PerbatasanCodes(), 60},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.codes) != tc.want {
				t.Errorf("%d codes, want %d", len(tc.codes), tc.want)
			}
			for _, line := range strings.Split(tc.text, "\n") {
				if line == "" || strings.HasPrefix(line, "#") {
					continue
				}
				f := strings.Split(line, "\t")
				r, ok := Lookup(Code(f[0]))
				if !ok {
					t.Errorf("%s (%s) is not in the region list", f[0], f[1])
					continue
				}
				if r.Name != f[1] {
					t.Errorf("%s is %q in the region list, %q here", f[0], r.Name, f[1])
				}
				if tc.name == "tertinggal" && r.LevelName() != "kabupaten" {
					t.Errorf("%s %s is a %s, want a kabupaten", f[0], f[1], r.LevelName())
				}
				if tc.name == "perbatasan" && (len(f) != 3 || f[2] == "") {
					t.Errorf("%s %s names no basis", f[0], f[1])
				}
			}
		})
	}
}

func TestAffirmations(t *testing.T) {
	for _, tc := range []struct {
		code        Code
		want        []Affirmation
		outsideJava bool
	}{
		{"95.08", []Affirmation{AffirmTertinggal}, true},                   // Kabupaten Nduga, Papua Pegunungan
		{"95.08.01", []Affirmation{AffirmTertinggal}, true},                // a distrik in it
		{"53.04", []Affirmation{AffirmTertinggal, AffirmPerbatasan}, true}, // Kabupaten Belu
		{"61.03", []Affirmation{AffirmPerbatasan}, true},                   // Kabupaten Sanggau
		{"18.71", []Affirmation{}, true},                                   // Kota Bandar Lampung
		{"32.73", []Affirmation{}, false},                                  // Kota Bandung
		{"36.04", []Affirmation{}, false},                                  // Kabupaten Serang, Banten
		{"51.71", []Affirmation{}, true},                                   // Kota Denpasar, Bali
		{"53", []Affirmation{}, true},                                      // a province is no kabupaten
		{"", []Affirmation{}, false},
	} {
		if got := Affirmations(tc.code); !slices.Equal(got, tc.want) || got == nil {
			t.Errorf("Affirmations(%q) = %#v, want %v", tc.code, got, tc.want)
		}
		if got := OutsideJava(tc.code); got != tc.outsideJava {
			t.Errorf("OutsideJava(%q) = %v, want %v", tc.code, got, tc.outsideJava)
		}
	}
}

func TestParseAffirmListRejects(t *testing.T) {
	for _, text := range []string{"53\tNusa Tenggara Timur\n", "53.04\n", "53.04\tA\n53.01\tB\n", "53.00\tX\n"} {
		if _, err := parseAffirmList(text); err == nil {
			t.Errorf("parseAffirmList(%q) accepted it", text)
		}
	}
}
