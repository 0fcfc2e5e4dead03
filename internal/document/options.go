package document

import "strings"

// Letterhead is the kop surat of the issuing unit: its names in bold
// capitals, then one line of address and contacts, then a double rule.
type Letterhead struct {
	// Lines are the unit's names from the top, e.g. the ministry and the
	// directorate general; printed in bold capitals, the first one larger.
	Lines   []string
	Address string // street, city and postcode
	Phone   string // e.g. "(021) 5255509"
	Email   string
	Website string
	// Unit is the issuing unit as PDF author, e.g. "Direktorat Jenderal
	// Industri Kecil, Menengah, dan Aneka"; empty uses the last of Lines.
	Unit string
}

// IsZero reports whether no field of the letterhead is set.
func (l Letterhead) IsZero() bool {
	return len(l.Lines) == 0 && l.Address == "" && l.Phone == "" &&
		l.Email == "" && l.Website == "" && l.Unit == ""
}

// author is the issuing unit named in the PDF metadata.
func (l Letterhead) author() string {
	if l.Unit != "" {
		return l.Unit
	}
	if len(l.Lines) > 0 {
		return l.Lines[len(l.Lines)-1]
	}
	return ""
}

// DefaultLetterhead is the kop of DOCUMENTS.md: the Ministry of Industry and
// its Directorate General of Small, Medium and Miscellaneous Industry.
func DefaultLetterhead() Letterhead {
	return Letterhead{
		Lines: []string{
			"KEMENTERIAN PERINDUSTRIAN REPUBLIK INDONESIA",
			"DIREKTORAT JENDERAL INDUSTRI KECIL, MENENGAH, DAN ANEKA",
		},
		Address: "Jalan Jenderal Gatot Subroto Kav. 52-53, Jakarta 12950",
		Phone:   "(021) 5255509",
		Email:   "ditjenikma@kemenperin.go.id",
		Website: "www.kemenperin.go.id",
		Unit:    "Direktorat Jenderal Industri Kecil, Menengah, dan Aneka",
	}
}

// DefaultTreasuryOfficer is to whom a rekomendasi_penyaluran is addressed
// unless Options.TreasuryOfficer says otherwise: the head of the state
// treasury office acting for the disbursement of DAK Fisik.
const DefaultTreasuryOfficer = "Kepala Kantor Pelayanan Perbendaharaan Negara selaku Kuasa Pengguna Anggaran Bendahara Umum Negara Penyaluran DAK Fisik"

// Options configures a Renderer. The zero value is usable: every empty
// field takes its default.
type Options struct {
	// Letterhead is the kop of documents whose Input.Issuer is zero;
	// zero means DefaultLetterhead().
	Letterhead Letterhead
	// TreasuryOfficer is the addressee of rekomendasi_penyaluran; empty
	// means DefaultTreasuryOfficer.
	TreasuryOfficer string
	// Signers says who signs each kind (ParseSigners); nil reads
	// signers.yaml from the templates. SignersFile names where it came
	// from, for error messages.
	Signers     *Signers
	SignersFile string
	// NoCompression writes uncompressed page streams (for debugging); the
	// default compresses, which keeps a two-page letter near 10 KiB.
	NoCompression bool
}

// withDefaults fills every empty option and trims texts.
func (o Options) withDefaults() Options {
	if o.Letterhead.IsZero() {
		o.Letterhead = DefaultLetterhead()
	}
	o.TreasuryOfficer = strings.TrimSpace(o.TreasuryOfficer)
	if o.TreasuryOfficer == "" {
		o.TreasuryOfficer = DefaultTreasuryOfficer
	}
	return o
}
