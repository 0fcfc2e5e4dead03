package store

import (
	"context"
	"fmt"
	"time"

	"dakflow/internal/dak"
)

type attachmentRow struct {
	ID          int64  `json:"id"`
	ProposalID  int64  `json:"proposal_id"`
	Kind        string `json:"kind"`
	Stage       int    `json:"stage"`
	FileName    string `json:"file_name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `gorm:"column:sha256" json:"sha256"`
	Data        []byte `json:"-"`
	UploadedBy  int64  `json:"uploaded_by"`
	// The JSON tags read the columns of a transition's locking read
	// (store.LockReads), on PostgreSQL.
	CreatedAt time.Time `json:"created_at"`
}

func (attachmentRow) TableName() string { return "attachments" }

func (r attachmentRow) attachment() dak.Attachment {
	return dak.Attachment{ID: r.ID, ProposalID: r.ProposalID, Kind: r.Kind, Stage: r.Stage, FileName: r.FileName,
		ContentType: r.ContentType, Size: r.Size, SHA256: r.SHA256, UploadedBy: r.UploadedBy, CreatedAt: r.CreatedAt.UTC()}
}

// AddAttachments stores uploaded files with their bytes (data[i] is
// as[i]'s) in one INSERT, filling each one's id and time, in order.
// Whether the proposal still takes them, and for which stage, is the
// caller's rule, checked on the proposal it locked in this transaction.
func (tx *Tx) AddAttachments(as []dak.Attachment, data [][]byte) error {
	if len(as) != len(data) {
		return fmt.Errorf("add attachments: %d attachments, %d files", len(as), len(data))
	}
	if len(as) == 0 {
		return nil
	}
	rows := make([]attachmentRow, len(as))
	for i, a := range as {
		rows[i] = attachmentRow{ProposalID: a.ProposalID, Kind: a.Kind, Stage: a.Stage, FileName: a.FileName,
			ContentType: a.ContentType, Size: a.Size, SHA256: a.SHA256, Data: data[i], UploadedBy: a.UploadedBy, CreatedAt: tx.now}
	}
	// One statement for all: gorm sends a slice as one INSERT … VALUES
	// (…), (…) RETURNING id on both engines (no CreateBatchSize is set).
	if err := tx.db.Create(&rows).Error; err != nil {
		return fmt.Errorf("add attachments: %w", err)
	}
	for i, r := range rows {
		as[i] = r.attachment()
	}
	return nil
}

// AddAttachment stores one uploaded file (AddAttachments).
func (tx *Tx) AddAttachment(a *dak.Attachment, data []byte) error {
	as := []dak.Attachment{*a}
	if err := tx.AddAttachments(as, [][]byte{data}); err != nil {
		return err
	}
	*a = as[0]
	return nil
}

// Attachments lists a proposal's attachments, oldest first.
func (s *Store) Attachments(ctx context.Context, proposalID int64) ([]dak.Attachment, error) {
	var out []dak.Attachment
	err := s.ReadTx(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.Attachments(proposalID)
		return err
	})
	return out, err
}

// Attachments lists a proposal's attachments inside a transaction.
func (tx *Tx) Attachments(proposalID int64) ([]dak.Attachment, error) {
	var rows []attachmentRow
	if err := tx.db.Omit("data").Where("proposal_id = ?", proposalID).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list attachments: %w", err)
	}
	out := make([]dak.Attachment, len(rows))
	for i, r := range rows {
		out[i] = r.attachment()
	}
	return out, nil
}

// AttachmentData returns one attachment with its bytes, or ErrNotFound.
func (s *Store) AttachmentData(ctx context.Context, id int64) (dak.Attachment, []byte, error) {
	var row attachmentRow
	err := s.reader(ctx).Where("id = ?", id).Take(&row).Error
	return row.attachment(), row.Data, translate(err, "lampiran")
}
