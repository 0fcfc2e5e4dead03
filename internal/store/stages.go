package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"dakflow/internal/dak"
)

type stageRow struct {
	ProposalID    int64
	Number        int
	Basis         string
	PercentBP     int64 `gorm:"column:percent_bp"`
	PlannedAmount int64
	Amount        int64
	AmountBasis   string
	State         string
	Deadline      time.Time
	Report        string
	SP2DNumber    *string    `gorm:"column:sp2d_number"`
	SP2DDate      *time.Time `gorm:"column:sp2d_date"`
	PaidAmount    int64
}

func (stageRow) TableName() string { return "disbursement_stages" }

func (tx *Tx) stages(proposalID int64) ([]dak.Stage, error) {
	var rows []stageRow
	if err := tx.db.Where("proposal_id = ?", proposalID).Order("number").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read stages of %d: %w", proposalID, err)
	}
	return stagesFrom(rows)
}

func stagesFrom(rows []stageRow) ([]dak.Stage, error) {
	out := make([]dak.Stage, len(rows))
	for i, r := range rows {
		st := dak.Stage{Number: r.Number, Basis: r.Basis, Percent: dak.Percent(r.PercentBP),
			PlannedAmount: dak.Money(r.PlannedAmount), Amount: dak.Money(r.Amount), AmountBasis: r.AmountBasis, State: r.State,
			Deadline: r.Deadline.UTC(), SP2DDate: r.SP2DDate, PaidAmount: dak.Money(r.PaidAmount)}
		if r.SP2DNumber != nil {
			st.SP2DNumber = *r.SP2DNumber
		}
		if r.Report != "" {
			if err := json.Unmarshal([]byte(r.Report), &st.Report); err != nil {
				return nil, fmt.Errorf("stage report: %w", err)
			}
		}
		out[i] = st
	}
	return out, nil
}

// SaveStages writes every stage of p (insert or replace).
func (tx *Tx) SaveStages(p *dak.Proposal) error {
	if err := tx.db.Exec(`DELETE FROM disbursement_stages WHERE proposal_id = ?`, p.ID).Error; err != nil {
		return fmt.Errorf("save stages: %w", err)
	}
	for _, st := range p.Stages {
		report, err := json.Marshal(st.Report)
		if err != nil {
			return err
		}
		row := stageRow{ProposalID: p.ID, Number: st.Number, Basis: st.Basis, PercentBP: int64(st.Percent),
			PlannedAmount: int64(st.PlannedAmount), Amount: int64(st.Amount), AmountBasis: st.AmountBasis, State: st.State, Deadline: st.Deadline,
			Report: string(report), SP2DDate: st.SP2DDate, PaidAmount: int64(st.PaidAmount)}
		if st.SP2DNumber != "" {
			n := st.SP2DNumber
			row.SP2DNumber = &n
		}
		if err := tx.db.Create(&row).Error; err != nil {
			if IsUniqueViolation(err) {
				return &dak.Error{Kind: dak.ErrRule, Detail: "nomor SP2D sudah tercatat",
					Fields: []dak.FieldError{{Field: "data.sp2d_number", Message: "nomor SP2D sudah tercatat pada penyaluran lain"}}}
			}
			return fmt.Errorf("save stage %d: %w", st.Number, err)
		}
	}
	return nil
}

// SP2DExists reports whether an SP2D number is already recorded anywhere.
func (tx *Tx) SP2DExists(number string) (bool, error) {
	var n int64
	err := tx.db.Raw(`SELECT COUNT(*) FROM disbursement_stages WHERE sp2d_number = ?`, number).Scan(&n).Error
	return n > 0, err
}

// BASTTaken reports whether another proposal already recorded a BAST
// number, compared without regard to case and surrounding spaces.
func (tx *Tx) BASTTaken(number string, proposalID int64) (bool, error) {
	var n int64
	err := tx.db.Raw(`SELECT COUNT(*) FROM proposals WHERE UPPER(TRIM(bast_number)) = UPPER(TRIM(?)) AND id <> ?`,
		number, proposalID).Scan(&n).Error
	return n > 0, err
}

// DueStages lists proposals in one of states whose next unpaid stage's
// deadline is before now.
func (s *Store) DueStages(ctx context.Context, states []string, now time.Time) ([]int64, error) {
	var ids []int64
	err := s.reader(ctx).Raw(`SELECT DISTINCT p.id FROM proposals p JOIN disbursement_stages d ON d.proposal_id = p.id
		WHERE p.state IN ? AND d.state <> ? AND d.deadline < ?
		AND d.number = (SELECT MIN(number) FROM disbursement_stages x WHERE x.proposal_id = p.id AND x.state <> ?)
		ORDER BY p.id`, states, dak.StagePaid, now, dak.StagePaid).Scan(&ids).Error
	if err != nil {
		return nil, fmt.Errorf("due stages: %w", err)
	}
	return ids, nil
}
