package dak

import (
	"testing"
	"time"
)

func TestFormatDate(t *testing.T) {
	for _, tc := range []struct {
		t                    time.Time
		date, dateTime, time string
	}{
		{time.Date(2023, 6, 7, 14, 5, 0, 0, WIB), "7 Juni 2023", "7 Juni 2023 pukul 14.05 WIB", "14.05 WIB"},
		// 17.30 UTC is already 00.30 the next day in Jakarta; the letter bears that date.
		{time.Date(2023, 6, 6, 17, 30, 0, 0, time.UTC), "7 Juni 2023", "7 Juni 2023 pukul 00.30 WIB", "00.30 WIB"},
		{time.Date(2026, 11, 22, 9, 3, 59, 999, WIB), "22 November 2026", "22 November 2026 pukul 09.03 WIB", "09.03 WIB"},
		{time.Date(2026, 12, 31, 23, 59, 0, 0, WIB), "31 Desember 2026", "31 Desember 2026 pukul 23.59 WIB", "23.59 WIB"},
		{time.Date(2026, 12, 31, 17, 0, 0, 0, time.UTC), "1 Januari 2027", "1 Januari 2027 pukul 00.00 WIB", "00.00 WIB"},
	} {
		if got := FormatDate(tc.t); got != tc.date {
			t.Errorf("FormatDate(%v) = %q, want %q", tc.t, got, tc.date)
		}
		if got := FormatDateTime(tc.t); got != tc.dateTime {
			t.Errorf("FormatDateTime(%v) = %q, want %q", tc.t, got, tc.dateTime)
		}
		if got := FormatTime(tc.t); got != tc.time {
			t.Errorf("FormatTime(%v) = %q, want %q", tc.t, got, tc.time)
		}
	}
}

func TestMonths(t *testing.T) {
	names := []string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
		"September", "Oktober", "November", "Desember"}
	roman := []string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}
	two := []string{"01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"}
	for i := range 12 {
		d := time.Date(2027, time.Month(i+1), 1, 0, 0, 0, 0, WIB)
		if got, want := FormatDate(d), "1 "+names[i]+" 2027"; got != want {
			t.Errorf("FormatDate(%v) = %q, want %q", d, got, want)
		}
		if got := RomanMonth(d); got != roman[i] {
			t.Errorf("RomanMonth(%v) = %q, want %q", d, got, roman[i])
		}
		if got := Month2(d); got != two[i] {
			t.Errorf("Month2(%v) = %q, want %q", d, got, two[i])
		}
	}
	// The last evening of March in UTC is April in Jakarta.
	if d := time.Date(2027, 3, 31, 20, 0, 0, 0, time.UTC); RomanMonth(d) != "IV" || Month2(d) != "04" {
		t.Errorf("RomanMonth, Month2(%v) = %q, %q, want IV, 04", d, RomanMonth(d), Month2(d))
	}
}

func TestDayName(t *testing.T) {
	want := []string{"Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"}
	monday := time.Date(2024, 1, 1, 12, 0, 0, 0, WIB) // 1 January 2024 was a Monday
	for i, name := range want {
		d := monday.AddDate(0, 0, i)
		if got := DayName(d); got != name {
			t.Errorf("DayName(%v) = %q, want %q", d, got, name)
		}
	}
	if got := DayName(time.Date(2023, 6, 6, 17, 30, 0, 0, time.UTC)); got != "Rabu" {
		t.Errorf("DayName(6 June 2023 17.30 UTC) = %q, want Rabu (7 June in WIB)", got)
	}
}

func TestParseDate(t *testing.T) {
	got, err := ParseDate("2027-03-31")
	want := time.Date(2027, 3, 31, 0, 0, 0, 0, WIB)
	if err != nil || !got.Equal(want) || got.Location() != WIB {
		t.Errorf("ParseDate(2027-03-31) = %v, %v, want %v", got, err, want)
	}
	if got.UTC() != time.Date(2027, 3, 30, 17, 0, 0, 0, time.UTC) {
		t.Errorf("ParseDate(2027-03-31).UTC() = %v, want 2027-03-30 17:00 UTC", got.UTC())
	}
	if got, err := ParseDate("2028-02-29"); err != nil || FormatDate(got) != "29 Februari 2028" {
		t.Errorf("ParseDate(2028-02-29) = %v, %v, want the leap day", got, err)
	}
	for _, s := range []string{
		"", "2027-3-31", "2027-03-1", "31-03-2027", "31/03/2027", "2027-02-30", "2027-02-29", "2027-13-01",
		"2027-00-10", "27-03-31", " 2027-03-31", "2027-03-31 ", "2027-03-31T00:00:00Z", "31 Maret 2027",
	} {
		if got, err := ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q) = %v, want an error", s, got)
		}
	}
}

func TestDateWords(t *testing.T) {
	for in, want := range map[string]string{"2026-12-01": "1 Desember 2026", "2027-03-31": "31 Maret 2027", "bukan tanggal": "bukan tanggal"} {
		if got := DateWords(in); got != want {
			t.Errorf("DateWords(%q) = %q, want %q", in, got, want)
		}
	}
}
