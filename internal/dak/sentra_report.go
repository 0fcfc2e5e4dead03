package dak

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Use after completion (pemanfaatan, PRODUCT.md §9): for monitoring_years
// after a sentra's proposal completed, its pemda files one report per
// semester, with photos. This file holds the report's input and its
// checks; sentra_schedule.go the semesters due and the flags.

// Period is one semester of use after completion: "2028-S1" is January to
// June 2028, "2028-S2" July to December.
type Period struct {
	Year int
	Half int // 1 or 2
}

// ParsePeriod reads "YYYY-S1" or "YYYY-S2" (years 2000 to 2100).
func ParsePeriod(s string) (Period, error) {
	bad := fmt.Errorf("periode %s harus berformat YYYY-S1 atau YYYY-S2, misalnya 2028-S1", clipForError(s))
	if len(s) != 7 || s[4:6] != "-S" || (s[6] != '1' && s[6] != '2') || !allDigits(s[:4]) {
		return Period{}, bad
	}
	y, _ := strconv.Atoi(s[:4]) // four digits
	if y < 2000 || y > 2100 {
		return Period{}, fmt.Errorf("tahun periode %s harus antara 2000 dan 2100", clipForError(s))
	}
	return Period{Year: y, Half: int(s[6] - '0')}, nil
}

// PeriodOf is the semester that holds t's calendar day in WIB.
func PeriodOf(t time.Time) Period {
	t = t.In(WIB)
	if t.Month() <= time.June {
		return Period{t.Year(), 1}
	}
	return Period{t.Year(), 2}
}

// String is the period as the API writes it: "2028-S1".
func (p Period) String() string { return fmt.Sprintf("%04d-S%d", p.Year, p.Half) }

// Label is the period as pages write it: "Semester I 2028".
func (p Period) Label() string {
	if p.Half == 1 {
		return "Semester I " + strconv.Itoa(p.Year)
	}
	return "Semester II " + strconv.Itoa(p.Year)
}

// Start is midnight WIB of the semester's first day.
func (p Period) Start() time.Time {
	return time.Date(p.Year, time.Month(6*(p.Half-1)+1), 1, 0, 0, 0, 0, WIB)
}

// End is midnight WIB of the semester's last day (30 June, 31 December).
func (p Period) End() time.Time { return p.Next().Start().AddDate(0, 0, -1) }

// Next is the semester after p.
func (p Period) Next() Period {
	if p.Half == 1 {
		return Period{p.Year, 2}
	}
	return Period{p.Year + 1, 1}
}

// Before reports whether p comes before q.
func (p Period) Before(q Period) bool {
	return p.Year < q.Year || p.Year == q.Year && p.Half < q.Half
}

// ReportConditions are the states a facility may be reported in, with
// their labels.
var ReportConditions = map[string]string{"baik": "Baik", "rusak_ringan": "Rusak ringan", "rusak_berat": "Rusak berat"}

// Photos of a report.
const (
	// MaxReportPhotos caps the photos of one report, so that one account
	// cannot fill the database.
	MaxReportPhotos = 20
	// PhotoKind is the attachment kind of a report's photos.
	PhotoKind = "foto_pemanfaatan"
)

// SentraReportInput is what the pemda files for one semester (PRODUCT.md
// §9). Every figure must be given (a missing one is not a zero: no IKM
// using the facility flags it unused); the occupancy is a whole
// percentage, as stored.
type SentraReportInput struct {
	Period           string   `json:"period"`
	IKMUsing         *int64   `json:"ikm_using"`
	Workers          *int64   `json:"workers"`
	ProductionValue  *Money   `json:"production_value"`
	OccupancyPercent *Percent `json:"occupancy_percent"`
	Condition        string   `json:"condition"`
	OperatingBudget  *Money   `json:"operating_budget"`
	Issues           string   `json:"issues"`
}

// Validate checks the report's shape and returns its period; whether the
// period is one the sentra owes is the schedule's (CheckPeriod). Every
// problem is reported at once, each naming its field. Once it passes,
// every figure is present.
func (in *SentraReportInput) Validate() (Period, error) {
	in.Period, in.Condition, in.Issues = strings.TrimSpace(in.Period), strings.TrimSpace(in.Condition), strings.TrimSpace(in.Issues)
	var errs Fields
	p, err := ParsePeriod(in.Period)
	if err != nil {
		errs.Add("period", "%v", err)
	}
	count := func(field string, v *int64, max int64, what string) {
		switch {
		case v == nil:
			errs.Add(field, "%s wajib diisi (0 bila tidak ada)", what)
		case *v < 0 || *v > max:
			errs.Add(field, "%s harus antara 0 dan %s", what, Money(max).Figures())
		}
	}
	count("ikm_using", in.IKMUsing, MaxIKMUnits, "jumlah IKM yang memanfaatkan")
	count("workers", in.Workers, MaxWorkers, "jumlah tenaga kerja")
	if in.ProductionValue == nil {
		errs.Add("production_value", "nilai produksi wajib diisi (0 bila tidak ada)")
	}
	switch o := in.OccupancyPercent; {
	case o == nil:
		errs.Add("occupancy_percent", "tingkat hunian wajib diisi (0 sampai 100)")
	case o.Valid0to100() != nil:
		errs.Add("occupancy_percent", "tingkat hunian harus antara 0 dan 100 persen")
	case *o%100 != 0:
		errs.Add("occupancy_percent", "tingkat hunian ditulis dalam persen bulat, misalnya 45")
	}
	if ReportConditions[in.Condition] == "" {
		errs.Add("condition", "kondisi harus salah satu dari baik, rusak_ringan, rusak_berat")
	}
	if in.OperatingBudget == nil {
		errs.Add("operating_budget", "anggaran operasional wajib diisi (0 bila tidak ada)")
	}
	checkText(&errs, "issues", in.Issues, MaxSentraNote, true) // a NUL would be refused by PostgreSQL
	return p, errs.Err("laporan pemanfaatan tidak valid")
}

