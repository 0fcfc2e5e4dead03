package store

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"fmt"
)

// SigningKey returns the server's trail-signing key, creating it on first
// use; concurrent first calls agree on one key.
func (s *Store) SigningKey(ctx context.Context) (ed25519.PrivateKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	err = s.db.WithContext(ctx).Exec(`INSERT INTO signing_keys (id, private_key, public_key, created_at) VALUES (1, ?, ?, ?)
		ON CONFLICT (id) DO NOTHING`, base64.StdEncoding.EncodeToString(priv), base64.StdEncoding.EncodeToString(pub), s.Now()).Error
	if err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	var stored string
	if err := s.db.WithContext(ctx).Raw(`SELECT private_key FROM signing_keys WHERE id = 1`).Scan(&stored).Error; err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	key, err := base64.StdEncoding.DecodeString(stored)
	if err != nil || len(key) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("signing key: stored key is malformed")
	}
	return ed25519.PrivateKey(key), nil
}

// DocumentPDFs returns the stored bytes of every document of a proposal,
// by document id.
func (s *Store) DocumentPDFs(ctx context.Context, proposalID int64) (map[int64][]byte, error) {
	var rows []documentRow
	if err := s.db.WithContext(ctx).Select("id", "pdf").Where("proposal_id = ?", proposalID).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read documents: %w", err)
	}
	out := make(map[int64][]byte, len(rows))
	for _, r := range rows {
		out[r.ID] = r.PDF
	}
	return out, nil
}
