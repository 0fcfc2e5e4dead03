package store

import (
	"context"
	"fmt"
	"time"

	"dakflow/internal/dak"
)

// Use after completion (PRODUCT.md §9): the pemda's semester reports on a
// completed sentra and their photos, both append-only (migration 0011),
// and the field visits that change a sentra's status.
// sentra_monitoring.go reads where each monitored sentra stands.

type sentraReportRow struct {
	ID               int64
	SentraID         int64
	Period           string
	IKMUsing         int64 `gorm:"column:ikm_using"`
	Workers          int64
	ProductionValue  int64
	OccupancyPercent int64 // whole percent
	Condition        string
	OperatingBudget  int64
	Issues           string
	FiledBy          int64
	CreatedAt        time.Time
	FiledByName      string `gorm:"->;-:migration"` // read from users, never written
}

func (sentraReportRow) TableName() string { return "sentra_reports" }

func (r sentraReportRow) facts() dak.ReportFacts {
	p, _ := dak.ParsePeriod(r.Period) // only valid periods are ever stored
	return dak.ReportFacts{ID: r.ID, Period: p, IKMUsing: r.IKMUsing, Occupancy: dak.Percent(r.OccupancyPercent * 100),
		FiledAt: r.CreatedAt}
}

func (r sentraReportRow) report(m dak.MonitoringParams) dak.SentraReport {
	f := r.facts()
	return dak.SentraReport{ID: r.ID, SentraID: r.SentraID, Period: r.Period, PeriodLabel: f.Period.Label(), IKMUsing: r.IKMUsing,
		Workers: r.Workers, ProductionValue: dak.Money(r.ProductionValue), OccupancyPercent: f.Occupancy,
		Condition: r.Condition, OperatingBudget: dak.Money(r.OperatingBudget), Issues: r.Issues, FiledBy: r.FiledBy,
		FiledByName: r.FiledByName, CreatedAt: r.CreatedAt.UTC(), DueDate: m.Due(f.Period).Format(time.DateOnly),
		Late: m.Late(f), Unused: m.Unused(f), Photos: []dak.ReportPhoto{}}
}

type reportPhotoRow struct {
	ID          int64
	ReportID    int64
	FileName    string
	ContentType string
	Size        int64
	SHA256      string `gorm:"column:sha256"`
	Latitude    *float64
	Longitude   *float64
	Data        []byte
	UploadedBy  int64
	CreatedAt   time.Time
}

func (reportPhotoRow) TableName() string { return "sentra_report_photos" }

func (r reportPhotoRow) photo() dak.ReportPhoto {
	return dak.ReportPhoto{ID: r.ID, ReportID: r.ReportID, Kind: dak.PhotoKind, FileName: r.FileName, ContentType: r.ContentType,
		Size: r.Size, SHA256: r.SHA256, Latitude: r.Latitude, Longitude: r.Longitude, UploadedBy: r.UploadedBy,
		CreatedAt: r.CreatedAt.UTC()}
}

// FileSentraReport stores u's report (validated, so every figure is
// there: in.Validate gave period)
// on a sentra of u's region, under the monitoring rules m: the sentra must
// have a proposal that reached m.AfterState, and the period must be owed
// and begun and not yet reported. ErrNotFound for a sentra u may not see,
// ErrForbidden for one u does not act for, ErrRule when no proposal of it
// completed, ErrInvalid naming period otherwise.
func (s *Store) FileSentraReport(ctx context.Context, u dak.User, sentraID int64, in dak.SentraReportInput, period dak.Period,
	m dak.MonitoringParams) (dak.SentraReport, error) {
	out, _, err := s.FileSentraReportOnce(ctx, u, sentraID, in, period, m, "", "")
	return out, err
}

