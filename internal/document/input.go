package document

import (
	"time"

	"dakflow/internal/dak"
)

// Input is everything one document says. The workflow engine fills it from
// the proposal and the event that issues the document; the template of Kind
// picks what it needs. Every field may be left at its zero value when a kind
// does not use it: empty texts print as "-" or leave their line out, zero
// dates print as "-", empty lists leave their table out (or print the
// template's "empty" line).
//
// Besides Kind, Number, VerifyCode, VerifyURL, IssuedAt, Issuer, Sifat,
// Proposal and Actor, which every kind reads, the kinds read:
//
//	tanda_terima_usulan            Attachments (and Proposal.BudgetLines)
//	surat_penarikan                Comment (the reason)
//	catatan_penilaian              Notes, Comment
//	berita_acara_penilaian         Checklist, AmountReason, SentraHistory,
//	                               Coverage
//	surat_penolakan                Comment
//	surat_penetapan_alokasi        Deadline (of the RK), Tembusan, AmountReason,
//	                               RecommendationReason, BudgetBasis
//	surat_tidak_dialokasikan       Comment
//	tanda_terima_rk                Activities, Departures
//	catatan_rk                     Notes, Comment, Activities
//	surat_persetujuan_rk           Activities, Disbursement, Departures,
//	                               DepartureBasis
//	tanda_terima_permohonan_salur  Stage (Number, ContractValue, AbsorbedAmount,
//	                               AbsorptionPercent, OutputPercent,
//	                               CompletionNeed), Figures, Attachments
//	catatan_permohonan_salur       Stage (Number, Amount, Deadline), Notes, Comment
//	rekomendasi_penyaluran         Stage (Number, Amount, Basis, Percent,
//	                               BaseAmount, ContractValue, ReceivedSoFar,
//	                               Conditions, CumulativeRecommended, Left)
//	berita_acara_penyaluran        Stage (Number, Amount, SP2DNumber, SP2DDate,
//	                               CumulativeDisbursed, Left)
//	laporan_penyelesaian           Completion, Disbursement.Stages (the paid
//	                               ones), Proposal.DisbursedAmount,
//	                               Proposal.Outputs (as the approved RK keeps
//	                               them), Departures, DepartureBasis
//	surat_perpanjangan_batas_waktu Extension, Comment (the reason)
//	berita_acara_hangus            Stage (Number, Amount, Deadline, LegalBasis,
//	                               CumulativeDisbursed)
//
// Texts must pass CheckText; amounts are whole rupiah (dak.Money),
// percentages hundredths of a percent (dak.Percent).
type Input struct {
	Kind       string    // one of Kinds(), e.g. "surat_penetapan_alokasi"
	Number     string    // document number, e.g. "B-12/IKMA/DAK/06/2026"
	VerifyCode string    // verification code printed in the footer
	VerifyURL  string    // full URL {base}/verify/{code}, encoded in the QR code
	IssuedAt   time.Time // date of the letter, PDF creation date; printed in WIB

	// Issuer is the kop surat. Left zero, the renderer's Options.Letterhead
	// is used.
	Issuer Letterhead
	// Sifat is the letter's nature, "Biasa" or "Segera"; empty means the
	// default of the templates ("Biasa").
	Sifat string

	Proposal Proposal // the proposal the document is about
	// Actor is who fired the event. Who signs is the signer configuration's
	// (Signers): a configured official, or the Actor.
	Actor Person
	// Signer, when its Name is set, signs instead of whom the signer
	// configuration names. With no signer at all, the signature block says
	// the system issued the document.
	Signer  Person
	Comment string // the event's comment: reason of a withdrawal, rejection, decline

	Notes       []Note            // catatan_penilaian, catatan_rk, catatan_permohonan_salur
	Checklist   []ChecklistAnswer // berita_acara_penilaian
	Attachments []Attachment      // files received with the event
	Activities  []Line            // the Rencana Kegiatan (RK) lines
	// Departures lists how the RK departs from the RAB that was assessed
	// (PRODUCT.md §3): a category dropped, another category, a lower
	// quantity. The receipt of the RK lists them; the approval prints them
	// with DepartureBasis. Empty: the RK keeps to the RAB.
	Departures []Departure
	// DepartureBasis is the approver's stated basis for approving an RK
	// with Departures; empty when there are none.
	DepartureBasis string
	// AmountReason is why the event decided an amount below the one before
	// it: a recommendation below the requested amount
	// (berita_acara_penilaian), an allocation below the recommended one
	// (surat_penetapan_alokasi). Empty when the amount was not corrected.
	AmountReason string
	// RecommendationReason is why the assessment recommended less than was
	// requested, quoted by surat_penetapan_alokasi; empty when it did not.
	RecommendationReason string
	// Deadline is a deadline the document sets, e.g. for submitting the RK in
	// surat_penetapan_alokasi; zero leaves it out.
	Deadline time.Time

	// BudgetBasis cites the UU APBN and the Perpres Rincian APBN of the
	// fiscal year (surat_penetapan_alokasi); empty prints a generic citation
	// naming the year.
	BudgetBasis string
	Extension   Extension // surat_perpanjangan_batas_waktu

	Disbursement Disbursement // mode and stages, once the RK is approved
	// Figures are every amount of the proposal's money as of this document
	// (dak.Proposal.Figures): allocation, stages, cumulative, sisa alokasi,
	// absorbed, lapsed, never disbursed. Documents print amounts from here
	// and never compute one of their own.
	Figures    dak.Figures
	Stage      StageReport // the stage a disbursement document is about
	Completion Completion  // laporan_penyelesaian
	// SentraHistory is what the sentra registry knows of the proposal's
	// sentra (berita_acara_penilaian); zero when it names none.
	SentraHistory SentraHistory
	// Coverage is the coverage of Sentra IKM the priority criterion is
	// answered from, as it stood when the document was issued
	// (berita_acara_penilaian); zero leaves it out.
	Coverage RegionCoverage

	// Tembusan lists extra copies, added after the ones the template of the
	// kind always sends (e.g. Kementerian Keuangan for an allocation).
	Tembusan []string
}

