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
	return s.SetBudget(ctx, year, ceiling, deadline, nil)
}

// SetBudget sets a fiscal year's ceiling and deadline and the ceilings of
// the menus given (a zero amount removes a menu's ceiling), in one
// transaction. What a menu has already been allocated counts as its
// committed amount. A ceiling below what is committed, or menu ceilings
// adding up to more than the national one, answer ErrRule and change
// nothing.
func (s *Store) SetBudget(ctx context.Context, year int, ceiling dak.Money, deadline *time.Time, menus map[dak.Menu]dak.Money) (dak.FiscalYear, error) {
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
		if err := tx.setMenuCeilings(year, menus); err != nil {
			return err
		}
		if fy, err = tx.FiscalYear(year); err != nil {
			return err
		}
		var sum dak.Money
		for _, m := range fy.Menus {
			sum += m.Ceiling
		}
		if sum > fy.Ceiling {
			return &dak.Error{Kind: dak.ErrRule, Detail: "jumlah pagu menu melebihi pagu nasional",
				Fields: []dak.FieldError{{Field: "menu_ceilings", Message: fmt.Sprintf("jumlah pagu menu %s melebihi pagu %s", sum, fy.Ceiling)}}}
		}
		return nil
	})
	return fy, err
}

func (tx *Tx) setMenuCeilings(year int, menus map[dak.Menu]dak.Money) error {
	for menu, ceiling := range menus {
		if ceiling == 0 {
			if err := tx.db.Exec(`DELETE FROM menu_ceilings WHERE year = ? AND menu = ?`, year, string(menu)).Error; err != nil {
				return err
			}
			continue
		}
		err := tx.db.Exec(`INSERT INTO menu_ceilings (year, menu, ceiling, committed)
			SELECT ?, ?, ?, COALESCE(SUM(allocated_amount), 0) FROM proposals WHERE fiscal_year = ? AND menu = ?
			ON CONFLICT (year, menu) DO UPDATE SET ceiling = excluded.ceiling`, year, string(menu), int64(ceiling), year, string(menu)).Error
		if IsCheckViolation(err) {
			return &dak.Error{Kind: dak.ErrRule, Detail: "pagu menu lebih kecil dari alokasi yang sudah ditetapkan",
				Fields: []dak.FieldError{{Field: "menu_ceilings." + string(menu), Message: "pagu menu tidak boleh lebih kecil dari alokasi menu yang sudah ditetapkan"}}}
		}
		if err != nil {
			return fmt.Errorf("set menu ceiling %d/%s: %w", year, menu, err)
		}
	}
	return nil
}

// FiscalYear reads a fiscal year, or ErrNotFound.
func (s *Store) FiscalYear(ctx context.Context, year int) (dak.FiscalYear, error) {
	var fy dak.FiscalYear
	err := s.ReadTx(ctx, func(tx *Tx) error {
		var err error
		fy, err = tx.FiscalYear(year)
		return err
	})
	return fy, err
}

func (tx *Tx) menuCeilings(fy *dak.FiscalYear) error {
	var rows []struct {
		Menu      string
		Ceiling   int64
		Committed int64
	}
	if err := tx.db.Raw(`SELECT menu, ceiling, committed FROM menu_ceilings WHERE year = ?`, fy.Year).Scan(&rows).Error; err != nil {
		return fmt.Errorf("menu ceilings of %d: %w", fy.Year, err)
	}
	for _, r := range rows {
		if fy.Menus == nil {
			fy.Menus = map[dak.Menu]dak.MenuCeiling{}
		}
		fy.Menus[dak.Menu(r.Menu)] = dak.MenuCeiling{Ceiling: dak.Money(r.Ceiling), Committed: dak.Money(r.Committed)}
	}
	return nil
}

