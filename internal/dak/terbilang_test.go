package dak

import (
	"math"
	"strings"
	"testing"
)

// terbilangCases are checked by hand against the rules of Indonesian number words.
var terbilangCases = []struct {
	n    int64
	want string
}{
	{0, "nol"},
	{1, "satu"},
	{2, "dua"},
	{3, "tiga"},
	{4, "empat"},
	{5, "lima"},
	{6, "enam"},
	{7, "tujuh"},
	{8, "delapan"},
	{9, "sembilan"},
	{10, "sepuluh"},
	{11, "sebelas"},
	{12, "dua belas"},
	{15, "lima belas"},
	{17, "tujuh belas"},
	{19, "sembilan belas"},
	{20, "dua puluh"},
	{21, "dua puluh satu"},
	{30, "tiga puluh"},
	{45, "empat puluh lima"},
	{99, "sembilan puluh sembilan"},
	{100, "seratus"},
	{101, "seratus satu"},
	{110, "seratus sepuluh"},
	{111, "seratus sebelas"},
	{115, "seratus lima belas"},
	{120, "seratus dua puluh"},
	{199, "seratus sembilan puluh sembilan"},
	{200, "dua ratus"},
	{250, "dua ratus lima puluh"},
	{999, "sembilan ratus sembilan puluh sembilan"},
	{1000, "seribu"},
	{1001, "seribu satu"},
	{1010, "seribu sepuluh"},
	{1011, "seribu sebelas"},
	{1100, "seribu seratus"},
	{1111, "seribu seratus sebelas"},
	{1999, "seribu sembilan ratus sembilan puluh sembilan"},
	{2000, "dua ribu"},
	{2023, "dua ribu dua puluh tiga"},
	{2027, "dua ribu dua puluh tujuh"},
	{10000, "sepuluh ribu"},
	{11000, "sebelas ribu"},
	{12345, "dua belas ribu tiga ratus empat puluh lima"},
	{21000, "dua puluh satu ribu"},
	{100000, "seratus ribu"},
	{101000, "seratus satu ribu"},
	{111111, "seratus sebelas ribu seratus sebelas"},
	{999999, "sembilan ratus sembilan puluh sembilan ribu sembilan ratus sembilan puluh sembilan"},
	{1000000, "satu juta"},
	{1000001, "satu juta satu"},
	{1001000, "satu juta seribu"},
	{1100000, "satu juta seratus ribu"},
	{1500000, "satu juta lima ratus ribu"},
	{2500000, "dua juta lima ratus ribu"},
	{10000000, "sepuluh juta"},
	{11000000, "sebelas juta"},
	{111000000, "seratus sebelas juta"},
	{1000000000, "satu miliar"},
	{1000001000, "satu miliar seribu"},
	{1001001001, "satu miliar satu juta seribu satu"},
	{1250000000, "satu miliar dua ratus lima puluh juta"},
	{36000000000, "tiga puluh enam miliar"},
	{395000000000, "tiga ratus sembilan puluh lima miliar"},
	{750000000000, "tujuh ratus lima puluh miliar"},
	{1000000000000, "satu triliun"},
	{1000000000001, "satu triliun satu"},
	{1000000001000, "satu triliun seribu"},
	{123456789012345, "seratus dua puluh tiga triliun empat ratus lima puluh enam miliar " +
		"tujuh ratus delapan puluh sembilan juta dua belas ribu tiga ratus empat puluh lima"},
	{999999999999999, "sembilan ratus sembilan puluh sembilan triliun " +
		"sembilan ratus sembilan puluh sembilan miliar sembilan ratus sembilan puluh sembilan juta " +
		"sembilan ratus sembilan puluh sembilan ribu sembilan ratus sembilan puluh sembilan"},
	// Beyond MaxMoney and below zero Terbilang still answers, so nothing can make a document fail.
	{1000000000000000, "satu kuadriliun"},
	{1000000000000000000, "satu kuintiliun"},
	{-5000, "minus lima ribu"},
	{math.MaxInt64, "sembilan kuintiliun dua ratus dua puluh tiga kuadriliun " +
		"tiga ratus tujuh puluh dua triliun tiga puluh enam miliar delapan ratus lima puluh empat juta " +
		"tujuh ratus tujuh puluh lima ribu delapan ratus tujuh"},
	{math.MinInt64, "minus sembilan kuintiliun dua ratus dua puluh tiga kuadriliun " +
		"tiga ratus tujuh puluh dua triliun tiga puluh enam miliar delapan ratus lima puluh empat juta " +
		"tujuh ratus tujuh puluh lima ribu delapan ratus delapan"},
}

