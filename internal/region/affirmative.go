package region

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// The affirmative lists (PRODUCT.md §9, "National coverage"): DAK IKM goes
// outside Java first and to the daerah afirmasi, the daerah tertinggal and
// the border regions. Both lists are data with their sources
// (data/README.md), one "code<TAB>name[<TAB>basis]" line per kabupaten/kota
// after "# " comment lines.
var (
	//go:embed data/tertinggal.tsv
	tertinggalTSV string
	//go:embed data/perbatasan.tsv
	perbatasanTSV string
)

// Affirmation names why a kabupaten/kota is a daerah afirmasi, as the
// coverage API spells it.
type Affirmation string

// The two kinds of daerah afirmasi.
const (
	// AffirmTertinggal is a daerah tertinggal of Perpres 63/2020.
	AffirmTertinggal Affirmation = "tertinggal"
	// AffirmPerbatasan is a kabupaten/kota of the kawasan perbatasan negara.
	AffirmPerbatasan Affirmation = "perbatasan"
)

// affirmLists holds both lists, each sorted by code, parsed on first use.
type affirmLists struct {
	tertinggal, perbatasan []Code
}

var affirmative = sync.OnceValue(func() affirmLists {
	t, err := parseAffirmList(tertinggalTSV)
	if err != nil {
		panic("region: data/tertinggal.tsv: " + err.Error()) // checked by the tests: a broken build
	}
	p, err := parseAffirmList(perbatasanTSV)
	if err != nil {
		panic("region: data/perbatasan.tsv: " + err.Error())
	}
	return affirmLists{tertinggal: t, perbatasan: p}
})

// parseAffirmList reads the codes of one list, refusing a line that is not
// a kabupaten/kota code or not after the one before it.
func parseAffirmList(text string) ([]Code, error) {
	var codes []Code
	for no, line := range strings.Split(text, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		code, _, ok := strings.Cut(line, "\t")
		c := Code(code)
		if !ok || c.Level() != Regency || checkCode(code) != "" {
			return nil, fmt.Errorf("line %d: want a kabupaten/kota code<TAB>name, got %q", no+1, line)
		}
		if n := len(codes); n > 0 && codes[n-1] >= c {
			return nil, fmt.Errorf("line %d: code %s not after %s", no+1, c, codes[n-1])
		}
		codes = append(codes, c)
	}
	return codes, nil
}

// Tertinggal reports whether the kabupaten/kota the code lies in (the code
// itself, or any kecamatan or desa in it) is a daerah tertinggal of Perpres
// 63/2020 (data/tertinggal.tsv).
func Tertinggal(c Code) bool {
	_, found := slices.BinarySearch(affirmative().tertinggal, c.Regency())
	return found
}

// Perbatasan reports whether the kabupaten/kota the code lies in is on the
// land or sea border (data/perbatasan.tsv). The list is partial
// (data/README.md): false means "not listed", not "not a border region".
func Perbatasan(c Code) bool {
	_, found := slices.BinarySearch(affirmative().perbatasan, c.Regency())
	return found
}

// Affirmations lists why the region's kabupaten/kota is a daerah afirmasi:
// tertinggal, perbatasan, both (in that order) or none (an empty, non-nil
// slice, so that JSON shows []).
func Affirmations(c Code) []Affirmation {
	out := []Affirmation{}
	if Tertinggal(c) {
		out = append(out, AffirmTertinggal)
	}
	if Perbatasan(c) {
		out = append(out, AffirmPerbatasan)
	}
	return out
}

// OutsideJava reports whether the region lies outside Java: in a province
// other than DKI Jakarta (31), Jawa Barat (32), Jawa Tengah (33), DI
// Yogyakarta (34), Jawa Timur (35) and Banten (36), where PP 14/2015 (RIPIN)
// puts new industry first. It is false for a string that is not a code.
func OutsideJava(c Code) bool {
	p := c.Province()
	return p != "" && (p < "31" || p > "36")
}

// TertinggalCodes lists the daerah tertinggal, sorted by code; the slice is
// the caller's.
func TertinggalCodes() []Code { return slices.Clone(affirmative().tertinggal) }

// PerbatasanCodes lists the border kabupaten/kota, sorted by code; the slice
// is the caller's.
func PerbatasanCodes() []Code { return slices.Clone(affirmative().perbatasan) }
