package main

import (
	"flag"
	"io"
	"log/slog"
	"strings"
	"testing"
)

// TestConfigStringMasksSecrets: the configuration is logged at start-up,
// so its printed form carries no password and no webhook token.
func TestConfigStringMasksSecrets(t *testing.T) {
	for _, tc := range []struct {
		name, db, hook, secret string
	}{
		{"userinfo", "postgres://dak:s3cret-userinfo@127.0.0.1/dak", "", "s3cret-userinfo"},
		{"query", "postgres://dak@127.0.0.1/dak?password=s3cret-query&sslmode=disable", "", "s3cret-query"},
		{"sslpassword", "postgresql://dak@127.0.0.1/dak?sslpassword=s3cret-ssl", "", "s3cret-ssl"},
		{"webhook", "sqlite:x.db", "https://witness.example/hook/s3cret-path?token=s3cret-hook", "s3cret"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			cfg := newConfig(fs)
			if err := fs.Parse([]string{"--database-url", tc.db, "--checkpoint-webhook", tc.hook, "--log-level", "debug"}); err != nil {
				t.Fatal(err)
			}
			if err := cfg.finish(); err != nil {
				t.Fatal(err)
			}
			s := cfg.String()
			if strings.Contains(s, tc.secret) {
				t.Errorf("String() = %q, shows %q", s, tc.secret)
			}
			if cfg.LogLevel != slog.LevelDebug || !strings.Contains(s, "log_level=DEBUG") {
				t.Errorf("--log-level debug: LogLevel = %v, String() = %q", cfg.LogLevel, s)
			}
		})
	}
}
