package dak

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// SentraStatus is where a sentra is in its life (PRODUCT.md §9): proposed,
// being built, alive, fading or dead. The ministry re-counts sentra because
// "tidak semua sentra itu masih hidup".
type SentraStatus string

// The five statuses of PRODUCT.md §9, in the order of a sentra's life.
const (
	SentraUsulan           SentraStatus = "usulan"
	SentraDalamPembangunan SentraStatus = "dalam_pembangunan"
	SentraAktif            SentraStatus = "aktif"
	SentraKurangAktif      SentraStatus = "kurang_aktif"
	SentraTidakAktif       SentraStatus = "tidak_aktif"
)

// SentraStatuses lists every status, in the order of a sentra's life.
var SentraStatuses = []SentraStatus{SentraUsulan, SentraDalamPembangunan, SentraAktif, SentraKurangAktif, SentraTidakAktif}

var sentraStatusLabels = map[SentraStatus]string{
	SentraUsulan:           "Usulan",
	SentraDalamPembangunan: "Dalam pembangunan",
	SentraAktif:            "Aktif",
	SentraKurangAktif:      "Kurang aktif",
	SentraTidakAktif:       "Tidak aktif",
}

// ParseSentraStatus accepts one of SentraStatuses.
func ParseSentraStatus(s string) (SentraStatus, error) {
	if _, ok := sentraStatusLabels[SentraStatus(s)]; ok {
		return SentraStatus(s), nil
	}
	return "", fmt.Errorf("status %s tidak dikenal (usulan, dalam_pembangunan, aktif, kurang_aktif, tidak_aktif)", clipForError(s))
}

// Label is the status in Indonesian, for pages and exports.
func (s SentraStatus) Label() string {
	if l, ok := sentraStatusLabels[s]; ok {
		return l
	}
	return string(s)
}

// Sentra is one record of the sentra registry (PRODUCT.md §9): the sentra
// itself, not a proposal's words about it, so that its proposals, funding
// and status across the years are seen together. StatusHistory and Funding
// are filled when one sentra is read, not in lists.
type Sentra struct {
	ID              int64         `json:"id"`
	Name            string        `json:"name"`
	Commodity       string        `json:"commodity"`
	RegionCode      string        `json:"region_code"`
	RegionName      string        `json:"region_name"`
	VillageCode     string        `json:"village_code"`
	VillageName     string        `json:"village_name"`
	Address         string        `json:"address"`
	Latitude        *float64      `json:"latitude"`
	Longitude       *float64      `json:"longitude"`
	IKMUnits        int           `json:"ikm_units"`
	Workers         int           `json:"workers"`
	DecreeNumber    string        `json:"decree_number"`
	DecreeDate      string        `json:"decree_date"`
	EstablishedYear *int          `json:"established_year"`
	Status          SentraStatus  `json:"status"`
	StatusLabel     string        `json:"status_label"`
	StatusDate      string        `json:"status_date"`
	StatusBasis     string        `json:"status_basis"`
	Version         int64         `json:"version"`
	CreatedAt       time.Time     `json:"created_at"`
	UpdatedAt       time.Time     `json:"updated_at"`
	StatusHistory   []SentraEntry `json:"status_history,omitzero"`
	Funding         []Funding     `json:"funding,omitzero"`
}

// SentraEntry is one line of a sentra's status history, which is
// append-only (migration 0011): a re-count, a field visit, or a step of a
// proposal's workflow (ProposalID).
type SentraEntry struct {
	Status      SentraStatus `json:"status"`
	StatusLabel string       `json:"status_label"`
	Date        string       `json:"date"`
	Basis       string       `json:"basis"`
	Note        string       `json:"note"`
	By          string       `json:"by"`
	ProposalID  int64        `json:"proposal_id,omitempty"`
	At          time.Time    `json:"at"`
}

// Funding is one DAK proposal for a sentra, of any year: what was
// allocated and disbursed to it.
type Funding struct {
	FiscalYear      int    `json:"fiscal_year"`
	ProposalID      int64  `json:"proposal_id"`
	Number          string `json:"number"`
	Menu            Menu   `json:"menu"`
	State           string `json:"state"`
	Workflow        string `json:"workflow"`
	AllocatedAmount Money  `json:"allocated_amount"`
	DisbursedAmount Money  `json:"disbursed_amount"`
}

