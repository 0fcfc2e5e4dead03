package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"dakflow/internal/dak"
)

// CalendarChange is one dated record of GET
// /fiscal-years/{year}/calendar-history (table calendar_changes, migration
// 0018): a calendar value of the year as it was and as it became, kept as
// ceiling_changes keeps the ceilings' (issue 12, PRODUCT.md §10).
type CalendarChange struct {
	ID   int64  `json:"id"`
	Year int    `json:"year"`
	What string `json:"what"` // submission_opens, submission_closes, rk_deadline or stage_deadline
	// Stage is the stage number of a stage_deadline, null otherwise.
	Stage *int `json:"stage"`
	// OldAt is null on the year's first calendar or where there was no
	// limit; NewAt null where the limit was removed.
	OldAt *time.Time `json:"old_at"`
	NewAt *time.Time `json:"new_at"`
	// StagesMoved is how many planned stages took a stage_deadline's new
	// instant (moveStageDeadlines); null for the other values.
	StagesMoved   *int      `json:"stages_moved"`
	ChangeReason  string    `json:"change_reason"`
	LegalBasis    string    `json:"legal_basis"`
	ChangedBy     *int64    `json:"changed_by"`
	ChangedByName string    `json:"changed_by_name"`
	ChangedAt     time.Time `json:"changed_at"`
}

// The values of a calendar a CalendarChange names.
const (
	CalendarSubmissionOpens  = "submission_opens"
	CalendarSubmissionCloses = "submission_closes"
	CalendarRKDeadline       = "rk_deadline"
	CalendarStageDeadline    = "stage_deadline"
)

// storedCalendar reads the calendar year has before a change, under a
// lock on the year's row (SQLite has one writer); existed false for a year
// not opened yet, whose calendar is then empty.
func (tx *Tx) storedCalendar(year int) (dak.Calendar, bool, error) {
	var rows []fiscalYearRow
	if err := tx.db.Raw(`SELECT year, submission_deadline, submission_opens, rk_deadline, stage_deadlines FROM fiscal_years WHERE year = ?`+tx.forUpdate(),
		year).Scan(&rows).Error; err != nil {
		return dak.Calendar{}, false, fmt.Errorf("read calendar %d: %w", year, err)
	}
	if len(rows) == 0 {
		return dak.Calendar{}, false, nil
	}
	return rows[0].calendar(rows[0].SubmissionDeadline), true, nil
}

// calendarChanges lists the values that differ between old and cur (both
// as stored), in the calendar's order; moved is how many stages each
// stage number's change moved.
func calendarChanges(old, cur dak.Calendar, moved map[int]int) []CalendarChange {
	var out []CalendarChange
	add := func(what string, a, b *time.Time) {
		if sameInstant(a, b) {
			return
		}
		out = append(out, CalendarChange{What: what, OldAt: utcPtr(a), NewAt: utcPtr(b)})
	}
	add(CalendarSubmissionOpens, old.SubmissionOpens, cur.SubmissionOpens)
	add(CalendarSubmissionCloses, old.SubmissionCloses, cur.SubmissionCloses)
	add(CalendarRKDeadline, old.RKDeadline, cur.RKDeadline)
	stages := slices.Sorted(maps.Keys(old.StageDeadlines))
	for n := range cur.StageDeadlines {
		if _, ok := old.StageDeadlines[n]; !ok {
			stages = append(stages, n)
		}
	}
	slices.Sort(stages)
	for _, n := range stages {
		at := func(m map[int]time.Time) *time.Time {
			if t, ok := m[n]; ok {
				return &t
			}
			return nil
		}
		a, b := at(old.StageDeadlines), at(cur.StageDeadlines)
		if sameInstant(a, b) {
			continue
		}
		stage, m := n, moved[n]
		out = append(out, CalendarChange{What: CalendarStageDeadline, Stage: &stage, OldAt: utcPtr(a), NewAt: utcPtr(b), StagesMoved: &m})
	}
	return out
}

func sameInstant(a, b *time.Time) bool {
	return (a == nil) == (b == nil) && (a == nil || a.Equal(*b))
}

// recordCalendarChanges writes changes as rows of calendar_changes with
// b's reason, legal basis and user. A change of an existing year's
// calendar without reason or legal basis answers ErrInvalid naming the
// field (PRODUCT.md §10, as for a ceiling); a new year's first calendar
// needs none.
func (tx *Tx) recordCalendarChanges(b Budget, existed bool, changes []CalendarChange) error {
	if len(changes) == 0 {
		return nil
	}
	reason, basis := strings.TrimSpace(b.ChangeReason), strings.TrimSpace(b.LegalBasis)
	if existed {
		var errs dak.Fields
		if reason == "" {
			errs.Add("change_reason", "alasan perubahan jadwal wajib diisi")
		}
		if basis == "" {
			errs.Add("legal_basis", "dasar hukum perubahan jadwal wajib diisi")
		}
		if err := errs.Err("perubahan jadwal tidak lengkap"); err != nil {
			return err
		}
	}
	var by *int64
	name := ""
	if b.By != 0 {
		by = &b.By
		if err := tx.db.Raw(`SELECT full_name FROM users WHERE id = ?`, b.By).Scan(&name).Error; err != nil {
			return fmt.Errorf("name of user %d: %w", b.By, err)
		}
	}
	for _, ch := range changes {
		if err := tx.db.Exec(`INSERT INTO calendar_changes (year, what, stage, old_at, new_at, stages_moved, reason, legal_basis, changed_by, changed_by_name, changed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, b.Year, ch.What, ch.Stage, ch.OldAt, ch.NewAt, ch.StagesMoved,
			reason, basis, by, name, tx.now).Error; err != nil {
			return fmt.Errorf("record calendar change %d/%s: %w", b.Year, ch.What, err)
		}
	}
	return nil
}

// CalendarHistory lists a year's calendar changes, newest first;
// ErrNotFound for a year never set.
func (s *Store) CalendarHistory(ctx context.Context, year int) ([]CalendarChange, error) {
	var out []CalendarChange
	err := s.ReadTx(ctx, func(tx *Tx) error {
		if _, err := tx.FiscalYear(year); err != nil {
			return err
		}
		var rows []struct {
			ID            int64
			Year          int
			What          string
			Stage         *int
			OldAt         *time.Time
			NewAt         *time.Time
			StagesMoved   *int
			Reason        string
			LegalBasis    string
			ChangedBy     *int64
			ChangedByName string
			ChangedAt     time.Time
		}
		if err := tx.db.Raw(`SELECT id, year, what, stage, old_at, new_at, stages_moved, reason, legal_basis, changed_by, changed_by_name, changed_at
			FROM calendar_changes WHERE year = ? ORDER BY id DESC`, year).Scan(&rows).Error; err != nil {
			return fmt.Errorf("calendar history %d: %w", year, err)
		}
		out = make([]CalendarChange, len(rows))
		for i, r := range rows {
			out[i] = CalendarChange{ID: r.ID, Year: r.Year, What: r.What, Stage: r.Stage, OldAt: utcPtr(r.OldAt), NewAt: utcPtr(r.NewAt),
				StagesMoved: r.StagesMoved, ChangeReason: r.Reason, LegalBasis: r.LegalBasis, ChangedBy: r.ChangedBy,
				ChangedByName: r.ChangedByName, ChangedAt: r.ChangedAt.UTC()}
		}
		return nil
	})
	return out, err
}