// Proposal is the part of a proposal documents quote.
type Proposal struct {
	Number      string    // proposal number, e.g. "USL-2027-18.71-0003"
	Revision    int       // revision (submission) number, from 1
	FiscalYear  int       // tahun anggaran, e.g. 2027
	Menu        string    // "pembangunan" or "revitalisasi"
	Title       string    // the proposal's title
	SubmittedAt time.Time // when the revision was submitted

	RegionCode string // Kemendagri code, e.g. "18.71"
	RegionName string // e.g. "Kota Bandar Lampung", "Kabupaten Konawe", "Provinsi Lampung"
	// HeadOfRegion is the addressee, e.g. "Wali Kota Bandar Lampung"; empty
	// derives it from RegionName (Kabupaten → Bupati, Kota → Wali Kota,
	// province → Gubernur).
	HeadOfRegion string
	ProvinceName string // e.g. "Lampung" or "Provinsi Lampung"; for the governor's tembusan
	IsProvince   bool   // the proposing region is a province

	Sentra Sentra

	RequestedAmount   dak.Money // sum of the RAB
	RecommendedAmount dak.Money // by the verifier (Diterima)
	AllocatedAmount   dak.Money // by the approver
	RKAmount          dak.Money // total of the approved Rencana Kegiatan
	DisbursedAmount   dak.Money // cumulative, all stages

	BudgetLines []Line   // the RAB
	Outputs     []Output // planned outputs
}

// Sentra is the Sentra IKM a proposal builds or revitalises.
type Sentra struct {
	Name         string // e.g. "Sentra Tenun Tapis"
	Commodity    string // e.g. "Kain tenun tapis"
	VillageName  string // desa/kelurahan, e.g. "Kelurahan Kedamaian"
	DistrictName string // kecamatan, e.g. "Kecamatan Kedamaian"
	Address      string
	IKMUnits     int // number of IKM in the sentra
	Workers      int // number of workers
}

// SentraHistory is a registered sentra's history as the assessment weighs
// it (PRODUCT.md §9): its status and since when, the DAK it received
// through other proposals, and its last utilisation report.
type SentraHistory struct {
	ID         int64     // registry number; 0: no registered sentra
	Status     string    // in words, e.g. "Aktif"
	Since      time.Time // the day the status was recorded
	Basis      string    // what it was recorded on
	Funding    []SentraFunding
	LastReport *UtilisationReport // nil: none filed
}