// SentraRecordInput is what a pemda, a verifier or an administrator files
// or edits of a registry record (POST and PUT /api/v1/sentra, a row of an
// imported Direktori Sentra). Status, StatusDate and StatusBasis are the
// status a new record starts with; a record's status changes only through
// its own history (POST /api/v1/sentra/{id}/status), never by an edit.
// (SentraInput is what a proposal says of its sentra; this is the record.)
type SentraRecordInput struct {
	Name            string       `json:"name"`
	Commodity       string       `json:"commodity"`
	RegionCode      string       `json:"region_code"`
	VillageCode     string       `json:"village_code"`
	Address         string       `json:"address"`
	Latitude        *float64     `json:"latitude"`
	Longitude       *float64     `json:"longitude"`
	IKMUnits        int          `json:"ikm_units"`
	Workers         int          `json:"workers"`
	DecreeNumber    string       `json:"decree_number"`
	DecreeDate      string       `json:"decree_date"`
	EstablishedYear *int         `json:"established_year"`
	Status          SentraStatus `json:"status,omitempty"`
	StatusDate      string       `json:"status_date,omitempty"`
	StatusBasis     string       `json:"status_basis,omitempty"`
}

// Bounds of a registry record: the figures a sentra can have, and text an
// official could type, so that no request stores an unbounded value.
const (
	MaxSentraText   = 500  // names, commodity, address, decree number, basis
	MaxSentraNote   = 2000 // a status change's note
	MaxIKMUnits     = 100_000
	MaxWorkers      = 1_000_000
	FirstSentraYear = 1900 // the earliest year a sentra may say it was established
)

// Indonesia's bounding box, as the proposal's sentra is held to it
// (ProposalInput.Validate): Sabang to Merauke, Rote to Miangas.
const (
	minLatitude, maxLatitude   = -11.5, 6.5
	minLongitude, maxLongitude = 94.5, 141.5
)

// KnownRegion reports whether the Kemendagri region list has a region with
// this code. dak does not import the list (internal/region); callers pass
// its Lookup.
type KnownRegion func(code string) bool

// DefaultSentraBasis is the basis of the first status of a record
// registered without one.
const DefaultSentraBasis = "Pendaftaran pada registri sentra"

// Validate checks a record for u at time now, trimming its text and
// filling what may be left out: the region (a pemda's own; for others the
// kabupaten/kota of the desa) and, for a new record (creating), the
// status (aktif), its date (today in WIB) and basis. The desa must lie in
// the region and be in the Kemendagri list; coordinates inside Indonesia;
// dates real and not in the future (WIB); counts not negative. Every
// problem is reported at once, each naming its field (ErrInvalid).
func (in *SentraRecordInput) Validate(u User, now time.Time, known KnownRegion, creating bool) error {
	var errs Fields
	in.trim()
	for _, t := range in.texts() {
		checkText(&errs, t.path, *t.value, MaxSentraText, false)
	}
	if in.Name == "" {
		errs.Add("name", "nama sentra wajib diisi")
	}
	if in.Commodity == "" {
		errs.Add("commodity", "komoditas wajib diisi")
	}
	in.checkRegion(&errs, u, known)
	checkCoordinates(&errs, "", in.Latitude, in.Longitude)
	if in.IKMUnits < 0 || in.IKMUnits > MaxIKMUnits {
		errs.Add("ikm_units", "jumlah unit usaha harus antara 0 dan 100.000")
	}
	if in.Workers < 0 || in.Workers > MaxWorkers {
		errs.Add("workers", "jumlah tenaga kerja harus antara 0 dan 1.000.000")
	}
	if in.DecreeDate != "" {
		checkPastDate(&errs, "decree_date", in.DecreeDate, now)
	}
	if y := in.EstablishedYear; y != nil {
		if this := now.In(WIB).Year(); *y < FirstSentraYear || *y > this {
			errs.Add("established_year", "tahun berdiri harus antara %d dan %d", FirstSentraYear, this)
		}
	}
	if creating {
		in.checkFirstStatus(&errs, now)
	} else {
		for _, f := range []struct{ path, value string }{{"status", string(in.Status)}, {"status_date", in.StatusDate},
			{"status_basis", in.StatusBasis}} {
			if f.value != "" {
				errs.Add(f.path, "status sentra diubah melalui riwayatnya (POST /api/v1/sentra/{id}/status), bukan dengan mengubah data sentra")
			}
		}
	}
	return errs.Err("data sentra tidak valid")
}