// fileReport is FileSentraReport in tx, on the sentra r read locked (so
// one filing at a time per sentra); it returns the report's row.
func (tx *Tx) fileReport(u dak.User, r sentraRow, in dak.SentraReportInput, period dak.Period, m dak.MonitoringParams) (sentraReportRow, error) {
	done, err := tx.completions(m.AfterState, r.ID, "")
	if err != nil {
		return sentraReportRow{}, err
	}
	if len(done) == 0 {
		return sentraReportRow{}, dak.Errorf(dak.ErrRule, "sentra %s belum memiliki usulan DAK yang selesai; laporan pemanfaatan dimulai setelah penyelesaian", r.Name)
	}
	badPeriod := func(format string, args ...any) error {
		return &dak.Error{Kind: dak.ErrInvalid, Detail: "laporan pemanfaatan tidak valid",
			Fields: []dak.FieldError{{Field: "period", Message: fmt.Sprintf(format, args...)}}}
	}
	if msg := m.CheckPeriod(period, done[0].CompletedAt, tx.now); msg != "" {
		return sentraReportRow{}, badPeriod("%s", msg)
	}
	var earlier sentraReportRow
	if err := tx.db.Where("sentra_id = ? AND period = ?", r.ID, period.String()).Limit(1).Find(&earlier).Error; err != nil {
		return sentraReportRow{}, fmt.Errorf("read report of sentra %d: %w", r.ID, err)
	}
	if earlier.ID != 0 {
		return sentraReportRow{}, badPeriod("laporan periode %s telah disampaikan pada %s dan tidak dapat diubah", period, dak.FormatDate(earlier.CreatedAt))
	}
	row := sentraReportRow{SentraID: r.ID, Period: period.String(), IKMUsing: *in.IKMUsing, Workers: *in.Workers,
		ProductionValue: int64(*in.ProductionValue), OccupancyPercent: int64(*in.OccupancyPercent / 100), Condition: in.Condition,
		OperatingBudget: int64(*in.OperatingBudget), Issues: in.Issues, FiledBy: u.ID, CreatedAt: tx.now}
	if err := tx.db.Create(&row).Error; err != nil {
		if IsUniqueViolation(err) {
			return sentraReportRow{}, badPeriod("laporan periode %s telah disampaikan", period)
		}
		return sentraReportRow{}, fmt.Errorf("file report of sentra %d: %w", r.ID, err)
	}
	return row, nil
}

// SentraVisible is ErrNotFound unless u may see sentra id: a handler asks
// it before it reads a request about the sentra, so that another region's
// pemda learns nothing from how its request is refused (PRODUCT.md §1).
func (s *Store) SentraVisible(ctx context.Context, u dak.User, id int64) error {
	var regions []string
	if err := s.reader(ctx).Raw(`SELECT region_code FROM sentra WHERE id = ?`, id).Scan(&regions).Error; err != nil {
		return fmt.Errorf("read sentra %d: %w", id, err)
	}
	if len(regions) == 0 || !u.Sees(regions[0]) {
		return dak.Errorf(dak.ErrNotFound, "sentra %d tidak ditemukan", id)
	}
	return nil
}

// nameOf is how a user signs what it files: the full name, else the
// username.
func nameOf(u dak.User) string {
	if u.FullName != "" {
		return u.FullName
	}
	return u.Username
}

// SentraReportsView is a sentra's monitoring: its reports with their
// photos, oldest period first, and, once a proposal of it completed, where
// it stands (Monitored).
type SentraReportsView struct {
	Sentra    dak.Sentra // the record, without history or funding
	Monitored *MonitoredSentra
	Reports   []dak.SentraReport
}

