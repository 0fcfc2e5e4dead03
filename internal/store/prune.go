package store

import (
	"context"
	"fmt"
	"time"
)

// IdempotencyTTL is how long a stored answer to an Idempotency-Key is
// kept: a client retries within minutes or hours, never after a week.
const IdempotencyTTL = 7 * 24 * time.Hour

// Prune deletes what has expired, so that these tables do not grow without
// end (PRODUCT.md §7): sessions past their expiry, login failures outside
// the lockout window, idempotency answers older than IdempotencyTTL, and
// notifications read more than NotificationTTL ago.
// None of them is part of the audit trail. It returns how many rows went.
func (s *Store) Prune(ctx context.Context) (int64, error) {
	now := s.Now()
	var n int64
	for _, q := range []struct {
		sql    string
		before time.Time
	}{
		{`DELETE FROM sessions WHERE expires_at < ?`, now},
		{`DELETE FROM login_failures WHERE at < ?`, now.Add(-failureWindow)},
		{`DELETE FROM idempotency_keys WHERE created_at < ?`, now.Add(-IdempotencyTTL)},
		// Read notifications (their outbox rows go with them), and mail
		// sent long ago of notifications still unread.
		{`DELETE FROM mail_outbox WHERE sent_at < ?`, now.Add(-NotificationTTL)},
		{`DELETE FROM notifications WHERE read_at < ?`, now.Add(-NotificationTTL)},
	} {
		res := s.db.WithContext(ctx).Exec(q.sql, q.before)
		if res.Error != nil {
			return n, fmt.Errorf("prune: %w", res.Error)
		}
		n += res.RowsAffected
	}
	return n, nil
}
