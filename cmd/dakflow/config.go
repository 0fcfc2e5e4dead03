package main

import (
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"dakflow/internal/document"
	"dakflow/internal/mail"
	"dakflow/internal/workflow"
)

// config is every setting of dakflow, from DAKFLOW_* variables with flag
// overrides. It is the only place that reads the environment.
type config struct {
	DatabaseURL    string
	Addr           string
	BaseURL        string
	DataDir        string
	NumberPatterns string
	Workflow       string
	// SignersFile replaces the signer configuration shipped with the
	// templates (templates/documents/signers.yaml); "" keeps it.
	SignersFile string
	// SigningKeyFile holds the Ed25519 key that signs trails and
	// checkpoints, mode 0600, created on first start; its public list is
	// beside it (keyring). Default DATA_DIR/signing.key.
	SigningKeyFile string
	// CheckpointDir is the append-only directory signed checkpoints are
	// written to; default DATA_DIR/checkpoints. CheckpointInterval is how
	// often serve writes one (when the log grew); CheckpointWebhook, when
	// set, receives each newest checkpoint by POST.
	CheckpointDir      string
	CheckpointInterval time.Duration
	CheckpointWebhook  string

	// LogLevel is the least level logged (debug, info, warn, error).
	LogLevel slog.Level

	// MaxUploadBytes is the largest attachment accepted, by the API, the
	// pages and the engine alike (default 20 MiB). Uploads held in memory
	// at once never pass this many bytes (web's upload budget), and
	// storing one costs about three times its size, so it is bounded
	// (maxUploadBytes).
	MaxUploadBytes int64

	// PprofAddr, when set, is a second listener that serves only
	// net/http/pprof, for profiling under load (scripts/bench.sh). It must
	// be a loopback address: profiles show the service's internals.
	PprofAddr string

	// SMTPURL, when set (smtp://user:pass@host:port?from=ADDRESS), has
	// notifications mailed too; finish parses it into SMTP.
	SMTPURL string
	SMTP    *mail.Config

	checkpointIntervalErr error // a malformed DAKFLOW_CHECKPOINT_INTERVAL, reported by finish
	logLevelErr           error // a malformed DAKFLOW_LOG_LEVEL, reported by finish
	maxUploadErr          error // a malformed DAKFLOW_MAX_UPLOAD_BYTES, reported by finish
}

// The bounds of MaxUploadBytes: a scanned letter needs more than the
// least; the most, stored (about three times its size in memory), stays
// under the 150 MB the process is given (PRODUCT.md §7).
const (
	minUploadBytes = 1 << 10
	maxUploadBytes = 32 << 20
)