// SentraReports reads a sentra's reports and schedule for u at the store's
// time, under the monitoring rules m. ErrNotFound for a sentra u may not
// see.
func (s *Store) SentraReports(ctx context.Context, u dak.User, sentraID int64, m dak.MonitoringParams) (SentraReportsView, error) {
	var out SentraReportsView
	err := s.ReadTx(ctx, func(tx *Tx) error {
		r, err := tx.readSentra(u, sentraID, false)
		if err != nil {
			return err
		}
		out.Sentra = r.sentra()
		var rows []sentraReportRow
		err = tx.db.Raw(`SELECT r.*, COALESCE(NULLIF(u.full_name, ''), u.username) AS filed_by_name
			FROM sentra_reports r JOIN users u ON u.id = r.filed_by WHERE r.sentra_id = ? ORDER BY r.period`, sentraID).Scan(&rows).Error
		if err != nil {
			return fmt.Errorf("read reports of sentra %d: %w", sentraID, err)
		}
		var photos []reportPhotoRow
		err = tx.db.Omit("data").Where("report_id IN (SELECT id FROM sentra_reports WHERE sentra_id = ?)", sentraID).
			Order("id").Find(&photos).Error
		if err != nil {
			return fmt.Errorf("read photos of sentra %d: %w", sentraID, err)
		}
		byReport := map[int64][]dak.ReportPhoto{}
		for _, p := range photos {
			byReport[p.ReportID] = append(byReport[p.ReportID], p.photo())
		}
		facts := make([]dak.ReportFacts, len(rows))
		for i, row := range rows {
			rep := row.report(m)
			if ps := byReport[row.ID]; ps != nil {
				rep.Photos = ps
			}
			out.Reports = append(out.Reports, rep)
			facts[i] = row.facts()
		}
		done, err := tx.completions(m.AfterState, sentraID, "")
		if err != nil || len(done) == 0 {
			return err
		}
		d := done[0]
		d.Assessment = m.Assess(d.CompletedAt, facts, tx.now)
		out.Monitored = &d
		return nil
	})
	return out, err
}

// AddReportPhoto stores a photo (checked by the caller: JPEG or PNG,
// within the upload limit) of one of a sentra's reports for u, filling p's
// id and time. ErrNotFound for a sentra u may not see or a report not of
// it, ErrForbidden for a sentra u does not act for, ErrRule past
// dak.MaxReportPhotos. It runs as InValueTx, since it carries the file.
func (s *Store) AddReportPhoto(ctx context.Context, u dak.User, sentraID int64, p *dak.ReportPhoto, data []byte) error {
	_, err := s.AddReportPhotoOnce(ctx, u, sentraID, p, data, "", "")
	return err
}

// AddReportPhotoOnce is AddReportPhoto under an Idempotency-Key (key, ""
// for none, with requestHash, what the request asked): a retry answers in
// p the photo the first request stored (replayed) and stores nothing; the
// key answered for another request is ErrInvalid. The sentra is locked
// before the stored answer is looked for, so a retry sent while the first
// request still runs waits for it and replays.
func (s *Store) AddReportPhotoOnce(ctx context.Context, u dak.User, sentraID int64, p *dak.ReportPhoto, data []byte,
	key, requestHash string) (replayed bool, err error) {
	err = s.InValueTx(ctx, int64(len(data)), func(tx *Tx) error {
		r, err := tx.readSentra(u, sentraID, true) // counts photos one upload at a time
		if err != nil {
			return err
		}
		if !u.ActsFor(r.RegionCode) {
			return dak.Errorf(dak.ErrForbidden, "hanya pemda wilayah sentra yang mengunggah foto pemanfaatan")
		}
		var n int64
		if err := tx.db.Model(&sentraReportRow{}).Where("id = ? AND sentra_id = ?", p.ReportID, sentraID).Count(&n).Error; err != nil {
			return fmt.Errorf("read report %d: %w", p.ReportID, err)
		}
		if n == 0 {
			return dak.Errorf(dak.ErrNotFound, "laporan %d tidak ditemukan", p.ReportID)
		}
		if key != "" {
			prev, err := tx.IdempotentReply(u.ID, key)
			if err != nil {
				return err
			}
			if prev != nil {
				// The hash covers the sentra and the report, so a key
				// sent again for another report is another request.
				if prev.Photo == 0 || prev.RequestHash != requestHash {
					return keyReused()
				}
				*p, err = tx.reportPhoto(prev.Photo)
				replayed = err == nil
				return err
			}
		}
		if err := tx.db.Model(&reportPhotoRow{}).Where("report_id = ?", p.ReportID).Count(&n).Error; err != nil {
			return fmt.Errorf("count photos of report %d: %w", p.ReportID, err)
		}
		if n >= dak.MaxReportPhotos {
			return &dak.Error{Kind: dak.ErrRule, Detail: "batas jumlah foto tercapai", Fields: []dak.FieldError{{Field: "file",
				Message: fmt.Sprintf("laporan ini sudah memiliki %d foto, batasnya %d", n, dak.MaxReportPhotos)}}}
		}
		row := reportPhotoRow{ReportID: p.ReportID, FileName: p.FileName, ContentType: p.ContentType, Size: p.Size, SHA256: p.SHA256,
			Latitude: p.Latitude, Longitude: p.Longitude, Data: data, UploadedBy: u.ID, CreatedAt: tx.now}
		if err := tx.db.Create(&row).Error; err != nil {
			return fmt.Errorf("add photo to report %d: %w", p.ReportID, err)
		}
		if key == "" {
			*p = row.photo()
			return nil
		}
		if err := tx.saveIdempotentPhoto(u.ID, key, requestHash, row.ID); err != nil {
			return err
		}
		// The first answer is read back from its row as every replay
		// will be, so that the two are the same.
		*p, err = tx.reportPhoto(row.ID)
		return err
	})
	return replayed && err == nil, err
}

