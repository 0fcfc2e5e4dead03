package web

import (
	"net/http"
	"net/mail"
	"strings"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
)

// The notifications of PRODUCT.md §10: each user reads and marks read
// only their own (another's answers 404, as one that does not exist), and
// switches the mailing of them on or off. They are written by the engine
// with the event that asks the user to act (workflow/notify.go).

// listNotifications is GET /notifications?unread=1&page&per_page: the
// caller's, newest first.
func (s *Server) listNotifications(c echo.Context) error {
	q := &query{c: c}
	unread := q.num("unread", 0, 1) == 1
	page, perPage := q.num("page", 1, 1_000_000), q.num("per_page", 1, 200)
	if err := q.err(); err != nil {
		return err
	}
	if perPage == 0 {
		perPage = 20
	}
	ns, total, err := s.store.Notifications(c.Request().Context(), currentUser(c).ID, unread, page, perPage)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list(ns, total))
}

// readNotification is POST /notifications/{id}/read.
func (s *Server) readNotification(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	n, err := s.store.ReadNotification(c.Request().Context(), currentUser(c).ID, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, n)
}

// readAllNotifications is POST /notifications/read-all: {"read": N}.
func (s *Server) readAllNotifications(c echo.Context) error {
	n, err := s.store.ReadAllNotifications(c.Request().Context(), currentUser(c).ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]int64{"read": n})
}

// NotificationSettings is PUT /me/notifications: whether the caller's
// notifications are also mailed.
type NotificationSettings struct {
	Email *bool `json:"email"`
}

// putNotificationSettings is PUT /me/notifications {"email": bool}; it
// answers the account as GET /me does.
func (s *Server) putNotificationSettings(c echo.Context) error {
	var in NotificationSettings
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.Email == nil {
		return &dak.Error{Kind: dak.ErrInvalid, Detail: "pengaturan pemberitahuan tidak valid",
			Fields: []dak.FieldError{{Field: "email", Message: "wajib diisi: true atau false"}}}
	}
	u := currentUser(c)
	if err := s.store.SetEmailNotifications(c.Request().Context(), u.ID, *in.Email); err != nil {
		return err
	}
	u.EmailNotifications = *in.Email
	return c.JSON(http.StatusOK, u)
}

// validEmail accepts one plain address (no display name), at most 254
// bytes (RFC 5321), without line breaks that could forge mail headers.
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && len(s) <= 254 && !strings.ContainsAny(s, "\r\n")
}
