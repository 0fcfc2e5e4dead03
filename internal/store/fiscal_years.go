package store

import (
	"context"
	"fmt"
	"time"

	"dakflow/internal/dak"
)

type fiscalYearRow struct {
	Year               int
	Ceiling            int64
	Committed          int64
	SubmissionDeadline *time.Time
	UpdatedAt          time.Time
}

func (fiscalYearRow) TableName() string { return "fiscal_years" }

func (r fiscalYearRow) fiscalYear() dak.FiscalYear {
	return dak.FiscalYear{Year: r.Year, Ceiling: dak.Money(r.Ceiling), Committed: dak.Money(r.Committed), SubmissionDeadline: r.SubmissionDeadline}
}

// SetFiscalYear creates or changes a fiscal year's ceiling and deadline. A
// ceiling below what is already committed answers ErrRule.
func (s *Store) SetFiscalYear(ctx context.Context, year int, ceiling dak.Money, deadline *time.Time) (dak.FiscalYear, error) {
	var fy dak.FiscalYear
	err := s.InTx(ctx, func(tx *Tx) error {
		err := tx.db.Exec(`INSERT INTO fiscal_years (year, ceiling, committed, submission_deadline, updated_at) VALUES (?, ?, 0, ?, ?)
			ON CONFLICT (year) DO UPDATE SET ceiling = excluded.ceiling, submission_deadline = excluded.submission_deadline, updated_at = excluded.updated_at`,
			year, int64(ceiling), deadline, tx.now).Error
		if IsCheckViolation(err) {
			return &dak.Error{Kind: dak.ErrRule, Detail: "pagu lebih kecil dari alokasi yang sudah ditetapkan",
				Fields: []dak.FieldError{{Field: "ceiling", Message: "pagu tidak boleh lebih kecil dari alokasi yang sudah ditetapkan"}}}
		}
		if err != nil {
			return fmt.Errorf("set fiscal year %d: %w", year, err)
		}
		fy, err = tx.FiscalYear(year)
		return err
	})
	return fy, err
}

// FiscalYear reads a fiscal year, or ErrNotFound.
func (s *Store) FiscalYear(ctx context.Context, year int) (dak.FiscalYear, error) {
	var row fiscalYearRow
	err := s.db.WithContext(ctx).Where("year = ?", year).Take(&row).Error
	return row.fiscalYear(), translate(err, fmt.Sprintf("tahun anggaran %d", year))
}

// FiscalYears lists every fiscal year, newest first.
func (s *Store) FiscalYears(ctx context.Context) ([]dak.FiscalYear, error) {
	var rows []fiscalYearRow
	if err := s.db.WithContext(ctx).Order("year DESC").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list fiscal years: %w", err)
	}
	out := make([]dak.FiscalYear, len(rows))
	for i, r := range rows {
		out[i] = r.fiscalYear()
	}
	return out, nil
}

// FiscalYear reads a fiscal year inside a transaction.
func (tx *Tx) FiscalYear(year int) (dak.FiscalYear, error) {
	var row fiscalYearRow
	err := tx.db.Where("year = ?", year).Take(&row).Error
	return row.fiscalYear(), translate(err, fmt.Sprintf("tahun anggaran %d", year))
}

// Commit adds amount to the year's committed total only if it stays within
// the ceiling: one conditional UPDATE, so concurrent allocations can never
// overspend (the CHECK constraint is the second line). It reports false
// when the ceiling would be passed.
func (tx *Tx) Commit(year int, amount dak.Money) (bool, error) {
	res := tx.db.Exec(`UPDATE fiscal_years SET committed = committed + ?, updated_at = ?
		WHERE year = ? AND committed + ? <= ceiling`, int64(amount), tx.now, year, int64(amount))
	if res.Error != nil {
		if IsCheckViolation(res.Error) {
			return false, nil
		}
		return false, fmt.Errorf("commit %d to %d: %w", amount, year, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// Release gives back what a proposal no longer needs (e.g. a lapsed stage).
func (tx *Tx) Release(year int, amount dak.Money) error {
	return tx.db.Exec(`UPDATE fiscal_years SET committed = committed - ?, updated_at = ? WHERE year = ?`,
		int64(amount), tx.now, year).Error
}

// YearSummary is the fiscal-year report of GET /fiscal-years/{year}/summary.
type YearSummary struct {
	dak.FiscalYear
	ByState []StateCount `json:"by_state"`
}

// StateCount is the count and money of the proposals in one state.
type StateCount struct {
	State       string    `json:"state"`
	Count       int64     `json:"count"`
	Requested   dak.Money `json:"requested_amount"`
	Recommended dak.Money `json:"recommended_amount"`
	Allocated   dak.Money `json:"allocated_amount"`
	Disbursed   dak.Money `json:"disbursed_amount"`
}

// Summary aggregates a year's proposals by state in the database.
func (s *Store) Summary(ctx context.Context, year int) (YearSummary, error) {
	fy, err := s.FiscalYear(ctx, year)
	if err != nil {
		return YearSummary{}, err
	}
	var rows []StateCount
	err = s.db.WithContext(ctx).Raw(`SELECT state, COUNT(*) AS count, COALESCE(SUM(requested_amount),0) AS requested,
		COALESCE(SUM(recommended_amount),0) AS recommended, COALESCE(SUM(allocated_amount),0) AS allocated,
		COALESCE(SUM(disbursed_amount),0) AS disbursed FROM proposals WHERE fiscal_year = ? GROUP BY state ORDER BY state`, year).Scan(&rows).Error
	if err != nil {
		return YearSummary{}, fmt.Errorf("summary %d: %w", year, err)
	}
	return YearSummary{FiscalYear: fy, ByState: rows}, nil
}

// Deadline is a submission deadline instant.
type Deadline = time.Time

// EndOfDay is the last second of a WIB date, as a deadline.
func EndOfDay(d time.Time) *time.Time {
	end := d.Add(24*time.Hour - time.Second).UTC()
	return &end
}
