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
// is a desa. Regions speak their own words (DOCUMENTS.md): in the Papua
// provinces a kecamatan is a distrik and a desa a kampung; a kelurahan stays
// a kelurahan everywhere.
func (r Region) LevelName() string {
	switch r.Level {
	case Regency:
		if r.Code.isKota() {
			return "kota"
		}
		return "kabupaten"
	case District, Village:
		return strings.ToLower(r.kind())
	}
	return r.Level.String()
}

// kind is the word put before a kecamatan's or a village's name:
// Kecamatan, Desa or Kelurahan, and in Papua Distrik, Kampung or Kelurahan.
func (r Region) kind() string {
	papua := r.Code.inPapua()
	switch {
	case r.Level == District && papua:
		return "Distrik"
	case r.Level == District:
		return "Kecamatan"
	case r.Code.isKelurahan():
		return "Kelurahan"
	case papua:
		return "Kampung"
	}
	return "Desa"
}

// FullName is the name with its kind in front, as in an address or a letter:
// "Provinsi Lampung", "Kota Bandar Lampung", "Kecamatan Kedaton",
// "Kelurahan Surabaya", "Desa Lapoa", and in Papua "Distrik Sentani",
// "Kampung Hobong". A name that already starts with its kind ("Desa Baru",
// "Kampung Baru") is not given it twice. Kemendagri names Kabupaten
// Jayapura's kampung adat "Desa Adat …"; they are written "Kampung Adat …",
// as Papua writes them.
func (r Region) FullName() string {
	var kind string
	switch r.Level {
	case Province:
		kind = "Provinsi"
	case District, Village:
		kind = r.kind()
	default: // a kabupaten/kota name already says which it is
		return r.Name
	}
	if rest, ok := strings.CutPrefix(r.Name, "Desa Adat "); ok && kind == "Kampung" {
		return "Kampung Adat " + rest
	}
	if strings.HasPrefix(r.Name, kind+" ") {
		return r.Name
	}
	return kind + " " + r.Name
}

// HeadTitle is the title of the head of the region by position, as a letter
// is addressed to them: "Gubernur Lampung", "Bupati Konawe Selatan",
// "Wali Kota Bandar Lampung", "Camat Kedaton", "Lurah Surabaya",
// "Kepala Desa Lapoa", and in Papua "Kepala Distrik Sentani" and "Kepala
// Kampung Hobong". The Jakarta regencies keep "Administrasi", as their
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
		if r.Code.inPapua() {
			return "Kepala " + r.FullName()
		}
		return "Camat " + r.Name
	case Village:
		if r.Code.isKelurahan() {
			return "Lurah " + r.Name
		}
		return "Kepala " + r.FullName()
	}
	return ""
}
