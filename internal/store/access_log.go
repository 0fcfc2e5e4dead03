package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"dakflow/internal/dak"
)

// accessRow is the access_log table (migration 0007): append-only, the
// database refuses UPDATE and DELETE.
type accessRow struct {
	ID           int64
	At           time.Time
	UserID       int64
	UserName     string
	Role         string
	Action       string
	ObjectType   string
	ObjectID     int64
	ProposalID   *int64
	RemoteAddr   string
	ForwardedFor string
	RequestID    string
	SentraID     *int64
	// ProposalNumber and SentraName are read from proposals and sentra
	// when listing.
	ProposalNumber string `gorm:"->"`
	SentraName     string `gorm:"->"`
}

func (accessRow) TableName() string { return "access_log" }

func (r accessRow) access() dak.Access {
	return dak.Access{ID: r.ID, At: r.At.UTC(), UserID: r.UserID, User: r.UserName, Role: dak.Role(r.Role),
		Action: r.Action, ObjectType: r.ObjectType, ObjectID: r.ObjectID, ProposalID: r.ProposalID,
		RemoteAddr: r.RemoteAddr, ForwardedFor: r.ForwardedFor, RequestID: r.RequestID, ProposalNumber: r.ProposalNumber,
		SentraID: r.SentraID, SentraName: r.SentraName}
}

// RecordAccess appends a line to the access log, stamped with the store's
// clock. It is one small INSERT, made before a download is sent: when it
// fails the caller must not send the bytes (PRODUCT.md §5, every download
// recorded).
func (s *Store) RecordAccess(ctx context.Context, a *dak.Access) error {
	return s.InTx(ctx, func(tx *Tx) error { return tx.recordAccess(a) })
}

// recordAccess appends a to the access log inside tx.
func (tx *Tx) recordAccess(a *dak.Access) error {
	a.At = tx.now
	row := accessRow{At: a.At, UserID: a.UserID, UserName: a.User, Role: string(a.Role), Action: a.Action,
		ObjectType: a.ObjectType, ObjectID: a.ObjectID, ProposalID: a.ProposalID, RemoteAddr: a.RemoteAddr,
		ForwardedFor: a.ForwardedFor, RequestID: a.RequestID, SentraID: a.SentraID}
	if err := tx.db.Omit("proposal_number", "sentra_name").Create(&row).Error; err != nil {
		return fmt.Errorf("record %s of %s %d: %w", a.Action, a.ObjectType, a.ObjectID, err)
	}
	a.ID = row.ID
	return nil
}

// AccessFilter selects lines of the access log; zero fields do not filter.
type AccessFilter struct {
	// User is whoever accessed: a username, a user id, a NIP, or a name
	// or part of one, matched as a proposal search's actor is (search.go,
	// actorCondition).
	User string
	// Proposal is a proposal's id or its number.
	Proposal string
	// From and To bound the time: at or after From, before To.
	From, To time.Time
	Page     int
	PerPage  int
}

// AccessLog lists the lines matching f, newest first, and their count.
func (s *Store) AccessLog(ctx context.Context, f AccessFilter) ([]dak.Access, int64, error) {
	q := accessFiltered(s.reader(ctx).Model(&accessRow{}), f)
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count access log: %w", err)
	}
	if f.PerPage <= 0 {
		f.PerPage = 50
	}
	if f.Page <= 0 {
		f.Page = 1
	}
	var rows []accessRow
	if err := q.Select("access_log.*, p.number AS proposal_number, s.name AS sentra_name").
		Joins("LEFT JOIN proposals p ON p.id = access_log.proposal_id").Joins("LEFT JOIN sentra s ON s.id = access_log.sentra_id").
		Order("access_log.id DESC").Limit(f.PerPage).Offset((f.Page - 1) * f.PerPage).Find(&rows).Error; err != nil {
		return nil, 0, fmt.Errorf("list access log: %w", err)
	}
	out := make([]dak.Access, len(rows))
	for i, r := range rows {
		out[i] = r.access()
	}
	return out, total, nil
}

func accessFiltered(q *gorm.DB, f AccessFilter) *gorm.DB {
	if f.User != "" {
		cond, args := actorCondition("access_log.user_id", "", f.User)
		q = q.Where(cond, args...)
	}
	if f.Proposal != "" {
		if id, err := strconv.ParseInt(f.Proposal, 10, 64); err == nil {
			q = q.Where("access_log.proposal_id = ?", id)
		} else {
			q = q.Where("access_log.proposal_id IN (SELECT p2.id FROM proposals p2 WHERE UPPER(p2.number) = ?)", strings.ToUpper(f.Proposal))
		}
	}
	if !f.From.IsZero() {
		q = q.Where("access_log.at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("access_log.at < ?", f.To.UTC())
	}
	return q
}
