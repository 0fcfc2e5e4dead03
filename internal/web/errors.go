package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/store"
)

// Problem is an RFC 9457 problem detail. AllowedEvents is omitzero, not
// omitempty: a conflict lists the events the caller may fire even when there
// are none ([]); other problems leave it out (nil).
type Problem struct {
	Type          string           `json:"type"`
	Title         string           `json:"title"`
	Status        int              `json:"status"`
	Detail        string           `json:"detail,omitempty"`
	Instance      string           `json:"instance,omitempty"`
	Errors        []dak.FieldError `json:"errors,omitempty"`
	State         string           `json:"state,omitempty"`
	AllowedEvents []string         `json:"allowed_events,omitzero"`
	// Rows and Valid are an import's counts when its commit is refused:
	// with errors, the same report as its dry run (sentra_import.go).
	Rows  *int `json:"rows,omitempty"`
	Valid *int `json:"valid,omitempty"`
}

// kinds maps each error kind to its status and title: the one table that
// decides what the HTTP interface says about a failure. Bare is the status
// of an error of the kind that names no field, when it differs: an
// ErrInvalid naming fields is a rule a well-formed request broke (422), one
// naming none could not be read (400, PRODUCT.md §6). The first kind that
// matches wins, so ErrMalformed comes before the ErrInvalid it refines.
var kinds = []struct {
	kind   error
	status int
	bare   int
	slug   string
	title  string
}{
	{dak.ErrMalformed, http.StatusBadRequest, 0, "invalid-input", "Permintaan tidak valid"},
	{dak.ErrInvalid, http.StatusUnprocessableEntity, http.StatusBadRequest, "invalid-input", "Permintaan tidak valid"},
	{dak.ErrUnauthenticated, http.StatusUnauthorized, 0, "unauthenticated", "Belum masuk atau sesi berakhir"},
	{dak.ErrForbidden, http.StatusForbidden, 0, "forbidden", "Peran Anda tidak diizinkan"},
	{dak.ErrNotFound, http.StatusNotFound, 0, "not-found", "Tidak ditemukan"},
	{dak.ErrConflict, http.StatusConflict, 0, "conflict", "Tidak dapat dilakukan pada status ini"},
	{dak.ErrPrecondition, http.StatusPreconditionFailed, 0, "stale", "Data telah berubah"},
	{dak.ErrTooLarge, http.StatusRequestEntityTooLarge, 0, "too-large", "Berkas atau permintaan terlalu besar"},
	{dak.ErrUnsupported, http.StatusUnsupportedMediaType, 0, "unsupported-media-type", "Jenis berkas tidak didukung"},
	{dak.ErrRule, http.StatusUnprocessableEntity, 0, "rule-failed", "Syarat belum terpenuhi"},
	{dak.ErrTooMany, http.StatusTooManyRequests, 0, "too-many-attempts", "Terlalu banyak percobaan"},
	{dak.ErrIntegrity, http.StatusInternalServerError, 0, "integrity", "Jejak audit tidak utuh"},
	{dak.ErrUnavailable, http.StatusServiceUnavailable, 0, "unavailable", "Layanan sementara tidak tersedia"},
}

// statusClientClosed is the status recorded for a request whose client
// went away before the answer (nginx's 499; never seen by the client).
const statusClientClosed = 499

// clientGone marks err as the client's going when the request's context
// ended before the answer: what failed then (a transaction rolled back
// with its context answers sql.ErrTxDone) failed because the client left,
// and is 499 like context.Canceled, not a server fault.
func clientGone(c echo.Context, err error) error {
	if err != nil && c.Request().Context().Err() != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("%w: %w", context.Canceled, err)
	}
	return err
}

