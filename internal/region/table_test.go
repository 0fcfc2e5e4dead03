package region

import (
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
)

// The counts of idn-area-data 4.0.1; 38 and 514 are PRODUCT.md §2's.
func TestCount(t *testing.T) {
	want := map[Level]int{Province: 38, Regency: 514, District: 7285, Village: 83762, 0: 0, 5: 0}
	for l, n := range want {
		if got := Count(l); got != n {
			t.Errorf("Count(%v) = %d, want %d", l, got, n)
		}
	}
	if got := len(Children("")); got != 38 {
		t.Errorf("len(Children(\"\")) = %d, want 38", got)
	}
}

// TestEveryRegion walks the whole list from the top: every code is one
// ParseCode accepts, every region lies under an existing parent (so every
// desa's kecamatan and every kecamatan's kabupaten/kota exists), children come
// sorted, Lookup and Path agree, and the walk reaches every region.
func TestEveryRegion(t *testing.T) {
	seen := map[Level]int{}
	var walk func(parent Code)
	walk = func(parent Code) {
		kids := Children(parent)
		if !slices.IsSortedFunc(kids, func(a, b Region) int { return strings.Compare(string(a.Code), string(b.Code)) }) {
			t.Errorf("Children(%q) not sorted by code", parent)
		}
		for _, r := range kids {
			seen[r.Level]++
			if c, err := ParseCode(string(r.Code)); err != nil || c != r.Code {
				t.Errorf("ParseCode(%q) = %q, %v", r.Code, c, err)
			}
			if r.Parent != parent || r.Code.Parent() != parent {
				t.Errorf("%s %q: Parent = %q, want %q", r.Code, r.Name, r.Parent, parent)
			}
			if r.Name == "" || strings.TrimSpace(r.Name) != r.Name || strings.Contains(r.Name, "  ") {
				t.Errorf("%s: badly spaced name %q", r.Code, r.Name)
			}
			if got, ok := Lookup(r.Code); !ok || got != r {
				t.Errorf("Lookup(%q) = %+v, %v, want %+v", r.Code, got, ok, r)
			}
			if p := Path(r.Code); len(p) != int(r.Level) || p[len(p)-1] != r {
				t.Errorf("Path(%q) = %v, want %d regions ending in itself", r.Code, p, r.Level)
			}
			if r.Level == Regency && (r.Code.isKota() != strings.HasPrefix(r.Name, "Kota ")) {
				t.Errorf("%s %q: kabupaten/kota code range does not match the name", r.Code, r.Name)
			}
			walk(r.Code)
		}
	}
	walk("")
	for l := Province; l <= Village; l++ {
		if seen[l] != Count(l) {
			t.Errorf("walk from the provinces reached %d regions of level %v, want Count = %d", seen[l], l, Count(l))
		}
	}
}

func TestChildren(t *testing.T) {
	kids := Children("18")
	if len(kids) != 15 || kids[0].Code != "18.01" || kids[len(kids)-1].Code != "18.72" {
		t.Errorf("Children(18) = %d regions from %v to %v, want 15 from 18.01 to 18.72", len(kids), kids[0].Code, kids[len(kids)-1].Code)
	}
	kids[0].Name = "changed"
	if r, _ := Lookup("18.01"); r.Name != "Kabupaten Lampung Selatan" {
		t.Errorf("changing a Children result changed the list: Lookup(18.01).Name = %q", r.Name)
	}
	for _, c := range []Code{"18.71.01.1004", "18.70", "1", "99"} {
		if got := Children(c); len(got) != 0 {
			t.Errorf("Children(%q) = %v, want none", c, got)
		}
	}
}

func TestAttribution(t *testing.T) {
	got := Attribution()
	for _, want := range []string{"idn-area-data 4.0.1", "Open Database License"} {
		if !strings.Contains(got, want) {
			t.Errorf("Attribution() = %q, want it to mention %q", got, want)
		}
	}
}

// TestConcurrentFirstUse has many goroutines race to the first load; run
// with -race (a fresh test binary loads the list once, here or earlier).
func TestConcurrentFirstUse(t *testing.T) {
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			if r, ok := Lookup("18.71"); !ok || r.Name != "Kota Bandar Lampung" {
				t.Errorf("Lookup(18.71) = %+v, %v", r, ok)
			}
			_ = Children("74.05")
		})
	}
	wg.Wait()
}

func TestParseRejectsBadData(t *testing.T) {
	if _, err := parse([]byte("not gzip")); err == nil {
		t.Error("parse(not gzip) = nil error, want one")
	}
}

// BenchmarkLoad measures what the first use of the package costs: decompress
// and split the whole embedded list.
func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parse(regionsGz); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	loaded()
	for b.Loop() {
		if _, ok := Lookup("74.05.01.2003"); !ok {
			b.Fatal("not found")
		}
	}
}

// TestEntriesHoldNoPointers: the table's 90,000 entries are offsets into
// one string, never scanned by the collector (a string or a Code in an
// entry would make every level's slice one it marks in every cycle).
func TestEntriesHoldNoPointers(t *testing.T) {
	typ := reflect.TypeFor[entry]()
	for i := range typ.NumField() {
		switch f := typ.Field(i); f.Type.Kind() {
		case reflect.Uint8, reflect.Uint16, reflect.Uint32:
		default:
			t.Errorf("entry.%s is a %s: want an integer, no pointer", f.Name, f.Type)
		}
	}
	tb := loaded()
	e := tb.levels[Village][len(tb.levels[Village])-1]
	if r, ok := Lookup(tb.code(e)); !ok || r.Name != tb.name(e) || r.Name == "" {
		t.Errorf("last desa %s: Lookup gives %+v, %v", tb.code(e), r, ok)
	}
}
