// Package mail sends dakflow's notifications by e-mail (PRODUCT.md §10):
// a sender that takes due rows of the store's mail outbox, sends each over
// SMTP, and marks it sent or schedules a retry with a growing delay. The
// rows are written in the transition's transaction (workflow/notify.go);
// the sending is never inside it, so a mail server down or slow never
// holds a transition.
package mail

import (
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strings"
)

// Config is where and as whom mail is sent, parsed from DAKFLOW_SMTP_URL:
// smtp://user:pass@host:port?from=dakflow@example.go.id. The password is
// never printed (String masks it).
type Config struct {
	Host     string // host:port
	Username string
	Password string
	From     string
}

// ParseURL reads an smtp:// URL: host and port, optional user and
// password (sent only after STARTTLS or to a loopback server: net/smtp
// refuses plain authentication elsewhere), and the sender address in
// from=.
func ParseURL(raw string) (Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Config{}, fmt.Errorf("DAKFLOW_SMTP_URL: not a URL")
	}
	if u.Scheme != "smtp" {
		return Config{}, fmt.Errorf("DAKFLOW_SMTP_URL: want smtp://user:pass@host:port?from=ADDRESS")
	}
	c := Config{Host: u.Host, From: u.Query().Get("from")}
	if u.Port() == "" {
		c.Host = net.JoinHostPort(u.Hostname(), "25")
	}
	if u.Hostname() == "" {
		return Config{}, fmt.Errorf("DAKFLOW_SMTP_URL: no host")
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	a, err := mail.ParseAddress(c.From)
	if err != nil || strings.ContainsAny(a.Address, "\r\n") {
		return Config{}, fmt.Errorf("DAKFLOW_SMTP_URL: from=%q is not an e-mail address", c.From)
	}
	c.From = a.Address
	return c, nil
}

// String is the configuration without the password, for the start-up log.
func (c Config) String() string {
	user := ""
	if c.Username != "" {
		user = c.Username + ":xxxxx@"
	}
	return "smtp://" + user + c.Host + "?from=" + c.From
}
