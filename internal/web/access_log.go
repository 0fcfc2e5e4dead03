package web

import (
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/store"
)

// recordAccess writes the access-log line of a download before its bytes
// are sent (PRODUCT.md §5: every download by anyone recorded). It is one
// small INSERT in the same request. When it cannot be written the download
// is refused with a 503 and the failure logged by the error boundary: an
// auditor must be able to rely on the log holding every download, so no
// file leaves unrecorded.
func (s *Server) recordAccess(c echo.Context, action, objectType string, objectID int64, proposalID *int64) error {
	a := accessOf(c, action, objectType, objectID, proposalID)
	if err := s.store.RecordAccess(c.Request().Context(), &a); err != nil {
		return unrecorded(err)
	}
	return nil
}

// recordSentraAccess is recordAccess for a file of a sentra's registry (a
// use report's photo): the line names the sentra instead of a proposal.
func (s *Server) recordSentraAccess(c echo.Context, objectType string, objectID, sentraID int64) error {
	a := accessOf(c, dak.AccessDownload, objectType, objectID, nil)
	a.SentraID = &sentraID
	if err := s.store.RecordAccess(c.Request().Context(), &a); err != nil {
		return unrecorded(err)
	}
	return nil
}

// accessOf is the access-log line of the request in c: who, what, from where.
func accessOf(c echo.Context, action, objectType string, objectID int64, proposalID *int64) dak.Access {
	u := currentUser(c)
	req := c.Request()
	return dak.Access{UserID: u.ID, User: u.Username, Role: u.Role, Action: action, ObjectType: objectType,
		ObjectID: objectID, ProposalID: proposalID, RemoteAddr: peerAddr(req),
		ForwardedFor: printable(req.Header.Get("X-Forwarded-For"), 200),
		RequestID:    printable(c.Response().Header().Get(echo.HeaderXRequestID), 100)}
}

// unrecorded is the 503 of a request whose access-log line failed.
func unrecorded(err error) error {
	return fmt.Errorf("%w (%v)", dak.Errorf(dak.ErrUnavailable,
		"permintaan tidak dapat dicatat di log akses sehingga tidak dilayani; coba lagi sebentar lagi"), err)
}

// peerAddr is the address of the connection the request came on. Headers
// such as X-Forwarded-For are the client's claim and are kept apart.
func peerAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return printable(r.RemoteAddr, 100)
	}
	return host
}

// printable keeps the printable ASCII of a header value, at most n bytes,
// so that a header sent to make the insert fail cannot refuse a download.
func printable(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return -1
		}
		return r
	}, s)
	if len(s) > n {
		s = s[:n]
	}
	return s
}

// parseAccessFilter reads user, proposal (an id or a number), from, to (WIB
// days, both included), page and per_page; every bad value is a 400 naming
// its parameter.
func parseAccessFilter(c echo.Context) (store.AccessFilter, error) {
	q := &query{c: c}
	var f store.AccessFilter
	f.User = q.text("user", maxQueryText)
	f.Proposal = q.text("proposal", maxNumber)
	if f.Proposal != "" && !numberChars.MatchString(f.Proposal) {
		q.errs.Add("proposal", "id atau nomor usulan")
	}
	f.From, f.To = q.dateRange()
	f.Page = q.num("page", 1, 1_000_000)
	f.PerPage = q.num("per_page", 1, 500)
	return f, q.err()
}

// listAccessLog is GET /api/v1/access-log (auditor, admin).
func (s *Server) listAccessLog(c echo.Context) error {
	f, err := parseAccessFilter(c)
	if err != nil {
		return err
	}
	lines, total, err := s.store.AccessLog(c.Request().Context(), f)
	if err != nil {
		return err
	}
	// The lines are dak.Access: {"id", "at", "user", "role", "action",
	// "object_type", "object_id", "proposal_id", "remote_addr", …}.
	return c.JSON(http.StatusOK, list(lines, total))
}
