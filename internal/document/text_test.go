package document

import (
	"errors"
	"strings"
	"testing"

	"dakflow/internal/dak"
)

func TestCheckText(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"Rp1.250.000.000,00 (satu miliar dua ratus lima puluh juta rupiah)", true},
		{"Kafé Nusantara — mutu ekspor", true},
		{"8–10 IKM · luas 300 m² · € 5", true},
		{"Surat \u201cresmi\u201d", true},
		{"baris\nbaru\tdan tab", true},
		{"漢字", false},
		{"Sentra 🧵 Tapis", false},
		{"nul\x00", false},
		{"Ω", false},
		{string([]byte{0xff, 0xfe}), false},
	}
	for _, tt := range tests {
		err := CheckText(tt.in)
		if (err == nil) != tt.ok {
			t.Errorf("CheckText(%q) = %v, want ok=%v", tt.in, err, tt.ok)
		}
		if err != nil && !errors.Is(err, dak.ErrInvalid) {
			t.Errorf("CheckText(%q) = %v, want a dak.ErrInvalid error", tt.in, err)
		}
	}
	if err := CheckText("漢字"); err == nil || !strings.Contains(err.Error(), "U+6F22") {
		t.Errorf("CheckText(漢字) = %v, want it to name U+6F22", err)
	}
}

func TestToCP1252(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"abc", "abc", true},
		{"é–€", "\xe9\x96\x80", true},
		{"a\nb", "a b", true},
		{"a漢", "a?", false},
	}
	for _, tt := range tests {
		got, ok := toCP1252(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("toCP1252(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestSqueeze(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"a b", "a b"},
		{"  a \n\t b  ", "a b"},
		{"a  b", "a b"},
	}
	for _, tt := range tests {
		if got := squeeze(tt.in); got != tt.want {
			t.Errorf("squeeze(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHeadOfRegion(t *testing.T) {
	tests := []struct {
		p              Proposal
		head, governor string
	}{
		{Proposal{RegionName: "Kota Bandar Lampung", ProvinceName: "Lampung"}, "Wali Kota Bandar Lampung", "Gubernur Lampung"},
		{Proposal{RegionName: "Kabupaten Konawe Selatan", ProvinceName: "Provinsi Sulawesi Tenggara"}, "Bupati Konawe Selatan", "Gubernur Sulawesi Tenggara"},
		{Proposal{RegionName: "Provinsi Lampung", IsProvince: true, ProvinceName: "Lampung"}, "Gubernur Lampung", ""},
		{Proposal{RegionName: "Lampung", IsProvince: true}, "Gubernur Lampung", ""},
		{Proposal{RegionName: "Kota Makassar", HeadOfRegion: "Wali Kota Makassar"}, "Wali Kota Makassar", ""},
		{Proposal{}, "", ""},
	}
	for _, tt := range tests {
		if got := headOfRegion(tt.p); got != tt.head {
			t.Errorf("headOfRegion(%q) = %q, want %q", tt.p.RegionName, got, tt.head)
		}
		if got := governor(tt.p); got != tt.governor {
			t.Errorf("governor(%q) = %q, want %q", tt.p.RegionName, got, tt.governor)
		}
	}
}

func TestFormatters(t *testing.T) {
	tests := []struct{ got, want string }{
		{roman(1), "I"}, {roman(3), "III"}, {roman(14), "XIV"}, {roman(0), "0"},
		{num(0), "0"}, {num(999), "999"}, {num(1250), "1.250"}, {num(-1234567), "-1.234.567"},
		{size(980), "980 B"}, {size(88_412), "86 KB"}, {size(1_032_876), "1.009 KB"}, {size(3_145_728), "3 MB"}, {size(1_254_901), "1,2 MB"},
		{count(15), "15 (lima belas)"},
		{join(", ", "a", " ", "b", ""), "a, b"},
		{dash(""), "-"}, {dash("x"), "x"},
	}
	for i, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("#%d = %q, want %q", i, tt.got, tt.want)
		}
	}
}