// checkRegion fills and checks the region and the desa.
func (in *SentraRecordInput) checkRegion(errs *Fields, u User, known KnownRegion) {
	if code, scoped := u.RegionScope(); scoped {
		if in.RegionCode == "" {
			in.RegionCode = code
		} else if in.RegionCode != code {
			errs.Add("region_code", "pengguna pemda hanya dapat mendaftarkan sentra di wilayahnya sendiri (%s)", code)
			return
		}
	}
	vc := in.VillageCode
	switch {
	case vc == "":
		errs.Add("village_code", "kode desa/kelurahan wajib diisi")
	case !villageShaped(vc):
		errs.Add("village_code", "kode desa/kelurahan harus berformat NN.NN.NN.NNNN")
	case in.RegionCode == "":
		in.RegionCode = vc[:5] // the kabupaten/kota the desa lies in
	}
	if in.RegionCode != "" && (len(in.RegionCode) != 2 && len(in.RegionCode) != 5 || !known(in.RegionCode)) {
		errs.Add("region_code", "wilayah %s bukan provinsi atau kabupaten/kota yang terdaftar", clipForError(in.RegionCode))
		return
	}
	if vc == "" || !villageShaped(vc) {
		return
	}
	switch {
	case !strings.HasPrefix(vc, in.RegionCode+"."):
		errs.Add("village_code", "desa/kelurahan %s tidak berada di wilayah %s", vc, in.RegionCode)
	case !known(vc):
		errs.Add("village_code", "desa/kelurahan %s tidak terdaftar dalam daftar wilayah Kemendagri", vc)
	}
}

// checkFirstStatus fills and checks the status a new record starts with.
func (in *SentraRecordInput) checkFirstStatus(errs *Fields, now time.Time) {
	if in.Status == "" {
		in.Status = SentraAktif
	} else if _, err := ParseSentraStatus(string(in.Status)); err != nil {
		errs.Add("status", "%v", err)
	}
	if in.StatusDate == "" {
		in.StatusDate = now.In(WIB).Format(time.DateOnly)
	} else {
		checkPastDate(errs, "status_date", in.StatusDate, now)
	}
	if in.StatusBasis == "" {
		in.StatusBasis = DefaultSentraBasis
	}
}

func (in *SentraRecordInput) texts() []textField {
	return []textField{{"name", &in.Name}, {"commodity", &in.Commodity}, {"region_code", &in.RegionCode},
		{"village_code", &in.VillageCode}, {"address", &in.Address}, {"decree_number", &in.DecreeNumber},
		{"decree_date", &in.DecreeDate}, {"status_date", &in.StatusDate}, {"status_basis", &in.StatusBasis}}
}

func (in *SentraRecordInput) trim() {
	for _, t := range in.texts() {
		*t.value = strings.TrimSpace(*t.value)
	}
	in.Status = SentraStatus(strings.TrimSpace(string(in.Status)))
}

// SentraStatusInput is a recorded change of a sentra's status: a re-count
// or a field visit, with the date it was found and on what basis (POST
// /api/v1/sentra/{id}/status).
type SentraStatusInput struct {
	Status SentraStatus `json:"status"`
	Date   string       `json:"date"`
	Basis  string       `json:"basis"`
	Note   string       `json:"note"`
}

// Validate checks a status change at time now: a known status, a real
// date not in the future (WIB), a basis; every problem at once.
func (in *SentraStatusInput) Validate(now time.Time) error {
	var errs Fields
	in.Status = SentraStatus(strings.TrimSpace(string(in.Status)))
	in.Date, in.Basis, in.Note = strings.TrimSpace(in.Date), strings.TrimSpace(in.Basis), strings.TrimSpace(in.Note)
	if _, err := ParseSentraStatus(string(in.Status)); err != nil {
		errs.Add("status", "%v", err)
	}
	if in.Date == "" {
		errs.Add("date", "tanggal status wajib diisi ("+DateHint+")")
	} else {
		checkPastDate(&errs, "date", in.Date, now)
	}
	if in.Basis == "" {
		errs.Add("basis", "dasar perubahan status wajib diisi, misalnya pendataan ulang atau kunjungan lapangan")
	}
	checkText(&errs, "basis", in.Basis, MaxSentraText, false)
	checkText(&errs, "note", in.Note, MaxSentraNote, true)
	return errs.Err("perubahan status sentra tidak valid")
}

