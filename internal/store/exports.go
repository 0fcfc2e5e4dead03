package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"dakflow/internal/dak"
)

// exportRow is the trail_exports table (migration 0008).
type exportRow struct {
	ID              int64
	RegionCode      string
	FiscalYear      int
	State           string
	Total           int
	Done            int
	Problems        int
	Attempts        int
	RequestedBy     int64
	RequestedByName string `gorm:"->"`
	CreatedAt       time.Time
	StartedAt       *time.Time
	FinishedAt      *time.Time
	Worker          string
	HeartbeatAt     *time.Time
	FileName        string
	Size            int64
	SHA256          string `gorm:"column:sha256"`
	Error           string
}

func (exportRow) TableName() string { return "trail_exports" }

func (r exportRow) export() dak.TrailExport {
	utc := func(t *time.Time) *time.Time {
		if t == nil {
			return nil
		}
		u := t.UTC()
		return &u
	}
	return dak.TrailExport{ID: r.ID, RegionCode: r.RegionCode, FiscalYear: r.FiscalYear, State: r.State, Total: r.Total,
		Done: r.Done, Problems: r.Problems, Attempts: r.Attempts, RequestedBy: r.RequestedBy, RequestedByName: r.RequestedByName,
		CreatedAt: r.CreatedAt.UTC(), StartedAt: utc(r.StartedAt), FinishedAt: utc(r.FinishedAt), Worker: r.Worker,
		HeartbeatAt: utc(r.HeartbeatAt), FileName: r.FileName, Size: r.Size, SHA256: r.SHA256, Error: r.Error}
}

const exportSQL = `SELECT t.*, u.username AS requested_by_name FROM trail_exports t JOIN users u ON u.id = t.requested_by`

// CreateTrailExport queues a trail export. A user may have at most
// maxOpen exports queued or running; another answers ErrTooMany. When
// request is not nil it is written to the access log in the same
// transaction, naming the new export: requested and recorded, or neither.
// CreateTrailExportOnce is the same under an Idempotency-Key.
func (s *Store) CreateTrailExport(ctx context.Context, e *dak.TrailExport, maxOpen int, request *dak.Access) error {
	return s.InTx(ctx, func(tx *Tx) error { return tx.createTrailExport(e, maxOpen, request) })
}

func (tx *Tx) createTrailExport(e *dak.TrailExport, maxOpen int, request *dak.Access) error {
	var open int64
	if err := tx.db.Model(&exportRow{}).Where("requested_by = ? AND state IN ?", e.RequestedBy,
		[]string{dak.ExportQueued, dak.ExportRunning}).Count(&open).Error; err != nil {
		return fmt.Errorf("count open exports: %w", err)
	}
	if open >= int64(maxOpen) {
		return dak.Errorf(dak.ErrTooMany, "Anda sudah memiliki %d ekspor yang belum selesai; tunggu hingga selesai", open)
	}
	row := exportRow{RegionCode: e.RegionCode, FiscalYear: e.FiscalYear, State: dak.ExportQueued,
		RequestedBy: e.RequestedBy, CreatedAt: tx.now}
	if err := tx.db.Omit("requested_by_name").Create(&row).Error; err != nil {
		return fmt.Errorf("create export: %w", err)
	}
	e.ID, e.State, e.CreatedAt = row.ID, row.State, row.CreatedAt
	if request == nil {
		return nil
	}
	request.ObjectID = e.ID
	return tx.recordAccess(request)
}

// TrailExport returns one export, or ErrNotFound.
func (s *Store) TrailExport(ctx context.Context, id int64) (dak.TrailExport, error) {
	return readTrailExport(s.reader(ctx), id)
}

// readTrailExport reads export id on db: the read pool, or a transaction.
func readTrailExport(db *gorm.DB, id int64) (dak.TrailExport, error) {
	var row exportRow
	if err := db.Raw(exportSQL+` WHERE t.id = ?`, id).Scan(&row).Error; err != nil {
		return dak.TrailExport{}, fmt.Errorf("read export %d: %w", id, err)
	}
	if row.ID == 0 {
		return dak.TrailExport{}, dak.Errorf(dak.ErrNotFound, "ekspor %d tidak ditemukan", id)
	}
	return row.export(), nil
}

// TrailExports lists exports, newest first, and their count.
func (s *Store) TrailExports(ctx context.Context, page, perPage int) ([]dak.TrailExport, int64, error) {
	var total int64
	if err := s.reader(ctx).Model(&exportRow{}).Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count exports: %w", err)
	}
	page, perPage = max(page, 1), max(perPage, 1)
	var rows []exportRow
	if err := s.reader(ctx).Raw(exportSQL+` ORDER BY t.id DESC LIMIT ? OFFSET ?`, perPage, (page-1)*perPage).Scan(&rows).Error; err != nil {
		return nil, 0, fmt.Errorf("list exports: %w", err)
	}
	out := make([]dak.TrailExport, len(rows))
	for i, r := range rows {
		out[i] = r.export()
	}
	return out, total, nil
}

// ExportClaim is how a worker claims trail exports.
type ExportClaim struct {
	Worker      string        // who claims: unique per process
	Lease       time.Duration // a running job not heard of for this long is taken over
	MaxRunning  int           // jobs running at once across every process
	MaxAttempts int           // a job taken over this many times fails
}

