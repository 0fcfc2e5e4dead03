package dak

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Money is an amount in whole rupiah. It is never a float: auditors reconcile every allocation,
// stage and transfer to the rupiah, and a binary fraction cannot even hold 0,1 exactly
// (PRODUCT.md §2). DAK Fisik amounts carry no sen, so whole rupiah lose nothing. The zero value is
// Rp0,00. Amounts that come from outside are parsed once, at the edge, by ParseMoney or
// UnmarshalJSON.
type Money int64

// MaxMoney is the largest amount dakflow accepts from outside: Rp999.999.999.999.999, the top of
// what Terbilang spells in triliun. The whole national DAK Fisik IKM pagu is under Rp1 triliun
// (PRODUCT.md §9), so anything larger is a typing error; staying far below the int64 limit also
// lets thousands of accepted amounts be summed without overflow.
const MaxMoney Money = 999_999_999_999_999

// ParseMoney parses an amount typed in a form or on the command line as plain decimal digits of
// whole rupiah ("1250000000"). It rejects signs, thousands separators, spaces, fractions and
// amounts above MaxMoney rather than guess, so that one accepted string means one amount; callers
// trim surrounding space first. Leading zeros are harmless here and accepted ("0500" is 500).
func ParseMoney(s string) (Money, error) {
	switch {
	case s == "":
		return 0, errors.New("nilai rupiah kosong: tulis rupiah bulat dengan angka, misalnya 1250000000")
	case s[0] == '-':
		return 0, fmt.Errorf("nilai rupiah %s tidak boleh negatif", clipForError(s))
	case !allDigits(s):
		return 0, fmt.Errorf("amount %s must be whole rupiah in digits only "+
			"(no Rp, dots, commas or spaces), e.g. 1250000000", clipForError(s))
	}
	u, ok := digitsValue(s, uint64(MaxMoney))
	if !ok {
		return 0, fmt.Errorf("nilai rupiah %s terlalu besar: paling banyak %s", clipForError(s), MaxMoney)
	}
	return Money(u), nil
}

// String formats m the way official letters write amounts: "Rp1.250.000.000,00", with dots
// between thousands and the ",00" sen that Indonesian finance documents always show. Negative
// amounts (differences, shortfalls) read "-Rp5.000,00".
func (m Money) String() string {
	return signPrefix(int64(m)) + "Rp" + groupThousands(magnitude(int64(m))) + ",00"
}

// Figures formats m for a table cell: "1.250.000.000", without "Rp" or ",00", because the
// column header already names the currency and right-aligned figures then line up.
func (m Money) Figures() string {
	return signPrefix(int64(m)) + groupThousands(magnitude(int64(m)))
}

// Words spells m as an official letter does inside the parentheses: "satu miliar dua ratus lima
// puluh juta rupiah"; 0 is "nol rupiah". Written words make an altered figure detectable.
func (m Money) Words() string {
	return Terbilang(int64(m)) + " rupiah"
}

// Spelled gives figures and words together, the form DOCUMENTS.md requires the first time an
// amount appears in a document: "Rp1.250.000.000,00 (satu miliar dua ratus lima puluh juta
// rupiah)".
func (m Money) Spelled() string {
	return m.String() + " (" + m.Words() + ")"
}

// MarshalJSON writes m as a bare JSON integer of rupiah (PRODUCT.md §6), never a string or a
// float, so clients and hashes see exactly the stored amount. Negative differences are written
// too, though UnmarshalJSON accepts only 0 to MaxMoney from clients.
func (m Money) MarshalJSON() ([]byte, error) {
	return strconv.AppendInt(nil, int64(m), 10), nil
}

