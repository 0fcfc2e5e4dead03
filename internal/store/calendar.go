package store

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"dakflow/internal/dak"
)

// CalendarColumns (exported for gorm, which skips an unexported embedded
// struct) are the calendar's columns of fiscal_years (migration
// 0016); submission closes at the older submission_deadline.
type CalendarColumns struct {
	SubmissionOpens *time.Time `json:"submission_opens"`
	RKDeadline      *time.Time `gorm:"column:rk_deadline" json:"rk_deadline"`
	StageDeadlines  string     `json:"stage_deadlines"` // JSON: {"1": instant, …}
}

func (c CalendarColumns) calendar(closes *time.Time) dak.Calendar {
	cal := dak.Calendar{SubmissionOpens: utcPtr(c.SubmissionOpens), SubmissionCloses: utcPtr(closes), RKDeadline: utcPtr(c.RKDeadline)}
	var stages map[string]time.Time
	// A column this package alone writes: an unreadable one is no calendar.
	if json.Unmarshal([]byte(c.StageDeadlines), &stages) == nil {
		for k, at := range stages {
			if n, err := strconv.Atoi(k); err == nil {
				if cal.StageDeadlines == nil {
					cal.StageDeadlines = map[int]time.Time{}
				}
				cal.StageDeadlines[n] = at.UTC()
			}
		}
	}
	return cal
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// YearChange is what one PUT of a fiscal year sets, from the API or the
// admin's page: the ceilings and the submission deadline (Budget) and the
// rest of the calendar.
type YearChange struct {
	Budget
	Calendar dak.Calendar
	// PlannedDeadlines are the deadlines stages took when they were
	// planned while the year's calendar had none for their number: the
	// workflow file's defaults (workflow.Definition.DefaultCalendar).
	PlannedDeadlines map[int]time.Time
}

// SetYear stores the ceilings (as SetCeilings) and the calendar
// (setCalendar) of one request in one transaction, so that a refusal of
// either leaves both as they were. It returns the year as stored and how
// many planned stages took a changed stage deadline. Every calendar value
// that changed (the submission window, the RK deadline, each stage
// deadline) becomes a row of calendar_changes in the same transaction
// (recordCalendarChanges). ErrRule or ErrInvalid (naming the fields) when
// a ceiling or the calendar's order is refused, or a change of an existing
// year lacks its reason or legal basis.
func (s *Store) SetYear(ctx context.Context, ch YearChange) (dak.FiscalYear, int, error) {
	var fy dak.FiscalYear
	var moved int
	err := s.InTx(ctx, func(tx *Tx) error {
		before, existed, err := tx.storedCalendar(ch.Year)
		if err != nil {
			return err
		}
		if _, err := tx.setCeilings(ch.Budget); err != nil {
			return err
		}
		var byStage map[int]int
		if fy, byStage, err = tx.setCalendar(ch.Year, ch.Calendar, ch.PlannedDeadlines); err != nil {
			return err
		}
		moved = 0
		for _, n := range byStage {
			moved += n
		}
		return tx.recordCalendarChanges(ch.Budget, existed, calendarChanges(before, fy.Calendar, byStage))
	})
	return fy, moved, err
}

// setCalendar writes the calendar of year but its submission_closes (the
// row's submission_deadline, which setCeilings writes), refusing it out of
// order (dak.Calendar.Check), and moves the stages of the year's proposals
// to a changed stage deadline (moveStageDeadlines). planned are the
// deadlines stages were planned with where the stored calendar has none.
// It returns how many stages moved, by stage number.
func (tx *Tx) setCalendar(year int, cal dak.Calendar, planned map[int]time.Time) (dak.FiscalYear, map[int]int, error) {
	old, err := tx.FiscalYear(year)
	if err != nil {
		return old, nil, err
	}
	check := cal
	check.SubmissionCloses = old.SubmissionDeadline
	if err := check.Check().Err("urutan kalender tidak valid"); err != nil {
		return old, nil, err
	}
	stages := map[string]time.Time{}
	for n, at := range cal.StageDeadlines {
		stages[strconv.Itoa(n)] = at.UTC()
	}
	js, err := json.Marshal(stages)
	if err != nil {
		return old, nil, err
	}
	res := tx.db.Exec(`UPDATE fiscal_years SET submission_opens = ?, rk_deadline = ?, stage_deadlines = ?, updated_at = ? WHERE year = ?`,
		utcPtr(cal.SubmissionOpens), utcPtr(cal.RKDeadline), string(js), tx.now, year)
	if res.Error != nil {
		return old, nil, fmt.Errorf("set calendar %d: %w", year, res.Error)
	}
	moved := map[int]int{}
	for _, n := range slices.Sorted(maps.Keys(cal.StageDeadlines)) {
		was, ok := old.Calendar.StageDeadlines[n]
		if !ok {
			was, ok = planned[n]
		}
		if ok && was.Equal(cal.StageDeadlines[n]) {
			continue
		}
		m, err := tx.moveStageDeadlines(year, n, was, ok, cal.StageDeadlines[n])
		if err != nil {
			return old, nil, err
		}
		moved[n] = m
	}
	fy, err := tx.FiscalYear(year)
	return fy, moved, err
}

// moveStageDeadlines gives stage n of the year's proposals the calendar's
// new deadline when the admin changes it (issue 12): every stage neither
// paid nor lapsed that still has the calendar's previous deadline was
// (known), and one an approver extended (extend_deadline) only when to is
// later than its extension, which a calendar change never shortens. A
// paid or lapsed stage never changes. The pemda of each proposal moved is
// told, with both dates. It returns how many stages moved.
func (tx *Tx) moveStageDeadlines(year, n int, was time.Time, known bool, to time.Time) (int, error) {
	var rows []struct {
		ProposalID int64
		Number     string
		RegionCode string
		Deadline   time.Time
	}
	if err := tx.db.Raw(`SELECT st.proposal_id, p.number, p.region_code, st.deadline FROM disbursement_stages st
		JOIN proposals p ON p.id = st.proposal_id
		WHERE p.fiscal_year = ? AND st.number = ? AND st.state NOT IN ? ORDER BY st.proposal_id`+tx.forUpdate(),
		year, n, []string{dak.StagePaid, dak.StageLapsed}).Scan(&rows).Error; err != nil {
		return 0, fmt.Errorf("stages %d of %d: %w", n, year, err)
	}
	moved := 0
	for _, r := range rows {
		if at := r.Deadline.UTC(); at.Equal(to) || (known && !at.Equal(was) && !at.Before(to)) {
			continue
		}
		if err := tx.db.Exec(`UPDATE disbursement_stages SET deadline = ? WHERE proposal_id = ? AND number = ?`,
			to.UTC(), r.ProposalID, n).Error; err != nil {
			return moved, fmt.Errorf("move deadline of stage %d of %d: %w", n, r.ProposalID, err)
		}
		moved++
		users, err := tx.UsersWithRole(dak.RolePemda, r.RegionCode)
		if err != nil {
			return moved, err
		}
		msg := fmt.Sprintf("Batas dokumen tahap %d usulan %s diubah administrator dari %s menjadi %s.",
			n, r.Number, dak.FormatDateTime(r.Deadline), dak.FormatDateTime(to))
		var out []NewNotification
		for _, u := range users {
			out = append(out, NewNotification{UserID: u.ID, Kind: "deadline_changed", ProposalID: &r.ProposalID, Message: msg})
		}
		if err := tx.AddNotifications(out); err != nil {
			return moved, err
		}
	}
	return moved, nil
}

// ReminderTarget is a proposal a deadline concerns, with the deadline.
type ReminderTarget struct {
	ProposalID int64
	Number     string
	RegionCode string
	Deadline   time.Time
}

// SubmissionReminderTargets lists the proposals in states (those still to
// be submitted) whose fiscal year's submission closes within (now,
// now+within].
func (s *Store) SubmissionReminderTargets(ctx context.Context, states []string, now time.Time, within time.Duration) ([]ReminderTarget, error) {
	return s.reminderTargets(ctx, `SELECT p.id AS proposal_id, p.number, p.region_code, f.submission_deadline AS deadline
		FROM proposals p JOIN fiscal_years f ON f.year = p.fiscal_year
		WHERE p.state IN ? AND f.submission_deadline > ? AND f.submission_deadline <= ? ORDER BY p.id`, states, now, now.Add(within))
}

// RKReminderTargets lists the proposals in states (whose RK is still to
// be submitted) whose fiscal year's RK deadline is within (now, now+within].
func (s *Store) RKReminderTargets(ctx context.Context, states []string, now time.Time, within time.Duration) ([]ReminderTarget, error) {
	return s.reminderTargets(ctx, `SELECT p.id AS proposal_id, p.number, p.region_code, f.rk_deadline AS deadline
		FROM proposals p JOIN fiscal_years f ON f.year = p.fiscal_year
		WHERE p.state IN ? AND f.rk_deadline > ? AND f.rk_deadline <= ? ORDER BY p.id`, states, now, now.Add(within))
}

// StageReminderTarget is a proposal whose next stage is due soon.
type StageReminderTarget struct {
	ReminderTarget
	Stage int
}

// StageReminderTargets lists the proposals in states whose first stage
// not yet paid has its deadline within (now, now+within]: the stage's own
// deadline, as an extension left it.
func (s *Store) StageReminderTargets(ctx context.Context, states []string, now time.Time, within time.Duration) ([]StageReminderTarget, error) {
	var out []StageReminderTarget
	err := s.reader(ctx).Raw(`SELECT p.id AS proposal_id, p.number, p.region_code, st.deadline, st.number AS stage
		FROM proposals p JOIN disbursement_stages st ON st.proposal_id = p.id
		WHERE p.state IN ? AND st.state <> ? AND st.deadline > ? AND st.deadline <= ?
		AND st.number = (SELECT MIN(s2.number) FROM disbursement_stages s2 WHERE s2.proposal_id = p.id AND s2.state <> ?)
		ORDER BY p.id`, states, string(dak.StagePaid), now, now.Add(within), string(dak.StagePaid)).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("stage reminder targets: %w", err)
	}
	return out, nil
}