// RegionCoverage is what the national coverage of Sentra IKM (PRODUCT.md
// §9) says of the proposal's kabupaten/kota and of the whole country, as
// GET /api/v1/coverage and the verifier's checklist say it (the one
// computation, store.Coverage).
type RegionCoverage struct {
	Year int // the fiscal year the coverage is of; 0: no coverage stated
	// RegionCode and RegionName are the kabupaten/kota's; empty when the
	// proposal lies in none (a province's proposal without a desa), which
	// leaves its lines but OutsideJava out.
	RegionCode   string
	RegionName   string // e.g. "Kota Bandar Lampung"
	ActiveSentra int    // its living sentra (aktif or kurang aktif)
	OutsideJava  bool   // outside Java (PP 14/2015 RIPIN)
	Tertinggal   bool   // a daerah tertinggal of Perpres 63/2020
	Perbatasan   bool   // on the list of border kabupaten/kota
	// NationalWith of NationalAll kabupaten/kota have a living sentra,
	// NationalShare of them.
	NationalWith  int
	NationalAll   int
	NationalShare dak.Percent
}

// SentraFunding is one other proposal of the sentra that was allocated DAK.
type SentraFunding struct {
	FiscalYear int
	Number     string // the proposal's number
	Menu       string // "pembangunan" or "revitalisasi"
	State      string // in words, e.g. "Selesai"
	Allocated  dak.Money
	Disbursed  dak.Money
}

// UtilisationReport is the gist of a utilisation (pemanfaatan) report.
type UtilisationReport struct {
	Period           string // e.g. "Semester I 2028"
	IKMUsing         int
	OccupancyPercent int
	Condition        string // in words, e.g. "Baik"
}

// Line is one RAB or Rencana Kegiatan line. Category may be a category code
// (printed with its label) or a label.
type Line struct {
	Category    string
	Description string
	Quantity    int64
	Unit        string
	UnitPrice   dak.Money
	Total       dak.Money // Quantity × UnitPrice, as stored
}

// Output is one planned or achieved output, e.g. 12 unit mesin.
type Output struct {
	Description string
	Volume      int64
	Unit        string
}

// Person is an official named in a document.
type Person struct {
	Name     string // full name with titles, e.g. "Ir. Budi Santoso, M.T."
	NIP      string // Nomor Induk Pegawai; empty leaves the NIP line out
	Position string // e.g. "Direktur Industri Kecil dan Menengah Pangan, Furnitur, dan Bahan Bangunan"
	Role     string // dakflow role, e.g. "approver"
}

// Note is one revision note, naming the part of the submission in words
// (e.g. "Data sentra — kode desa"), never a JSON path.
type Note struct {
	Part string
	Note string
}

// ChecklistAnswer is one verification criterion as answered by the verifier:
// Memenuhi (Met), Tidak Memenuhi, or Tidak Relevan (NotApplicable, for a
// criterion that does not apply to the proposal's menu; Met is then false).
type ChecklistAnswer struct {
	No            int
	Text          string
	Met           bool // Memenuhi / Tidak Memenuhi
	NotApplicable bool // Tidak Relevan
	Note          string
}

// Departure kinds: how an RK line departs from the assessed RAB. Templates
// word each.
const (
	DepartureDropped = "dropped" // a category of the RAB absent from the RK
	DepartureAdded   = "added"   // a category the RAB did not have
	DepartureReduced = "reduced" // a lower quantity of a category in a unit
)

// Departure is one way the RK departs from the assessed RAB, with the
// category's quantity and amount on each side (for DepartureReduced, in
// Unit); the side without the category is zero.
type Departure struct {
	Kind        string // Departure* constants
	Category    string // a category code (printed with its label) or a label
	Unit        string // DepartureReduced only, e.g. "unit"
	RABQuantity int64
	RKQuantity  int64
	RABAmount   dak.Money
	RKAmount    dak.Money
}

// Attachment is a file received with an event. Kind may be an attachment
// kind code (printed with its label) or a label.
type Attachment struct {
	Kind     string
	FileName string
	Size     int64  // bytes
	SHA256   string // hex; documents print its first 12 characters
}

// Stage bases: how a stage amount was computed (PRODUCT.md §3). Templates
// word each; any other value is printed as it is.
const (
	BasisRKPercent = "rk_percent" // a percentage of the RK value
	BasisContract  = "contract"   // the value of the contract list
	BasisRemainder = "remainder"  // what is left to finish the activity
)