// MayRegisterSentra reports whether u may register or edit a sentra of the
// region (PRODUCT.md §9): a pemda for its own region, a verifier or an
// administrator for any.
func (u User) MayRegisterSentra(regionCode string) bool {
	switch u.Role {
	case RoleVerifier, RoleAdmin:
		return true
	}
	return u.ActsFor(regionCode)
}

// MayRecordSentraStatus reports whether u may record a sentra's status
// (PRODUCT.md §9): a pemda for its own region, a verifier for any.
func (u User) MayRecordSentraStatus(regionCode string) bool {
	return u.Role == RoleVerifier || u.ActsFor(regionCode)
}

// checkText refuses text that is not valid UTF-8, holds control
// characters (a note may hold line breaks and tabs) or is longer than max
// characters.
func checkText(errs *Fields, path, v string, max int, lines bool) {
	switch {
	case !utf8.ValidString(v):
		errs.Add(path, "bukan teks UTF-8 yang sah")
	case strings.IndexFunc(v, func(r rune) bool {
		return (r < 0x20 || r == 0x7f) && !(lines && (r == '\n' || r == '\r' || r == '\t'))
	}) >= 0:
		errs.Add(path, "memuat karakter kendali")
	case utf8.RuneCountInString(v) > max:
		errs.Add(path, "teks terlalu panjang (paling banyak %d karakter)", max)
	}
}

// checkCoordinates holds a position to Indonesia's bounding box; both or
// neither must be given. prefix is put before the field names.
func checkCoordinates(errs *Fields, prefix string, lat, lon *float64) {
	switch {
	case lat == nil && lon != nil:
		errs.Add(prefix+"latitude", "isi lintang bersama bujur")
	case lat != nil && lon == nil:
		errs.Add(prefix+"longitude", "isi bujur bersama lintang")
	}
	if lat != nil && (math.IsNaN(*lat) || *lat < minLatitude || *lat > maxLatitude) {
		errs.Add(prefix+"latitude", "lintang di luar wilayah Indonesia (-11,5 s.d. 6,5)")
	}
	if lon != nil && (math.IsNaN(*lon) || *lon < minLongitude || *lon > maxLongitude) {
		errs.Add(prefix+"longitude", "bujur di luar wilayah Indonesia (94,5 s.d. 141,5)")
	}
}

// checkPastDate requires a real YYYY-MM-DD day that is not after today in
// WIB.
func checkPastDate(errs *Fields, path, v string, now time.Time) {
	d, err := ParseDate(v)
	switch {
	case err != nil:
		errs.Add(path, "%v", err)
	case d.After(now):
		errs.Add(path, "tanggal %s belum terjadi (hari ini %s WIB)", FormatDate(d), FormatDate(now))
	}
}

// villageShaped reports whether s looks like a desa/kelurahan code,
// NN.NN.NN.NNNN; whether it exists is the region list's answer.
func villageShaped(s string) bool {
	if len(s) != 13 || s[2] != '.' || s[5] != '.' || s[8] != '.' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '.' && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

// SameSentraName reports whether two names name the same sentra of one
// desa: the registry holds one sentra per desa and name (migration 0001),
// and "Sentra  Tenun tapis" is "Sentra Tenun Tapis" to an official.
func SameSentraName(a, b string) bool {
	return strings.EqualFold(strings.Join(strings.Fields(a), " "), strings.Join(strings.Fields(b), " "))
}

// FormatCoordinate writes a latitude or longitude as Indonesian writes
// decimals, with a comma: -5,14 and 105,26.
func FormatCoordinate(f float64) string {
	return strings.Replace(strconv.FormatFloat(f, 'f', -1, 64), ".", ",", 1)
}
