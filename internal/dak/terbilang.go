package dak

import (
	"errors"
	"fmt"
	"math/bits"
	"strings"
)

// terbilangDigits are the words for 0–9; index by the digit.
var terbilangDigits = [10]string{
	"nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
}

// terbilangScales are the Indonesian short-scale group names, largest first.
var terbilangScales = [...]struct {
	value uint64
	word  string
}{
	{1_000_000_000_000_000_000, "kuintiliun"},
	{1_000_000_000_000_000, "kuadriliun"},
	{1_000_000_000_000, "triliun"},
	{1_000_000_000, "miliar"},
	{1_000_000, "juta"},
	{1_000, "ribu"},
}

// Terbilang spells n in Indonesian words, as amounts and percentages are written out in official
// letters so that a changed figure is caught by the words beside it (DOCUMENTS.md). The prefix se-
// stands for one in sepuluh (10), sebelas (11), seratus (100) and seribu (1000, only when the
// thousands group is exactly 1: 1.001.000 is "satu juta seribu", 21.000 "dua puluh satu ribu"),
// while the larger groups keep "satu": "satu juta", "satu miliar", "satu triliun". 0 is "nol".
//
// Amounts never exceed MaxMoney (999 triliun), but Terbilang is total over int64 so that no input
// can make a document fail: above that it continues with kuadriliun (10^15) and kuintiliun
// (10^18), and negative numbers start with "minus". ParseTerbilang is its exact inverse.
func Terbilang(n int64) string {
	if n < 0 {
		return "minus " + terbilangUint(magnitude(n))
	}
	return terbilangUint(uint64(n))
}

// terbilangUint spells u; see Terbilang.
func terbilangUint(u uint64) string {
	if u == 0 {
		return "nol"
	}
	words := make([]string, 0, 16)
	for _, scale := range terbilangScales {
		group := u / scale.value
		u %= scale.value
		switch {
		case group == 0:
		case group == 1 && scale.word == "ribu":
			words = append(words, "seribu")
		default:
			words = appendHundreds(words, group)
			words = append(words, scale.word)
		}
	}
	words = appendHundreds(words, u)
	return strings.Join(words, " ")
}

// appendHundreds appends the words for g in 0–999 (none for 0).
func appendHundreds(words []string, g uint64) []string {
	hundreds, rest := g/100, g%100
	switch {
	case hundreds == 1:
		words = append(words, "seratus")
	case hundreds > 1:
		words = append(words, terbilangDigits[hundreds], "ratus")
	}
	tens, ones := rest/10, rest%10
	switch {
	case rest == 0:
	case rest == 10:
		words = append(words, "sepuluh")
	case rest == 11:
		words = append(words, "sebelas")
	case tens == 1:
		words = append(words, terbilangDigits[ones], "belas")
	case tens == 0:
		words = append(words, terbilangDigits[ones])
	default:
		words = append(words, terbilangDigits[tens], "puluh")
		if ones > 0 {
			words = append(words, terbilangDigits[ones])
		}
	}
	return words
}

// ParseTerbilang reads Indonesian number words back into a number; it is the exact inverse of
// Terbilang, so tests can prove that every spelled amount names the amount it stands beside. Case
// and the amount of white space between words do not matter, but the words must be the standard
// spelling Terbilang produces: "satu ratus" or "sejuta" are rejected with the standard form named.
func ParseTerbilang(s string) (int64, error) {
	words := strings.Fields(strings.ToLower(s))
	if len(words) == 0 {
		return 0, errors.New("parse terbilang: no words")
	}
	digits, negative := words, words[0] == "minus"
	if negative {
		digits = words[1:]
	}
	u, err := sumTerbilang(digits)
	if err != nil {
		return 0, fmt.Errorf("parse terbilang %s: %w", clipForError(s), err)
	}
	if u > 1<<63-1 && !(negative && u == 1<<63) {
		return 0, fmt.Errorf("parse terbilang %s: number too large for int64", clipForError(s))
	}
	n := fromMagnitude(u, negative)
	if want, got := Terbilang(n), strings.Join(words, " "); got != want {
		return 0, fmt.Errorf("parse terbilang %s: not the standard spelling of %d, which is %q",
			clipForError(s), n, want)
	}
	return n, nil
}

// sumTerbilang adds up number words without sign. It checks only what it must to compute a
// value; ParseTerbilang then rejects any order of words that is not the standard spelling.
func sumTerbilang(words []string) (uint64, error) {
	if len(words) > 64 { // the longest int64 takes 42 words; the bound keeps group small
		return 0, errors.New("too many words")
	}
	var total, group uint64
	pending := -1 // a digit word waiting for belas, puluh, ratus or a scale word
	for _, w := range words {
		if w == "seribu" && pending < 0 { // se-ribu: the digit one, then the thousands scale
			pending, w = 1, "ribu"
		}
		d := terbilangDigitValue(w)
		switch {
		case pending >= 0 && (d >= 0 || w == "seribu" || w == "sepuluh" || w == "sebelas" || w == "seratus"):
			return 0, fmt.Errorf("%q cannot follow a digit", w)
		case pending < 0 && (w == "belas" || w == "puluh" || w == "ratus"):
			return 0, fmt.Errorf("%q needs a digit before it", w)
		case d >= 0:
			pending = d
			continue
		}
		digit := uint64(max(pending, 0))
		switch w {
		case "sepuluh":
			group += 10
		case "sebelas":
			group += 11
		case "seratus":
			group += 100
		case "belas":
			group += 10 + digit
		case "puluh":
			group += 10 * digit
		case "ratus":
			group += 100 * digit
		default:
			scale := terbilangScaleValue(w)
			if scale == 0 {
				return 0, fmt.Errorf("unknown word %s", clipForError(w))
			}
			var ok bool
			if total, ok = mulAdd(total, group+digit, scale); !ok {
				return 0, errors.New("number too large")
			}
			group = 0
		}
		pending = -1
	}
	total, ok := mulAdd(total, 1, group+uint64(max(pending, 0)))
	if !ok {
		return 0, errors.New("number too large")
	}
	return total, nil
}

// terbilangDigitValue returns the digit a word names (nol … sembilan), or -1.
func terbilangDigitValue(w string) int {
	for d, word := range terbilangDigits {
		if w == word {
			return d
		}
	}
	return -1
}

// terbilangScaleValue returns the value of a scale word (ribu … kuintiliun), or 0.
func terbilangScaleValue(w string) uint64 {
	for _, s := range terbilangScales {
		if w == s.word {
			return s.value
		}
	}
	return 0
}

// mulAdd returns acc + a*b, and false if that does not fit in a uint64.
func mulAdd(acc, a, b uint64) (uint64, bool) {
	hi, lo := bits.Mul64(a, b)
	sum, carry := bits.Add64(acc, lo, 0)
	return sum, hi == 0 && carry == 0
}
