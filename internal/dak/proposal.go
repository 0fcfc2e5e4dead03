package dak

import (
	"fmt"
	"strings"
	"time"
)

// Menu is the kind of DAK IKM activity (PRODUCT.md §2).
type Menu string

// The two menus of the bidang.
const (
	MenuPembangunan  Menu = "pembangunan"  // build a new Sentra IKM
	MenuRevitalisasi Menu = "revitalisasi" // improve an existing, living one
)

// Label is the menu as written in documents.
func (m Menu) Label() string {
	switch m {
	case MenuPembangunan:
		return "Pembangunan Sentra IKM"
	case MenuRevitalisasi:
		return "Revitalisasi Sentra IKM"
	}
	return string(m)
}

// ProposalInput is what a pemda officer files and edits: the content of a
// proposal, never its state or amounts decided by others.
type ProposalInput struct {
	FiscalYear  int          `json:"fiscal_year"`
	Menu        Menu         `json:"menu"`
	Title       string       `json:"title"`
	RegionCode  string       `json:"region_code,omitempty"`
	SentraID    int64        `json:"sentra_id,omitempty"` // the registered sentra (PRODUCT.md §9); 0: none yet
	Sentra      SentraInput  `json:"sentra"`
	Land        Land         `json:"land"`
	BudgetLines []BudgetLine `json:"budget_lines"`
	Outputs     []Output     `json:"outputs"`
}

// SentraInput describes the Sentra IKM a proposal builds or revitalises.
type SentraInput struct {
	Name         string   `json:"name"`
	Commodity    string   `json:"commodity"`
	VillageCode  string   `json:"village_code"`
	Address      string   `json:"address"`
	Latitude     *float64 `json:"latitude"`
	Longitude    *float64 `json:"longitude"`
	IKMUnits     int      `json:"ikm_units"`
	Workers      int      `json:"workers"`
	DecreeNumber string   `json:"decree_number"`
	DecreeDate   string   `json:"decree_date"`
}

// Land is the plot the sentra stands on (required for pembangunan).
type Land struct {
	AreaM2            int64  `json:"area_m2"`
	Ownership         string `json:"ownership"`
	CertificateNumber string `json:"certificate_number"`
}

// BudgetLine is one RAB (or RK) line; Total is derived, never trusted from input.
type BudgetLine struct {
	Category    string `json:"category"`
	Description string `json:"description"`
	Quantity    int64  `json:"quantity"`
	Unit        string `json:"unit"`
	UnitPrice   Money  `json:"unit_price"`
	Total       Money  `json:"total"`
}

// Output is a planned physical output, e.g. "12 unit mesin".
type Output struct {
	Description string `json:"description"`
	Volume      int64  `json:"volume"`
	Unit        string `json:"unit"`
}

// Limits bound what one proposal may hold, so that no request can make the
// server build an unbounded document.
const (
	MaxBudgetLines = 300
	MaxOutputs     = 100
	MaxQuantity    = 1_000_000
	maxText        = 500
)

// SumLines fills each line's Total and returns the sum. It reports
// ErrInvalid when a product or the sum would pass MaxMoney.
func SumLines(lines []BudgetLine, path string) (Money, Fields) {
	var sum Money
	var errs Fields
	for i := range lines {
		l := &lines[i]
		if l.Quantity <= 0 || l.UnitPrice < 0 || l.Quantity > MaxQuantity || l.UnitPrice > MaxMoney {
			l.Total = 0
			continue
		}
		if l.UnitPrice > 0 && l.Quantity > int64(MaxMoney/l.UnitPrice) {
			errs.Add(fmt.Sprintf("%s[%d].unit_price", path, i), "jumlah baris melebihi batas")
			continue
		}
		l.Total = Money(l.Quantity) * l.UnitPrice
		if sum > MaxMoney-l.Total {
			errs.Add(path, "total anggaran melebihi batas")
			return 0, errs
		}
		sum += l.Total
	}
	return sum, errs
}

// Normalize trims surrounding spaces of every text field.
func (p *ProposalInput) Normalize() {
	for _, s := range p.texts() {
		*s.value = strings.TrimSpace(*s.value)
	}
}

type textField struct {
	path  string
	value *string
}

func (p *ProposalInput) texts() []textField {
	t := []textField{
		{"title", &p.Title}, {"region_code", &p.RegionCode},
		{"sentra.name", &p.Sentra.Name}, {"sentra.commodity", &p.Sentra.Commodity},
		{"sentra.village_code", &p.Sentra.VillageCode}, {"sentra.address", &p.Sentra.Address},
		{"sentra.decree_number", &p.Sentra.DecreeNumber}, {"sentra.decree_date", &p.Sentra.DecreeDate},
		{"land.ownership", &p.Land.Ownership}, {"land.certificate_number", &p.Land.CertificateNumber},
	}
	for i := range p.BudgetLines {
		l := &p.BudgetLines[i]
		t = append(t, textField{fmt.Sprintf("budget_lines[%d].category", i), &l.Category},
			textField{fmt.Sprintf("budget_lines[%d].description", i), &l.Description},
			textField{fmt.Sprintf("budget_lines[%d].unit", i), &l.Unit})
	}
	for i := range p.Outputs {
		o := &p.Outputs[i]
		t = append(t, textField{fmt.Sprintf("outputs[%d].description", i), &o.Description},
			textField{fmt.Sprintf("outputs[%d].unit", i), &o.Unit})
	}
	return t
}