func (s *Store) reminderTargets(ctx context.Context, q string, states []string, now time.Time, until time.Time) ([]ReminderTarget, error) {
	var out []ReminderTarget
	if len(states) == 0 {
		return nil, nil
	}
	if err := s.reader(ctx).Raw(q, states, now, until).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("reminder targets: %w", err)
	}
	return out, nil
}

// AddReminder records the reminder (kind, proposal, days) of deadline and
// reports whether it is new: false when a rerun or another process sent
// it already for that same instant, and the caller then writes no
// notification. A deadline that moved (an extension, the admin's change
// of the calendar) is reminded of again: the row takes the new instant,
// once, as the conditional upsert lets one writer only change it.
func (tx *Tx) AddReminder(kind string, proposalID int64, days int, deadline time.Time) (bool, error) {
	res := tx.db.Exec(`INSERT INTO reminders (kind, proposal_id, days, deadline, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (kind, proposal_id, days) DO UPDATE SET deadline = excluded.deadline, created_at = excluded.created_at
		WHERE reminders.deadline <> excluded.deadline`, kind, proposalID, days, deadline.UTC(), tx.now)
	if res.Error != nil {
		return false, fmt.Errorf("add reminder %s/%d/%d: %w", kind, proposalID, days, res.Error)
	}
	return res.RowsAffected == 1, nil
}
