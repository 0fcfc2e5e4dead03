package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"dakflow/internal/dak"
)

type proposalRow struct {
	ID                int64
	Number            string
	FiscalYear        int
	Menu              string
	Title             string
	RegionCode        string
	SentraID          *int64
	State             string
	Version           int64
	Workflow          string
	WorkflowVersion   int
	Content           string
	RKContent         string `gorm:"column:rk_content"`
	Revision          int
	RequestedAmount   int64
	RecommendedAmount int64
	AllocatedAmount   int64
	RKAmount          int64 `gorm:"column:rk_amount"`
	DisbursedAmount   int64
	AbsorbedAmount    int64
	BASTNumber        *string `gorm:"column:bast_number"`
	ReviewerID        *int64
	CreatedBy         int64
	CreatedAt         time.Time
	UpdatedAt         time.Time
	SubmittedAt       *time.Time
}

func (proposalRow) TableName() string { return "proposals" }

func (r proposalRow) proposal() (dak.Proposal, error) {
	p := dak.Proposal{ID: r.ID, Number: r.Number, FiscalYear: r.FiscalYear, Menu: dak.Menu(r.Menu), Title: r.Title,
		RegionCode: r.RegionCode, State: r.State, Version: r.Version, Workflow: r.Workflow,
		WorkflowVersion: r.WorkflowVersion, Revision: r.Revision, RequestedAmount: dak.Money(r.RequestedAmount),
		RecommendedAmount: dak.Money(r.RecommendedAmount), AllocatedAmount: dak.Money(r.AllocatedAmount),
		RKAmount: dak.Money(r.RKAmount), DisbursedAmount: dak.Money(r.DisbursedAmount), AbsorbedAmount: dak.Money(r.AbsorbedAmount), CreatedBy: r.CreatedBy,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), SubmittedAt: r.SubmittedAt}
	if r.SentraID != nil {
		p.SentraID = *r.SentraID
	}
	if r.BASTNumber != nil {
		p.BASTNumber = *r.BASTNumber
	}
	if r.ReviewerID != nil {
		p.ReviewerID = *r.ReviewerID
	}
	if err := json.Unmarshal([]byte(r.Content), &p.Content); err != nil {
		return p, fmt.Errorf("proposal %d content: %w", r.ID, err)
	}
	if r.RKContent != "" {
		if err := json.Unmarshal([]byte(r.RKContent), &p.RK); err != nil {
			return p, fmt.Errorf("proposal %d rk: %w", r.ID, err)
		}
	}
	return p, nil
}

func toRow(p *dak.Proposal) (proposalRow, error) {
	content, err := json.Marshal(p.Content)
	if err != nil {
		return proposalRow{}, err
	}
	r := proposalRow{ID: p.ID, Number: p.Number, FiscalYear: p.FiscalYear, Menu: string(p.Menu), Title: p.Title,
		RegionCode: p.RegionCode, State: p.State, Version: p.Version, Workflow: p.Workflow,
		WorkflowVersion: p.WorkflowVersion, Content: string(content), Revision: p.Revision,
		RequestedAmount: int64(p.RequestedAmount), RecommendedAmount: int64(p.RecommendedAmount),
		AllocatedAmount: int64(p.AllocatedAmount), RKAmount: int64(p.RKAmount), DisbursedAmount: int64(p.DisbursedAmount),
		AbsorbedAmount: int64(p.AbsorbedAmount), CreatedBy: p.CreatedBy, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt, SubmittedAt: p.SubmittedAt}
	if p.BASTNumber != "" {
		bast := p.BASTNumber
		r.BASTNumber = &bast
	}
	if p.RK != nil {
		rk, err := json.Marshal(p.RK)
		if err != nil {
			return r, err
		}
		r.RKContent = string(rk)
	}
	if p.SentraID != 0 {
		r.SentraID = &p.SentraID
	}
	if p.ReviewerID != 0 {
		r.ReviewerID = &p.ReviewerID
	}
	return r, nil
}

// CreateProposal stores a new draft, giving it a gapless number per year
// and linking (or registering) its sentra, all in one transaction.
func (s *Store) CreateProposal(ctx context.Context, p *dak.Proposal) error {
	return s.InTx(ctx, func(tx *Tx) error {
		seq, err := tx.NextNumber("usulan", p.FiscalYear)
		if err != nil {
			return err
		}
		p.Number = fmt.Sprintf("USL-%d-%s-%05d", p.FiscalYear, strings.ReplaceAll(p.RegionCode, ".", ""), seq)
		p.CreatedAt, p.UpdatedAt, p.Version = tx.now, tx.now, 1
		if p.SentraID, err = tx.linkSentra(p); err != nil {
			return err
		}
		row, err := toRow(p)
		if err != nil {
			return err
		}
		row.ID = 0
		if err := tx.db.Create(&row).Error; err != nil {
			return translate(err, "usulan")
		}
		p.ID = row.ID
		return nil
	})
}