// SentraReport is one filed report, as the API shows it.
type SentraReport struct {
	ID               int64         `json:"id"`
	SentraID         int64         `json:"sentra_id"`
	Period           string        `json:"period"`
	PeriodLabel      string        `json:"period_label"`
	IKMUsing         int64         `json:"ikm_using"`
	Workers          int64         `json:"workers"`
	ProductionValue  Money         `json:"production_value"`
	OccupancyPercent Percent       `json:"occupancy_percent"`
	Condition        string        `json:"condition"`
	OperatingBudget  Money         `json:"operating_budget"`
	Issues           string        `json:"issues"`
	FiledBy          int64         `json:"filed_by"`
	FiledByName      string        `json:"filed_by_name"`
	CreatedAt        time.Time     `json:"created_at"`
	DueDate          string        `json:"due_date"` // the last day it was due, YYYY-MM-DD
	Late             bool          `json:"late"`     // filed after DueDate
	Unused           bool          `json:"unused"`   // under the thresholds of tidak_dimanfaatkan
	Photos           []ReportPhoto `json:"photos"`
}

// ReportPhoto is a photo of a report (kind foto_pemanfaatan), without its
// bytes, with where it was taken when the pemda gave it.
type ReportPhoto struct {
	ID          int64     `json:"id"`
	ReportID    int64     `json:"report_id"`
	Kind        string    `json:"kind"`
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	SHA256      string    `json:"sha256"`
	Latitude    *float64  `json:"latitude"`
	Longitude   *float64  `json:"longitude"`
	UploadedBy  int64     `json:"uploaded_by"`
	CreatedAt   time.Time `json:"created_at"`
}

// PhotoType names a photo's content type from its first bytes: JPEG or
// PNG, whatever the client claims; ok is false for anything else.
func PhotoType(data []byte) (contentType string, ok bool) {
	switch s := string(data[:min(len(data), 8)]); {
	case strings.HasPrefix(s, "\xFF\xD8\xFF"):
		return "image/jpeg", true
	case s == "\x89PNG\r\n\x1a\n":
		return "image/png", true
	}
	return "", false
}

// CheckPhotoCoordinates adds a problem for where a photo was taken: a
// latitude or longitude outside Indonesia, or one without the other (the
// registry's own bounds).
func CheckPhotoCoordinates(errs *Fields, lat, lon *float64) { checkCoordinates(errs, "", lat, lon) }

// SentraVisitInput is a field visit (kunjungan lapangan) by the ministry:
// what it found, and the status it gives the sentra when it changes it.
type SentraVisitInput struct {
	Date     string       `json:"date"`
	Status   SentraStatus `json:"status"`
	Findings string       `json:"findings"`
}

// Validate checks the visit against today (now, in WIB): a real date not
// in the future, a known status or none, findings written down. It returns
// the visit's day.
func (in *SentraVisitInput) Validate(now time.Time) (time.Time, error) {
	in.Date, in.Findings = strings.TrimSpace(in.Date), strings.TrimSpace(in.Findings)
	in.Status = SentraStatus(strings.TrimSpace(string(in.Status)))
	var errs Fields
	day, err := ParseDate(in.Date)
	switch {
	case err != nil:
		errs.Add("date", "%v", err)
	case day.After(now):
		errs.Add("date", "tanggal kunjungan %s belum terjadi", FormatDate(day))
	case day.Year() < 2000:
		errs.Add("date", "tanggal kunjungan harus sejak tahun 2000")
	}
	if in.Status != "" {
		if _, err := ParseSentraStatus(string(in.Status)); err != nil {
			errs.Add("status", "%v; kosongkan bila status tidak berubah", err)
		}
	}
	if in.Findings == "" {
		errs.Add("findings", "temuan kunjungan wajib diisi")
	}
	checkText(&errs, "findings", in.Findings, MaxSentraNote, true)
	return day, errs.Err("kunjungan lapangan tidak valid")
}

// VisitBasis is the basis a field visit writes in the sentra's status
// history: "Kunjungan lapangan 22 November 2026".
func VisitBasis(day time.Time) string { return "Kunjungan lapangan " + FormatDate(day) }
