package mail_test

import (
	"context"
	"testing"
	"time"

	"dakflow/internal/web/apitest"
)

// TestMailMetrics: /metrics counts the outbox (issue 12) on the server's
// own registry: the queue while a mail waits, a failed attempt when the
// SMTP server refuses it, and sent=1 once the server has taken it.
func TestMailMetrics(t *testing.T) {
	srv := startSMTP(t, 1) // refuses the first message, then accepts
	e := newMailEnv(t, srv.Addr)
	e.sender.Backoff = time.Hour
	if err := e.Server.RegisterMetrics(e.sender.Metrics()); err != nil {
		t.Fatal(err)
	}
	want := func(what string, sent, failed, pending float64) {
		t.Helper()
		got := apitest.Metrics(t, e.URL)
		if got["dakflow_mail_sent_total"] != sent || got["dakflow_mail_failed_attempts_total"] != failed || got["dakflow_mail_pending"] != pending {
			t.Errorf("%s: /metrics mail figures sent %v, failed %v, pending %v; want %v, %v, %v", what,
				got["dakflow_mail_sent_total"], got["dakflow_mail_failed_attempts_total"], got["dakflow_mail_pending"], sent, failed, pending)
		}
	}
	want("before any mail", 0, 0, 0)

	id := e.Create(t, "revitalisasi", false)
	e.Pemda.MustFire(id, "submit", "", nil)
	e.Verifier.MustFire(id, "start_review", "", nil) // the verifier with an address is told
	want("a notification waiting", 0, 0, 1)

	ctx := context.Background()
	if err := e.sender.SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	want("after a refusal", 0, 1, 1)

	now := e.Store.Now().Add(2 * time.Hour) // past the retry
	e.Store.SetClock(func() time.Time { return now })
	if err := e.sender.SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.messages()); n != 1 {
		t.Fatalf("%d mails delivered, want 1", n)
	}
	want("after sending", 1, 1, 0)
}
