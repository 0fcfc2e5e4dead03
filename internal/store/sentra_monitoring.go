package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"dakflow/internal/dak"
)

// MonitoredSentra is a sentra under monitoring after completion
// (PRODUCT.md §9): the proposal whose completion started it, and where the
// sentra stands in its schedule.
type MonitoredSentra struct {
	SentraID        int64
	Name, Commodity string
	RegionCode      string
	Status          string
	ProposalID      int64
	ProposalNumber  string
	CompletedAt     time.Time
	Assessment      dak.Assessment `gorm:"-"` // computed, not read
}

// completions are the sentra whose proposal reached afterState, each once,
// by region and name, with the latest such proposal: one sentra (sentraID ≠ 0), one
// region's (region ≠ ""), or all.
func (tx *Tx) completions(afterState string, sentraID int64, region string) ([]MonitoredSentra, error) {
	q := tx.db.Table("sentra s").Select(`s.id AS sentra_id, s.name, s.commodity, s.region_code, s.status,
		p.id AS proposal_id, p.number AS proposal_number, e.at AS completed_at`).
		Joins("JOIN proposals p ON p.sentra_id = s.id").
		Joins("JOIN events e ON e.proposal_id = p.id").
		Where("p.state = ? AND e.to_state = ?", afterState, afterState)
	if sentraID != 0 {
		q = q.Where("s.id = ?", sentraID)
	}
	if region != "" {
		q = q.Where("s.region_code = ?", region)
	}
	var rows []MonitoredSentra
	if err := q.Order("s.region_code, LOWER(s.name), s.id, e.at DESC, e.id DESC").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("read completed sentra: %w", err)
	}
	out := rows[:0]
	for _, r := range rows {
		if len(out) == 0 || out[len(out)-1].SentraID != r.SentraID {
			out = append(out, r)
		}
	}
	return out, nil
}

// MonitoringFilter selects monitored sentra; zero fields do not filter.
type MonitoringFilter struct {
	// Viewer reads the list: a pemda sees its own region's sentra only.
	Viewer dak.User
	// Region is one region's sentra (the proposal page's warning).
	Region string
	// Flag keeps the sentra that raise it (dak.FlagOverdue,
	// dak.FlagUnused); empty keeps every monitored sentra.
	Flag string
}

// Monitoring reads every sentra under monitoring that f selects, with its
// assessment at the store's time under the rules m, by region and name.
// A pemda viewer sees its own region's only.
func (s *Store) Monitoring(ctx context.Context, f MonitoringFilter, m dak.MonitoringParams) ([]MonitoredSentra, error) {
	var out []MonitoredSentra
	err := s.ReadTx(ctx, func(tx *Tx) error {
		region := f.Region
		if code, scoped := f.Viewer.RegionScope(); scoped {
			if region != "" && region != code {
				return nil
			}
			region = code
		}
		done, err := tx.completions(m.AfterState, 0, region)
		if err != nil || len(done) == 0 {
			return err
		}
		q := tx.db.Model(&sentraReportRow{}).Select("id, sentra_id, period, ikm_using, occupancy_percent, created_at").
			Where("sentra_id IN (SELECT p.sentra_id FROM proposals p WHERE p.state = ?)", m.AfterState)
		if region != "" {
			q = q.Where("sentra_id IN (SELECT id FROM sentra WHERE region_code = ?)", region)
		}
		var rows []sentraReportRow
		if err := q.Order("sentra_id, period").Find(&rows).Error; err != nil {
			return fmt.Errorf("read reports of monitored sentra: %w", err)
		}
		facts := map[int64][]dak.ReportFacts{}
		for _, r := range rows {
			facts[r.SentraID] = append(facts[r.SentraID], r.facts())
		}
		for _, d := range done {
			d.Assessment = m.Assess(d.CompletedAt, facts[d.SentraID], tx.now)
			if f.Flag == "" || slices.Contains(d.Assessment.Flags(), f.Flag) {
				out = append(out, d)
			}
		}
		return nil
	})
	return out, err
}
