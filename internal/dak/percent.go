package dak

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strconv"
	"strings"
)

// Percent is a percentage stored exactly in hundredths of a percent (basis points): 70,5% is 7050
// and 100% is 10000. Stage shares (25%, 45%) and the absorption and output thresholds (75%, 90%,
// 70%) are multiplied with rupiah and compared at their boundary, where a float's rounding would
// decide whether money is paid; PRODUCT.md §2 asks for exact storage, never a float.
type Percent int64

// hundredPercent is 100% in basis points.
const hundredPercent Percent = 10000

// ParsePercent parses a percentage typed in a form or a workflow file: "45", "70.5", or with the
// Indonesian decimal comma "80,5". It allows at most two decimals (the precision Percent stores)
// and rejects signs, exponents, spaces and a "%" sign rather than guess. It does not cap the value
// at 100, because a ratio such as absorption may exceed it; see Valid0to100.
func ParsePercent(s string) (Percent, error) {
	whole, frac, found := strings.Cut(s, ".")
	if !found {
		whole, frac, found = strings.Cut(s, ",")
	}
	switch {
	case s == "":
		return 0, errors.New("persentase kosong: tulis angka seperti 45, 70.5 atau 80,5")
	case s[0] == '-':
		return 0, fmt.Errorf("persentase %s tidak boleh negatif", clipForError(s))
	case !allDigits(whole) || found && !allDigits(frac):
		return 0, fmt.Errorf("persentase %s harus berupa angka seperti 45, 70.5 atau 80,5", clipForError(s))
	case len(frac) > 2:
		return 0, fmt.Errorf("persentase %s memiliki lebih dari dua desimal", clipForError(s))
	}
	p, ok := percentFromDigits(whole, frac)
	if !ok {
		return 0, fmt.Errorf("persentase %s terlalu besar", clipForError(s))
	}
	return p, nil
}

// percentFromDigits joins the digits before and after the decimal point (at most two) into basis
// points, or reports false if they do not fit.
func percentFromDigits(whole, frac string) (Percent, bool) {
	frac += strings.Repeat("0", 2-len(frac))
	u, ok := digitsValue(whole+frac, math.MaxInt64)
	return Percent(u), ok
}

// Valid0to100 returns an error unless p is between 0% and 100% inclusive, the range of a share
// of a whole such as a stage percentage or physical output.
func (p Percent) Valid0to100() error {
	if p < 0 || p > hundredPercent {
		return fmt.Errorf("persentase %s harus antara 0%% dan 100%%", p)
	}
	return nil
}

// String formats p as Indonesian documents do: a decimal comma and no trailing zeros, "45%",
// "43,4%", "70,25%", "0%".
func (p Percent) String() string {
	return p.decimal(",") + "%"
}

// Words spells p for the parentheses after the figure: "empat puluh tiga koma empat persen". The
// digits after the comma are read one by one, as Indonesians read decimals: 70,25% is "tujuh puluh
// koma dua lima persen" and 0,05% is "nol koma nol lima persen".
func (p Percent) Words() string {
	u := magnitude(int64(p))
	var b strings.Builder
	if p < 0 {
		b.WriteString("minus ")
	}
	b.WriteString(terbilangUint(u / 100))
	if frac := percentFraction(u); frac != "" {
		b.WriteString(" koma")
		for i := 0; i < len(frac); i++ {
			b.WriteString(" " + terbilangDigits[frac[i]-'0'])
		}
	}
	b.WriteString(" persen")
	return b.String()
}

// Spelled gives figure and words together, as DOCUMENTS.md requires: "45% (empat puluh lima
// persen)".
func (p Percent) Spelled() string {
	return p.String() + " (" + p.Words() + ")"
}

// MarshalJSON writes p as a JSON number of percent with at most two decimals: 7050 is 70.5, 4500
// is 45 (PRODUCT.md §6), written from the integer, never through a float.
func (p Percent) MarshalJSON() ([]byte, error) {
	return []byte(p.decimal(".")), nil
}

// UnmarshalJSON accepts a JSON number with at most two decimals ("70.5", "45", "70.25") and reads
// its digits exactly, never through float64, which cannot hold 70,1 exactly. It rejects strings,
// null, negative numbers, exponents, leading zeros and a third decimal (even "70.500"). An
// optional percentage is declared as *Percent: encoding/json leaves it nil on null.
func (p *Percent) UnmarshalJSON(b []byte) error {
	whole, frac, err := splitJSONNumber("persentase", b)
	if err != nil {
		return err
	}
	if len(frac) > 2 {
		return fmt.Errorf("persentase paling banyak dua desimal, diterima %s", clipForError(string(b)))
	}
	v, ok := percentFromDigits(whole, frac)
	if !ok {
		return fmt.Errorf("persentase %s terlalu besar", clipForError(string(b)))
	}
	*p = v
	return nil
}

// PercentOf returns part as a percentage of whole, rounded half-up to 0,01% (half away from zero
// for negative inputs): the absorption and output ratios that guards compare with thresholds. It
// computes with 128-bit integers, exact for every int64 input; a whole of 0 gives 0%, and a ratio
// beyond the range of Percent saturates at its limit.
func PercentOf(part, whole Money) Percent {
	if whole == 0 {
		return 0
	}
	num, den := magnitude(int64(part)), magnitude(int64(whole))
	hi, lo := bits.Mul64(num, uint64(hundredPercent))
	negative := (part < 0) != (whole < 0)
	if hi >= den { // the quotient needs more than 64 bits
		return Percent(fromMagnitude(math.MaxUint64, negative))
	}
	q, r := bits.Div64(hi, lo, den)
	if r >= den-r { // r/den ≥ ½, written so that 2r cannot overflow
		q++
	}
	return Percent(fromMagnitude(q, negative))
}

// MulPercent returns p of m, rounded down to whole rupiah (toward zero for negative inputs), so a
// stage of 45% never pays a rupiah more than 45%. It computes with 128-bit integers, exact for
// every input; a result beyond int64 saturates at its limit, far above MaxMoney, so any ceiling
// check still fails.
func (m Money) MulPercent(p Percent) Money {
	hi, lo := bits.Mul64(magnitude(int64(m)), magnitude(int64(p)))
	negative := (m < 0) != (p < 0)
	if hi >= uint64(hundredPercent) { // the quotient needs more than 64 bits
		return Money(fromMagnitude(math.MaxUint64, negative))
	}
	q, _ := bits.Div64(hi, lo, uint64(hundredPercent))
	return Money(fromMagnitude(q, negative))
}

// decimal writes p in percent with sep as the decimal separator and no trailing zeros.
func (p Percent) decimal(sep string) string {
	u := magnitude(int64(p))
	s := signPrefix(int64(p)) + strconv.FormatUint(u/100, 10)
	if frac := percentFraction(u); frac != "" {
		s += sep + frac
	}
	return s
}

// percentFraction returns the digits after the decimal point of u basis points, without trailing
// zeros: 7050 → "5", 7025 → "25", 5 → "05", 4500 → "".
func percentFraction(u uint64) string {
	frac := u % 100
	switch {
	case frac == 0:
		return ""
	case frac%10 == 0:
		return strconv.FormatUint(frac/10, 10)
	case frac < 10:
		return "0" + strconv.FormatUint(frac, 10)
	}
	return strconv.FormatUint(frac, 10)
}
