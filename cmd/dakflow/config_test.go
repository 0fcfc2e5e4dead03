package main

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"strings"
	"testing"

	"dakflow/internal/store/dbtest"
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

// TestMaxUploadBytes: DAKFLOW_MAX_UPLOAD_BYTES, or --max-upload-bytes,
// becomes the engine's limit, the one the API, the pages and Attach
// enforce (web's TestUploadLimitConfigured); a value that is no number or
// is out of bounds stops start-up.
func TestMaxUploadBytes(t *testing.T) {
	for _, tc := range []struct {
		name, env string
		args      []string
		want      int64
		wantErr   string
	}{
		{"default", "", nil, 20 << 20, ""},
		{"env", "65536", nil, 64 << 10, ""},
		{"flag over env", "65536", []string{"--max-upload-bytes", "2097152"}, 2 << 20, ""},
		{"not a number", "20MB", nil, 0, "DAKFLOW_MAX_UPLOAD_BYTES: want a number of bytes"},
		{"too small", "100", nil, 0, "DAKFLOW_MAX_UPLOAD_BYTES 100: want"},
		{"too large", "1073741824", nil, 0, "DAKFLOW_MAX_UPLOAD_BYTES 1073741824: want"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("DAKFLOW_MAX_UPLOAD_BYTES", tc.env)
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			cfg := newConfig(fs)
			if err := fs.Parse(append(tc.args, "--database-url", dbtest.URL(t), "--data-dir", t.TempDir())); err != nil {
				t.Fatal(err)
			}
			a, err := openApp(context.Background(), cfg, true)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("openApp = %v, want an error containing %q", err, tc.wantErr)
				}
				if err == nil {
					a.Close()
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			if got := a.engine.MaxAttachmentBytes(); got != tc.want {
				t.Errorf("engine.MaxAttachmentBytes() = %d, want %d", got, tc.want)
			}
			if !strings.Contains(cfg.String(), "max_upload_bytes=") {
				t.Errorf("String() = %q, want max_upload_bytes", cfg.String())
			}
		})
	}
}