// newConfig reads the environment and registers the flags on fs.
func newConfig(fs *flag.FlagSet) *config {
	c := &config{
		DatabaseURL:        os.Getenv("DAKFLOW_DATABASE_URL"),
		Addr:               envOr("DAKFLOW_ADDR", ":8080"),
		BaseURL:            os.Getenv("DAKFLOW_BASE_URL"),
		DataDir:            envOr("DAKFLOW_DATA_DIR", "data"),
		NumberPatterns:     os.Getenv("DAKFLOW_NUMBER_PATTERNS"),
		Workflow:           envOr("DAKFLOW_WORKFLOW", "dak-fisik-ikm"),
		SignersFile:        os.Getenv("DAKFLOW_SIGNERS_FILE"),
		SigningKeyFile:     os.Getenv("DAKFLOW_SIGNING_KEY_FILE"),
		CheckpointDir:      os.Getenv("DAKFLOW_CHECKPOINT_DIR"),
		CheckpointWebhook:  os.Getenv("DAKFLOW_CHECKPOINT_WEBHOOK"),
		PprofAddr:          os.Getenv("DAKFLOW_PPROF_ADDR"),
		SMTPURL:            os.Getenv("DAKFLOW_SMTP_URL"),
		CheckpointInterval: 10 * time.Minute,
		MaxUploadBytes:     workflow.DefaultMaxAttachmentBytes,
	}
	if v := os.Getenv("DAKFLOW_MAX_UPLOAD_BYTES"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			c.maxUploadErr = fmt.Errorf("DAKFLOW_MAX_UPLOAD_BYTES: want a number of bytes: %w", err)
		}
		c.MaxUploadBytes = n
	}
	if v := os.Getenv("DAKFLOW_CHECKPOINT_INTERVAL"); v != "" {
		c.checkpointIntervalErr = c.setInterval(v)
	}
	if v := os.Getenv("DAKFLOW_LOG_LEVEL"); v != "" {
		if err := c.LogLevel.UnmarshalText([]byte(v)); err != nil {
			c.logLevelErr = fmt.Errorf("DAKFLOW_LOG_LEVEL: %w", err)
		}
	}
	fs.TextVar(&c.LogLevel, "log-level", c.LogLevel, "least level logged: debug, info, warn or error")
	fs.StringVar(&c.DatabaseURL, "database-url", c.DatabaseURL, "postgres://… or sqlite:PATH (default sqlite:DATA_DIR/dakflow.db)")
	fs.StringVar(&c.DataDir, "data-dir", c.DataDir, "directory for the embedded SQLite database")
	fs.StringVar(&c.Addr, "addr", c.Addr, "listen address")
	fs.StringVar(&c.BaseURL, "base-url", c.BaseURL, "public URL printed in documents' QR codes")
	fs.StringVar(&c.NumberPatterns, "number-patterns", c.NumberPatterns, "document number patterns: kind=pattern;… (* for all)")
	fs.StringVar(&c.SignersFile, "signers-file", c.SignersFile, "who signs each document kind (YAML; default the embedded templates/documents/signers.yaml)")
	fs.StringVar(&c.SigningKeyFile, "signing-key-file", c.SigningKeyFile, "Ed25519 signing key file, mode 0600, created on first start (default DATA_DIR/signing.key)")
	fs.StringVar(&c.CheckpointDir, "checkpoint-dir", c.CheckpointDir, "append-only directory for signed checkpoints (default DATA_DIR/checkpoints)")
	fs.DurationVar(&c.CheckpointInterval, "checkpoint-interval", c.CheckpointInterval, "how often serve signs a checkpoint of the global log when it grew")
	fs.Int64Var(&c.MaxUploadBytes, "max-upload-bytes", c.MaxUploadBytes, "largest attachment accepted, in bytes")
	fs.StringVar(&c.PprofAddr, "pprof-addr", c.PprofAddr, "loopback address serving net/http/pprof, for profiling (optional)")
	fs.StringVar(&c.CheckpointWebhook, "checkpoint-webhook", c.CheckpointWebhook, "URL that receives each new signed checkpoint by POST (optional)")
	fs.StringVar(&c.SMTPURL, "smtp-url", c.SMTPURL, "smtp://user:pass@host:port?from=ADDRESS: mail notifications through this server (optional)")
	return c
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func (c *config) setInterval(v string) error {
	d, err := time.ParseDuration(v)
	if err != nil {
		return fmt.Errorf("DAKFLOW_CHECKPOINT_INTERVAL: %w", err)
	}
	c.CheckpointInterval = d
	return nil
}

