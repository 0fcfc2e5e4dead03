package document

import (
	"fmt"
	"strconv"
	"strings"
	"text/template"
	"time"

	"dakflow/internal/dak"
)

// funcs are the helpers templates may call, besides the methods of dak.Money
// (String, Figures, Words, Spelled) and dak.Percent (String, Words, Spelled):
//
//	date, datetime, clock  Indonesian date / date and time WIB / time WIB; "-" when zero
//	roman                  3 → "III"
//	count                  15 → "15 (lima belas)"
//	words                  15 → "lima belas"
//	num                    1250 → "1.250"
//	menu                   "revitalisasi" → "Revitalisasi Sentra IKM"
//	category, attachment   a code → its label (a label passes through)
//	headOfRegion, governor the addressee and the governor of a Proposal
//	office                 "Kepala Dinas Perindustrian Kota X" → "Dinas Perindustrian Kota X"
//	size                   bytes → "245 KB", "1,2 MB"
//	short                  the first 12 characters (of a SHA-256)
//	dash                   "" → "-"
//	upper                  upper case
//	day                    the day's name, "Senin"
//	sub, abs               a − b and |a| of amounts
//	sumLines               the total of RAB or RK lines
//	join                   join SEP PARTS… — the non-empty parts
//	sentence               a stated reason as the end of a sentence: trimmed,
//	                       with a full stop unless it ends in . ! or ?
var funcs = template.FuncMap{
	"date":         func(t time.Time) string { return orDash(t, dak.FormatDate) },
	"datetime":     func(t time.Time) string { return orDash(t, dak.FormatDateTime) },
	"clock":        func(t time.Time) string { return orDash(t, dak.FormatTime) },
	"roman":        roman,
	"count":        func(v any) (string, error) { return withInt(v, count) },
	"words":        func(v any) (string, error) { return withInt(v, dak.Terbilang) },
	"num":          func(v any) (string, error) { return withInt(v, num) },
	"menu":         func(m string) string { return dak.Menu(m).Label() },
	"category":     func(c string) string { return label(dak.Categories, c) },
	"attachment":   func(k string) string { return label(dak.AttachmentKinds, k) },
	"headOfRegion": headOfRegion,
	"governor":     governor,
	"office":       office,
	"size":         size,
	"short":        func(s string) string { return s[:min(12, len(s))] },
	"dash":         dash,
	"upper":        strings.ToUpper,
	"day":          func(t time.Time) string { return orDash(t, dak.DayName) },
	"sub":          func(a, b dak.Money) dak.Money { return a - b },
	"abs": func(m dak.Money) dak.Money {
		if m < 0 {
			return -m
		}
		return m
	},
	"sumLines": func(lines []Line) dak.Money { _, sum := lineRows(lines); return sum },
	"join":     join,
	"sentence": sentence,
}

// sentence ends a stated reason (an official's own words) with a full stop
// unless it already ends a sentence.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.HasSuffix(s, ".") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?") {
		return s
	}
	return s + "."
}

// join joins the non-empty parts with sep.
func join(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}

// withInt lets templates pass any integer field (int, int64) to f.
func withInt(v any, f func(int64) string) (string, error) {
	switch n := v.(type) {
	case int:
		return f(int64(n)), nil
	case int64:
		return f(n), nil
	case dak.Money:
		return f(int64(n)), nil
	}
	return "", fmt.Errorf("%v (%T) is not an integer", v, v)
}

func count(n int64) string { return num(n) + " (" + dak.Terbilang(n) + ")" }

func orDash(t time.Time, format func(time.Time) string) string {
	if t.IsZero() {
		return "-"
	}
	return format(t)
}

func dash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "-"
	}
	return s
}

func label(labels map[string]string, code string) string {
	if l, ok := labels[code]; ok {
		return l
	}
	return code
}

// num writes an integer with dots between thousands, as Indonesian does.
func num(n int64) string {
	if n < 0 {
		return "-" + num(-n)
	}
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// roman writes a stage number the way stages are named: Tahap I, II, III.
func roman(n int) string {
	if n <= 0 || n >= 4000 {
		return strconv.Itoa(n)
	}
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}

// size writes a file size in Indonesian notation: "980 B", "1.009 KB", "1,2 MB".
func size(n int64) string {
	switch {
	case n < 1024:
		return strconv.FormatInt(n, 10) + " B"
	case n < 1024*1024:
		return num((n+512)/1024) + " KB"
	}
	tenths := (n*10 + 512*1024) / (1024 * 1024)
	s := strconv.FormatInt(tenths/10, 10)
	if d := tenths % 10; d != 0 {
		s += "," + strconv.FormatInt(d, 10)
	}
	return s + " MB"
}

// headOfRegion is the addressee of a letter to the proposing region
// (DOCUMENTS.md): Kabupaten → Bupati, Kota → Wali Kota, province → Gubernur.
func headOfRegion(p Proposal) string {
	if p.HeadOfRegion != "" {
		return p.HeadOfRegion
	}
	name := strings.TrimSpace(p.RegionName)
	switch {
	case strings.HasPrefix(name, "Kabupaten "):
		return "Bupati " + strings.TrimPrefix(name, "Kabupaten ")
	case strings.HasPrefix(name, "Kab. "):
		return "Bupati " + strings.TrimPrefix(name, "Kab. ")
	case strings.HasPrefix(name, "Kota "):
		return "Wali Kota " + strings.TrimPrefix(name, "Kota ")
	case strings.HasPrefix(name, "Provinsi "):
		return "Gubernur " + strings.TrimPrefix(name, "Provinsi ")
	case p.IsProvince && name != "":
		return "Gubernur " + name
	}
	return name
}

// office is the office a head leads, from the head's position: "Kepala
// Dinas Perindustrian Kota Bandar Lampung" → "Dinas Perindustrian Kota Bandar
// Lampung"; "" when the position heads no Dinas or Badan, so that a
// pemda's heading never names an office it only guessed.
func office(position string) string {
	rest, ok := strings.CutPrefix(strings.TrimSpace(position), "Kepala ")
	if ok && (strings.HasPrefix(rest, "Dinas ") || strings.HasPrefix(rest, "Badan ")) {
		return rest
	}
	return ""
}

// governor is the governor of the proposing region's province, "" when the
// province is unknown or the region is the province itself.
func governor(p Proposal) string {
	prov := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(p.ProvinceName), "Provinsi "))
	if p.IsProvince || prov == "" {
		return ""
	}
	return "Gubernur " + prov
}