// UnmarshalJSON accepts only a JSON integer from 0 to MaxMoney: no fraction (even "1.0"), no
// exponent, no string, no sign, no leading zeros, no null. It reads the raw digits and never goes
// through float64, which would silently round amounts above 2^53. An optional amount is declared
// as *Money: encoding/json then leaves it nil on null without calling this method.
func (m *Money) UnmarshalJSON(b []byte) error {
	whole, frac, err := splitJSONNumber("nilai rupiah", b)
	if err != nil {
		return err
	}
	if frac != "" {
		return fmt.Errorf("nilai rupiah harus bulat tanpa pecahan, diterima %s", clipForError(string(b)))
	}
	u, ok := digitsValue(whole, uint64(MaxMoney))
	if !ok {
		return fmt.Errorf("nilai rupiah %s terlalu besar: paling banyak %s", clipForError(whole), MaxMoney)
	}
	*m = Money(u)
	return nil
}

// splitJSONNumber checks that b is a JSON number literal without sign or exponent and returns the
// digits before and after its decimal point. what names the value in error messages.
func splitJSONNumber(what string, b []byte) (whole, frac string, err error) {
	s := strings.Trim(string(b), " \t\r\n")
	switch {
	case s == "":
		return "", "", fmt.Errorf("%s kosong: harus berupa angka JSON", what)
	case s == "null":
		return "", "", fmt.Errorf("%s wajib diisi: diterima null, harus berupa angka JSON", what)
	case s[0] == '"':
		return "", "", fmt.Errorf("%s harus berupa angka JSON, bukan teks: diterima %s", what, clipForError(s))
	case s[0] == '-':
		return "", "", fmt.Errorf("%s tidak boleh negatif: diterima %s", what, clipForError(s))
	}
	i := scanDigits(s, 0)
	whole = s[:i]
	if i < len(s) && s[i] == '.' {
		j := scanDigits(s, i+1)
		frac, i = s[i+1:j], j
		if frac == "" {
			return "", "", fmt.Errorf("%s harus berupa angka JSON: diterima %s", what, clipForError(s))
		}
	}
	if whole != "" && i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		return "", "", fmt.Errorf("%s harus ditulis tanpa eksponen: diterima %s", what, clipForError(s))
	}
	if whole == "" || i != len(s) {
		return "", "", fmt.Errorf("%s harus berupa angka JSON: diterima %s", what, clipForError(s))
	}
	if len(whole) > 1 && whole[0] == '0' {
		return "", "", fmt.Errorf("%s tidak boleh diawali nol: diterima %s", what, clipForError(s))
	}
	return whole, frac, nil
}

// scanDigits returns the index of the first non-digit in s at or after i.
func scanDigits(s string, i int) int {
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i
}

// allDigits reports whether s is non-empty and holds only the ASCII digits 0–9.
func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// digitsValue returns the value of the decimal digits s (see allDigits), or false if it exceeds
// limit. It never overflows, whatever the length of s.
func digitsValue(s string, limit uint64) (uint64, bool) {
	var v uint64
	for i := 0; i < len(s); i++ {
		d := uint64(s[i] - '0')
		if d > limit || v > (limit-d)/10 {
			return 0, false
		}
		v = v*10 + d
	}
	return v, true
}

// magnitude returns |n| as a uint64, exact even for math.MinInt64.
func magnitude(n int64) uint64 {
	if n < 0 {
		return uint64(-(n + 1)) + 1
	}
	return uint64(n)
}

// fromMagnitude returns u with the given sign, saturating at the int64 limits instead of wrapping.
func fromMagnitude(u uint64, negative bool) int64 {
	switch {
	case negative && u >= 1<<63:
		return math.MinInt64
	case negative:
		return -int64(u)
	case u > math.MaxInt64:
		return math.MaxInt64
	}
	return int64(u)
}

// signPrefix is "-" for negative n and "" otherwise.
func signPrefix(n int64) string {
	if n < 0 {
		return "-"
	}
	return ""
}

// groupThousands writes u with a dot between each group of three digits: 1250000 → "1.250.000".
func groupThousands(u uint64) string {
	digits := strconv.FormatUint(u, 10)
	var b strings.Builder
	for i := 0; i < len(digits); i++ {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteByte(digits[i])
	}
	return b.String()
}

// clipForError quotes s for an error message, cut short so a hostile 1 MB number stays readable.
func clipForError(s string) string {
	const limit = 40
	if len(s) > limit {
		return strconv.Quote(s[:limit]) + "…"
	}
	return strconv.Quote(s)
}