// reportPhoto reads photo id without its bytes: an upload's answer, read
// back for its retry.
func (tx *Tx) reportPhoto(id int64) (dak.ReportPhoto, error) {
	var row reportPhotoRow
	if err := tx.db.Omit("data").Where("id = ?", id).Take(&row).Error; err != nil {
		return dak.ReportPhoto{}, translate(err, "foto")
	}
	return row.photo(), nil
}

// ReportPhoto returns one photo of a sentra's report with its bytes.
// ErrNotFound for a sentra u may not see, or a photo not of that report of
// that sentra.
func (s *Store) ReportPhoto(ctx context.Context, u dak.User, sentraID, reportID, photoID int64) (dak.ReportPhoto, []byte, error) {
	var row reportPhotoRow
	err := s.ReadTx(ctx, func(tx *Tx) error {
		if _, err := tx.readSentra(u, sentraID, false); err != nil {
			return err
		}
		err := tx.db.Where("id = ? AND report_id = ? AND report_id IN (SELECT id FROM sentra_reports WHERE sentra_id = ?)",
			photoID, reportID, sentraID).Take(&row).Error
		return translate(err, "foto")
	})
	return row.photo(), row.Data, err
}

// RecordSentraVisit records a field visit by a verifier (validated:
// in.Validate gave day) as a line of the sentra's status history, with
// the basis "Kunjungan lapangan {day}" and the findings as its note, and
// moves the sentra to in.Status when one is given. It returns the line.
// ErrNotFound for no such sentra, ErrForbidden for anyone but a verifier,
// ErrInvalid naming date for a status change dated before the sentra's
// current status.
func (s *Store) RecordSentraVisit(ctx context.Context, u dak.User, sentraID int64, in dak.SentraVisitInput, day time.Time) (dak.SentraEntry, error) {
	out, _, err := s.RecordSentraVisitOnce(ctx, u, sentraID, in, day, "", "")
	return out, err
}

// recordVisit is RecordSentraVisit in tx, on the sentra r read locked; it
// returns the id of the history line it added.
func (tx *Tx) recordVisit(u dak.User, r sentraRow, in dak.SentraVisitInput, day time.Time) (int64, error) {
	date, basis := day.In(dak.WIB).Format(time.DateOnly), dak.VisitBasis(day)
	if in.Status == "" {
		// The visit is on record; the status stays as it is.
		return tx.addSentraHistory(r.ID, dak.SentraStatus(r.Status), date, basis, in.Findings, u, 0)
	}
	if date < r.StatusDate { // YYYY-MM-DD: the strings' order is the days'
		return 0, &dak.Error{Kind: dak.ErrInvalid, Detail: "kunjungan lapangan tidak valid", Fields: []dak.FieldError{{Field: "date",
			Message: fmt.Sprintf("status tidak dapat diubah dengan tanggal sebelum status terakhir sentra (%s)", dak.DateWords(r.StatusDate))}}}
	}
	return tx.setSentraStatus(r.ID, in.Status, date, basis, in.Findings, u, 0)
}
