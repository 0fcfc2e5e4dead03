package store

import (
	"fmt"

	"dakflow/internal/dak"
)

// SentraAndProposals reads the registered sentra id and its proposals (by
// fiscal year, then id) in one statement, as LinkedSentra and
// SentraProposals would in two: the sentra rules of a submission read
// both. ErrNotFound if the sentra is not registered.
func (tx *Tx) SentraAndProposals(id int64) (LinkedSentra, []SentraProposal, error) {
	var rows []struct {
		LinkedSentra
		PID              *int64  `gorm:"column:p_id"`
		PNumber          *string `gorm:"column:p_number"`
		PFiscalYear      *int    `gorm:"column:p_fiscal_year"`
		PMenu            *string `gorm:"column:p_menu"`
		PState           *string `gorm:"column:p_state"`
		PWorkflow        *string `gorm:"column:p_workflow"`
		PAllocatedAmount *int64  `gorm:"column:p_allocated_amount"`
		PDisbursedAmount *int64  `gorm:"column:p_disbursed_amount"`
	}
	err := tx.db.Raw(`SELECT s.id, s.name, s.commodity, s.region_code, s.village_code, s.status, s.status_date, s.status_basis,
		p.id AS p_id, p.number AS p_number, p.fiscal_year AS p_fiscal_year, p.menu AS p_menu, p.state AS p_state,
		p.workflow AS p_workflow, p.allocated_amount AS p_allocated_amount, p.disbursed_amount AS p_disbursed_amount
		FROM sentra s LEFT JOIN proposals p ON p.sentra_id = s.id
		WHERE s.id = ? ORDER BY p.fiscal_year, p.id`, id).Scan(&rows).Error
	if err != nil {
		return LinkedSentra{}, nil, fmt.Errorf("read sentra %d and its proposals: %w", id, err)
	}
	if len(rows) == 0 {
		return LinkedSentra{}, nil, dak.Errorf(dak.ErrNotFound, "sentra %d tidak terdaftar", id)
	}
	var props []SentraProposal
	for _, r := range rows {
		if r.PID == nil {
			continue // a sentra without proposals: the one row of the LEFT JOIN
		}
		props = append(props, SentraProposal{ID: *r.PID, Number: *r.PNumber, FiscalYear: *r.PFiscalYear,
			Menu: dak.Menu(*r.PMenu), State: *r.PState, Workflow: *r.PWorkflow,
			AllocatedAmount: dak.Money(*r.PAllocatedAmount), DisbursedAmount: dak.Money(*r.PDisbursedAmount)})
	}
	return rows[0].LinkedSentra, props, nil
}
