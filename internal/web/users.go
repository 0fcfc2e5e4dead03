package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/region"
	"dakflow/internal/store"
)

// UserInput is what an administrator sends to create an account.
type UserInput struct {
	Username   string `json:"username"`
	Password   string `json:"password"`
	Role       string `json:"role"`
	RegionCode string `json:"region_code"`
	FullName   string `json:"full_name"`
	NIP        string `json:"nip"`
	Position   string `json:"position"`
	// Email receives the account's notifications when SMTP is configured.
	Email string `json:"email"`
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
	in.Email = strings.TrimSpace(in.Email)
	if in.Email != "" && !validEmail(in.Email) {
		errs.Add("email", "alamat e-mail tidak valid; tulis satu alamat saja, misalnya nama@kemenperin.go.id")
	}
	if err := errs.Err("data pengguna tidak valid"); err != nil {
		return store.NewUser{}, err
	}
	return store.NewUser{User: dak.User{Username: in.Username, Role: role, RegionCode: in.RegionCode,
		FullName: strings.TrimSpace(in.FullName), NIP: strings.TrimSpace(in.NIP), Position: strings.TrimSpace(in.Position),
		Email: in.Email}, Password: in.Password}, nil
}

// createUser is POST /users (admin).
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

// listUsers is GET /users (admin): every account.
func (s *Server) listUsers(c echo.Context) error {
	users, err := s.store.Users(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list(users, int64(len(users))))
}
