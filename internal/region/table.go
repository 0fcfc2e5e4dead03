package region

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"sync"
)

//go:generate bash ../../scripts/gen-regions.sh

// regionsGz is the whole list, one "code<TAB>name" line per region sorted by
// code, after one "# notice" line; written by ./gen. Compressed, it adds
// about 0.6 MB to the binary instead of 2.2 MB.
//
//go:embed data/regions.tsv.gz
var regionsGz []byte

// entry is one region as stored: where its line starts in the table's raw
// list, and the lengths of its code and of its name (after the tab); level
// and parent follow from the code. Offsets rather than two strings: the
// 90,000 entries hold no pointer, so the collector, which marks what is
// live in every cycle, never scans them.
type entry struct {
	at      uint32
	nameLen uint16
	codeLen uint8
}

func (t *table) code(e entry) Code { return Code(t.raw[e.at : e.at+uint32(e.codeLen)]) }

func (t *table) name(e entry) string {
	at := e.at + uint32(e.codeLen) + 1
	return t.raw[at : at+uint32(e.nameLen)]
}

// table holds each level's entries sorted by code, so a lookup is a binary
// search and the children of a region are one contiguous run of the level
// below. It is never changed after parse.
type table struct {
	raw    string // the decompressed list the entries point into
	levels [Village + 1][]entry
	notice string
}

// loaded parses the embedded list on first use. The data is compiled in and
// checked by the tests, so a failure is a broken build: it panics.
var loaded = sync.OnceValue(func() *table {
	t, err := parse(regionsGz)
	if err != nil {
		panic("region: embedded list: " + err.Error())
	}
	return t
})

// parse decompresses and splits the list. Codes and names are substrings of
// one decompressed string and each level's slice is allocated at its final
// size, so the whole list costs a handful of allocations, not two per region.
func parse(gz []byte) (*table, error) {
	raw, err := gunzip(gz)
	if err != nil {
		return nil, err
	}
	if len(raw) > math.MaxUint32 {
		return nil, fmt.Errorf("%d bytes, more than an entry can point into", len(raw))
	}
	t := &table{raw: raw}
	var n [Village + 1]int
	for rest := raw; rest != ""; {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		if i := strings.IndexByte(line, '\t'); i > 0 {
			n[Code(line[:i]).Level()]++
		}
	}
	for lv := Province; lv <= Village; lv++ {
		t.levels[lv] = make([]entry, 0, n[lv])
	}
	for no, rest := 1, raw; rest != ""; no++ {
		var line string
		at := len(raw) - len(rest)
		line, rest, _ = strings.Cut(rest, "\n")
		if notice, ok := strings.CutPrefix(line, "# "); ok {
			t.notice = notice
			continue
		}
		code, name, ok := strings.Cut(line, "\t")
		lv := Code(code).Level()
		if !ok || lv == 0 || name == "" || len(name) > math.MaxUint16 {
			return nil, fmt.Errorf("line %d: want code<TAB>name, got %q", no, line)
		}
		s := t.levels[lv]
		if len(s) > 0 && t.code(s[len(s)-1]) >= Code(code) {
			return nil, fmt.Errorf("line %d: code %s not after %s", no, code, t.code(s[len(s)-1]))
		}
		t.levels[lv] = append(s, entry{at: uint32(at), codeLen: uint8(len(code)), nameLen: uint16(len(name))})
	}
	return t, nil
}

// gunzip decompresses gz into one string, sized up front from the length the
// gzip trailer records (RFC 1952 ISIZE) so the buffer never grows.
func gunzip(gz []byte) (string, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return "", err
	}
	var sb strings.Builder
	if size := binary.LittleEndian.Uint32(gz[len(gz)-4:]); size < 64<<20 { // a sane hint only
		sb.Grow(int(size))
	}
	if _, err := io.Copy(&sb, zr); err != nil {
		return "", err
	}
	return sb.String(), nil
}

// Lookup finds the region with the given code. ok is false for a code that
// is not in the list, whether malformed or unknown; it is not an error, so a
// caller decides what an unknown region means (dak.ErrNotFound, a form error).
func Lookup(code Code) (r Region, ok bool) {
	lv := code.Level()
	if lv == 0 {
		return Region{}, false
	}
	t := loaded()
	s := t.levels[lv]
	i, found := slices.BinarySearchFunc(s, code, t.compare)
	if !found {
		return Region{}, false
	}
	return t.region(s[i], lv), true
}

// Children lists the regions one level below parent, sorted by code: the 38
// provinces for parent "", the kabupaten/kota of a province, and so on. It is
// empty for a desa/kelurahan and for a code not in the list. The slice is the
// caller's to keep or change.
func Children(parent Code) []Region {
	t := loaded()
	if parent == "" {
		return t.regions(t.levels[Province], Province)
	}
	lv := parent.Level()
	if lv == 0 || lv == Village {
		return nil
	}
	s := t.levels[lv+1]
	// All codes starting with parent+"." sort between parent+"." and
	// parent+"/", since '/' is the byte after '.'.
	lo, _ := slices.BinarySearchFunc(s, parent+".", t.compare)
	hi, _ := slices.BinarySearchFunc(s, parent+"/", t.compare)
	return t.regions(s[lo:hi], lv+1)
}

// Count is the number of regions of a level: 38 provinces, 514
// kabupaten/kota, and the kecamatan and desa/kelurahan of the source version
// (data/ATTRIBUTION.md). It is 0 for an unknown level.
func Count(level Level) int {
	if level < Province || level > Village {
		return 0
	}
	return len(loaded().levels[level])
}

// Path lists the region and its ancestors from the province down to the
// region itself, so a page can show a breadcrumb and a letter an address. It
// is nil for a code not in the list.
func Path(code Code) []Region {
	r, ok := Lookup(code)
	if !ok {
		return nil
	}
	path := make([]Region, r.Level)
	path[r.Level-1] = r
	for l := r.Level - 1; l >= Province; l-- {
		path[l-1], _ = Lookup(code.ancestor(l)) // the tests check every ancestor exists
	}
	return path
}

// Address writes the region in an Indonesian address, smallest first:
// "Desa Lapoa, Kecamatan Tinanggea, Kabupaten Konawe Selatan, Provinsi
// Sulawesi Tenggara". It is "" for a code not in the list.
func Address(code Code) string {
	path := Path(code)
	parts := make([]string, len(path))
	for i, r := range path {
		parts[len(path)-1-i] = r.FullName()
	}
	return strings.Join(parts, ", ")
}

// Attribution is the ODbL notice for the list ("Contains information from
// idn-area-data 4.0.1 …"), to show where region names are published, such as
// an about page or a data export; the licence asks for it.
func Attribution() string {
	return loaded().notice
}

// compare orders an entry against a code, for the binary searches.
func (t *table) compare(e entry, c Code) int { return strings.Compare(string(t.code(e)), string(c)) }

func (t *table) region(e entry, lv Level) Region {
	code := t.code(e)
	return Region{Code: code, Name: t.name(e), Level: lv, Parent: code.Parent()}
}

func (t *table) regions(es []entry, lv Level) []Region {
	out := make([]Region, len(es))
	for i, e := range es {
		out[i] = t.region(e, lv)
	}
	return out
}
