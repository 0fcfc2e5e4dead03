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
