package dak

import (
	"fmt"
	"strings"
	"time"
)

// Dates as officers type them into the pages (issue 12): "31-03-2027",
// "31/03/2027", "31 Maret 2027", "31 Mar 2027" or ISO "2027-03-31". The
// API keeps to ParseDate's YYYY-MM-DD; only the pages' form handlers read
// dates through ParseFormDate. templates/pages/static/app.js mirrors it for
// the preview in words; the server decides.

// FormDateHint is shown under every date field of the pages and ends every
// error of ParseFormDate.
const FormDateHint = "contoh: 31 Maret 2027 atau 31-03-2027"

// FormDateTimeHint is FormDateHint for a date with its hour (the calendar's
// deadlines), in WIB.
const FormDateTimeHint = "contoh: 31 Maret 2027 23.59 atau 31-03-2027 23:59 (WIB)"

// maxFormDate bounds what ParseFormDate looks at: "Minggu, 30 September 2027
// pukul 23.59 WIB" is 42 characters.
const maxFormDate = 64

// formMonths are the month names and their usual short forms, lower case,
// with the older spellings still seen in letters (Pebruari, Nopember).
var formMonths = map[string]time.Month{
	"januari": 1, "jan": 1, "februari": 2, "feb": 2, "pebruari": 2, "peb": 2, "maret": 3, "mar": 3,
	"april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
	"agustus": 8, "agu": 8, "agt": 8, "ags": 8, "september": 9, "sep": 9, "sept": 9,
	"oktober": 10, "okt": 10, "november": 11, "nov": 11, "nopember": 11, "nop": 11, "desember": 12, "des": 12,
}

// formDays are the day names a date may start with ("Rabu, 31 Maret
// 2027", as the pages' preview writes it), lower case.
var formDays = map[string]time.Weekday{
	"minggu": time.Sunday, "senin": time.Monday, "selasa": time.Tuesday, "rabu": time.Wednesday,
	"kamis": time.Thursday, "jumat": time.Friday, "jum'at": time.Friday, "sabtu": time.Saturday,
}

// ParseFormDate reads a date as a page's form carries it: day, month and
// year as "31-03-2027" or "31/03/2027" (day and month of one or two
// digits), "31 Maret 2027" (the month's Indonesian name or its short form
// — Mar, Agu, Agt, Okt, Des — in any case), or ISO "2027-03-31"; a leading
// day name ("Rabu, 31 Maret 2027") must be that date's. The year is
// written in full, four digits: "31-03-27" is refused rather than
// guessed. Impossible dates (31-02-2027) are refused. It returns midnight
// at the start of the day in WIB, as ParseDate does; each error says what
// is wrong in Indonesian and ends with FormDateHint.
func ParseFormDate(s string) (time.Time, error) {
	t, problem := parseFormDate(s)
	if problem != "" {
		return time.Time{}, fmt.Errorf("%s; %s", problem, FormDateHint)
	}
	return t, nil
}

