package main

import (
	"flag"
	"io"
	"strings"
	"testing"
)

// TestSMTPURL: DAKFLOW_SMTP_URL (or --smtp-url) is parsed at start-up, a
// malformed one stops it, and the password never reaches the printed
// configuration.
func TestSMTPURL(t *testing.T) {
	for _, tc := range []struct {
		url, wantErr string
	}{
		{"smtp://dak:s3cret-smtp@mail.example.go.id:587?from=dakflow@example.go.id", ""},
		{"smtp://mail.example.go.id:587", "from="},
		{"https://mail.example.go.id?from=dakflow@example.go.id", "smtp://"},
	} {
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		cfg := newConfig(fs)
		if err := fs.Parse([]string{"--database-url", "sqlite:x.db", "--smtp-url", tc.url}); err != nil {
			t.Fatal(err)
		}
		err := cfg.finish()
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || strings.Contains(err.Error(), "s3cret") {
				t.Errorf("finish(%q) = %v, want an error about %s", tc.url, err, tc.wantErr)
			}
			continue
		}
		if err != nil || cfg.SMTP == nil || cfg.SMTP.Host != "mail.example.go.id:587" {
			t.Fatalf("finish(%q) = %v, SMTP %+v", tc.url, err, cfg.SMTP)
		}
		if s := cfg.String(); strings.Contains(s, "s3cret") || !strings.Contains(s, "smtp=smtp://dak:xxxxx@mail.example.go.id:587") {
			t.Errorf("String() = %q", s)
		}
	}
}
