package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/smtp"
	"strings"
	"time"

	"dakflow/internal/store"
)

// Sender sends the mail outbox. Run it in one goroutine per process; the
// store's claim lets several processes share the outbox.
type Sender struct {
	cfg     Config
	store   *store.Store
	log     *slog.Logger
	baseURL string
	// Poll is how often the outbox is looked at; Timeout bounds one SMTP
	// conversation; MaxAttempts gives a mail up; Backoff is the delay
	// after the first failure, doubled after each (at most MaxBackoff).
	Poll, Timeout, Backoff, MaxBackoff time.Duration
	MaxAttempts                        int
	metrics                            *Metrics
}

// NewSender sends the outbox of st through the server of cfg; baseURL
// makes each mail's link to its proposal.
func NewSender(cfg Config, st *store.Store, log *slog.Logger, baseURL string) *Sender {
	s := &Sender{cfg: cfg, store: st, log: log, baseURL: strings.TrimRight(baseURL, "/"),
		Poll: 5 * time.Second, Timeout: 30 * time.Second, Backoff: time.Minute, MaxBackoff: 6 * time.Hour, MaxAttempts: 8}
	s.metrics = newMetrics(st, func() int { return s.MaxAttempts })
	return s
}

// Metrics returns the sender's metrics, for the registry that serves them.
func (s *Sender) Metrics() *Metrics { return s.metrics }

// Run sends due mail until ctx ends. Errors are logged (the server's
// answer, never the credentials) and retried; none stops the process.
func (s *Sender) Run(ctx context.Context) {
	t := time.NewTicker(s.Poll)
	defer t.Stop()
	for {
		if err := s.SendDue(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("mail outbox", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// SendDue claims the due mail and sends it, one after another, until none
// is due; a failed mail is put back with its retry time.
func (s *Sender) SendDue(ctx context.Context) error {
	for ctx.Err() == nil {
		batch, err := s.store.ClaimMail(ctx, store.MailClaim{Limit: 20, Lease: s.Timeout + time.Minute, MaxAttempts: s.MaxAttempts})
		if err != nil || len(batch) == 0 {
			return err
		}
		for _, m := range batch {
			if err := s.send(m); err != nil {
				s.metrics.failed.Inc()
				retry := s.store.Now().Add(s.backoff(m.Attempts))
				s.log.Warn("mail not sent", "notification", m.NotificationID, "attempt", m.Attempts, "err", err)
				if err := s.store.MailFailed(ctx, m.NotificationID, err.Error(), retry); err != nil {
					return err
				}
				continue
			}
			s.metrics.sent.Inc() // the server has it, whether or not the row is marked
			if err := s.store.MailSent(ctx, m.NotificationID); err != nil {
				return err
			}
		}
	}
	return nil
}

// backoff is the delay after the attempt-th failure.
func (s *Sender) backoff(attempt int) time.Duration {
	d := s.Backoff
	for i := 1; i < attempt && d < s.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, s.MaxBackoff)
}

// send is one SMTP conversation, bounded by Timeout: STARTTLS when the
// server offers it, authentication when configured.
func (s *Sender) send(m store.OutgoingMail) error {
	conn, err := net.DialTimeout("tcp", s.cfg.Host, s.Timeout)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(s.Timeout)); err != nil {
		return err
	}
	host, _, _ := net.SplitHostPort(s.cfg.Host)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return err
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}); err != nil {
			return err
		}
	}
	if s.cfg.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, host)); err != nil {
			return err
		}
	}
	if err := c.Mail(s.cfg.From); err != nil {
		return err
	}
	if err := c.Rcpt(m.To); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(s.message(m)); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// Subject is the subject line of a notification's mail: its message's
// first sentence.
func Subject(message string) string {
	if i := strings.Index(message, ". "); i > 0 {
		message = message[:i]
	}
	return "[dakflow] " + message
}

// message is the mail: headers (the subject Q-encoded, for Indonesian
// text is not always ASCII) and a plain-text body with the link to the
// proposal.
func (s *Sender) message(m store.OutgoingMail) []byte {
	var b bytes.Buffer
	header := func(k, v string) {
		fmt.Fprintf(&b, "%s: %s\r\n", k, strings.NewReplacer("\r", "", "\n", "").Replace(v))
	}
	header("From", s.cfg.From)
	header("To", m.To)
	header("Subject", mime.QEncoding.Encode("utf-8", Subject(m.Message)))
	header("Date", time.Now().Format(time.RFC1123Z))
	header("Message-ID", fmt.Sprintf("<notification-%d@dakflow>", m.NotificationID))
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "8bit")
	b.WriteString("\r\n")
	b.WriteString(m.Message + "\r\n")
	if m.ProposalID != nil {
		fmt.Fprintf(&b, "\r\nBuka usulan: %s/proposals/%d\r\n", s.baseURL, *m.ProposalID)
	}
	b.WriteString("\r\nPemberitahuan ini dikirim oleh dakflow. Matikan e-mail pemberitahuan di halaman Pemberitahuan.\r\n")
	return b.Bytes()
}
