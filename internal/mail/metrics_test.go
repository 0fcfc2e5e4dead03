package mail_test

import (
	"bufio"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// mailFigures reads the mail series of the server's /metrics.
func mailFigures(t *testing.T, base string) map[string]string {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics = %d", resp.StatusCode)
	}
	out := map[string]string{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for sc.Scan() {
		if name, value, ok := strings.Cut(sc.Text(), " "); ok && strings.HasPrefix(name, "dakflow_mail_") {
			out[name] = value
		}
	}
	return out
}

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
	want := func(what string, sent, failed, pending string) {
		t.Helper()
		got := mailFigures(t, e.URL)
		if got["dakflow_mail_sent_total"] != sent || got["dakflow_mail_failed_attempts_total"] != failed || got["dakflow_mail_pending"] != pending {
			t.Errorf("%s: /metrics mail figures %v, want sent %s, failed %s, pending %s", what, got, sent, failed, pending)
		}
	}
	want("before any mail", "0", "0", "0")

	id := e.Create(t, "revitalisasi", false)
	e.Pemda.MustFire(id, "submit", "", nil)
	e.Verifier.MustFire(id, "start_review", "", nil) // the verifier with an address is told
	want("a notification waiting", "0", "0", "1")

	ctx := context.Background()
	if err := e.sender.SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	want("after a refusal", "0", "1", "1")

	now := e.Store.Now().Add(2 * time.Hour) // past the retry
	e.Store.SetClock(func() time.Time { return now })
	if err := e.sender.SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.messages()); n != 1 {
		t.Fatalf("%d mails delivered, want 1", n)
	}
	want("after sending", "1", "1", "0")
}