// EachText calls fn with the JSON path and value of every text field, so a
// caller can check them against what the documents can print.
func (p *ProposalInput) EachText(fn func(path, value string)) {
	for _, s := range p.texts() {
		fn(s.path, *s.value)
	}
}

// Validate checks the shape of a draft: formats, ranges and known codes. It
// does not demand completeness; that is the submit guard's job, so a pemda
// can save unfinished work. Every problem is reported at once.
func (p *ProposalInput) Validate() error {
	p.Normalize()
	var errs Fields
	if p.FiscalYear < 2020 || p.FiscalYear > 2100 {
		errs.Add("fiscal_year", "tahun anggaran harus antara 2020 dan 2100")
	}
	if p.Menu != MenuPembangunan && p.Menu != MenuRevitalisasi {
		errs.Add("menu", "menu harus pembangunan atau revitalisasi")
	}
	if p.Title == "" {
		errs.Add("title", "judul usulan wajib diisi")
	}
	if p.SentraID < 0 {
		errs.Add("sentra_id", "nomor sentra harus bilangan bulat positif")
	}
	for _, s := range p.texts() {
		if len(*s.value) > maxText {
			errs.Add(s.path, "teks terlalu panjang (paling banyak %d karakter)", maxText)
		}
	}
	s := p.Sentra
	if s.Latitude != nil && (*s.Latitude < -11.5 || *s.Latitude > 6.5) {
		errs.Add("sentra.latitude", "lintang di luar wilayah Indonesia (-11,5 s.d. 6,5)")
	}
	if s.Longitude != nil && (*s.Longitude < 94.5 || *s.Longitude > 141.5) {
		errs.Add("sentra.longitude", "bujur di luar wilayah Indonesia (94,5 s.d. 141,5)")
	}
	if s.IKMUnits < 0 || s.IKMUnits > 100_000 {
		errs.Add("sentra.ikm_units", "jumlah IKM harus antara 0 dan 100.000")
	}
	if s.Workers < 0 || s.Workers > 1_000_000 {
		errs.Add("sentra.workers", "jumlah tenaga kerja harus antara 0 dan 1.000.000")
	}
	if s.DecreeDate != "" {
		if _, err := time.Parse("2006-01-02", s.DecreeDate); err != nil {
			errs.Add("sentra.decree_date", "tanggal harus ditulis "+DateHint)
		}
	}
	if p.Land.AreaM2 < 0 || p.Land.AreaM2 > 100_000_000 {
		errs.Add("land.area_m2", "luas lahan harus antara 0 dan 100.000.000 m²")
	}
	if o := p.Land.Ownership; o != "" && LandOwnerships[o] == "" {
		errs.Add("land.ownership", "status lahan harus salah satu dari milik_pemda, hibah, pinjam_pakai, lainnya")
	}
	errs = append(errs, ValidateLines(p.BudgetLines, "budget_lines")...)
	if len(p.Outputs) > MaxOutputs {
		errs.Add("outputs", "paling banyak %d keluaran", MaxOutputs)
	}
	for i, o := range p.Outputs {
		if o.Description == "" {
			errs.Add(fmt.Sprintf("outputs[%d].description", i), "uraian keluaran wajib diisi")
		}
		if o.Volume <= 0 || o.Volume > MaxQuantity {
			errs.Add(fmt.Sprintf("outputs[%d].volume", i), "volume harus antara 1 dan %d", MaxQuantity)
		}
		if o.Unit == "" {
			errs.Add(fmt.Sprintf("outputs[%d].unit", i), "satuan wajib diisi")
		}
	}
	return errs.Err("usulan tidak valid")
}

// ValidateLines checks RAB or RK lines and fills their totals.
func ValidateLines(lines []BudgetLine, path string) Fields {
	var errs Fields
	if len(lines) > MaxBudgetLines {
		errs.Add(path, "paling banyak %d baris", MaxBudgetLines)
		return errs
	}
	for i, l := range lines {
		at := fmt.Sprintf("%s[%d]", path, i)
		if Categories[l.Category] == "" {
			errs.Add(at+".category", "kategori %q tidak dikenal", l.Category)
		}
		if l.Description == "" {
			errs.Add(at+".description", "uraian wajib diisi")
		}
		if l.Quantity <= 0 || l.Quantity > MaxQuantity {
			errs.Add(at+".quantity", "kuantitas harus antara 1 dan %d", MaxQuantity)
		}
		if l.Unit == "" {
			errs.Add(at+".unit", "satuan wajib diisi")
		}
		if l.UnitPrice <= 0 || l.UnitPrice > MaxMoney {
			errs.Add(at+".unit_price", "harga satuan harus lebih dari Rp0 dan tidak melebihi batas")
		}
	}
	_, sumErrs := SumLines(lines, path)
	return append(errs, sumErrs...)
}

// IsEmpty reports whether the field at a JSON path holds no value. The
// workflow file lists required paths per menu; this is how they are read.
func (p *ProposalInput) IsEmpty(path string) (empty bool, known bool) {
	switch path {
	case "sentra.ikm_units":
		return p.Sentra.IKMUnits == 0, true
	case "sentra.workers":
		return p.Sentra.Workers == 0, true
	case "sentra.latitude":
		return p.Sentra.Latitude == nil, true
	case "sentra.longitude":
		return p.Sentra.Longitude == nil, true
	case "land.area_m2":
		return p.Land.AreaM2 == 0, true
	case "budget_lines":
		return len(p.BudgetLines) == 0, true
	case "outputs":
		return len(p.Outputs) == 0, true
	}
	for _, s := range p.texts() {
		if s.path == path {
			return *s.value == "", true
		}
	}
	return false, false
}
