package web

import (
	"errors"
	"net"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"dakflow/internal/dak"
	"dakflow/internal/region"
	"dakflow/internal/store"
	"dakflow/internal/workflow"
)

type loginInput struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

func (s *Server) login(c echo.Context) error {
	var in loginInput
	if err := decodeJSON(c, &in); err != nil {
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

func (s *Server) logout(c echo.Context) error {
	token := strings.TrimPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
	if err := s.store.Logout(c.Request().Context(), token); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) me(c echo.Context) error { return c.JSON(http.StatusOK, currentUser(c)) }

// UserInput is what an administrator sends to create an account.
type UserInput struct {
	Username   string `json:"username"`
	Password   string `json:"password"`
	Role       string `json:"role"`
	RegionCode string `json:"region_code"`
	FullName   string `json:"full_name"`
	NIP        string `json:"nip"`
	Position   string `json:"position"`
	// disabled: the account is (being) disabled and signs nothing, so its
	// signer fields may stay empty (an old account can still be disabled).
	disabled bool
}

// Validate checks an account before it is created; every problem at once.
// An account of a role that signs documents (dak.Role.Signs) needs a full
// name, a NIP (dak.CheckNIP) and a position (DOCUMENTS.md, "Who signs").
func (in *UserInput) Validate() (store.NewUser, error) {
	var errs dak.Fields
	in.Username = strings.TrimSpace(in.Username)
	if len(in.Username) < 3 || len(in.Username) > 64 || strings.ContainsAny(in.Username, " \t\n/") {
		errs.Add("username", "nama pengguna 3–64 karakter tanpa spasi")
	}
	if len(in.Password) < 10 || len(in.Password) > 128 {
		errs.Add("password", "kata sandi 10–128 karakter")
	}
	role, err := dak.ParseRole(in.Role)
	if err != nil {
		errs.Add("role", "%v", err)
	}
	if role == dak.RolePemda {
		code, err := region.ParseCode(in.RegionCode)
		switch {
		case err != nil:
			errs.Add("region_code", "%v", err)
		case code.Level() != region.Province && code.Level() != region.Regency:
			errs.Add("region_code", "pengguna pemda terikat pada provinsi atau kabupaten/kota")
		default:
			if _, ok := region.Lookup(code); !ok {
				errs.Add("region_code", "wilayah %s tidak terdaftar", in.RegionCode)
			}
		}
	} else if in.RegionCode != "" {
		errs.Add("region_code", "hanya pengguna pemda yang terikat wilayah")
	}
	if role.Signs() && !in.disabled { // they sign documents: DOCUMENTS.md, "Who signs"
		if strings.TrimSpace(in.FullName) == "" {
			errs.Add("full_name", "nama lengkap wajib diisi: dicetak pada tanda tangan dokumen")
		}
		if err := dak.CheckNIP(strings.TrimSpace(in.NIP)); err != nil {
			errs.Add("nip", "%v", err)
		}
		if strings.TrimSpace(in.Position) == "" {
			errs.Add("position", "jabatan wajib diisi: dicetak di atas tanda tangan dokumen")
		}
	}
	if err := errs.Err("data pengguna tidak valid"); err != nil {
		return store.NewUser{}, err
	}
	return store.NewUser{User: dak.User{Username: in.Username, Role: role, RegionCode: in.RegionCode,
		FullName: strings.TrimSpace(in.FullName), NIP: strings.TrimSpace(in.NIP), Position: strings.TrimSpace(in.Position)},
		Password: in.Password}, nil
}

func (s *Server) createUser(c echo.Context) error {
	var in UserInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	nu, err := in.Validate()
	if err != nil {
		return err
	}
	u, err := s.store.CreateUser(c.Request().Context(), nu)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, u)
}

func (s *Server) listUsers(c echo.Context) error {
	users, err := s.store.Users(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list(users, int64(len(users))))
}

// listBody is every list's shape: {"items": [...], "total": N}.
type listBody[T any] struct {
	Items []T   `json:"items"`
	Total int64 `json:"total"`
}

func list[T any](items []T, total int64) listBody[T] {
	if items == nil {
		items = []T{}
	}
	return listBody[T]{Items: items, Total: total}
}

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

var logins = promauto.NewCounterVec(prometheus.CounterOpts{
	Name: "dakflow_logins_total",
	Help: "Login attempts by interface (api, page) and result (ok, unauthenticated, too_many, …).",
}, []string{"interface", "result"})

// observeLogin counts a login and logs a refused one, without the
// username (people type their password into it) or anything typed.
func (s *Server) observeLogin(c echo.Context, iface string, err error) {
	logins.WithLabelValues(iface, workflow.Outcome(err)).Inc()
	if errors.Is(err, dak.ErrUnauthenticated) || errors.Is(err, dak.ErrTooMany) {
		s.logger(c).Warn("login refused", "interface", iface, "reason", workflow.Outcome(err), "remote", clientAddr(c))
	}
}
