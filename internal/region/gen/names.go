package main

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// provinceNames replaces the two long province names with the short forms in
// everyday official use, one rule for both (the "Daerah Khusus Ibukota" and
// "Daerah Istimewa" status abbreviated), so that "Gubernur DKI Jakarta" and
// "Provinsi DI Yogyakarta" read as officials write them.
var provinceNames = map[string]string{
	"31": "DKI Jakarta",
	"34": "DI Yogyakarta",
}

// overrides corrects names that are plainly wrong in idn-area-data 4.0.1 and
// that no general rule can fix. Keep it short; each entry says why.
var overrides = map[string]string{
	"53.02.10":      "Ki'e",     // source "KI'E": the kecamatan in Timor Tengah Selatan is Ki'e
	"53.02.20":      "Kot'olin", // source "Kot olin": the kecamatan is Kot'olin
	"11.07.12.2010": "Ie Masen", // source "IE Masen": Acehnese "ie" (water), not an abbreviation
}

// hyphenSpaces finds a hyphen with spaces on either side between two letters.
var hyphenSpaces = regexp.MustCompile(`(\pL)\s*-\s*(\pL)`)

// cleanName turns a source name into the name dakflow shows and prints.
// The source is already mostly in title case; this fixes what is not (see
// ATTRIBUTION.md for the list of changes). It never lowercases a letter, so
// abbreviations and roman numerals ("UPT", "SP II", "IX") stay as they are.
func cleanName(code, name string) string {
	if s, ok := overrides[code]; ok {
		return s
	}
	if s, ok := provinceNames[code]; ok {
		return s
	}
	s := strings.NewReplacer("’", "'", `"`, "'", "*", "").Replace(name)
	s = hyphenSpaces.ReplaceAllString(s, "$1-$2")
	words := strings.Fields(s)
	for i, w := range words {
		if i > 0 && w == "dan" { // "Kabupaten Pangkajene dan Kepulauan"
			continue
		}
		words[i] = capitalise(w)
	}
	return strings.Join(words, " ")
}

// capitalise upper-cases the first letter of the word, of every part after
// "(" or "/" ("(misool" → "(Misool"), and of the second half of a complete
// reduplication ("Leme-leme" → "Leme-Leme"), as EYD capitalises "unsur bentuk
// ulang sempurna"; partial ones keep the source's case ("Sitio-tio",
// "Perangin-angin"). A letter after an apostrophe is left alone ("Pa'mai").
func capitalise(w string) string {
	parts := strings.Split(w, "-")
	for i, p := range parts {
		if i == 0 || strings.EqualFold(p, parts[i-1]) {
			p = upperFirst(p)
		}
		for _, sep := range []string{"(", "/"} {
			sub := strings.Split(p, sep)
			for j := 1; j < len(sub); j++ {
				sub[j] = upperFirst(sub[j])
			}
			p = strings.Join(sub, sep)
		}
		parts[i] = p
	}
	return strings.Join(parts, "-")
}

// upperFirst upper-cases s's first rune if it is a letter.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if !unicode.IsLower(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