// Stage states, as documents word them.
const (
	StagePlanned     = "planned"
	StageRequested   = "requested"
	StageReturned    = "returned"
	StageRecommended = "recommended"
	StagePaid        = "disbursed"
	StageLapsed      = "lapsed"
)

// Disbursement is the schedule set when the RK is approved.
type Disbursement struct {
	Mode       string // "sekaligus" or "bertahap"
	LegalBasis string // e.g. "Peraturan Menteri Keuangan Nomor 25 Tahun 2024"
	Stages     []Stage
}

// Stage is one planned or paid disbursement stage.
type Stage struct {
	Number     int         // 1, 2, 3 — printed in Roman numerals
	Basis      string      // BasisRKPercent, BasisContract, BasisRemainder
	Percent    dak.Percent // for BasisRKPercent
	Amount     dak.Money   // estimated, or paid once disbursed (Figures.Stages[i].Amount)
	Lapsed     dak.Money   // the part that lapsed (Figures.Stages[i].Lapsed)
	Deadline   time.Time   // document deadline of the stage
	State      string      // Stage* constants
	SP2DNumber string      // once disbursed
	SP2DDate   time.Time   // once disbursed
}

// StageReport is the stage a disbursement document is about, with the
// figures of the request and the conditions checked.
type StageReport struct {
	Number  int         // stage number
	Amount  dak.Money   // requested, recommended or disbursed amount
	Basis   string      // how Amount was computed: a dak.Basis* constant
	Percent dak.Percent // for dak.BasisRKPercent

	ContractValue     dak.Money   // value of the contract list
	AbsorbedAmount    dak.Money   // funds absorbed (spent)
	AbsorptionPercent dak.Percent // absorbed ÷ funds received before this stage
	OutputPercent     dak.Percent // physical output achieved
	CompletionNeed    dak.Money   // the pemda's rencana kebutuhan dana penyelesaian
	KPPN              string      // the KPPN serving the pemda, e.g. "KPPN Bandar Lampung"
	Conditions        []Condition // conditions of the stage, as checked

	SP2DNumber string    // berita_acara_penyaluran
	SP2DDate   time.Time // berita_acara_penyaluran
	Deadline   time.Time // the stage's document deadline (berita_acara_hangus)
	LegalBasis string    // the rule the deadline comes from
}

// Condition is one condition of a stage with the figure that meets it, e.g.
// absorption 80% against a threshold of 75%. A condition without a
// threshold (an attached LHR APIP) is shown by its Evidence.
type Condition struct {
	Text      string      // e.g. "Penyerapan dana yang telah diterima"
	Figure    dak.Percent // achieved
	Threshold dak.Percent // required at least; zero when not a percentage
	Evidence  string      // e.g. "LHR APIP Nomor 700/45/LHR/2027 diterima bersama permohonan"
	Met       bool
}

// Extension is an approver's extension of the document deadline of the
// stage due next (event extend_deadline).
type Extension struct {
	Stage            int       // the stage whose deadline moves
	PreviousDeadline time.Time // the deadline before the extension
	NewDeadline      time.Time
	LegalBasis       string // as the approver gave it, e.g. a KMK or a letter of DJPK
}

// Completion is the pemda's completion report.
type Completion struct {
	OutputPercent  dak.Percent
	AbsorbedAmount dak.Money
	BASTNumber     string
	BASTDate       time.Time
	Shortfall      string   // why output is below 100%, if it is
	Outputs        []Output // outputs achieved; empty prints the planned ones
}

// ThisStage is the figures of the stage a disbursement document is about.
func (in *Input) ThisStage() dak.StageFigures {
	if n := in.Stage.Number; n >= 1 && n <= len(in.Figures.Stages) {
		return in.Figures.Stages[n-1]
	}
	return dak.StageFigures{Number: in.Stage.Number}
}

// ReceivedBefore is what the pemda received before the stage a
// disbursement document is about.
func (in *Input) ReceivedBefore() dak.Money {
	if n := in.Stage.Number; n >= 2 && n-1 <= len(in.Figures.Stages) {
		return in.Figures.Stages[n-2].CumulativePaid
	}
	return 0
}

// StageName names the stage a disbursement document is about as letters
// say it: "tahap II", or "sekaligus" when the allocation is paid in one
// stage (never "tahap I" of a one-stage disbursement).
func (in *Input) StageName() string {
	if in.Disbursement.Mode == "sekaligus" {
		return "sekaligus"
	}
	return "tahap " + roman(in.Stage.Number)
}
