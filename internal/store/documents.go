package store

import (
	"context"
	"fmt"
	"time"

	"dakflow/internal/dak"
)

type documentRow struct {
	ID         int64
	ProposalID int64
	Kind       string
	Number     string
	Title      string
	SHA256     string `gorm:"column:sha256"`
	Size       int64
	VerifyCode string
	EventSeq   int
	Issuer     string
	CreatedAt  time.Time
	PDF        []byte `gorm:"column:pdf"`
}

func (documentRow) TableName() string { return "documents" }

func (r documentRow) document() dak.Document {
	return dak.Document{ID: r.ID, ProposalID: r.ProposalID, Kind: r.Kind, Number: r.Number, Title: r.Title,
		SHA256: r.SHA256, Size: r.Size, VerifyCode: r.VerifyCode, EventSeq: r.EventSeq, Issuer: r.Issuer, CreatedAt: r.CreatedAt.UTC()}
}

// AddDocument stores an issued PDF exactly as hashed.
func (tx *Tx) AddDocument(d *dak.Document, pdf []byte) error {
	d.SHA256, d.Size, d.CreatedAt = dak.SHA256Hex(pdf), int64(len(pdf)), tx.now
	return tx.addDocument(d, pdf)
}

// addDocument stores d, its hash and size filled in, and sets its ID.
func (tx *Tx) addDocument(d *dak.Document, pdf []byte) error {
	row := documentRow{ProposalID: d.ProposalID, Kind: d.Kind, Number: d.Number, Title: d.Title, SHA256: d.SHA256,
		Size: d.Size, VerifyCode: d.VerifyCode, EventSeq: d.EventSeq, Issuer: d.Issuer, CreatedAt: d.CreatedAt, PDF: pdf}
	if err := tx.db.Create(&row).Error; err != nil {
		return translate(err, "dokumen "+d.Number)
	}
	d.ID = row.ID
	return nil
}

// Documents lists a proposal's documents in issue order.
func (s *Store) Documents(ctx context.Context, proposalID int64) ([]dak.Document, error) {
	var rows []documentRow
	if err := s.reader(ctx).Omit("pdf").Where("proposal_id = ?", proposalID).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list documents: %w", err)
	}
	out := make([]dak.Document, len(rows))
	for i, r := range rows {
		out[i] = r.document()
	}
	return out, nil
}

// Document returns one document's record, or ErrNotFound.
func (s *Store) Document(ctx context.Context, id int64) (dak.Document, error) {
	var row documentRow
	err := s.reader(ctx).Omit("pdf").Where("id = ?", id).Take(&row).Error
	return row.document(), translate(err, "dokumen")
}

// DocumentByCode finds a document by its verification code, or ErrNotFound.
func (s *Store) DocumentByCode(ctx context.Context, code string) (dak.Document, error) {
	var row documentRow
	err := s.reader(ctx).Omit("pdf").Where("verify_code = ?", code).Take(&row).Error
	return row.document(), translate(err, "dokumen")
}

// DocumentPDF returns the stored bytes of a document, exactly as issued.
func (s *Store) DocumentPDF(ctx context.Context, id int64) ([]byte, error) {
	var row documentRow
	err := s.reader(ctx).Select("pdf").Where("id = ?", id).Take(&row).Error
	return row.PDF, translate(err, "dokumen")
}

// DocumentPDFs returns the stored bytes of every document of a proposal,
// by document id.
func (s *Store) DocumentPDFs(ctx context.Context, proposalID int64) (map[int64][]byte, error) {
	var rows []documentRow
	if err := s.reader(ctx).Select("id", "pdf").Where("proposal_id = ?", proposalID).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read documents: %w", err)
	}
	out := make(map[int64][]byte, len(rows))
	for _, r := range rows {
		out[r.ID] = r.PDF
	}
	return out, nil
}
