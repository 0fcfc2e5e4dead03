// Package web is dakflow's HTTP interface: the JSON API under /api/v1, the
// public verification page and the server-rendered pages, over echo.
package web

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/sync/semaphore"

	"dakflow/internal/dak"
	"dakflow/internal/keyring"
	"dakflow/internal/store"
	"dakflow/internal/workflow"
)

// Config holds what the HTTP layer needs to know.
type Config struct {
	BaseURL       string        // public URL; https makes cookies Secure
	SessionTTL    time.Duration // lifetime of a token or a browser session (default 12 h)
	SecureCookies bool          // force Secure cookies behind a TLS-terminating proxy
	Templates     fs.FS         // templates/ (pages)
	// Timeouts close slow or idle connections, so that clients that send
	// half a request or hold connections open cannot exhaust the server
	// (PRODUCT.md §7). Zero takes the defaults of withTimeouts.
	ReadHeaderTimeout, ReadTimeout, IdleTimeout time.Duration
	// WriteTimeout is how long each write of a response may wait for the
	// client to take it (writeDeadlines); zero takes the default.
	WriteTimeout time.Duration
	// Exports configures the background trail exports (trail_export.go).
	Exports ExportConfig
	// Keys is the server's signing key ring (outside the database): it
	// signs trails and checkpoints and lists the public keys. Required.
	Keys *keyring.Keyring
	// FilingsAtOnce bounds the drafts filed at once (filingTurn); zero
	// takes the engine's FilingsAtOnce.
	FilingsAtOnce int64
	// TurnWait is how long an upload or a filing waits for its turn
	// before a 503 (defaultTurnWait when zero).
	TurnWait time.Duration
}

// defaultTurnWait is how long an upload or a filing waits for its turn
// unless Config.TurnWait says otherwise.
const defaultTurnWait = 30 * time.Second

// withTimeouts fills the connection timeouts left zero: a request's
// headers within 10 s, the whole request (a 20 MiB upload on a slow office
// line included) within 2 min, an idle keep-alive connection kept 60 s,
// each write of a response taken by the client within 60 s.
func (c Config) withTimeouts() Config {
	if c.ReadHeaderTimeout == 0 {
		c.ReadHeaderTimeout = 10 * time.Second
	}
	if c.ReadTimeout == 0 {
		c.ReadTimeout = 2 * time.Minute
	}
	if c.IdleTimeout == 0 {
		c.IdleTimeout = 60 * time.Second
	}
	if c.WriteTimeout == 0 {
		c.WriteTimeout = 60 * time.Second
	}
	return c
}

// Server serves the API and the pages.
type Server struct {
	echo   *echo.Echo
	store  *store.Store
	engine *workflow.Engine
	log    *slog.Logger
	cfg    Config
	pages  *pages
	// uploads is the byte budget of attachments held in memory (uploadSlot).
	uploads *semaphore.Weighted
	// filings are the places of drafts being filed at once (filingTurn).
	filings *semaphore.Weighted
	// exports is this process's trail-export worker.
	exports *exporter
	// metrics are served on /metrics (observability.go).
	metrics *metrics
	// outage rate-limits the log lines of 503s (errors.go).
	outage outageLog
}

// New builds the server and its routes; a page template that does not
// parse stops it here, at start-up.
func New(st *store.Store, engine *workflow.Engine, log *slog.Logger, cfg Config) (*Server, error) {
	if cfg.Keys == nil {
		return nil, errors.New("web: no signing key ring (Config.Keys)")
	}
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.FilingsAtOnce == 0 {
		cfg.FilingsAtOnce = engine.FilingsAtOnce()
	}
	if cfg.TurnWait == 0 {
		cfg.TurnWait = defaultTurnWait
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	s := &Server{echo: e, store: st, engine: engine, log: log, cfg: cfg, uploads: newUploadBudget(engine.MaxAttachmentBytes()),
		filings: semaphore.NewWeighted(cfg.FilingsAtOnce)}
	s.exports = newExporter(cfg.Exports)
	m, err := newMetrics(st, engine)
	if err != nil {
		return nil, err
	}
	s.metrics = m
	if cfg.Templates != nil {
		p, err := newPages(s, cfg.Templates)
		if err != nil {
			return nil, err
		}
		s.pages = p
	}
	e.HTTPErrorHandler = s.errorHandler
	e.Use(s.writeDeadlines)
	e.Use(s.requestLog)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{LogErrorFunc: s.recoverLog, DisableStackAll: true}))
	e.Use(s.observeRequests)
	s.routes()
	return s, nil
}

// Handler is the root http.Handler.
func (s *Server) Handler() http.Handler { return s.echo }

// pathID reads a path parameter as a row id; anything else is 404, as
// for a row that does not exist.
func pathID(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, dak.Errorf(dak.ErrNotFound, "tidak ditemukan")
	}
	return id, nil
}

// Start listens on addr until ctx ends, then shuts down gracefully.
func (s *Server) Start(ctx context.Context, addr string, ready func(addr string)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	s.echo.Listener = ln
	cfg := s.cfg.withTimeouts()
	s.echo.Server.ReadHeaderTimeout, s.echo.Server.ReadTimeout = cfg.ReadHeaderTimeout, cfg.ReadTimeout
	s.echo.Server.IdleTimeout, s.echo.Server.MaxHeaderBytes = cfg.IdleTimeout, 64<<10
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- s.echo.Start("") }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Requests in flight get 10 s to finish, then their connections are
	// closed; Start returns only after the server goroutine has, so that
	// the caller may close the store.
	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err = s.echo.Shutdown(shut); err != nil {
		err = errors.Join(err, s.echo.Close())
	}
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}
