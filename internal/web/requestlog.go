package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"time"

	"github.com/labstack/echo/v4"
)

// Every request has an id: the client's X-Request-Id when it is short and
// plain (a proxy in front may have set it), otherwise a new random one. It
// is sent back in X-Request-Id, shown on error pages, stored in the access
// log, and carried by every log line of the request: the request logger
// (Server.logger) is s.log with request_id, kept in the request's context.

// requestLogKey is the context key of the request logger.
type requestLogKey struct{}

// validRequestID accepts 1–64 letters, digits, '-', '_' or '.': nothing a
// log line or a header could be abused with.
func validRequestID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, r := range id {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.'
		if !ok {
			return false
		}
	}
	return true
}

func newRequestID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b) // crypto/rand.Read never fails: it crashes the program instead
	return hex.EncodeToString(b)
}

// RequestLogger is the logger of the request that ctx belongs to, or nil
// outside a request.
func RequestLogger(ctx context.Context) *slog.Logger {
	l, _ := ctx.Value(requestLogKey{}).(*slog.Logger)
	return l
}

// logger is the request's logger: every line it writes carries the
// request id.
func (s *Server) logger(c echo.Context) *slog.Logger {
	if l := RequestLogger(c.Request().Context()); l != nil {
		return l
	}
	return s.log
}

// quietRoutes are polled by probes and scrapers: their lines are debug.
var quietRoutes = map[string]bool{"/healthz": true, "/readyz": true, "/metrics": true}

// requestLog gives the request its id and logger, and writes one line when
// it ends: method, route template, path (never the query, which may carry
// anything), status, duration. It handles the error itself, so that the
// status logged is the status sent.
func (s *Server) requestLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		id := req.Header.Get(echo.HeaderXRequestID)
		if !validRequestID(id) {
			id = newRequestID()
		}
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		log := s.log.With("request_id", id)
		ctx := context.WithValue(req.Context(), requestLogKey{}, log)
		c.SetRequest(req.WithContext(ctx))
		start := time.Now()
		if err := next(c); err != nil {
			c.Error(err)
		}
		// A multipart form parsed on the request copy made above is not
		// the one net/http cleans up after the handler: its file parts
		// past the in-memory share sit in temporary files until removed
		// here, or forever (uploaded documents piling up on the disk).
		if f := c.Request().MultipartForm; f != nil {
			_ = f.RemoveAll()
		}
		level := slog.LevelInfo
		if quietRoutes[c.Path()] {
			level = slog.LevelDebug
		}
		log.LogAttrs(ctx, level, "request", slog.String("method", methodLabel(req.Method)),
			slog.String("route", routeLabel(c)), slog.String("path", printable(req.URL.Path, 200)),
			slog.Int("status", c.Response().Status), slog.Int64("bytes", c.Response().Size),
			slog.Duration("duration", time.Since(start)))
		return nil
	}
}

// recoverLog logs a handler's panic with the request's logger; the panic
// becomes a 500 through the error handler.
func (s *Server) recoverLog(c echo.Context, err error, stack []byte) error {
	s.logger(c).Error("panic", "err", err, "stack", string(stack))
	return err
}