// ClaimTrailExport gives worker the oldest queued export, or one whose
// worker stopped beating (its process died), unless MaxRunning jobs are
// already running; ok is false when there is nothing to claim. The claim
// is one conditional UPDATE, so two processes never build the same job; a
// job abandoned MaxAttempts times is failed instead of claimed again.
func (s *Store) ClaimTrailExport(ctx context.Context, c ExportClaim) (e dak.TrailExport, ok bool, err error) {
	err = s.InTx(ctx, func(tx *Tx) error {
		if tx.dialect == Postgres {
			// One claim at a time, so that MaxRunning holds across processes.
			if err := tx.db.Exec(`SELECT pg_advisory_xact_lock(727002)`).Error; err != nil {
				return fmt.Errorf("claim export: lock: %w", err)
			}
		}
		stale := tx.now.Add(-c.Lease)
		if err := tx.db.Exec(`UPDATE trail_exports SET state = ?, finished_at = ?, worker = '', error = ?
			WHERE state = ? AND heartbeat_at < ? AND attempts >= ?`, dak.ExportFailed, tx.now,
			fmt.Sprintf("proses pembuat ekspor berhenti %d kali sebelum selesai; ajukan ekspor baru", c.MaxAttempts),
			dak.ExportRunning, stale, c.MaxAttempts).Error; err != nil {
			return fmt.Errorf("fail abandoned exports: %w", err)
		}
		var running int64
		if err := tx.db.Model(&exportRow{}).Where("state = ? AND heartbeat_at >= ?", dak.ExportRunning, stale).Count(&running).Error; err != nil {
			return fmt.Errorf("count running exports: %w", err)
		}
		if running >= int64(c.MaxRunning) {
			return nil
		}
		var id int64
		if err := tx.db.Raw(`SELECT id FROM trail_exports WHERE state = ? OR (state = ? AND heartbeat_at < ?) ORDER BY id LIMIT 1`,
			dak.ExportQueued, dak.ExportRunning, stale).Scan(&id).Error; err != nil {
			return fmt.Errorf("find export to claim: %w", err)
		}
		if id == 0 {
			return nil
		}
		res := tx.db.Exec(`UPDATE trail_exports SET state = ?, worker = ?, heartbeat_at = ?, started_at = ?,
			attempts = attempts + 1, total = 0, done = 0, problems = 0, error = ''
			WHERE id = ? AND (state = ? OR (state = ? AND heartbeat_at < ?))`,
			dak.ExportRunning, c.Worker, tx.now, tx.now, id, dak.ExportQueued, dak.ExportRunning, stale)
		if res.Error != nil {
			return fmt.Errorf("claim export %d: %w", id, res.Error)
		}
		if res.RowsAffected != 1 {
			return nil // another worker was first
		}
		var row exportRow
		if err := tx.db.Raw(exportSQL+` WHERE t.id = ?`, id).Scan(&row).Error; err != nil {
			return fmt.Errorf("read claimed export %d: %w", id, err)
		}
		e, ok = row.export(), true
		return nil
	})
	return e, ok, err
}

// held updates export id only while worker still holds it; when another
// worker took it over it answers ErrConflict, and the caller stops.
func (s *Store) held(ctx context.Context, id int64, worker, set string, args ...any) error {
	now := s.Now()
	args = append([]any{now}, args...)
	args = append(args, id, worker, dak.ExportRunning)
	res := s.db.WithContext(ctx).Exec(`UPDATE trail_exports SET heartbeat_at = ?, `+set+` WHERE id = ? AND worker = ? AND state = ?`, args...)
	if res.Error != nil {
		return fmt.Errorf("update export %d: %w", id, res.Error)
	}
	if res.RowsAffected != 1 {
		return dak.Errorf(dak.ErrConflict, "ekspor %d tidak lagi dipegang oleh %s", id, worker)
	}
	return nil
}

// TrailExportProgress records how far worker got and that it is alive.
func (s *Store) TrailExportProgress(ctx context.Context, id int64, worker string, total, done, problems int) error {
	return s.held(ctx, id, worker, "total = ?, done = ?, problems = ?", total, done, problems)
}

// FinishTrailExport marks the export done with its file.
func (s *Store) FinishTrailExport(ctx context.Context, id int64, worker, fileName string, size int64, sha256 string) error {
	return s.held(ctx, id, worker, "state = ?, done = total, finished_at = ?, file_name = ?, size = ?, sha256 = ?",
		dak.ExportDone, s.Now(), fileName, size, sha256)
}

// FailTrailExport marks the export failed, saying why.
func (s *Store) FailTrailExport(ctx context.Context, id int64, worker, reason string) error {
	return s.held(ctx, id, worker, "state = ?, finished_at = ?, error = ?", dak.ExportFailed, s.Now(), reason)
}

// ReleaseTrailExport puts a job worker holds back in the queue (its
// process is stopping), without counting the attempt.
func (s *Store) ReleaseTrailExport(ctx context.Context, id int64, worker string) error {
	return s.held(ctx, id, worker, "state = ?, worker = '', attempts = attempts - 1, total = 0, done = 0, problems = 0", dak.ExportQueued)
}
