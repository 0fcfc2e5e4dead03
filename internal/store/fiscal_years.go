package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/region"
)

type fiscalYearRow struct {
	Year               int               `json:"year"`
	Ceiling            int64             `json:"ceiling"`
	Committed          int64             `json:"committed"`
	SubmissionDeadline *time.Time        `json:"submission_deadline"`
	UpdatedAt          time.Time         `json:"updated_at"`
	CalendarColumns    `gorm:"embedded"` // calendar.go
	// The JSON tags (and CalendarColumns') read the row as a transition's
	// locking read brings it (LockReads.FiscalYear), on PostgreSQL.
}

func (fiscalYearRow) TableName() string { return "fiscal_years" }

func (r fiscalYearRow) fiscalYear() dak.FiscalYear {
	fy := dak.FiscalYear{Year: r.Year, Ceiling: dak.Money(r.Ceiling), Committed: dak.Money(r.Committed), SubmissionDeadline: r.SubmissionDeadline}
	fy.Calendar = r.calendar(r.SubmissionDeadline)
	return fy
}

// SetFiscalYear creates or changes a fiscal year's ceiling and deadline
// (seeds and the command line). A ceiling below what is already committed
// answers ErrRule, and so does a change without a reason (SetCeilings).
func (s *Store) SetFiscalYear(ctx context.Context, year int, ceiling dak.Money, deadline *time.Time) (dak.FiscalYear, error) {
	return s.SetBudget(ctx, year, ceiling, deadline, nil)
}

// SetBudget is SetCeilings without region ceilings, reason or legal basis:
// enough for a first setting, refused for a change of an existing ceiling.
func (s *Store) SetBudget(ctx context.Context, year int, ceiling dak.Money, deadline *time.Time, menus map[dak.Menu]dak.Money) (dak.FiscalYear, error) {
	return s.SetCeilings(ctx, Budget{Year: year, Ceiling: ceiling, Deadline: deadline, Menus: menus})
}

// Budget is what PUT /fiscal-years/{year} sets: the national ceiling, the
// deadline, and the menu and region ceilings given (a zero amount removes
// one; those not given stay as they are).
type Budget struct {
	Year     int
	Ceiling  dak.Money
	Deadline *time.Time
	Menus    map[dak.Menu]dak.Money
	// Regions are indicative ceilings by province or kabupaten/kota code,
	// checked to exist by the caller.
	Regions map[string]dak.Money
	// ChangeReason and LegalBasis are required when an existing ceiling
	// changes, optional on a first setting (PRODUCT.md §10).
	ChangeReason, LegalBasis string
	// By is the user making the change; 0 for the command line and seeds.
	By int64
}

// CeilingChange is one dated record of GET /fiscal-years/{year}/ceiling-history.
type CeilingChange struct {
	ID            int64      `json:"id"`
	Year          int        `json:"year"`
	Scope         string     `json:"scope"` // national, menu or region
	Key           string     `json:"key"`   // the menu or region code; "" for national
	OldCeiling    *dak.Money `json:"old_ceiling"`
	NewCeiling    dak.Money  `json:"new_ceiling"`
	ChangeReason  string     `json:"change_reason"`
	LegalBasis    string     `json:"legal_basis"`
	ChangedBy     *int64     `json:"changed_by"`
	ChangedByName string     `json:"changed_by_name"`
	ChangedAt     time.Time  `json:"changed_at"`
}

// SetCeilings sets a fiscal year's ceilings and deadline in one
// transaction and writes every ceiling that changed as a row of
// ceiling_changes. What a menu or region has already been allocated counts
// as its committed amount. A ceiling below what is committed, menu
// ceilings adding up to more than the national one, a region ceiling above
// it, or a change of an existing ceiling without reason and legal basis
// answer ErrRule and change nothing. Past allocations are never touched.
func (s *Store) SetCeilings(ctx context.Context, b Budget) (dak.FiscalYear, error) {
	var fy dak.FiscalYear
	err := s.InTx(ctx, func(tx *Tx) error {
		var err error
		fy, err = tx.setCeilings(b)
		return err
	})
	return fy, err
}

