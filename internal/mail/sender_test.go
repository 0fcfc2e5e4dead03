package mail_test

import (
	"context"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	dmail "dakflow/internal/mail"
	"dakflow/internal/store"
	"dakflow/internal/web/apitest"
)

// delivered is one message the test server accepted.
type delivered struct {
	To      string
	Subject string
	Body    string
}

// smtpServer is an in-process SMTP server (go-smtp) on 127.0.0.1:0 that
// keeps what it receives; refuse makes it refuse that many messages
// first with a temporary error.
type smtpServer struct {
	Addr   string
	mu     sync.Mutex
	got    []delivered
	refuse int
}

func startSMTP(t *testing.T, refuse int) *smtpServer {
	t.Helper()
	s := &smtpServer{refuse: refuse}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{srv: s}, nil }))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.Addr = ln.Addr().String()
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return s
}

func (s *smtpServer) messages() []delivered {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]delivered(nil), s.got...)
}

type session struct {
	srv *smtpServer
	to  string
}

func (s *session) Reset()                                    { s.to = "" }
func (s *session) Logout() error                             { return nil }
func (s *session) Mail(string, *smtp.MailOptions) error      { return nil }
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error { s.to = to; return nil }
func (s *session) Data(r io.Reader) error {
	m, err := mail.ReadMessage(r)
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(m.Body)
	subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	s.srv.mu.Lock()
	defer s.srv.mu.Unlock()
	if s.srv.refuse > 0 {
		s.srv.refuse--
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "coba lagi nanti"}
	}
	s.srv.got = append(s.srv.got, delivered{To: s.to, Subject: subject, Body: string(body)})
	return nil
}

// mailEnv is a running dakflow with mail on and two verifiers that have
// an address: one wants mail, the other switched it off.
type mailEnv struct {
	*apitest.Env
	sender        *dmail.Sender
	wants, noMail int64 // their user ids
}

func newMailEnv(t *testing.T, addr string) *mailEnv {
	t.Helper()
	e := apitest.NewEnv(t)
	e.Engine.EnableMail(true)
	me := &mailEnv{Env: e}
	me.sender = me.newSender(t, addr)
	for i, name := range []string{"verifikator-surel", "verifikator-senyap"} {
		r := e.Admin.Do("POST", "/api/v1/users", map[string]any{"username": name, "full_name": "Pengguna " + name,
			"role": "verifier", "nip": apitest.NIP, "position": apitest.VerifierPosition, "password": apitest.Password,
			"email": name + "@kemenperin.go.id"}, nil)
		if r.Status != http.StatusCreated || r.JSON()["email"] != name+"@kemenperin.go.id" {
			t.Fatalf("POST /users %s = %d %s", name, r.Status, r.Body)
		}
		id := int64(r.JSON()["id"].(float64))
		if i == 0 {
			me.wants = id
			continue
		}
		me.noMail = id
		c := apitest.Login(t, e.URL, name, apitest.Password)
		if r := c.Do("PUT", "/api/v1/me/notifications", map[string]any{"email": false}, nil); r.Status != http.StatusOK {
			t.Fatalf("switch mail off = %d %s", r.Status, r.Body)
		}
	}
	return me
}

// newSender is a sender through the server at addr, with short delays.
func (e *mailEnv) newSender(t *testing.T, addr string) *dmail.Sender {
	t.Helper()
	cfg, err := dmail.ParseURL("smtp://" + addr + "?from=dakflow@kemenperin.go.id")
	if err != nil {
		t.Fatal(err)
	}
	s := dmail.NewSender(cfg, e.Store, slog.New(slog.NewTextHandler(io.Discard, nil)), e.URL)
	s.Timeout, s.Backoff = 2*time.Second, time.Millisecond
	return s
}

