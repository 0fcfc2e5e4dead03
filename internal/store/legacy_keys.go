package store

import (
	"context"
	"fmt"
	"time"
)

// LegacyKey is a public key the server signed with while its key pair was
// kept in the database (table signing_keys, before migration 0006).
type LegacyKey struct {
	PublicKey string // base64
	CreatedAt time.Time
}

// LegacySigningKeys lists the public keys left in signing_keys. Migration
// 0006 destroyed their private halves; the key ring lists them as retired
// on its first start and then calls DeleteLegacySigningKeys.
func (s *Store) LegacySigningKeys(ctx context.Context) ([]LegacyKey, error) {
	var out []LegacyKey
	if err := s.reader(ctx).Raw(`SELECT public_key, created_at FROM signing_keys ORDER BY id`).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("read legacy signing keys: %w", err)
	}
	for i := range out {
		out[i].CreatedAt = out[i].CreatedAt.UTC()
	}
	return out, nil
}

// DeleteLegacySigningKeys empties signing_keys once its keys are listed in
// the key ring's file, so that nothing in the database speaks for a key.
func (s *Store) DeleteLegacySigningKeys(ctx context.Context) error {
	if err := s.db.WithContext(ctx).Exec(`DELETE FROM signing_keys`).Error; err != nil {
		return fmt.Errorf("delete legacy signing keys: %w", err)
	}
	return nil
}