// setCeilings is SetCeilings inside tx (SetYear adds the calendar).
func (tx *Tx) setCeilings(b Budget) (dak.FiscalYear, error) {
	var fy dak.FiscalYear
	err := func() error {
		changes, err := tx.ceilingChanges(b)
		if err != nil {
			return err
		}
		var errs dak.Fields
		for _, ch := range changes {
			if ch.OldCeiling != nil {
				if strings.TrimSpace(b.ChangeReason) == "" {
					errs.Add("change_reason", "alasan perubahan pagu wajib diisi")
				}
				if strings.TrimSpace(b.LegalBasis) == "" {
					errs.Add("legal_basis", "dasar hukum perubahan pagu wajib diisi")
				}
				break
			}
		}
		if err := errs.Err("perubahan pagu tidak lengkap"); err != nil {
			return err
		}
		err = tx.db.Exec(`INSERT INTO fiscal_years (year, ceiling, committed, submission_deadline, updated_at) VALUES (?, ?, 0, ?, ?)
			ON CONFLICT (year) DO UPDATE SET ceiling = excluded.ceiling, submission_deadline = excluded.submission_deadline, updated_at = excluded.updated_at`,
			b.Year, int64(b.Ceiling), b.Deadline, tx.now).Error
		if IsCheckViolation(err) { // an allocation committed after the check above
			return belowCommitted("ceiling", "pagu", -1)
		}
		if err != nil {
			return fmt.Errorf("set fiscal year %d: %w", b.Year, err)
		}
		if err := tx.setMenuCeilings(b.Year, b.Menus); err != nil {
			return err
		}
		if err := tx.setRegionCeilings(b.Year, b.Regions); err != nil {
			return err
		}
		if fy, err = tx.FiscalYear(b.Year); err != nil {
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
		for _, code := range slices.Sorted(maps.Keys(fy.Regions)) {
			if c := fy.Regions[code].Ceiling; c > fy.Ceiling {
				errs.Add("region_ceilings."+code, "pagu wilayah %s melebihi pagu nasional %s", c, fy.Ceiling)
			}
		}
		if len(errs) > 0 {
			return &dak.Error{Kind: dak.ErrRule, Detail: "pagu wilayah melebihi pagu nasional", Fields: errs}
		}
		for _, ch := range changes {
			var by *int64
			if b.By != 0 {
				by = &b.By
			}
			var old *int64
			if ch.OldCeiling != nil {
				o := int64(*ch.OldCeiling)
				old = &o
			}
			if err := tx.db.Exec(`INSERT INTO ceiling_changes (year, scope, scope_key, old_ceiling, new_ceiling, change_reason, legal_basis, changed_by, changed_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, b.Year, ch.Scope, ch.Key, old, int64(ch.NewCeiling),
				strings.TrimSpace(b.ChangeReason), strings.TrimSpace(b.LegalBasis), by, tx.now).Error; err != nil {
				return fmt.Errorf("record ceiling change %d/%s/%s: %w", b.Year, ch.Scope, ch.Key, err)
			}
		}
		return nil
	}()
	return fy, err
}

// belowCommitted is the refusal of a ceiling lowered below what is already
// allocated under it; committed < 0 when the amount is not known (the
// CHECK caught a concurrent allocation).
func belowCommitted(field, what string, committed dak.Money) error {
	msg := what + " tidak boleh lebih kecil dari alokasi yang sudah ditetapkan"
	if committed >= 0 {
		msg = fmt.Sprintf("%s tidak boleh lebih kecil dari alokasi yang sudah ditetapkan (%s)", what, committed)
	}
	return &dak.Error{Kind: dak.ErrRule, Detail: what + " lebih kecil dari alokasi yang sudah ditetapkan",
		Fields: []dak.FieldError{{Field: field, Message: msg}}}
}

// ceilingChanges compares b with the ceilings stored, under a lock on the
// year's row so that two changes of one year queue (SQLite has one writer),
// and refuses every ceiling below what is committed under it.
func (tx *Tx) ceilingChanges(b Budget) ([]CeilingChange, error) {
	var old []fiscalYearRow
	if err := tx.db.Raw(`SELECT year, ceiling, committed FROM fiscal_years WHERE year = ?`+tx.forUpdate(), b.Year).Scan(&old).Error; err != nil {
		return nil, fmt.Errorf("read fiscal year %d: %w", b.Year, err)
	}
	var changes []CeilingChange
	var errs dak.Fields
	if len(old) == 0 {
		changes = append(changes, CeilingChange{Scope: "national", NewCeiling: b.Ceiling})
	} else {
		if c := dak.Money(old[0].Committed); b.Ceiling < c {
			errs.Add("ceiling", "pagu tidak boleh lebih kecil dari alokasi yang sudah ditetapkan (%s)", c)
		}
		if oc := dak.Money(old[0].Ceiling); oc != b.Ceiling {
			changes = append(changes, CeilingChange{Scope: "national", OldCeiling: &oc, NewCeiling: b.Ceiling})
		}
	}
	fy := dak.FiscalYear{Year: b.Year}
	if len(old) > 0 {
		var err error
		if fy, err = tx.FiscalYear(b.Year); err != nil {
			return nil, err
		}
	}
	for _, m := range slices.Sorted(maps.Keys(b.Menus)) {
		cur, ok := fy.Menus[m]
		ch, changed := ceilingChange("menu", string(m), cur.Ceiling, ok, b.Menus[m])
		if !changed {
			continue
		}
		changes = append(changes, ch)
		committed := cur.Committed
		if !ok {
			if err := tx.db.Raw(`SELECT COALESCE(SUM(allocated_amount), 0) FROM proposals WHERE fiscal_year = ? AND menu = ?`, b.Year, string(m)).Scan(&committed).Error; err != nil {
				return nil, err
			}
		}
		if b.Menus[m] != 0 && b.Menus[m] < committed {
			errs.Add("menu_ceilings."+string(m), "pagu menu tidak boleh lebih kecil dari alokasi menu yang sudah ditetapkan (%s)", committed)
		}
	}
	for _, code := range slices.Sorted(maps.Keys(b.Regions)) {
		cur, ok := fy.Regions[code]
		ch, changed := ceilingChange("region", code, cur.Ceiling, ok, b.Regions[code])
		if !changed {
			continue
		}
		changes = append(changes, ch)
		committed := cur.Committed
		if !ok {
			var err error
			if committed, err = tx.regionAllocated(b.Year, code); err != nil {
				return nil, err
			}
		}
		if b.Regions[code] != 0 && b.Regions[code] < committed {
			errs.Add("region_ceilings."+code, "pagu wilayah tidak boleh lebih kecil dari alokasi wilayah yang sudah ditetapkan (%s)", committed)
		}
	}
	if len(errs) > 0 {
		return nil, &dak.Error{Kind: dak.ErrRule, Detail: "pagu lebih kecil dari alokasi yang sudah ditetapkan", Fields: errs}
	}
	return changes, nil
}

// ceilingChange is the change of a menu's or region's ceiling from cur
// (set when exists) to next, where 0 removes it; changed false when none.
func ceilingChange(scope, key string, cur dak.Money, exists bool, next dak.Money) (CeilingChange, bool) {
	switch {
	case exists && cur == next, !exists && next == 0:
		return CeilingChange{}, false
	case exists:
		return CeilingChange{Scope: scope, Key: key, OldCeiling: &cur, NewCeiling: next}, true
	}
	return CeilingChange{Scope: scope, Key: key, NewCeiling: next}, true
}

// regionAllocated is what the year has allocated inside a region: the
// proposals of the region itself and of the regions within it.
func (tx *Tx) regionAllocated(year int, code string) (dak.Money, error) {
	var sum dak.Money
	err := tx.db.Raw(`SELECT COALESCE(SUM(allocated_amount), 0) FROM proposals WHERE fiscal_year = ? AND (region_code = ? OR region_code LIKE ?)`,
		year, code, code+".%").Scan(&sum).Error
	if err != nil {
		return 0, fmt.Errorf("allocated in %s/%d: %w", code, year, err)
	}
	return sum, nil
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
			return belowCommitted("menu_ceilings."+string(menu), "pagu menu", -1)
		}
		if err != nil {
			return fmt.Errorf("set menu ceiling %d/%s: %w", year, menu, err)
		}
	}
	return nil
}

// setRegionCeilings is setMenuCeilings for the regions: a new row starts
// with what the region has already been allocated as its committed amount.
func (tx *Tx) setRegionCeilings(year int, regions map[string]dak.Money) error {
	for code, ceiling := range regions {
		if ceiling == 0 {
			if err := tx.db.Exec(`DELETE FROM region_ceilings WHERE year = ? AND region_code = ?`, year, code).Error; err != nil {
				return err
			}
			continue
		}
		err := tx.db.Exec(`INSERT INTO region_ceilings (year, region_code, ceiling, committed)
			SELECT ?, ?, ?, COALESCE(SUM(allocated_amount), 0) FROM proposals WHERE fiscal_year = ? AND (region_code = ? OR region_code LIKE ?)
			ON CONFLICT (year, region_code) DO UPDATE SET ceiling = excluded.ceiling`, year, code, int64(ceiling), year, code, code+".%").Error
		if IsCheckViolation(err) {
			return belowCommitted("region_ceilings."+code, "pagu wilayah", -1)
		}
		if err != nil {
			return fmt.Errorf("set region ceiling %d/%s: %w", year, code, err)
		}
	}
	return nil
}

// CeilingHistory lists a year's ceiling changes, oldest first, with the
// name of who made each; ErrNotFound for a year never set.
func (s *Store) CeilingHistory(ctx context.Context, year int) ([]CeilingChange, error) {
	var out []CeilingChange
	err := s.ReadTx(ctx, func(tx *Tx) error {
		if _, err := tx.FiscalYear(year); err != nil {
			return err
		}
		var rows []struct {
			ID           int64
			Year         int
			Scope        string
			ScopeKey     string
			OldCeiling   *int64
			NewCeiling   int64
			ChangeReason string
			LegalBasis   string
			ChangedBy    *int64
			FullName     *string
			ChangedAt    time.Time
		}
		if err := tx.db.Raw(`SELECT c.id, c.year, c.scope, c.scope_key, c.old_ceiling, c.new_ceiling, c.change_reason, c.legal_basis,
			c.changed_by, u.full_name, c.changed_at FROM ceiling_changes c LEFT JOIN users u ON u.id = c.changed_by
			WHERE c.year = ? ORDER BY c.id`, year).Scan(&rows).Error; err != nil {
			return fmt.Errorf("ceiling history %d: %w", year, err)
		}
		out = make([]CeilingChange, len(rows))
		for i, r := range rows {
			out[i] = CeilingChange{ID: r.ID, Year: r.Year, Scope: r.Scope, Key: r.ScopeKey, NewCeiling: dak.Money(r.NewCeiling),
				ChangeReason: r.ChangeReason, LegalBasis: r.LegalBasis, ChangedBy: r.ChangedBy, ChangedAt: r.ChangedAt.UTC()}
			if r.OldCeiling != nil {
				o := dak.Money(*r.OldCeiling)
				out[i].OldCeiling = &o
			}
			if r.FullName != nil {
				out[i].ChangedByName = *r.FullName
			}
		}
		return nil
	})
	return out, err
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

// FiscalYears lists every fiscal year, newest first.
func (s *Store) FiscalYears(ctx context.Context) ([]dak.FiscalYear, error) {
	var out []dak.FiscalYear
	err := s.ReadTx(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.fiscalYears(`ORDER BY year DESC`)
		return err
	})
	return out, err
}

// FiscalYear reads a fiscal year inside a transaction, with its menu and
// region ceilings, in one statement (every submission reads it).
func (tx *Tx) FiscalYear(year int) (dak.FiscalYear, error) {
	list, err := tx.fiscalYears(`WHERE year = ?`, year)
	if err != nil {
		return dak.FiscalYear{}, err
	}
	if len(list) == 0 {
		return dak.FiscalYear{}, dak.Errorf(dak.ErrNotFound, "tahun anggaran %d tidak ditemukan", year)
	}
	return list[0], nil
}

// fiscalYears reads the fiscal years that the clause (a WHERE, an ORDER
// BY) picks, each with its menu and region ceilings as JSON arrays of
// [name, ceiling, committed] in the same statement: the one read of a
// year and its ceilings, for a submission, the list and a change alike.
func (tx *Tx) fiscalYears(clause string, args ...any) ([]dak.FiscalYear, error) {
	var rows []struct {
		Year        fiscalYearRow `gorm:"embedded"`
		MenusJSON   string
		RegionsJSON string
	}
	menus, regions := tx.ceilingsJSON("")
	err := tx.db.Raw(`SELECT fiscal_years.*, `+menus+` AS menus_json, `+regions+` AS regions_json
		FROM fiscal_years `+clause, args...).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("read fiscal years: %w", err)
	}
	out := make([]dak.FiscalYear, len(rows))
	for i, r := range rows {
		if out[i], err = r.Year.withCeilings(r.MenusJSON, r.RegionsJSON); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ceilingsJSON are the select-list items of a fiscal_years row's menu and
// region ceilings, JSON arrays of [name, ceiling, committed]: every region's,
// or with regionOf (the SQL of a region code) only those that bind a
// proposal of that region (CeilingRegions: its kabupaten/kota's and its
// province's, codes of 5 and 2 characters).
func (tx *Tx) ceilingsJSON(regionOf string) (menus, regions string) {
	agg, wrap := "json_group_array(json_array(%s, ceiling, committed))", "(SELECT %s FROM %s WHERE year = fiscal_years.year%s)"
	if tx.dialect == Postgres {
		agg, wrap = "json_agg(json_build_array(%s, ceiling, committed))", "COALESCE((SELECT %s FROM %s WHERE year = fiscal_years.year%s), '[]')"
	}
	binding := ""
	if regionOf != "" {
		binding = " AND region_code IN (substr(" + regionOf + ", 1, 2), substr(" + regionOf + ", 1, 5))"
	}
	return fmt.Sprintf(wrap, fmt.Sprintf(agg, "menu"), "menu_ceilings", ""),
		fmt.Sprintf(wrap, fmt.Sprintf(agg, "region_code"), "region_ceilings", binding)
}

// bindingCeilings is regions with only the ceilings that bind a proposal of
// regionCode (CeilingRegions), as ceilingsJSON(regionOf) reads them.
func bindingCeilings(regions map[string]dak.RegionCeiling, regionCode string) map[string]dak.RegionCeiling {
	var out map[string]dak.RegionCeiling
	for _, code := range CeilingRegions(regionCode) {
		if c, ok := regions[code]; ok {
			if out == nil {
				out = map[string]dak.RegionCeiling{}
			}
			out[code] = c
		}
	}
	return out
}

// withCeilings is the fiscal year of r with the ceilings of ceilingsJSON.
func (r fiscalYearRow) withCeilings(menus, regions string) (dak.FiscalYear, error) {
	fy := r.fiscalYear()
	err := eachCeiling(menus, func(name string, c, committed dak.Money) {
		if fy.Menus == nil {
			fy.Menus = map[dak.Menu]dak.MenuCeiling{}
		}
		fy.Menus[dak.Menu(name)] = dak.MenuCeiling{Ceiling: c, Committed: committed}
	})
	if err == nil {
		err = eachCeiling(regions, func(name string, c, committed dak.Money) {
			if fy.Regions == nil {
				fy.Regions = map[string]dak.RegionCeiling{}
			}
			fy.Regions[name] = dak.RegionCeiling{Ceiling: c, Committed: committed}
		})
	}
	if err != nil {
		return fy, fmt.Errorf("ceilings of %d: %w", fy.Year, err)
	}
	return fy, nil
}

// eachCeiling calls add for each [name, ceiling, committed] of list, a
// JSON array.
func eachCeiling(list string, add func(name string, ceiling, committed dak.Money)) error {
	var lines [][3]json.RawMessage
	if err := json.Unmarshal([]byte(list), &lines); err != nil {
		return err
	}
	for _, l := range lines {
		var (
			name               string
			ceiling, committed int64
		)
		if err := errors.Join(json.Unmarshal(l[0], &name), json.Unmarshal(l[1], &ceiling), json.Unmarshal(l[2], &committed)); err != nil {
			return err
		}
		add(name, dak.Money(ceiling), dak.Money(committed))
	}
	return nil
}

// ReserveCeiling adds amount to the year's committed total, to the
// menu's when the menu has a ceiling, and to the region's — the
// kabupaten/kota's and the province's — when they have one, only if all
// stay within their ceilings: one conditional UPDATE each, so concurrent
// allocations can never overspend (the CHECK constraints are the second
// line). It reports false when a ceiling would be passed; the caller then
// returns an error, so that its transaction rolls back what was reserved.
func (tx *Tx) ReserveCeiling(year int, menu dak.Menu, regionCode string, amount dak.Money) (bool, error) {
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
	if menus > 0 {
		res = tx.db.Exec(`UPDATE menu_ceilings SET committed = committed + ? WHERE year = ? AND menu = ? AND committed + ? <= ceiling`,
			int64(amount), year, string(menu), int64(amount))
		if res.Error != nil && !IsCheckViolation(res.Error) {
			return false, fmt.Errorf("reserve %d of ceiling %d/%s: %w", amount, year, menu, res.Error)
		}
		if res.Error != nil || res.RowsAffected != 1 {
			return false, nil
		}
	}
	for _, code := range CeilingRegions(regionCode) {
		var n int64
		if err := tx.db.Raw(`SELECT COUNT(*) FROM region_ceilings WHERE year = ? AND region_code = ?`, year, code).Scan(&n).Error; err != nil {
			return false, err
		}
		if n == 0 {
			continue
		}
		res = tx.db.Exec(`UPDATE region_ceilings SET committed = committed + ? WHERE year = ? AND region_code = ? AND committed + ? <= ceiling`,
			int64(amount), year, code, int64(amount))
		if res.Error != nil && !IsCheckViolation(res.Error) {
			return false, fmt.Errorf("reserve %d of ceiling %d/%s: %w", amount, year, code, res.Error)
		}
		if res.Error != nil || res.RowsAffected != 1 {
			return false, nil
		}
	}
	return true, nil
}

// CeilingRegions are the codes whose region ceiling an allocation in
// regionCode counts against: its kabupaten/kota and its province.
func CeilingRegions(regionCode string) []string {
	c := region.Code(regionCode)
	var out []string
	if r := c.Regency(); r != "" {
		out = append(out, string(r))
	}
	if p := c.Province(); p != "" {
		out = append(out, string(p))
	}
	return out
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
