package store

import (
	"fmt"

	"dakflow/internal/dak"
)

// StoredResponse is the first answer to an Idempotency-Key, replayed on retry.
type StoredResponse struct {
	RequestHash string
	Status      int
	Body        string
}

// IdempotentResponse returns the stored answer for (user, key), if any.
func (tx *Tx) IdempotentResponse(userID int64, key string) (*StoredResponse, error) {
	var rows []StoredResponse
	err := tx.db.Raw(`SELECT request_hash, status, body FROM idempotency_keys WHERE user_id = ? AND key = ?`, userID, key).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("idempotency key: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &rows[0], nil
}

// SaveIdempotentResponse records the answer inside the same transaction as
// the work, so a retry can never see the work without its answer.
func (tx *Tx) SaveIdempotentResponse(userID int64, key string, r StoredResponse) error {
	err := tx.db.Exec(`INSERT INTO idempotency_keys (user_id, key, request_hash, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		userID, key, r.RequestHash, r.Status, r.Body, tx.now).Error
	if IsUniqueViolation(err) {
		return dak.Errorf(dak.ErrConflict, "permintaan dengan Idempotency-Key yang sama sedang diproses")
	}
	return err
}
