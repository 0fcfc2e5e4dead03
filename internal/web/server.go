// Package web is dakflow's HTTP interface: the JSON API under /api/v1, the
// public verification page and the server-rendered pages, over echo.
package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"dakflow/internal/dak"
	"dakflow/internal/keyring"
	"dakflow/internal/store"
	"dakflow/internal/workflow"
)

// Config holds what the HTTP layer needs to know.
type Config struct {
	BaseURL        string        // public URL; https makes cookies Secure
	SessionTTL     time.Duration // lifetime of a token or a browser session (default 12 h)
	MaxUploadBytes int64         // largest attachment (default 20 MiB)
	SecureCookies  bool          // force Secure cookies behind a TLS-terminating proxy
	Templates      fs.FS         // templates/ (pages)
	// Timeouts close slow or idle connections, so that clients that send
	// half a request or hold connections open cannot exhaust the server
	// (PRODUCT.md §7). Zero takes the defaults of withTimeouts.
	ReadHeaderTimeout, ReadTimeout, IdleTimeout time.Duration
	// Exports configures the background trail exports (trail_export.go).
	Exports ExportConfig
	// Keys is the server's signing key ring (outside the database): it
	// signs trails and checkpoints and lists the public keys. Required.
	Keys *keyring.Keyring
}

// withTimeouts fills the connection timeouts left zero: a request's
// headers within 10 s, the whole request (a 20 MiB upload on a slow office
// line included) within 2 min, an idle keep-alive connection kept 60 s.
// Responses have no global write deadline: trails and exports stream.
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
	// uploads holds one token per attachment being read (uploadSlot).
	uploads chan struct{}
	// exports is this process's trail-export worker.
	exports *exporter
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
	if cfg.MaxUploadBytes == 0 {
		cfg.MaxUploadBytes = 20 << 20
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	s := &Server{echo: e, store: st, engine: engine, log: log, cfg: cfg, uploads: make(chan struct{}, maxConcurrentUploads)}
	s.exports = newExporter(cfg.Exports)
	if cfg.Templates != nil {
		p, err := newPages(s, cfg.Templates)
		if err != nil {
			return nil, err
		}
		s.pages = p
	}
	e.HTTPErrorHandler = s.errorHandler
	e.Use(s.requestLog)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{LogErrorFunc: s.recoverLog, DisableStackAll: true}))
	e.Use(metricsMiddleware)
	s.routes()
	return s, nil
}

// Handler is the root http.Handler.
func (s *Server) Handler() http.Handler { return s.echo }

// userKey is where the authenticated user lives in an echo.Context.
const userKey = "dakflow.user"

func currentUser(c echo.Context) dak.User {
	u, _ := c.Get(userKey).(dak.User)
	return u
}

// requireToken authenticates API calls by bearer token.
func (s *Server) requireToken(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Request().Header.Get(echo.HeaderAuthorization)
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || token == "" {
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="dakflow"`)
			return dak.Errorf(dak.ErrUnauthenticated, "header Authorization: Bearer TOKEN diperlukan")
		}
		sess, err := s.store.SessionByToken(c.Request().Context(), token)
		if err != nil {
			c.Response().Header().Set("WWW-Authenticate", `Bearer realm="dakflow", error="invalid_token"`)
			return err
		}
		c.Set(userKey, sess.User)
		return next(c)
	}
}

// requireRole lets only the given roles through (403 otherwise).
func requireRole(roles ...dak.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u := currentUser(c)
			for _, r := range roles {
				if u.Role == r {
					return next(c)
				}
			}
			return dak.Errorf(dak.ErrForbidden, "peran %s tidak diizinkan untuk tindakan ini", u.Role)
		}
	}
}

// maxJSONBody bounds any JSON request body.
const maxJSONBody = 2 << 20

// decodeJSON reads a JSON body strictly into v: wrong content type is 415,
// too large 413, malformed or unknown fields 400 naming the field.
func decodeJSON(c echo.Context, v any) error {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	if ct != "" && !strings.HasPrefix(ct, "application/json") {
		return dak.Errorf(dak.ErrUnsupported, "Content-Type harus application/json")
	}
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, maxJSONBody+1))
	if err != nil {
		return malformed("body", "badan permintaan tidak dapat dibaca")
	}
	if len(body) > maxJSONBody {
		return dak.Errorf(dak.ErrTooLarge, "badan permintaan melebihi %d byte", maxJSONBody)
	}
	return decodeStrict(body, v)
}

func decodeStrict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonProblem(body, v, err)
	}
	if dec.More() {
		return malformed("body", "ada data setelah objek JSON")
	}
	return nil
}

// jsonProblem names the offending field of a failed decode of body into v.
func jsonProblem(body []byte, v any, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return malformed("body", fmt.Sprintf("JSON tidak valid pada posisi %d", syn.Offset))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return malformed("body", "JSON terpotong")
	}
	// encoding/json names no field for errors of Money and Percent, and no
	// index or parent: find the value that fails, with its full path.
	if path, perr := dak.JSONErrorPath(body, v); path != "" && perr != nil {
		switch {
		case errors.As(perr, &typ):
			return malformed(path, fmt.Sprintf("harus bertipe %s", typ.Type))
		case strings.HasPrefix(perr.Error(), "json: unknown field "):
			return malformed(path, "kolom tidak dikenal")
		}
		return malformed(path, perr.Error())
	}
	switch {
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		return malformed(field, fmt.Sprintf("harus bertipe %s", typ.Type))
	case errors.Is(err, io.EOF):
		return malformed("body", "badan permintaan kosong")
	}
	msg := err.Error()
	if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return malformed(strings.Trim(f, `"`), "kolom tidak dikenal")
	}
	// Otherwise the message may carry the path.
	field := "body"
	if i := strings.Index(msg, "Go struct field "); i >= 0 {
		rest := msg[i+len("Go struct field "):]
		if j := strings.Index(rest, " of type"); j > 0 {
			field = jsonPath(rest[:j])
		}
	}
	return malformed(field, msg)
}

// jsonPath turns "ProposalInput.budget_lines.unit_price" into "budget_lines.unit_price".
func jsonPath(goPath string) string {
	if i := strings.Index(goPath, "."); i >= 0 {
		return goPath[i+1:]
	}
	return goPath
}

func pathID(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, dak.Errorf(dak.ErrNotFound, "tidak ditemukan")
	}
	return id, nil
}

// Start listens on addr until ctx ends, then shuts down gracefully.
func (s *Server) Start(ctx context.Context, addr string, ready func(addr string)) error {
	ln, err := netListen(addr)
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
		shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return s.echo.Shutdown(shut)
	}
}