func TestTerbilang(t *testing.T) {
	for _, tc := range terbilangCases {
		if got := Terbilang(tc.n); got != tc.want {
			t.Errorf("Terbilang(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestParseTerbilang(t *testing.T) {
	for _, tc := range terbilangCases {
		got, err := ParseTerbilang(tc.want)
		if err != nil || got != tc.n {
			t.Errorf("ParseTerbilang(%q) = %d, %v, want %d", tc.want, got, err, tc.n)
		}
	}
	lenient := map[string]int64{
		"Satu  Miliar\tDua Ratus LIMA puluh juta": 1250000000,
		"  seribu ": 1000,
	}
	for s, want := range lenient {
		if got, err := ParseTerbilang(s); err != nil || got != want {
			t.Errorf("ParseTerbilang(%q) = %d, %v, want %d", s, got, err, want)
		}
	}
}

func TestParseTerbilangRejects(t *testing.T) {
	for _, s := range []string{
		"", "   ", "nol nol", "minus nol", "minus", "satu ratus", "satu ribu", "satu puluh",
		"satu belas", "sejuta", "se ribu", "dua ratus seribu", "seribu juta", "juta", "ribu",
		"satu juta juta", "dua juta tiga miliar", "dua satu", "puluh", "belas dua", "ratus",
		"lima puluh nol", "sepuluh satu", "dua puluh sepuluh", "seratus seratus", "sebelas ratus",
		"dua ribu seribu", "satu juta rupiah", "1000", "sepuluh kuintiliun",
		"sembilan ratus sembilan puluh sembilan kuintiliun",
		"sembilan kuintiliun dua ratus dua puluh tiga kuadriliun tiga ratus tujuh puluh dua triliun " +
			"tiga puluh enam miliar delapan ratus lima puluh empat juta tujuh ratus tujuh puluh lima " +
			"ribu delapan ratus delapan", // MaxInt64 + 1 without "minus"
		strings.Repeat("sembilan ratus ", 100),
	} {
		if got, err := ParseTerbilang(s); err == nil {
			t.Errorf("ParseTerbilang(%q) = %d, want an error", s, got)
		}
	}
}

func TestMoneySpelledProductExample(t *testing.T) {
	// PRODUCT.md §7 and DOCUMENTS.md write amounts exactly like this.
	const want = "Rp1.250.000.000,00 (satu miliar dua ratus lima puluh juta rupiah)"
	if got := Money(1250000000).Spelled(); got != want {
		t.Errorf("Money(1250000000).Spelled() = %q, want %q", got, want)
	}
}

func FuzzTerbilang(f *testing.F) {
	for _, tc := range terbilangCases {
		f.Add(tc.n)
	}
	f.Fuzz(func(t *testing.T, n int64) {
		s := Terbilang(n)
		if s == "" || strings.TrimSpace(s) != s || strings.Contains(s, "  ") {
			t.Fatalf("Terbilang(%d) = %q: empty, or stray spaces", n, s)
		}
		if strings.Trim(s, "abcdefghijklmnopqrstuvwxyz ") != "" {
			t.Fatalf("Terbilang(%d) = %q: not only lower-case words", n, s)
		}
		got, err := ParseTerbilang(s)
		if err != nil || got != n {
			t.Fatalf("ParseTerbilang(Terbilang(%d) = %q) = %d, %v", n, s, got, err)
		}
	})
}
