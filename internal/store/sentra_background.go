package store

import (
	"context"
	"fmt"
	"time"
)

// SentraBackground is what the registry knows of the sentra a proposal
// names, which the verifier weighs (PRODUCT.md §9): its status now and
// since when, the DAK funding it had before, and how it was used last.
// The proposal page and the berita acara penilaian both read it from
// here, so that they say the same.
type SentraBackground struct {
	Sentra LinkedSentra
	// Funding lists the sentra's other proposals that were allocated DAK,
	// by fiscal year.
	Funding []SentraProposal
	// LastReport is the latest utilisation report (pemanfaatan) filed for
	// the sentra; nil when none was.
	LastReport *UtilisationSummary
}

// UtilisationSummary is the gist of one semester's utilisation report.
type UtilisationSummary struct {
	Period           string // "2028-S1"
	IKMUsing         int
	OccupancyPercent int
	Condition        string // baik, rusak_ringan, rusak_berat
	CreatedAt        time.Time
}

// SentraBackground reads the background of sentra sentraID for the
// proposal proposalID (whose own funding is not listed); ErrNotFound when
// the sentra is not registered.
func (s *Store) SentraBackground(ctx context.Context, sentraID, proposalID int64) (SentraBackground, error) {
	var b SentraBackground
	err := s.ReadTx(ctx, func(tx *Tx) error {
		var err error
		b, err = tx.SentraBackground(sentraID, proposalID)
		return err
	})
	return b, err
}

// SentraBackground is Store.SentraBackground inside the caller's
// transaction (the berita acara's, issued with its event).
func (tx *Tx) SentraBackground(sentraID, proposalID int64) (SentraBackground, error) {
	var b SentraBackground
	var err error
	if b.Sentra, err = tx.LinkedSentra(sentraID); err != nil {
		return b, err
	}
	err = tx.db.Raw(`SELECT id, number, fiscal_year, menu, state, workflow, allocated_amount, disbursed_amount
		FROM proposals WHERE sentra_id = ? AND id <> ? AND allocated_amount > 0 ORDER BY fiscal_year, id`,
		sentraID, proposalID).Scan(&b.Funding).Error
	if err != nil {
		return b, fmt.Errorf("funding of sentra %d: %w", sentraID, err)
	}
	var reports []UtilisationSummary
	err = tx.db.Raw(`SELECT period, ikm_using, occupancy_percent, condition, created_at FROM sentra_reports
		WHERE sentra_id = ? ORDER BY period DESC, id DESC LIMIT 1`, sentraID).Scan(&reports).Error
	if err != nil {
		return b, fmt.Errorf("reports of sentra %d: %w", sentraID, err)
	}
	if len(reports) > 0 {
		r := reports[0]
		r.CreatedAt = r.CreatedAt.UTC()
		b.LastReport = &r
	}
	return b, nil
}
