package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// writeDeadlines bounds how long a response may wait for its client. A
// single deadline for the whole response (http.Server.WriteTimeout) would
// cut off a long trail or export download that the client is reading, so
// each write gets WriteTimeout of its own instead: a client that stops
// reading is dropped after it and its handler freed, one that reads
// slowly but steadily gets everything. The deadline set at the start also
// covers the time to read the request (an upload on a slow line).
func (s *Server) writeDeadlines(next echo.HandlerFunc) echo.HandlerFunc {
	cfg := s.cfg.withTimeouts()
	return func(c echo.Context) error {
		w := c.Response().Writer
		rc := http.NewResponseController(w)
		// Not every writer has a connection under it (a test recorder).
		if rc.SetWriteDeadline(time.Now().Add(cfg.ReadTimeout+cfg.WriteTimeout)) == nil {
			c.Response().Writer = &deadlineWriter{ResponseWriter: w, rc: rc, timeout: cfg.WriteTimeout}
		}
		return next(c)
	}
}

// deadlineWriter moves the connection's write deadline before each write.
type deadlineWriter struct {
	http.ResponseWriter
	rc      *http.ResponseController
	timeout time.Duration
}

func (w *deadlineWriter) Write(p []byte) (int, error) {
	_ = w.rc.SetWriteDeadline(time.Now().Add(w.timeout)) // supported: checked when it was made
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController (flushes of streamed answers) reach
// the writer below.
func (w *deadlineWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
