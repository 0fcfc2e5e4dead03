package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// OutgoingMail is one claimed row of the mail outbox with what the mail
// says: its notification.
type OutgoingMail struct {
	NotificationID int64
	To             string
	Attempts       int // including this one
	Kind           string
	ProposalID     *int64
	Message        string
}

// MailClaim is how a sender claims mail.
type MailClaim struct {
	Limit int // rows per claim
	// Lease: a claimed row is due again after this long, so that mail
	// claimed by a process that died is sent by another.
	Lease       time.Duration
	MaxAttempts int // a row tried this many times is given up (kept, with its last error)
}

// ClaimMail takes up to c.Limit due rows of the outbox, counts an attempt
// on each and leases them for c.Lease. On PostgreSQL the rows are picked
// FOR UPDATE SKIP LOCKED, so that several serve processes claim disjoint
// rows; SQLite has one writer.
func (s *Store) ClaimMail(ctx context.Context, c MailClaim) ([]OutgoingMail, error) {
	var out []OutgoingMail
	err := s.InTx(ctx, func(tx *Tx) error {
		lock := ""
		if tx.dialect == Postgres {
			lock = " FOR UPDATE OF o SKIP LOCKED"
		}
		var rows []struct {
			NotificationID int64
			ToAddress      string
			Attempts       int
			Kind           string
			ProposalID     *int64
			Message        string
		}
		err := tx.db.Raw(`SELECT o.notification_id, o.to_address, o.attempts, n.kind, n.proposal_id, n.message
			FROM mail_outbox o JOIN notifications n ON n.id = o.notification_id
			WHERE o.sent_at IS NULL AND o.next_attempt_at <= ? AND o.attempts < ?
			ORDER BY o.next_attempt_at, o.notification_id LIMIT ?`+lock, tx.now, c.MaxAttempts, c.Limit).Scan(&rows).Error
		if err != nil {
			return fmt.Errorf("claim mail: %w", err)
		}
		for _, r := range rows {
			if err := tx.db.Exec(`UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = ? WHERE notification_id = ?`,
				tx.now.Add(c.Lease), r.NotificationID).Error; err != nil {
				return fmt.Errorf("claim mail %d: %w", r.NotificationID, err)
			}
			out = append(out, OutgoingMail{NotificationID: r.NotificationID, To: r.ToAddress, Attempts: r.Attempts + 1,
				Kind: r.Kind, ProposalID: r.ProposalID, Message: r.Message})
		}
		return nil
	})
	return out, err
}

// MailSent records that a claimed mail went out.
func (s *Store) MailSent(ctx context.Context, notificationID int64) error {
	return s.db.WithContext(ctx).Exec(`UPDATE mail_outbox SET sent_at = ?, last_error = '' WHERE notification_id = ?`,
		s.Now(), notificationID).Error
}

// MailFailed records why a claimed mail did not go out and when to try it
// again. The error is the SMTP server's answer, never the credentials.
func (s *Store) MailFailed(ctx context.Context, notificationID int64, reason string, retryAt time.Time) error {
	if len(reason) > 500 {
		reason = reason[:500]
	}
	reason = strings.ToValidUTF8(strings.ReplaceAll(reason, "\x00", ""), "")
	return s.db.WithContext(ctx).Exec(`UPDATE mail_outbox SET last_error = ?, next_attempt_at = ? WHERE notification_id = ?`,
		reason, retryAt, notificationID).Error
}

// PendingMail counts the outbox's mail not sent yet that a sender giving
// up after maxAttempts still tries: the queue of the mail metrics.
func (s *Store) PendingMail(ctx context.Context, maxAttempts int) (int64, error) {
	var n int64
	err := s.reader(ctx).Raw(`SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL AND attempts < ?`, maxAttempts).Scan(&n).Error
	if err != nil {
		return 0, fmt.Errorf("pending mail: %w", err)
	}
	return n, nil
}

// MailStatus is the outbox row of a notification, for tests and support.
type MailStatus struct {
	To        string
	Attempts  int
	Sent      bool
	LastError string
}

// MailOf returns the outbox rows of userID's notifications, oldest first.
func (s *Store) MailOf(ctx context.Context, userID int64) ([]MailStatus, error) {
	var rows []struct {
		ToAddress string
		Attempts  int
		SentAt    *time.Time
		LastError string
	}
	err := s.reader(ctx).Raw(`SELECT o.to_address, o.attempts, o.sent_at, o.last_error FROM mail_outbox o
		JOIN notifications n ON n.id = o.notification_id WHERE n.user_id = ? ORDER BY o.notification_id`, userID).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("mail of user %d: %w", userID, err)
	}
	out := make([]MailStatus, len(rows))
	for i, r := range rows {
		out[i] = MailStatus{To: r.ToAddress, Attempts: r.Attempts, Sent: r.SentAt != nil, LastError: r.LastError}
	}
	return out, nil
}
