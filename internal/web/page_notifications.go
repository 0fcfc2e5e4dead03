package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
)

// The notifications page (/notifikasi, PRODUCT.md §10): the user's own,
// newest first, each marked read with "tandai dibaca", and the switch of
// their mailing. The header's badge counts the unread (pageBase.Unread).

// notificationsPage is /notifikasi.
type notificationsPage struct {
	pageBase
	Items      []notificationView
	Pager      pager
	OnlyUnread bool // only the unread are listed
	MailOn     bool // the user's notifications are mailed (when SMTP is configured)
	HasAddress bool // the account has an e-mail address
}

// notificationView is one line of the list.
type notificationView struct {
	ID       int64
	Kind     string
	Message  string
	When     string
	Read     bool
	Proposal string // the proposal's page, "" for none
}

// unread counts u's unread notifications for the header's badge; a
// failure shows none rather than failing the page the user asked for.
func (p *pages) unread(c echo.Context, u dak.User) int64 {
	n, err := p.s.store.UnreadNotifications(c.Request().Context(), u.ID)
	if err != nil {
		return 0
	}
	return n
}

func (p *pages) notifications(c echo.Context) error {
	u := currentUser(c)
	q := &query{c: c}
	unread := q.num("unread", 0, 1) == 1
	page := q.num("page", 1, 1_000_000)
	if err := q.err(); err != nil {
		return err
	}
	const perPage = 30
	ns, total, err := p.s.store.Notifications(c.Request().Context(), u.ID, unread, page, perPage)
	if err != nil {
		return err
	}
	data := notificationsPage{pageBase: p.base(c, "Pemberitahuan"), OnlyUnread: unread, MailOn: u.EmailNotifications, HasAddress: u.Email != ""}
	switch {
	case c.QueryParam("mail") == "on":
		data.Notice = "E-mail pemberitahuan dinyalakan."
	case c.QueryParam("mail") == "off":
		data.Notice = "E-mail pemberitahuan dimatikan; pemberitahuan tetap tampil di sini."
	}
	for _, n := range ns {
		v := notificationView{ID: n.ID, Kind: n.Kind, Message: n.Message, When: dak.FormatDateTime(n.CreatedAt), Read: n.ReadAt != nil}
		if n.ProposalID != nil {
			v.Proposal = "/proposals/" + strconv.FormatInt(*n.ProposalID, 10)
		}
		data.Items = append(data.Items, v)
	}
	data.Pager = newPager(c.QueryParams(), max(page, 1), perPage, total)
	data.Pager.Noun = "pemberitahuan"
	return p.render(c, http.StatusOK, "notifications", data)
}

// readNotification is POST /notifikasi/{id}/baca: back to the list.
func (p *pages) readNotification(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if _, err := p.s.store.ReadNotification(c.Request().Context(), currentUser(c).ID, id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/notifikasi")
}

// readAllNotifications is POST /notifikasi/baca-semua.
func (p *pages) readAllNotifications(c echo.Context) error {
	if _, err := p.s.store.ReadAllNotifications(c.Request().Context(), currentUser(c).ID); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/notifikasi")
}

// setNotificationMail is POST /notifikasi/email with email=on|off.
func (p *pages) setNotificationMail(c echo.Context) error {
	on := c.FormValue("email") == "on"
	if err := p.s.store.SetEmailNotifications(c.Request().Context(), currentUser(c).ID, on); err != nil {
		return err
	}
	state := "off"
	if on {
		state = "on"
	}
	return c.Redirect(http.StatusSeeOther, "/notifikasi?mail="+state)
}