// parseFormDate is ParseFormDate with the problem, if any, in words.
func parseFormDate(s string) (time.Time, string) {
	if len(s) > maxFormDate {
		return time.Time{}, "tanggal terlalu panjang"
	}
	f := strings.Fields(strings.ToLower(strings.TrimSpace(s)))
	if len(f) == 0 {
		return time.Time{}, "tanggal kosong"
	}
	day, named := time.Weekday(0), false
	if w, ok := formDays[strings.TrimSuffix(f[0], ",")]; ok {
		day, named, f = w, true, f[1:]
	}
	var y, m, d string
	var month time.Month
	switch {
	case len(f) == 3: // 31 Maret 2027
		d, y = f[0], f[2]
		name := strings.TrimSuffix(f[1], ".")
		month = formMonths[name]
		if month == 0 {
			return time.Time{}, fmt.Sprintf("bulan %s tidak dikenal", clipForError(f[1]))
		}
	case len(f) == 1 && strings.Count(f[0], "-") == 2 && isDigits(f[0][:strings.IndexByte(f[0], '-')], 4, 4):
		y, m, d = splitDate(f[0], '-') // 2027-03-31
	case len(f) == 1 && strings.Count(f[0], "-") == 2:
		d, m, y = splitDate(f[0], '-') // 31-03-2027
	case len(f) == 1 && strings.Count(f[0], "/") == 2:
		d, m, y = splitDate(f[0], '/') // 31/03/2027
	default:
		return time.Time{}, fmt.Sprintf("%s tidak dikenali sebagai tanggal", clipForError(strings.TrimSpace(s)))
	}
	if !isDigits(d, 1, 2) || month == 0 && !isDigits(m, 1, 2) || !isDigits(y, 1, 4) {
		return time.Time{}, fmt.Sprintf("%s tidak dikenali sebagai tanggal", clipForError(strings.TrimSpace(s)))
	}
	if len(y) != 4 || y[0] == '0' {
		return time.Time{}, "tahun ditulis lengkap dengan empat angka (2027, bukan 27)"
	}
	if month == 0 {
		n := atoi(m)
		if n < 1 || n > 12 {
			return time.Time{}, fmt.Sprintf("bulan %s tidak ada (bulan 1 sampai 12)", m)
		}
		month = time.Month(n)
	}
	year, dd := atoi(y), atoi(d)
	last := time.Date(year, month+1, 0, 0, 0, 0, 0, WIB).Day()
	if dd < 1 || dd > last {
		return time.Time{}, fmt.Sprintf("tanggal %d %s %d tidak ada: %s %d hanya sampai tanggal %d",
			dd, indonesianMonths[month-1], year, indonesianMonths[month-1], year, last)
	}
	t := time.Date(year, month, dd, 0, 0, 0, 0, WIB)
	if named && t.Weekday() != day {
		return time.Time{}, fmt.Sprintf("%s jatuh pada hari %s, bukan %s",
			FormatDate(t), indonesianDays[t.Weekday()], indonesianDays[day])
	}
	return t, ""
}

// ParseFormDateTime reads a date and its hour as a page's form carries
// them, in WIB: the date as ParseFormDate reads it, then the time as
// "23.59" or "23:59", optionally after "pukul" or "jam" and followed by
// "WIB" ("31 Maret 2027 pukul 23.59 WIB"); or ISO "2027-03-31T23:59".
func ParseFormDateTime(s string) (time.Time, error) {
	t, problem := parseFormDateTime(s)
	if problem != "" {
		return time.Time{}, fmt.Errorf("%s; %s", problem, FormDateTimeHint)
	}
	return t, nil
}

func parseFormDateTime(s string) (time.Time, string) {
	if len(s) > maxFormDate {
		return time.Time{}, "tanggal dan jam terlalu panjang"
	}
	f := strings.Fields(strings.ToLower(strings.TrimSpace(s)))
	if n := len(f); n > 0 && f[n-1] == "wib" {
		f = f[:n-1]
	}
	if len(f) == 1 { // 2027-03-31T23:59
		if date, clock, ok := strings.Cut(f[0], "t"); ok && len(date) >= 4 && isDigits(date[:4], 4, 4) {
			f = []string{date, clock}
		}
	}
	switch len(f) {
	case 0:
		return time.Time{}, "tanggal dan jam kosong"
	case 1:
		return time.Time{}, "tulis tanggal beserta jamnya"
	}
	clock, date := f[len(f)-1], f[:len(f)-1]
	if n := len(date); n > 1 && (date[n-1] == "pukul" || date[n-1] == "jam") {
		date = date[:n-1]
	}
	h, mm, ok := strings.Cut(clock, ".")
	if !ok {
		h, mm, ok = strings.Cut(clock, ":")
	}
	if !ok || !isDigits(h, 1, 2) || !isDigits(mm, 2, 2) || atoi(h) > 23 || atoi(mm) > 59 {
		if _, problem := parseFormDate(strings.Join(f, " ")); problem == "" {
			return time.Time{}, "tulis juga jamnya"
		}
		return time.Time{}, fmt.Sprintf("jam %s tidak dikenali (00.00 sampai 23.59)", clipForError(clock))
	}
	day, problem := parseFormDate(strings.Join(date, " "))
	if problem != "" {
		return time.Time{}, problem
	}
	return day.Add(time.Duration(atoi(h))*time.Hour + time.Duration(atoi(mm))*time.Minute), ""
}

// splitDate splits "a-b-c" at sep.
func splitDate(s string, sep byte) (a, b, c string) {
	a, rest, _ := strings.Cut(s, string(sep))
	b, c, _ = strings.Cut(rest, string(sep))
	return a, b, c
}

// isDigits reports whether s is min to max ASCII digits.
func isDigits(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// atoi is the value of a string isDigits accepted.
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
