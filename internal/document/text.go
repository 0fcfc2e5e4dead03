package document

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"

	"dakflow/internal/dak"
)

// The documents' font (font.go) is embedded as a simple TrueType font over the
// Windows-1252 code page, and holds the glyphs of that code page only: Latin
// letters with accents, "–", "—", "·", "²", "€", but no CJK, Arabic or emoji.
// Texts are translated once per string to cp1252 bytes; anything else is
// refused with a clear error instead of printed as "?".

// maxCP1252Rune is the highest code point cp1252 holds (U+2122, ™).
const maxCP1252Rune = 0x2122

// cp1252 maps a rune ≥ 0x80 to its cp1252 byte, 0 when the font cannot show
// it. It is built once from fpdf's own code page file, so the check and the
// font always agree; after init it is only read, so it is safe to share.
var cp1252 = buildCP1252()

func buildCP1252() *[maxCP1252Rune + 1]byte {
	var table [maxCP1252Rune + 1]byte
	var b strings.Builder
	for r := rune(0x80); r <= maxCP1252Rune; r++ {
		b.WriteRune(r)
	}
	// fpdf's translator writes exactly one byte per rune, '.' when unknown.
	tr := fpdf.New("P", "mm", "A4", "").UnicodeTranslatorFromDescriptor("")
	out := tr(b.String())
	for i, r := 0, rune(0x80); r <= maxCP1252Rune; i, r = i+1, r+1 {
		if i < len(out) && out[i] != '.' && out[i] >= 0x80 {
			table[r] = out[i]
		}
	}
	return &table
}

// cp1252Rune is the character of each code of cp1252 (cp1252 read the
// other way), 0 for the codes it leaves unassigned.
var cp1252Rune = func() (runes [256]rune) {
	for c := range rune(0x80) {
		runes[c] = c
	}
	for r := rune(0x80); r <= maxCP1252Rune; r++ {
		if b := cp1252[r]; b != 0 {
			runes[b] = r
		}
	}
	return runes
}()

// printable reports whether the document font can show r.
func printable(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return true
	case r < 0x20 || r == 0x7f:
		return false
	case r < 0x80:
		return true
	case r <= maxCP1252Rune:
		return cp1252[r] != 0
	}
	return false
}

// CheckText reports the characters of s that the document font cannot show,
// as a dak.ErrInvalid error naming each one (at most five), so that input can
// be refused with a clear message instead of printing mojibake. It accepts
// every character of Windows-1252: Latin letters with accents, "–", "—",
// "’", "·", "²", "€".
func CheckText(s string) error {
	var bad []string
	seen := map[rune]bool{}
	for _, r := range s {
		if printable(r) || seen[r] {
			continue
		}
		seen[r] = true
		if r == utf8.RuneError {
			bad = append(bad, "teks bukan UTF-8 yang sah")
		} else {
			bad = append(bad, fmt.Sprintf("%q (U+%04X)", r, r))
		}
		if len(bad) == 5 {
			break
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return dak.Errorf(dak.ErrInvalid, "karakter tidak dapat dicetak pada dokumen: %s", strings.Join(bad, ", "))
}

// toCP1252 translates UTF-8 text into the bytes the document font prints. ok is
// false when a character cannot be shown (it is then replaced by "?").
func toCP1252(s string) (out string, ok bool) {
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 || c < 0x20 || c == 0x7f {
			ascii = false
			break
		}
	}
	if ascii {
		return s, true
	}
	ok = true
	b := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case !printable(r):
			ok = false
			b = append(b, '?')
		case r == '\t' || r == '\n' || r == '\r':
			b = append(b, ' ')
		case r < 0x80:
			b = append(b, byte(r))
		default:
			b = append(b, cp1252[r])
		}
	}
	return string(b), ok
}

// squeeze collapses every run of white space to one space and trims the
// ends, so that templates may be written across lines freely.
func squeeze(s string) string {
	if squeezed(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// squeezeBytes is squeeze of b as a string.
func squeezeBytes(b []byte) string {
	if squeezed(b) {
		return string(b)
	}
	return strings.Join(strings.Fields(string(b)), " ")
}

// squeezed reports whether squeeze would leave s as it is: not empty, no
// white space at the ends, and none but single spaces inside.
func squeezed[T string | []byte](s T) bool {
	prevSpace := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		space := c == ' ' || c == '\n' || c == '\t' || c == '\r'
		if space && (prevSpace || c != ' ') {
			return false
		}
		prevSpace = space
	}
	return !prevSpace
}
