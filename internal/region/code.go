package region

import (
	"errors"
	"fmt"
	"strings"
)

// Level is the tier of government a code names. The zero Level is no level:
// the answer for a string that is not shaped like a region code.
type Level int

// The four levels of the Kemendagri kode wilayah (PRODUCT.md §2), from the
// top down; a code's level is its number of dot-separated segments.
const (
	Province Level = iota + 1 // provinsi, code NN
	Regency                   // kabupaten (NN.01–NN.69) or kota (NN.71–NN.99)
	District                  // kecamatan, code NN.NN.NN
	Village                   // desa or kelurahan, code NN.NN.NN.NNNN
)

// String names the level in Indonesian, as forms and error messages show it.
func (l Level) String() string {
	switch l {
	case Province:
		return "provinsi"
	case Regency:
		return "kabupaten/kota"
	case District:
		return "kecamatan"
	case Village:
		return "desa/kelurahan"
	}
	return fmt.Sprintf("Level(%d)", int(l))
}

// NameIn names the level as it is spoken within the region c (any code
// inside it will do), for labels such as a form's region picker: in the Papua
// provinces a kecamatan is a distrik and a desa a kampung, so District is
// "distrik" and Village "kampung/kelurahan" there; elsewhere it is String().
func (l Level) NameIn(c Code) string {
	if c.inPapua() {
		switch l {
		case District:
			return "distrik"
		case Village:
			return "kampung/kelurahan"
		}
	}
	return l.String()
}

// codeLen is the length of a code of each level; the level of a code can be
// told from its length alone because every segment has a fixed width.
var codeLen = [...]int{Province: 2, Regency: 5, District: 8, Village: 13}

// Code is a Kemendagri kode wilayah such as "18.71" (Kota Bandar Lampung). It
// is a value type so that a region code is parsed once, at the edge, and the
// rest of dakflow can rely on its shape. Its methods read the shape only; use
// Lookup to learn whether the region exists.
type Code string

// ErrInvalidCode is the kind of every error ParseCode returns, so that an
// interface boundary can map it (to dak.ErrInvalid, HTTP 400) with errors.Is.
var ErrInvalidCode = errors.New("kode wilayah tidak valid")

// codeFormats is the help every ParseCode error ends with.
const codeFormats = "gunakan format kode wilayah Kemendagri: NN (provinsi), NN.NN (kabupaten/kota), " +
	"NN.NN.NN (kecamatan) atau NN.NN.NN.NNNN (desa/kelurahan), misalnya 18.71 untuk Kota Bandar Lampung"

// ParseCode checks that s is a well-formed Kemendagri code: province NN
// (11–99), kabupaten NN.01–NN.69 or kota NN.71–NN.99, kecamatan NN.NN.NN
// (not 00) and desa/kelurahan NN.NN.NN.NNNN whose first digit is 1
// (kelurahan), 2 (desa) or 3 (desa adat). Surrounding spaces are ignored. It
// does not check that the region exists (Lookup does). Errors wrap
// ErrInvalidCode and say, in Indonesian, what is wrong and which format to use.
func ParseCode(s string) (Code, error) {
	t := strings.TrimSpace(s)
	if reason := checkCode(t); reason != "" {
		return "", fmt.Errorf("%w: %q %s; %s", ErrInvalidCode, s, reason, codeFormats)
	}
	return Code(t), nil
}

// checkCode returns why t is not a well-formed code, or "" if it is.
func checkCode(t string) string {
	if t == "" {
		return "kosong"
	}
	segs := strings.Split(t, ".")
	lv := Code(t).Level()
	if lv == 0 || len(segs) != int(lv) {
		return "tidak sesuai format"
	}
	for i, seg := range segs {
		if len(seg) != 2 && !(i == 3 && len(seg) == 4) || strings.Trim(seg, "0123456789") != "" {
			return "tidak sesuai format (setiap bagian berupa angka: 2 digit, bagian desa/kelurahan 4 digit)"
		}
	}
	switch {
	case segs[0] < "11":
		return "memakai nomor provinsi " + segs[0] + " yang tidak ada (11–99)"
	case lv >= Regency && (segs[1] == "00" || segs[1] == "70"):
		return "memakai nomor kabupaten/kota " + segs[1] + " yang tidak ada (01–69 kabupaten, 71–99 kota)"
	case lv >= District && segs[2] == "00":
		return "memakai nomor kecamatan 00 yang tidak ada (01–99)"
	case lv == Village && (segs[3][0] < '1' || segs[3][0] > '3' || segs[3][1:] == "000"):
		return "memakai nomor desa/kelurahan " + segs[3] + " yang tidak ada (1001–1999 kelurahan, 2001–2999 desa, 3001–3999 desa adat)"
	}
	return ""
}

// Level tells the code's level from its length, or 0 if no level has it.
func (c Code) Level() Level {
	for l := Province; l <= Village; l++ {
		if len(c) == codeLen[l] {
			return l
		}
	}
	return 0
}

// Parent is the code of the region one level up: the kecamatan of a desa, the
// kabupaten/kota of a kecamatan, the province of a kabupaten/kota. It is ""
// for a province (and for a string that is not a code).
func (c Code) Parent() Code {
	lv := c.Level()
	if lv <= Province {
		return ""
	}
	return c[:codeLen[lv-1]]
}

// Province is the code of the province the region lies in (itself for a
// province), or "" for a string that is not a code. Pemda access and reports
// by province group by it.
func (c Code) Province() Code {
	return c.ancestor(Province)
}

// Regency is the code of the kabupaten/kota the region lies in (itself for a
// kabupaten/kota), or "" for a province, which lies in no kabupaten/kota.
func (c Code) Regency() Code {
	return c.ancestor(Regency)
}

func (c Code) ancestor(l Level) Code {
	if c.Level() < l {
		return ""
	}
	return c[:codeLen[l]]
}

// IsWithin reports whether the region lies inside ancestor or is ancestor
// itself: the rule that a sentra's desa must lie inside the proposing region
// (PRODUCT.md §2) and that a pemda user sees only its own region. The empty
// code contains nothing, so a user without a region is never let through.
func (c Code) IsWithin(ancestor Code) bool {
	if ancestor == "" || c.Level() == 0 {
		return false
	}
	return c == ancestor || strings.HasPrefix(string(c), string(ancestor)+".")
}

// isKota tells a kota (regency number 71–99) from a kabupaten (01–69).
func (c Code) isKota() bool {
	return c.Level() == Regency && c[3:] >= "71"
}

// isKelurahan tells a kelurahan (number 1xxx) from a desa (2xxx, 3xxx adat).
func (c Code) isKelurahan() bool {
	return c.Level() == Village && c[9] == '1'
}

// inPapua reports whether the code lies in one of the six Papua provinces,
// 91 Papua, 92 Papua Barat, 93 Papua Selatan, 94 Papua Tengah, 95 Papua
// Pegunungan and 96 Papua Barat Daya, whose special autonomy (UU 21/2001
// Pasal 1, applied to each province split from Papua) names the kecamatan a
// distrik and the desa a kampung, in a kota as in a kabupaten.
func (c Code) inPapua() bool {
	return len(c) >= 2 && c[0] == '9' && c[1] >= '1' && c[1] <= '6'
}
