package dak

import (
	"strings"
	"testing"
	"time"
)

// TestParseFormDate: every way the pages accept a date gives the same WIB
// midnight; impossible dates, two-digit years and unknown months are
// refused with the hint.
func TestParseFormDate(t *testing.T) {
	want := time.Date(2027, 3, 31, 0, 0, 0, 0, WIB)
	for _, s := range []string{"31-03-2027", "31/03/2027", "31 Maret 2027", "31 maret 2027", "31 MARET 2027",
		"31 Mar 2027", "31 mar. 2027", "2027-03-31", "  31   Maret  2027 ", "Rabu, 31 Maret 2027", "rabu 31-03-2027"} {
		got, err := ParseFormDate(s)
		if err != nil || !got.Equal(want) || got.Location() != WIB {
			t.Errorf("ParseFormDate(%q) = %v, %v, want %v", s, got, err, want)
		}
	}
	for _, tc := range []struct {
		in   string
		want time.Time
	}{
		{"1-3-2027", time.Date(2027, 3, 1, 0, 0, 0, 0, WIB)},
		{"01/03/2027", time.Date(2027, 3, 1, 0, 0, 0, 0, WIB)},
		{"2027-3-1", time.Date(2027, 3, 1, 0, 0, 0, 0, WIB)},
		{"17 Agustus 2027", time.Date(2027, 8, 17, 0, 0, 0, 0, WIB)},
		{"17 Agu 2027", time.Date(2027, 8, 17, 0, 0, 0, 0, WIB)},
		{"17 Agt 2027", time.Date(2027, 8, 17, 0, 0, 0, 0, WIB)},
		{"17 agt 2027", time.Date(2027, 8, 17, 0, 0, 0, 0, WIB)},
		{"1 Jan 2027", time.Date(2027, 1, 1, 0, 0, 0, 0, WIB)},
		{"29 Februari 2028", time.Date(2028, 2, 29, 0, 0, 0, 0, WIB)},
		{"29 Peb 2028", time.Date(2028, 2, 29, 0, 0, 0, 0, WIB)},
		{"7 Mei 2027", time.Date(2027, 5, 7, 0, 0, 0, 0, WIB)},
		{"30 Jun 2027", time.Date(2027, 6, 30, 0, 0, 0, 0, WIB)},
		{"31 Jul 2027", time.Date(2027, 7, 31, 0, 0, 0, 0, WIB)},
		{"30 Sep 2027", time.Date(2027, 9, 30, 0, 0, 0, 0, WIB)},
		{"30 Sept 2027", time.Date(2027, 9, 30, 0, 0, 0, 0, WIB)},
		{"31 Okt 2027", time.Date(2027, 10, 31, 0, 0, 0, 0, WIB)},
		{"10 Nopember 2027", time.Date(2027, 11, 10, 0, 0, 0, 0, WIB)},
		{"31 Des 2027", time.Date(2027, 12, 31, 0, 0, 0, 0, WIB)},
		{"Jumat, 17 Agustus 2029", time.Date(2029, 8, 17, 0, 0, 0, 0, WIB)},
	} {
		if got, err := ParseFormDate(tc.in); err != nil || !got.Equal(tc.want) {
			t.Errorf("ParseFormDate(%q) = %v, %v, want %v", tc.in, got, err, tc.want)
		}
	}
	for _, tc := range []struct{ in, says string }{
		{"31-02-2027", "Februari 2027 hanya sampai tanggal 28"},
		{"29 Februari 2027", "hanya sampai tanggal 28"},
		{"31 April 2027", "April 2027 hanya sampai tanggal 30"},
		{"2027-02-30", "hanya sampai tanggal 28"},
		{"0-03-2027", "tidak ada"},
		{"31-13-2027", "bulan 13 tidak ada"},
		{"31-00-2027", "bulan 00 tidak ada"},
		{"31-03-27", "empat angka"},
		{"31/03/27", "empat angka"},
		{"31 Maret 27", "empat angka"},
		{"31 Maret 0027", "empat angka"},
		{"31 Maret 20270", "tidak dikenali"},
		{"31 Mrt 2027", `bulan "mrt" tidak dikenal`},
		{"31 March 2027", "tidak dikenal"},
		{"31-03/2027", "tidak dikenali"},
		{"2027/03/31", "tidak dikenali"},
		{"03/31/2027", "bulan 31 tidak ada"},
		{"31.03.2027", "tidak dikenali"},
		{"Senin, 31 Maret 2027", "jatuh pada hari Rabu, bukan Senin"},
		{"besok", "tidak dikenali"},
		{"+1-03-2027", "tidak dikenali"},
		{"31-03-2027 23:59", "tidak dikenali"},
		{"", "kosong"},
		{strings.Repeat("1", 100), "terlalu panjang"},
	} {
		_, err := ParseFormDate(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.says) || !strings.HasSuffix(err.Error(), FormDateHint) {
			t.Errorf("ParseFormDate(%q) error = %v, want one saying %q and ending with the hint", tc.in, err, tc.says)
		}
	}
}

// TestParseFormDateTime: the calendar's deadlines with their hour.
func TestParseFormDateTime(t *testing.T) {
	want := time.Date(2027, 3, 31, 23, 59, 0, 0, WIB)
	for _, s := range []string{"31 Maret 2027 23.59", "31-03-2027 23:59", "31/03/2027 23.59", "2027-03-31T23:59",
		"2027-03-31 23:59", "31 Maret 2027 pukul 23.59 WIB", "Rabu, 31 Maret 2027 pukul 23.59", "31 mar 2027 jam 23:59 wib"} {
		got, err := ParseFormDateTime(s)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseFormDateTime(%q) = %v, %v, want %v", s, got, err, want)
		}
	}
	if got, err := ParseFormDateTime("1-3-2027 7.05"); err != nil || !got.Equal(time.Date(2027, 3, 1, 7, 5, 0, 0, WIB)) {
		t.Errorf("ParseFormDateTime(1-3-2027 7.05) = %v, %v", got, err)
	}
	for _, tc := range []struct{ in, says string }{
		{"31 Maret 2027", "tulis juga jamnya"},
		{"31 Maret 2027 24.00", "jam"},
		{"31 Maret 2027 23.5", "jam"},
		{"31 Maret 2027 23.60", "jam"},
		{"31-02-2027 10.00", "hanya sampai tanggal 28"},
		{"31-03-27 10.00", "empat angka"},
		{"23.59", "tulis tanggal beserta jamnya"},
		{"2027-03-31T23:59:00+07:00", "jam"},
		{"", "kosong"},
	} {
		_, err := ParseFormDateTime(tc.in)
		if err == nil || !strings.Contains(err.Error(), tc.says) || !strings.HasSuffix(err.Error(), FormDateTimeHint) {
			t.Errorf("ParseFormDateTime(%q) error = %v, want one saying %q and ending with the hint", tc.in, err, tc.says)
		}
	}
}
