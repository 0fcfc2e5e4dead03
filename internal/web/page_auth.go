package web

import (
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
)

// Cookie names of the pages.
const (
	sessionCookie = "dakflow_session"
	loginCookie   = "dakflow_login" // double-submit token of the login form
	csrfKey       = "dakflow.csrf"
	tokenKey      = "dakflow.token"
)

func (p *pages) secure() bool {
	return p.s.cfg.SecureCookies || strings.HasPrefix(strings.ToLower(p.s.cfg.BaseURL), "https://")
}

func (p *pages) cookie(name, value string, expires time.Time) *http.Cookie {
	ck := &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, Secure: p.secure(), SameSite: http.SameSiteLaxMode}
	if expires.IsZero() {
		ck.MaxAge = -1
	} else {
		ck.Expires = expires
	}
	return ck
}

func csrfOf(c echo.Context) string { s, _ := c.Get(csrfKey).(string); return s }

// session authenticates a page request by its cookie. Without a live
// session a page request goes to the login page, which brings the user back.
func (p *pages) session(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if p.loadSession(c) {
			return next(c)
		}
		target := "/login?next=" + url.QueryEscape(c.Request().URL.RequestURI())
		if c.Request().Method != http.MethodGet {
			target = "/login?expired=1"
		}
		if ck, err := c.Cookie(sessionCookie); err == nil && ck.Value != "" && c.Request().Method == http.MethodGet {
			target += "&expired=1"
		}
		return c.Redirect(http.StatusSeeOther, target)
	}
}

// loadSession puts the cookie's session user in the context, if any.
func (p *pages) loadSession(c echo.Context) bool {
	ck, err := c.Cookie(sessionCookie)
	if err != nil || ck.Value == "" {
		return false
	}
	sess, err := p.s.store.SessionByToken(c.Request().Context(), ck.Value)
	if err != nil {
		return false
	}
	c.Set(userKey, sess.User)
	c.Set(csrfKey, sess.CSRF)
	c.Set(tokenKey, ck.Value)
	return true
}

// csrf refuses a form whose csrf_token is not the session's (403).
func (p *pages) csrf(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		limit := int64(maxFormBytes)
		if strings.HasSuffix(c.Path(), "/attachments") || strings.HasSuffix(c.Path(), "/foto") || c.Path() == "/sentra/impor" || c.Path() == "/proposals/impor" { // uploads
			limit = p.s.uploadBodyLimit()
		}
		// Read the form, bounded, before the token: a body too large is
		// "berkas terlalu besar", not an expired form.
		if err := parseForm(c, limit); err != nil {
			return err
		}
		got := c.FormValue("csrf_token")
		want := csrfOf(c)
		if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			return dak.Errorf(dak.ErrForbidden, "formulir ini kedaluwarsa atau tidak berasal dari dakflow; muat ulang halaman lalu kirim kembali")
		}
		return next(c)
	}
}

// loginPage is the login form.
type loginPage struct {
	pageBase
	Username, Next, Token string
	Error                 string
	TooMany, Expired, Out bool
}

// safeNext keeps redirects inside dakflow: a path on this host, nothing a
// browser could read as another host. Browsers drop tabs and newlines from
// a URL and read a backslash as a slash, so "/\t/evil.example" would go
// off-site: any control character or backslash is refused outright.
func safeNext(next string) string {
	if strings.IndexFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' }) >= 0 {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil ||
		!strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return "/"
	}
	return next
}

func (p *pages) loginForm(c echo.Context) error {
	if p.loadSession(c) {
		return c.Redirect(http.StatusSeeOther, safeNext(c.QueryParam("next")))
	}
	data := loginPage{pageBase: p.base(c, "Masuk"), Next: safeNext(c.QueryParam("next")),
		Expired: c.QueryParam("expired") != "", Out: c.QueryParam("out") != ""}
	return p.renderLogin(c, http.StatusOK, data)
}

func (p *pages) renderLogin(c echo.Context, status int, data loginPage) error {
	data.Token = rand.Text()
	c.SetCookie(p.cookie(loginCookie, data.Token, time.Now().Add(time.Hour)))
	return p.render(c, status, "login", data)
}

func (p *pages) loginSubmit(c echo.Context) error {
	data := loginPage{pageBase: p.base(c, "Masuk"), Username: strings.TrimSpace(c.FormValue("username")),
		Next: safeNext(c.FormValue("next"))}
	ck, err := c.Cookie(loginCookie)
	if err != nil || ck.Value == "" || subtle.ConstantTimeCompare([]byte(ck.Value), []byte(c.FormValue("csrf_token"))) != 1 {
		data.Error = "Formulir masuk kedaluwarsa. Silakan coba lagi."
		return p.renderLogin(c, http.StatusForbidden, data)
	}
	password := c.FormValue("password")
	if data.Username == "" || password == "" {
		data.Error = "Isi nama pengguna dan kata sandi."
		return p.renderLogin(c, http.StatusUnprocessableEntity, data)
	}
	sess, err := p.s.store.Login(c.Request().Context(), data.Username, password, clientAddr(c), p.s.cfg.SessionTTL)
	p.s.observeLogin(c, "page", err)
	switch {
	case errors.Is(err, dak.ErrTooMany):
		data.Error, data.TooMany = "Terlalu banyak percobaan masuk yang gagal untuk nama pengguna ini. Tunggu 15 menit, lalu coba lagi.", true
		return p.renderLogin(c, http.StatusTooManyRequests, data)
	case errors.Is(err, dak.ErrUnauthenticated):
		data.Error = "Nama pengguna atau kata sandi salah."
		return p.renderLogin(c, http.StatusUnauthorized, data)
	case err != nil:
		return err
	}
	c.SetCookie(p.cookie(loginCookie, "", time.Time{}))
	c.SetCookie(p.cookie(sessionCookie, sess.Token, sess.ExpiresAt))
	return c.Redirect(http.StatusSeeOther, data.Next)
}

func (p *pages) logout(c echo.Context) error {
	token, _ := c.Get(tokenKey).(string)
	if err := p.s.store.Logout(c.Request().Context(), token); err != nil {
		return err
	}
	c.SetCookie(p.cookie(sessionCookie, "", time.Time{}))
	return c.Redirect(http.StatusSeeOther, "/login?out=1")
}

// maxFormBytes bounds a page form without files; a login far less.
const (
	maxFormBytes  = 1 << 20
	maxLoginBytes = 64 << 10
)

// parseForm reads a POSTed form of at most limit bytes: a larger
// Content-Length is refused before anything is read, a body that runs past
// the limit stops there, and file parts above 256 KiB wait in temporary
// files rather than in memory. Either is ErrTooLarge (413).
func parseForm(c echo.Context, limit int64) error {
	req := c.Request()
	tooLarge := dak.Errorf(dak.ErrTooLarge, "berkas atau isian terlalu besar (paling banyak %d MiB)", max(1, limit>>20))
	if req.ContentLength > limit {
		return tooLarge
	}
	req.Body = http.MaxBytesReader(c.Response(), req.Body, limit)
	var err error
	if strings.HasPrefix(req.Header.Get(echo.HeaderContentType), echo.MIMEMultipartForm) {
		err = req.ParseMultipartForm(256 << 10)
	} else {
		err = req.ParseForm()
	}
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return tooLarge
	case err != nil:
		return dak.Errorf(dak.ErrInvalid, "formulir tidak dapat dibaca")
	}
	return nil
}

// limitLogin bounds the login form before its handler reads it.
func limitLogin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := parseForm(c, maxLoginBytes); err != nil {
			return err
		}
		return next(c)
	}
}
