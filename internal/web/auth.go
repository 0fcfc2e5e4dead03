package web

import (
	"errors"
	"net"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/workflow"
)

// Authentication: the API's bearer tokens (login, logout, requireToken)
// and the roles a route admits (requireRole); the pages' session cookie
// is page_auth.go's.

// loginInput is the body of POST /auth/login.
type loginInput struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// login is POST /auth/login: a session token for a username and password;
// every attempt is counted (observeLogin).
func (s *Server) login(c echo.Context) error {
	var in loginInput
	// Anyone may post here: the body is bounded as the login form's is.
	body, err := readBodyUpTo(c, maxLoginBytes)
	if err != nil {
		return err
	}
	if err := decodeStrict(body, &in); err != nil {
		return err
	}
	var errs dak.Fields
	if strings.TrimSpace(in.Username) == "" {
		errs.Add("username", "nama pengguna wajib diisi")
	}
	if in.Password == "" {
		errs.Add("password", "kata sandi wajib diisi")
	}
	if err := errs.Err("data masuk tidak lengkap"); err != nil {
		return err
	}
	sess, err := s.store.Login(c.Request().Context(), strings.TrimSpace(in.Username), in.Password, clientAddr(c), s.cfg.SessionTTL)
	s.observeLogin(c, "api", err)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sess)
}

// logout is POST /auth/logout: the token ends now.
func (s *Server) logout(c echo.Context) error {
	token := strings.TrimPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
	if err := s.store.Logout(c.Request().Context(), token); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// me is GET /me: the caller's account.
func (s *Server) me(c echo.Context) error { return c.JSON(http.StatusOK, currentUser(c)) }

// clientAddr is the address of the connection a request came on (never a
// forwarded-for header, which the client writes itself): login attempts
// are counted per username and this address.
func clientAddr(c echo.Context) string {
	host, _, err := net.SplitHostPort(c.Request().RemoteAddr)
	if err != nil {
		return c.Request().RemoteAddr
	}
	return host
}

// observeLogin counts a login and logs a refused one, without the
// username (people type their password into it) or anything typed.
func (s *Server) observeLogin(c echo.Context, iface string, err error) {
	s.metrics.logins.WithLabelValues(iface, workflow.Outcome(err)).Inc()
	if errors.Is(err, dak.ErrUnauthenticated) || errors.Is(err, dak.ErrTooMany) {
		s.logger(c).Warn("login refused", "interface", iface, "reason", workflow.Outcome(err), "remote", clientAddr(c))
	}
}

// userKey is where the authenticated user lives in an echo.Context.
const userKey = "dakflow.user"

// currentUser is the authenticated caller; the zero User outside an
// authenticated route.
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
			return dak.Errorf(dak.ErrForbidden, "%s tidak diizinkan untuk tindakan ini", u.Role.Label())
		}
	}
}
