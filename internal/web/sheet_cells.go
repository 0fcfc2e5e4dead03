package web

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	"dakflow/internal/dak"
)

// Reading one cell of an imported sheet as a value of its column's kind,
// naming what a spreadsheet did to it (a formula, a merge, a number kept
// as text, a thousands separator, a date) when it cannot be read.

// cellKind is how a column's cells are read.
type cellKind int

const (
	textCell cellKind = iota
	countCell
	yearCell
	decimalCell
	moneyCell // whole rupiah, as dak.Money
)

// readCell reads a cell as kind: a string, an int, a *int, a *float64 or
// a dak.Money, or why it cannot.
func readCell(c sheetCell, kind cellKind) (any, string) {
	switch {
	case c.formula:
		return nil, "sel berisi rumus; salin lalu tempel sebagai nilai"
	case c.merged != "":
		return nil, "sel gabungan " + c.merged + "; pisahkan sel dan isi setiap baris"
	case c.other:
		return nil, "bukan nilai yang dapat dibaca (benar/salah atau galat)"
	}
	v := strings.TrimSpace(c.value)
	if kind == textCell {
		return v, ""
	}
	if v == "" {
		switch kind {
		case countCell:
			return 0, ""
		case moneyCell:
			return dak.Money(0), ""
		}
		return nil, ""
	}
	switch {
	case c.date && kind == yearCell:
		return nil, "berformat tanggal, bukan tahun; isi tahunnya saja sebagai angka (mis. 2010)"
	case c.date:
		return nil, "berformat tanggal, bukan angka"
	case c.text && kind == yearCell && datePattern.MatchString(v):
		return nil, "tanggal tertulis sebagai teks; isi tahunnya saja sebagai angka (mis. 2010)"
	case c.text && kind == yearCell && yearPattern.MatchString(v):
		return nil, "tahun tertulis sebagai teks; ubah format sel menjadi angka"
	case c.text && thousandsPattern.MatchString(v):
		return nil, "angka bertanda pemisah ribuan tertulis sebagai teks; tulis tanpa titik sebagai angka (mis. 1250)"
	case c.text && numberPattern.MatchString(v):
		return nil, "angka tertulis sebagai teks; ubah format sel menjadi angka"
	case c.typed:
		return readNumber(v, kind, true)
	}
	return readNumber(v, kind, false)
}

var (
	numberPattern    = regexp.MustCompile(`^-?[0-9]+([.,][0-9]+)?$`)
	thousandsPattern = regexp.MustCompile(`^-?[0-9]{1,3}([.,][0-9]{3})+$`)
	yearPattern      = regexp.MustCompile(`^[0-9]{4}$`)
	datePattern      = regexp.MustCompile(`^[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}$`)
	decimalComma     = regexp.MustCompile(`^-?[0-9]+,[0-9]+$`)
)

// readNumber reads v as kind; raw is a number as a workbook stores it
// (a dot for decimals), otherwise text as a person typed it in a CSV.
func readNumber(v string, kind cellKind, raw bool) (any, string) {
	if kind == decimalCell {
		if !raw && strings.Count(v, ",") == 1 && !strings.Contains(v, ".") {
			v = strings.Replace(v, ",", ".", 1) // -5,14 as Indonesian writes it
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, "bukan angka desimal (mis. -5,14)"
		}
		return &f, ""
	}
	if !raw {
		switch {
		case kind == yearCell && datePattern.MatchString(v):
			return nil, "tanggal, bukan tahun; isi tahunnya saja (mis. 2010)"
		case thousandsPattern.MatchString(v) && strings.ContainsRune(v, '.'):
			return nil, "pemisah ribuan (titik) tidak diterima; tulis angkanya saja (mis. 1250)"
		case thousandsPattern.MatchString(v):
			return nil, "pemisah ribuan (koma) tidak diterima; tulis angkanya saja (mis. 1250)"
		}
	}
	if !raw && decimalComma.MatchString(v) {
		v = strings.Replace(v, ",", ".", 1) // 1,5 is one and a half
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || !numberPattern.MatchString(v) && !raw {
		if kind == yearCell {
			return nil, "bukan tahun; isi empat angka (mis. 2010)"
		}
		return nil, "bukan angka"
	}
	if f != math.Trunc(f) {
		return nil, "harus bilangan bulat"
	}
	if kind == moneyCell {
		if f < 0 || f > float64(dak.MaxMoney) { // below MaxMoney a float64 holds every whole rupiah exactly
			return nil, "jumlah rupiah di luar batas"
		}
		return dak.Money(f), ""
	}
	if math.Abs(f) > 10_000_000 {
		return nil, "angka terlalu besar"
	}
	if kind == yearCell {
		y := int(f)
		return &y, ""
	}
	return int(f), ""
}
