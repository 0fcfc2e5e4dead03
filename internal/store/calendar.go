package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"dakflow/internal/dak"
)

// CalendarColumns (exported for gorm, which skips an unexported embedded
// struct) are the calendar's columns of fiscal_years (migration
// 0016); submission closes at the older submission_deadline.
type CalendarColumns struct {
	SubmissionOpens *time.Time
	RKDeadline      *time.Time `gorm:"column:rk_deadline"`
	StageDeadlines  string     // JSON: {"1": instant, …}
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

// SetCalendar stores the calendar of an existing fiscal year but its
// submission_closes, which SetBudget writes as the submission deadline.
func (s *Store) SetCalendar(ctx context.Context, year int, cal dak.Calendar) (dak.FiscalYear, error) {
	var fy dak.FiscalYear
	err := s.InTx(ctx, func(tx *Tx) error {
		stages := map[string]time.Time{}
		for n, at := range cal.StageDeadlines {
			stages[strconv.Itoa(n)] = at.UTC()
		}
		js, err := json.Marshal(stages)
		if err != nil {
			return err
		}
		res := tx.db.Exec(`UPDATE fiscal_years SET submission_opens = ?, rk_deadline = ?, stage_deadlines = ?, updated_at = ? WHERE year = ?`,
			utcPtr(cal.SubmissionOpens), utcPtr(cal.RKDeadline), string(js), tx.now, year)
		if res.Error != nil {
			return fmt.Errorf("set calendar %d: %w", year, res.Error)
		}
		if res.RowsAffected == 0 {
			return dak.Errorf(dak.ErrNotFound, "tahun anggaran %d tidak ditemukan", year)
		}
		fy, err = tx.FiscalYear(year)
		return err
	})
	return fy, err
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

// AddReminder records the reminder (kind, proposal, days) and reports
// whether it is new: false when a rerun or another process sent it
// already, and the caller then writes no notification.
func (tx *Tx) AddReminder(kind string, proposalID int64, days int, deadline time.Time) (bool, error) {
	res := tx.db.Exec(`INSERT INTO reminders (kind, proposal_id, days, deadline, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (kind, proposal_id, days) DO NOTHING`, kind, proposalID, days, deadline.UTC(), tx.now)
	if res.Error != nil {
		return false, fmt.Errorf("add reminder %s/%d/%d: %w", kind, proposalID, days, res.Error)
	}
	return res.RowsAffected == 1, nil
}
