// Package region is the Kemendagri list of Indonesia's regions — 38
// provinces, 514 kabupaten/kota, their kecamatan and desa/kelurahan — built
// into the binary (PRODUCT.md §2 "Region"). A pemda user is bound to a region,
// a sentra lies in a desa inside it, and official documents name both, so the
// list must be complete, exact and available without a network or a database.
//
// The data comes from the npm package idn-area-data 4.0.1 under the Open
// Database License; data/ATTRIBUTION.md says what was changed and
// scripts/gen-regions.sh rebuilds it. The list is parsed once, at first use,
// and is safe for concurrent use.
package region

import "strings"

// Region is one entry of the list, with the name as an official writes it:
// "Lampung", "DKI Jakarta", "Kabupaten Konawe Selatan", "Kota Bandar Lampung",
// "Kedaton". Level and Parent are derived from Code and kept for convenience.
type Region struct {
	Code   Code
	Name   string
	Level  Level
	Parent Code
}

// Prefixes a kabupaten/kota name starts with, longest first. The Jakarta
// regencies are "Kabupaten Administrasi …" and "Kota Administrasi …": they are
// administrative, not autonomous, but have a bupati or wali kota all the same.
var regencyPrefixes = []string{"Kabupaten Administrasi ", "Kota Administrasi ", "Kabupaten ", "Kota "}

// ShortName is the name without its kind, for lists and tight table cells:
// "Konawe Selatan" for Kabupaten Konawe Selatan, "Bandar Lampung" for Kota
// Bandar Lampung, "Jakarta Pusat" for Kota Administrasi Jakarta Pusat. Other
// levels' names carry no kind, so ShortName is the Name.
func (r Region) ShortName() string {
	if r.Level == Regency {
		for _, p := range regencyPrefixes {
			if s, ok := strings.CutPrefix(r.Name, p); ok {
				return s
			}
		}
	}
	return r.Name
}

// LevelName is the kind of region in Indonesian — provinsi, kabupaten, kota,
// kecamatan, desa or kelurahan — told apart by the code: kota are numbered
// 71–99 and kelurahan 1xxx, as Kemendagri numbers them. A desa adat (3xxx)
// is a desa.
func (r Region) LevelName() string {
	switch r.Level {
	case Regency:
		if r.Code.isKota() {
			return "kota"
		}
		return "kabupaten"
	case Village:
		if r.Code.isKelurahan() {
			return "kelurahan"
		}
		return "desa"
	}
	return r.Level.String()
}

// FullName is the name with its kind in front, as in an address or a letter:
// "Provinsi Lampung", "Kota Bandar Lampung", "Kecamatan Kedaton",
// "Kelurahan Surabaya", "Desa Lapoa". A name that already starts with its kind
// ("Desa Adat Yoboi") is not given it twice.
func (r Region) FullName() string {
	var kind string
	switch r.Level {
	case Province:
		kind = "Provinsi"
	case District:
		kind = "Kecamatan"
	case Village:
		kind = "Desa"
		if r.Code.isKelurahan() {
			kind = "Kelurahan"
		}
	default: // a kabupaten/kota name already says which it is
		return r.Name
	}
	if strings.HasPrefix(r.Name, kind+" ") {
		return r.Name
	}
	return kind + " " + r.Name
}

// HeadTitle is the title of the head of the region by position, as a letter
// is addressed to them: "Gubernur Lampung", "Bupati Konawe Selatan",
// "Wali Kota Bandar Lampung", "Camat Kedaton", "Lurah Surabaya",
// "Kepala Desa Lapoa". The Jakarta regencies keep "Administrasi", as their
// heads' titles do ("Wali Kota Administrasi Jakarta Pusat").
func (r Region) HeadTitle() string {
	switch r.Level {
	case Province:
		return "Gubernur " + r.Name
	case Regency:
		if r.Code.isKota() {
			return "Wali Kota " + strings.TrimPrefix(r.Name, "Kota ")
		}
		return "Bupati " + strings.TrimPrefix(r.Name, "Kabupaten ")
	case District:
		return "Camat " + r.Name
	case Village:
		if r.Code.isKelurahan() {
			return "Lurah " + r.Name
		}
		return "Kepala " + r.FullName()
	}
	return ""
}
