package dak

import (
	"testing"
	"time"
)

// FuzzParseFormDate: whatever ParseFormDate accepts is a WIB midnight of a
// four-digit year that reads back the same from each way the pages write
// or accept it (words, day-month-year, ISO, the preview with its day
// name), and agrees with ParseDate on ISO; whatever ParseDate accepts of a
// four-digit year, ParseFormDate accepts too. ParseFormDateTime, fed the
// same input, never panics and gives back a minute of the same day. A
// refused input gets an error that quotes at most a clipped piece of it.
func FuzzParseFormDate(f *testing.F) {
	for _, s := range []string{"31-03-2027", "31/03/2027", "31 Maret 2027", "31 mar 2027", "17 Agu 2027", "17 Agt 2027",
		"2027-03-31", "Rabu, 31 Maret 2027", "31-02-2027", "31-03-27", "29 Februari 2028", "0-0-0000", "31 Maret 2027 23.59",
		"31-03-2027 23:59", "2027-03-31T23:59", "31 Maret 2027 pukul 23.59 WIB", "1-1-1000", "31-12-9999", "\xff", "", " - - "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if iso, err := ParseDate(s); err == nil && iso.Year() >= 1000 {
			if got, err := ParseFormDate(s); err != nil || !got.Equal(iso) {
				t.Fatalf("ParseFormDate(%q) = %v, %v; ParseDate accepts it as %v", s, got, err, iso)
			}
		}
		if at, err := ParseFormDateTime(s); err != nil {
			checkClippedError(t, "ParseFormDateTime", s, err)
		} else if at.Location() != WIB || at.Second() != 0 || at.Nanosecond() != 0 {
			t.Fatalf("ParseFormDateTime(%q) = %v, want a whole minute in WIB", s, at)
		} else if day, err := ParseFormDate(FormatDate(at)); err != nil || at.Sub(day) < 0 || at.Sub(day) >= 24*time.Hour {
			t.Fatalf("ParseFormDateTime(%q) = %v, not within its day %v (%v)", s, at, day, err)
		}
		d, err := ParseFormDate(s)
		if err != nil {
			checkClippedError(t, "ParseFormDate", s, err)
			return
		}
		if d.Location() != WIB || d.Hour() != 0 || d.Minute() != 0 || d.Second() != 0 || d.Nanosecond() != 0 ||
			d.Year() < 1000 || d.Year() > 9999 {
			t.Fatalf("ParseFormDate(%q) = %v, want a WIB midnight of a four-digit year", s, d)
		}
		for _, back := range []string{FormatDate(d), d.Format("02-01-2006"), d.Format("2/1/2006"), d.Format(time.DateOnly),
			DayName(d) + ", " + FormatDate(d)} {
			if got, err := ParseFormDate(back); err != nil || !got.Equal(d) {
				t.Fatalf("ParseFormDate(%q) = %v; %q reads back as %v, %v", s, d, back, got, err)
			}
		}
		if iso, err := ParseDate(d.Format(time.DateOnly)); err != nil || !iso.Equal(d) {
			t.Fatalf("ParseFormDate(%q) = %v, but ParseDate of its ISO form = %v, %v", s, d, iso, err)
		}
	})
}
