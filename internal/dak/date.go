package dak

import (
	"fmt"
	"strconv"
	"time"
)

// WIB is Waktu Indonesia Barat (UTC+7), Jakarta's zone, in which every official date and time is
// stated whatever the server's own zone (DOCUMENTS.md). Indonesia keeps no daylight saving, so a
// fixed zone is exact and works on machines without tzdata.
var WIB = time.FixedZone("WIB", 7*3600)

// indonesianMonths are the month names, index by time.Month-1.
var indonesianMonths = [12]string{
	"Januari", "Februari", "Maret", "April", "Mei", "Juni",
	"Juli", "Agustus", "September", "Oktober", "November", "Desember",
}

// indonesianDays are the day names, index by time.Weekday (Sunday is 0).
var indonesianDays = [7]string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"}

// romanMonths are the months in Roman numerals, index by time.Month-1.
var romanMonths = [12]string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}

// FormatDate writes the calendar day of t in WIB as official letters do: "7 Juni 2023", without a
// leading zero. A moment late in the evening UTC is already the next day in Jakarta, and that is
// the date the letter bears.
func FormatDate(t time.Time) string {
	t = t.In(WIB)
	return strconv.Itoa(t.Day()) + " " + indonesianMonths[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// DateWords is a stored YYYY-MM-DD date as FormatDate writes it, for
// messages ("1 Desember 2026"); anything else is returned as it is.
func DateWords(iso string) string {
	t, err := ParseDate(iso)
	if err != nil {
		return iso
	}
	return FormatDate(t)
}

// FormatDateTime writes date and time of t in WIB: "7 Juni 2023 pukul 14.05 WIB", the form of a
// receipt's "received at".
func FormatDateTime(t time.Time) string {
	return FormatDate(t) + " pukul " + FormatTime(t)
}

// FormatTime writes the time of day of t in WIB with the Indonesian dot between hours and
// minutes and the zone named, as Indonesian official writing does: "14.05 WIB", "09.30 WIB".
func FormatTime(t time.Time) string {
	t = t.In(WIB)
	return fmt.Sprintf("%02d.%02d WIB", t.Hour(), t.Minute())
}

// DayName returns the Indonesian name of the day of t in WIB, "Senin" … "Minggu", for minutes
// (berita acara) that open with "Pada hari ini, Rabu, tanggal …".
func DayName(t time.Time) string {
	return indonesianDays[t.In(WIB).Weekday()]
}

// ParseDate parses a date as the API and forms carry it, "2027-03-31" (ISO 8601, exactly two-digit
// month and day), and returns midnight at the start of that day in WIB, so that deadlines and
// decree dates mean the Jakarta calendar day. Impossible dates such as 2027-02-30 are rejected.
func ParseDate(s string) (time.Time, error) {
	t, err := time.ParseInLocation(time.DateOnly, s, WIB)
	if err != nil {
		return time.Time{}, fmt.Errorf("tanggal %s harus tanggal yang benar, ditulis "+DateHint,
			clipForError(s))
	}
	return t, nil
}

// Month2 returns the month of t in WIB as two digits, "03", for document numbers and file names.
func Month2(t time.Time) string {
	return fmt.Sprintf("%02d", int(t.In(WIB).Month()))
}

// RomanMonth returns the month of t in WIB in Roman numerals, "III", as Indonesian document
// numbers carry it (e.g. 123/IKM/III/2027).
func RomanMonth(t time.Time) string {
	return romanMonths[t.In(WIB).Month()-1]
}

// DateHint says in a message how a date is written in the API and the
// forms' fallback text fields, in words an officer reads, not a pattern.
const DateHint = "tahun-bulan-tanggal, misalnya 2027-03-31"