// problemFor translates any error into a problem; unknown errors are 500
// and show nothing of their internals.
func problemFor(err error) Problem {
	for _, k := range kinds {
		if errors.Is(err, k.kind) {
			p := Problem{Type: "/problems/" + k.slug, Title: k.title, Status: k.status}
			de, ok := dak.AsError(err)
			if k.bare != 0 && (!ok || len(de.Fields) == 0) {
				p.Status = k.bare
			}
			if ok {
				p.Detail, p.Errors = de.Detail, de.Fields
				if s, ok := de.Extra["state"].(string); ok {
					p.State = s
				}
				if a, ok := de.Extra["allowed_events"].([]string); ok {
					p.AllowedEvents = a
				}
				if n, ok := de.Extra["rows"].(int); ok {
					p.Rows = &n
				}
				if n, ok := de.Extra["valid"].(int); ok {
					p.Valid = &n
				}
			} else {
				p.Detail = err.Error()
			}
			return p
		}
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		msg, _ := he.Message.(string)
		if he.Code == http.StatusRequestEntityTooLarge {
			return Problem{Type: "/problems/too-large", Title: "Berkas atau permintaan terlalu besar", Status: he.Code, Detail: msg}
		}
		return Problem{Type: "about:blank", Title: http.StatusText(he.Code), Status: he.Code, Detail: msg}
	}
	if errors.Is(err, context.Canceled) {
		// The client went away (closed its connection, gave up waiting for
		// an upload's turn): nothing failed here and nobody reads the
		// answer. 499, as nginx logs it, keeps it out of the server faults
		// (logged at level ERROR, counted as 5xx) that operators watch.
		return Problem{Type: "about:blank", Title: "Client Closed Request", Status: statusClientClosed,
			Detail: "Permintaan dibatalkan oleh klien."}
	}
	if store.Unavailable(err) { // the database is down or going away: not the request's fault
		return Problem{Type: "/problems/unavailable", Title: "Layanan sementara tidak tersedia", Status: http.StatusServiceUnavailable,
			Detail: "Basis data tidak dapat dihubungi; silakan coba lagi sebentar lagi."}
	}
	return Problem{Type: "about:blank", Title: "Terjadi kesalahan pada server", Status: http.StatusInternalServerError,
		Detail: "Kesalahan telah dicatat; silakan coba lagi."}
}

// errorHandler is echo's HTTPErrorHandler: the only place errors become
// responses. It logs only server faults.
func (s *Server) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	p := problemFor(err)
	p.Instance = c.Request().URL.Path
	switch {
	case p.Status == http.StatusServiceUnavailable:
		s.outage.log(s.logger(c), c.Request().Method, routeLabel(c), err)
	case p.Status >= 500:
		s.logger(c).Error("request failed", "method", c.Request().Method, "route", routeLabel(c), "err", err)
	}
	if !strings.HasPrefix(c.Request().URL.Path, "/api/") && s.pages != nil {
		if perr := s.pages.errorPage(c, p); perr == nil {
			return
		}
	}
	writeProblem(c, p)
}

func writeProblem(c echo.Context, p Problem) {
	body, err := json.Marshal(p)
	if err != nil {
		log := RequestLogger(c.Request().Context())
		if log == nil {
			log = slog.Default()
		}
		log.Error("encode problem", "err", err)
		return
	}
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	c.Response().WriteHeader(p.Status)
	_, _ = c.Response().Write(body)
}

// malformed is a 400 for a body that is not the JSON we expect.
func malformed(field, msg string) error {
	return &dak.Error{Kind: dak.ErrMalformed, Detail: "permintaan tidak dapat dibaca: " + msg,
		Fields: []dak.FieldError{{Field: field, Message: msg}}}
}

// outageLog logs the 503s of a database outage at WARN, the first at once
// and then one line per outageLogEvery with how many were answered since:
// an outage is one operational fact, not hundreds of server faults (a 20 s
// PostgreSQL restart under load wrote 780 ERROR lines).
type outageLog struct {
	mu         sync.Mutex
	last       time.Time
	suppressed int
}

const outageLogEvery = 10 * time.Second

func (o *outageLog) log(l *slog.Logger, method, route string, err error) {
	o.mu.Lock()
	now := time.Now()
	if !o.last.IsZero() && now.Sub(o.last) < outageLogEvery {
		o.suppressed++
		o.mu.Unlock()
		return
	}
	suppressed := o.suppressed
	o.last, o.suppressed = now, 0
	o.mu.Unlock()
	l.Warn("service unavailable", "method", method, "route", route, "err", err, "unavailable_since_last_line", suppressed)
}