// FiscalYears lists every fiscal year, newest first.
func (s *Store) FiscalYears(ctx context.Context) ([]dak.FiscalYear, error) {
	var out []dak.FiscalYear
	err := s.ReadTx(ctx, func(tx *Tx) error {
		var rows []fiscalYearRow
		if err := tx.db.Order("year DESC").Find(&rows).Error; err != nil {
			return fmt.Errorf("list fiscal years: %w", err)
		}
		out = make([]dak.FiscalYear, len(rows))
		for i, r := range rows {
			out[i] = r.fiscalYear()
			if err := tx.menuCeilings(&out[i]); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// FiscalYear reads a fiscal year inside a transaction.
func (tx *Tx) FiscalYear(year int) (dak.FiscalYear, error) {
	var row fiscalYearRow
	if err := tx.db.Where("year = ?", year).Take(&row).Error; err != nil {
		return dak.FiscalYear{}, translate(err, fmt.Sprintf("tahun anggaran %d", year))
	}
	fy := row.fiscalYear()
	return fy, tx.menuCeilings(&fy)
}

// ReserveCeiling adds amount to the year's committed total, and to the
// menu's when the menu has a ceiling, only if both stay within their
// ceilings: one conditional UPDATE each, so concurrent allocations can
// never overspend (the CHECK constraints are the second line). It reports
// false when a ceiling would be passed; the caller then returns an error,
// so that its transaction rolls back what was reserved.
func (tx *Tx) ReserveCeiling(year int, menu dak.Menu, amount dak.Money) (bool, error) {
	res := tx.db.Exec(`UPDATE fiscal_years SET committed = committed + ?, updated_at = ?
		WHERE year = ? AND committed + ? <= ceiling`, int64(amount), tx.now, year, int64(amount))
	if res.Error != nil && !IsCheckViolation(res.Error) {
		return false, fmt.Errorf("reserve %d of ceiling %d: %w", amount, year, res.Error)
	}
	if res.Error != nil || res.RowsAffected != 1 {
		return false, nil
	}
	var menus int64
	if err := tx.db.Raw(`SELECT COUNT(*) FROM menu_ceilings WHERE year = ? AND menu = ?`, year, string(menu)).Scan(&menus).Error; err != nil {
		return false, err
	}
	if menus == 0 {
		return true, nil
	}
	res = tx.db.Exec(`UPDATE menu_ceilings SET committed = committed + ? WHERE year = ? AND menu = ? AND committed + ? <= ceiling`,
		int64(amount), year, string(menu), int64(amount))
	if res.Error != nil && !IsCheckViolation(res.Error) {
		return false, fmt.Errorf("reserve %d of ceiling %d/%s: %w", amount, year, menu, res.Error)
	}
	return res.Error == nil && res.RowsAffected == 1, nil
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

// Summary aggregates a year's proposals by state in the database, in one
// read snapshot with the year's ceilings.
func (s *Store) Summary(ctx context.Context, year int) (YearSummary, error) {
	var sum YearSummary
	err := s.ReadTx(ctx, func(tx *Tx) error {
		var err error
		sum, err = tx.summary(year)
		return err
	})
	return sum, err
}

func (tx *Tx) summary(year int) (YearSummary, error) {
	var sum YearSummary
	var err error
	if sum.FiscalYear, err = tx.FiscalYear(year); err != nil {
		return sum, err
	}
	err = tx.db.Raw(`SELECT state, COUNT(*) AS count, COALESCE(SUM(requested_amount),0) AS requested,
		COALESCE(SUM(recommended_amount),0) AS recommended, COALESCE(SUM(allocated_amount),0) AS allocated,
		COALESCE(SUM(disbursed_amount),0) AS disbursed FROM proposals WHERE fiscal_year = ? GROUP BY state ORDER BY state`,
		year).Scan(&sum.ByState).Error
	if err != nil {
		return sum, fmt.Errorf("summary %d: %w", year, err)
	}
	return sum, nil
}

// Deadline is a submission deadline instant.
type Deadline = time.Time

// EndOfDay is the last second of a WIB date, as a deadline.
func EndOfDay(d time.Time) *time.Time {
	end := d.Add(24*time.Hour - time.Second).UTC()
	return &end
}