// linkSentra finds the sentra by desa and name, or registers it, so that a
// sentra's proposals across years can be seen together.
func (tx *Tx) linkSentra(p *dak.Proposal) (int64, error) {
	s := p.Content.Sentra
	if s.VillageCode == "" || s.Name == "" {
		return 0, nil
	}
	var id int64
	err := tx.db.Raw(`SELECT id FROM sentra WHERE village_code = ? AND name = ?`, s.VillageCode, s.Name).Scan(&id).Error
	if err != nil || id != 0 {
		return id, err
	}
	err = tx.db.Raw(`INSERT INTO sentra (region_code, village_code, name, commodity, status, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, p.RegionCode, s.VillageCode, s.Name, s.Commodity, "usulan", tx.now).Scan(&id).Error
	return id, err
}

// Proposal returns one proposal with its stages, or ErrNotFound.
func (s *Store) Proposal(ctx context.Context, id int64) (dak.Proposal, error) {
	var p dak.Proposal
	err := s.InTx(ctx, func(tx *Tx) error {
		var err error
		p, err = tx.proposal(id, false)
		return err
	})
	return p, err
}

// LockProposal reads a proposal for change: on PostgreSQL the row stays
// locked until the transaction ends; every update also checks the version.
func (tx *Tx) LockProposal(id int64) (dak.Proposal, error) { return tx.proposal(id, true) }

func (tx *Tx) proposal(id int64, lock bool) (dak.Proposal, error) {
	var row proposalRow
	q := `SELECT * FROM proposals WHERE id = ?`
	if lock {
		q += tx.forUpdate()
	}
	res := tx.db.Raw(q, id).Scan(&row)
	if res.Error != nil {
		return dak.Proposal{}, fmt.Errorf("read proposal %d: %w", id, res.Error)
	}
	if row.ID == 0 {
		return dak.Proposal{}, dak.Errorf(dak.ErrNotFound, "usulan %d tidak ditemukan", id)
	}
	p, err := row.proposal()
	if err != nil {
		return p, err
	}
	p.Stages, err = tx.stages(id)
	return p, err
}

// SaveProposal writes p if it still has version expected, and bumps its
// version. A concurrent change answers ErrConflict: nothing is half-done
// because the caller's transaction then rolls back.
func (tx *Tx) SaveProposal(p *dak.Proposal, expected int64) error {
	p.Version = expected + 1
	p.UpdatedAt = tx.now
	row, err := toRow(p)
	if err != nil {
		return err
	}
	res := tx.db.Model(&proposalRow{}).Where("id = ? AND version = ?", p.ID, expected).Select("*").Omit("id", "created_at", "created_by", "number").Updates(&row)
	if res.Error != nil {
		return fmt.Errorf("save proposal %d: %w", p.ID, res.Error)
	}
	if res.RowsAffected != 1 {
		return dak.Errorf(dak.ErrConflict, "usulan telah diubah oleh pengguna lain; muat ulang dan coba lagi")
	}
	return nil
}

// UpdateContent replaces a draft's content if it is still at version
// expected; editable says whether its current state allows it.
func (s *Store) UpdateContent(ctx context.Context, id int64, expected int64, check func(dak.Proposal) error, content dak.ProposalInput, requested dak.Money) (dak.Proposal, error) {
	var p dak.Proposal
	err := s.InTx(ctx, func(tx *Tx) error {
		var err error
		if p, err = tx.LockProposal(id); err != nil {
			return err
		}
		if err := check(p); err != nil {
			return err
		}
		if expected != 0 && p.Version != expected {
			return dak.Errorf(dak.ErrPrecondition, "usulan telah berubah (versi %d, bukan %d); muat ulang", p.Version, expected)
		}
		p.Content, p.Title, p.Menu, p.FiscalYear, p.RequestedAmount = content, content.Title, content.Menu, content.FiscalYear, requested
		if p.SentraID, err = tx.linkSentra(&p); err != nil {
			return err
		}
		return tx.SaveProposal(&p, p.Version)
	})
	return p, err
}

// ProposalFilter selects proposals for lists; zero fields do not filter.
type ProposalFilter struct {
	FiscalYear int
	State      []string
	Region     string // a code: the proposal's region lies within it
	OwnRegion  string // exactly this region: what a pemda user may see
	Menu       string
	Query      string // words in the title, number or sentra
	// Number is a proposal number or its beginning ("USL-2027-1871"),
	// matched case-insensitively.
	Number string
	// Actor is someone who fired an event on the proposal (search.go,
	// actorCondition): a username, a user id, a NIP, or a name or part of
	// one.
	Actor string
	// From and To bound the time of an event on the proposal: at or after
	// From, before To (zero is open). With Actor, one event satisfies both.
	From, To time.Time
	Page     int
	PerPage  int
}

// Proposals lists proposals matching f, newest first, and the total count.
func (s *Store) Proposals(ctx context.Context, f ProposalFilter) ([]dak.Proposal, int64, error) {
	q := filtered(s.db.WithContext(ctx).Model(&proposalRow{}), f)
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count proposals: %w", err)
	}
	if f.PerPage <= 0 {
		f.PerPage = 20
	}
	if f.Page <= 0 {
		f.Page = 1
	}
	var rows []proposalRow
	if err := q.Order("updated_at DESC, id DESC").Limit(f.PerPage).Offset((f.Page - 1) * f.PerPage).Find(&rows).Error; err != nil {
		return nil, 0, fmt.Errorf("list proposals: %w", err)
	}
	out := make([]dak.Proposal, 0, len(rows))
	for _, r := range rows {
		p, err := r.proposal()
		if err != nil {
			return nil, 0, err
		}
		out = append(out, p)
	}
	if err := s.attachStages(ctx, out); err != nil {
		return nil, 0, err
	}
	return out, total, nil
}