func (e *mailEnv) outbox(t *testing.T, user int64) []store.MailStatus {
	t.Helper()
	m, err := e.Store.MailOf(context.Background(), user)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestMail: mail goes out of the outbox, never inside a transition
// (PRODUCT.md §10). With the SMTP server down and the sender running,
// transitions succeed and the mail waits with its error; a server that
// then refuses once with a temporary error gets it at the next attempt —
// to the verifier who has an address and wants mail, with a subject
// naming the proposal — while the verifier who switched mail off has the
// in-app notification only.
func TestMail(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := ln.Addr().String()
	ln.Close() // nothing listens there any more
	e := newMailEnv(t, down)
	ctx := context.Background()

	// The server is down; the sender runs beside the transitions.
	e.sender.Poll, e.sender.Backoff = 10*time.Millisecond, time.Hour // one attempt while down
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { e.sender.Run(runCtx); close(done) }()
	id := e.Create(t, "revitalisasi", false)
	e.Pemda.MustFire(id, "submit", "", nil)
	e.Verifier.MustFire(id, "start_review", "", nil)
	number := e.Get(t, id)["number"].(string)
	deadline := time.Now().Add(5 * time.Second)
	for {
		m := e.outbox(t, e.wants)
		if len(m) == 1 && m[0].Attempts >= 1 && m[0].LastError != "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the sender never tried the server that is down: %+v", m)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	tried := e.outbox(t, e.wants)[0]
	if tried.Sent {
		t.Fatal("sent to a server that is down")
	}

	// The server is up but refuses the first message (451), then accepts.
	srv := startSMTP(t, 1)
	e.sender = e.newSender(t, srv.Addr)
	e.sender.Backoff = time.Hour
	later := func(d time.Duration) {
		now := e.Store.Now().Add(d)
		e.Store.SetClock(func() time.Time { return now })
	}
	later(2 * time.Hour) // past the retry of the attempt while down
	if err := e.sender.SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	m := e.outbox(t, e.wants)
	if len(m) != 1 || m[0].Sent || m[0].Attempts != 2 || tried.Attempts != 1 || !strings.Contains(m[0].LastError, "451") {
		t.Fatalf("after a refusal, outbox = %+v, want one unsent with the 451", m)
	}
	if err := e.sender.SendDue(ctx); err != nil || len(srv.messages()) != 0 {
		t.Fatalf("retried before its time (%v): %+v", err, srv.messages())
	}
	later(3 * time.Hour) // the second failure waits twice the backoff
	if err := e.sender.SendDue(ctx); err != nil {
		t.Fatal(err)
	}
	got := srv.messages()
	if len(got) != 1 {
		t.Fatalf("%d mails delivered, want 1: %+v", len(got), got)
	}
	if got[0].To != "verifikator-surel@kemenperin.go.id" || !strings.Contains(got[0].Subject, "Usulan "+number+" menunggu tindakan Anda") {
		t.Errorf("mail to %q subject %q", got[0].To, got[0].Subject)
	}
	if !strings.Contains(got[0].Body, "/proposals/") {
		t.Errorf("mail body without the link to the proposal: %q", got[0].Body)
	}
	if m := e.outbox(t, e.wants); len(m) != 1 || !m[0].Sent || m[0].Attempts != 3 {
		t.Errorf("outbox of the verifier = %+v, want one sent", m)
	}
	if m := e.outbox(t, e.noMail); len(m) != 0 {
		t.Errorf("outbox of the verifier with mail off = %+v, want none", m)
	}
	var n []int64
	if err := e.Store.Query(ctx, &n, `SELECT id FROM notifications WHERE user_id = ?`, e.noMail); err != nil || len(n) != 1 {
		t.Errorf("in-app notifications of the verifier with mail off = %v (%v), want 1", n, err)
	}
}

// TestParseURL: the configuration's URL, and the password never printed.
func TestParseURL(t *testing.T) {
	c, err := dmail.ParseURL("smtp://dak:rahasia@mail.kemenperin.go.id:587?from=dakflow@kemenperin.go.id")
	if err != nil {
		t.Fatal(err)
	}
	if c.Host != "mail.kemenperin.go.id:587" || c.Username != "dak" || c.Password != "rahasia" || c.From != "dakflow@kemenperin.go.id" {
		t.Errorf("ParseURL = %+v", c)
	}
	if strings.Contains(c.String(), "rahasia") {
		t.Errorf("String() = %q shows the password", c.String())
	}
	for _, bad := range []string{"http://mail:25?from=a@b.id", "smtp://mail:25", "smtp://:25?from=a@b.id", "smtp://mail?from=bukan"} {
		if _, err := dmail.ParseURL(bad); err == nil {
			t.Errorf("ParseURL(%q) accepted", bad)
		}
	}
}