// finish fills defaults that depend on other settings and validates.
func (c *config) finish() error {
	if c.checkpointIntervalErr != nil {
		return c.checkpointIntervalErr
	}
	if c.logLevelErr != nil {
		return c.logLevelErr
	}
	if c.maxUploadErr != nil {
		return c.maxUploadErr
	}
	if c.MaxUploadBytes < minUploadBytes || c.MaxUploadBytes > maxUploadBytes {
		return fmt.Errorf("DAKFLOW_MAX_UPLOAD_BYTES %d: want %d to %d", c.MaxUploadBytes, minUploadBytes, maxUploadBytes)
	}
	if c.PprofAddr != "" && !loopback(c.PprofAddr) {
		return fmt.Errorf("DAKFLOW_PPROF_ADDR %q: want a loopback address such as 127.0.0.1:6060", c.PprofAddr)
	}
	if c.CheckpointInterval < time.Second {
		return fmt.Errorf("DAKFLOW_CHECKPOINT_INTERVAL %s: want at least 1s", c.CheckpointInterval)
	}
	if c.SigningKeyFile == "" {
		c.SigningKeyFile = filepath.Join(c.DataDir, "signing.key")
	}
	if c.CheckpointDir == "" {
		c.CheckpointDir = filepath.Join(c.DataDir, "checkpoints")
	}
	if c.CheckpointWebhook != "" {
		if u, err := url.Parse(c.CheckpointWebhook); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("DAKFLOW_CHECKPOINT_WEBHOOK %q is not an http(s) URL", c.CheckpointWebhook)
		}
	}
	if c.SMTPURL != "" {
		m, err := mail.ParseURL(c.SMTPURL)
		if err != nil {
			return err
		}
		c.SMTP = &m
	}
	if c.DatabaseURL == "" {
		c.DatabaseURL = "sqlite:" + filepath.Join(c.DataDir, "dakflow.db")
	}
	if !strings.HasPrefix(c.DatabaseURL, "sqlite:") && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		return fmt.Errorf("DAKFLOW_DATABASE_URL: want postgres://… or sqlite:PATH")
	}
	if c.BaseURL == "" {
		host := c.Addr
		if strings.HasPrefix(host, ":") {
			host = "localhost" + host
		}
		c.BaseURL = "http://" + host
	}
	if u, err := url.Parse(c.BaseURL); err != nil || u.Scheme == "" || u.Host == "" {
		return fmt.Errorf("DAKFLOW_BASE_URL %q is not an absolute URL", c.BaseURL)
	}
	if _, err := workflow.ParseNumbering(c.NumberPatterns); err != nil {
		return fmt.Errorf("DAKFLOW_NUMBER_PATTERNS: %w", err)
	}
	return nil
}

// String prints the settings with the database password masked.
func (c *config) String() string {
	db := c.DatabaseURL
	if u, err := url.Parse(db); err == nil {
		if u.User != nil {
			if _, ok := u.User.Password(); ok {
				u.User = url.UserPassword(u.User.Username(), "xxxxx")
			}
		}
		// libpq also takes the password (and a client key's) in the query.
		if q := u.Query(); q.Has("password") || q.Has("sslpassword") {
			for _, k := range []string{"password", "sslpassword"} {
				if q.Has(k) {
					q.Set(k, "xxxxx")
				}
			}
			u.RawQuery = q.Encode()
		}
		db = u.String()
	}
	signers := c.SignersFile
	if signers == "" {
		signers = "embedded"
	}
	hook := "none"
	if u, err := url.Parse(c.CheckpointWebhook); c.CheckpointWebhook != "" && err == nil {
		hook = u.Scheme + "://" + u.Host + "/…" // path and query may carry a token
	}
	smtpURL := "none"
	if c.SMTP != nil {
		smtpURL = c.SMTP.String() // the password masked
	}
	return fmt.Sprintf("database=%s addr=%s base_url=%s signers=%s signing_key=%s checkpoint_dir=%s checkpoint_interval=%s checkpoint_webhook=%s log_level=%s max_upload_bytes=%d smtp=%s",
		db, c.Addr, c.BaseURL, signers, c.SigningKeyFile, c.CheckpointDir, c.CheckpointInterval, hook, c.LogLevel, c.MaxUploadBytes, smtpURL)
}

// documentOptions reads the signer file, when one is configured, into the
// renderer's options; every problem of the file is listed at once.
func (c *config) documentOptions() (document.Options, error) {
	if c.SignersFile == "" {
		return document.Options{}, nil
	}
	src, err := os.ReadFile(c.SignersFile)
	if err != nil {
		return document.Options{}, fmt.Errorf("DAKFLOW_SIGNERS_FILE: %w", err)
	}
	s, err := document.ParseSigners(c.SignersFile, src)
	if err != nil {
		return document.Options{}, err
	}
	return document.Options{Signers: s, SignersFile: c.SignersFile}, nil
}
