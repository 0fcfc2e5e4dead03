package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/store"
)

// adminUsersPage lists the accounts and holds the form to add one.
type adminUsersPage struct {
	pageBase
	Users    []userRow
	Form     UserInput
	Roles    []option
	Errors   fieldErrors
	Summary  []formProblem
	Headline string
}

// userRow is one account in the list.
type userRow struct {
	ID                                      int64
	Username, FullName, Role, Region, Email string
	Disabled                                bool
}

func roleOptions(selected string) []option {
	out := make([]option, len(dak.Roles))
	for i, r := range dak.Roles {
		out[i] = option{Value: string(r), Label: r.Label(), Selected: string(r) == selected}
	}
	return out
}

func (p *pages) usersPage(c echo.Context, form UserInput) (adminUsersPage, error) {
	users, err := p.s.store.Users(c.Request().Context())
	if err != nil {
		return adminUsersPage{}, err
	}
	data := adminUsersPage{pageBase: p.base(c, "Pengguna"), Form: form, Roles: roleOptions(form.Role), Errors: fieldErrors{}}
	for _, u := range users {
		row := userRow{ID: u.ID, Username: u.Username, FullName: u.FullName, Role: u.Role.Label(), Email: u.Email, Disabled: u.Disabled}
		if u.RegionCode != "" {
			row.Region = regionName(u.RegionCode) + " (" + u.RegionCode + ")"
		}
		data.Users = append(data.Users, row)
	}
	return data, nil
}

func (p *pages) adminUsers(c echo.Context) error {
	data, err := p.usersPage(c, UserInput{Role: string(dak.RolePemda)})
	if err != nil {
		return err
	}
	switch {
	case c.QueryParam("created") != "":
		data.Notice = "Pengguna " + c.QueryParam("created") + " telah dibuat."
	case c.QueryParam("saved") != "":
		data.Notice = "Perubahan pengguna tersimpan."
	}
	return p.render(c, http.StatusOK, "admin_users", data)
}

func userForm(c echo.Context) UserInput {
	return UserInput{Username: strings.TrimSpace(c.FormValue("username")), Password: c.FormValue("password"),
		Role: c.FormValue("role"), RegionCode: strings.TrimSpace(c.FormValue("region_code")),
		FullName: c.FormValue("full_name"), NIP: c.FormValue("nip"), Position: c.FormValue("position"),
		Email: c.FormValue("email")}
}

// adminCreateUser adds an account with the API's own validation.
func (p *pages) adminCreateUser(c echo.Context) error {
	in := userForm(c)
	nu, err := in.Validate()
	if err == nil {
		var u dak.User
		if u, err = p.s.store.CreateUser(c.Request().Context(), nu); err == nil {
			return c.Redirect(http.StatusSeeOther, "/admin/users?created="+u.Username)
		}
	}
	in.Password = ""
	data, derr := p.usersPage(c, in)
	if derr != nil {
		return derr
	}
	if !collect(err, data.Errors, &data.Summary, &data.Headline) {
		return err
	}
	userFormOrder.sort(data.Summary)
	return p.render(c, http.StatusUnprocessableEntity, "admin_users", data)
}

// adminUserPage edits one account.
type adminUserPage struct {
	pageBase
	Account  dak.User
	Form     UserInput
	Roles    []option
	Self     bool
	Errors   fieldErrors
	Summary  []formProblem
	Headline string
}

func (p *pages) userPage(c echo.Context) (adminUserPage, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return adminUserPage{}, err
	}
	u, err := p.s.store.UserByID(c.Request().Context(), id)
	if err != nil {
		return adminUserPage{}, err
	}
	form := UserInput{Username: u.Username, Role: string(u.Role), RegionCode: u.RegionCode, FullName: u.FullName,
		NIP: u.NIP, Position: u.Position, Email: u.Email}
	return adminUserPage{pageBase: p.base(c, "Pengguna "+u.Username), Account: u, Form: form, Roles: roleOptions(form.Role),
		Self: u.ID == currentUser(c).ID, Errors: fieldErrors{}}, nil
}

func (p *pages) adminUser(c echo.Context) error {
	data, err := p.userPage(c)
	if err != nil {
		return err
	}
	if c.QueryParam("saved") != "" {
		data.Notice = "Perubahan tersimpan."
	}
	return p.render(c, http.StatusOK, "admin_user", data)
}

// saveUser validates a changed account with the same rules as a new one
// and stores it; password "" keeps the old password.
func (p *pages) saveUser(c echo.Context, data adminUserPage, password string) error {
	check := data.Form
	check.Password, check.disabled = password, data.Account.Disabled
	if password == "" {
		check.Password = "unchanged-placeholder" // the password is not being changed; check the rest
	}
	nu, err := check.Validate()
	if err == nil && data.Self && (data.Account.Disabled || nu.Role != dak.RoleAdmin) {
		err = &dak.Error{Kind: dak.ErrInvalid, Detail: "akun sendiri tidak dapat dinonaktifkan atau diturunkan perannya",
			Fields: []dak.FieldError{{Field: "role", Message: "minta administrator lain untuk melakukannya"}}}
	}
	if err == nil {
		u := data.Account
		u.Role, u.RegionCode, u.FullName, u.NIP, u.Position, u.Email = nu.Role, nu.RegionCode, nu.FullName, nu.NIP, nu.Position, nu.Email
		if err = p.s.store.UpdateUser(c.Request().Context(), u, password); err == nil {
			return c.Redirect(http.StatusSeeOther, "/admin/users/"+strconv.FormatInt(u.ID, 10)+"?saved=1")
		}
	}
	if !collect(err, data.Errors, &data.Summary, &data.Headline) {
		return err
	}
	userFormOrder.sort(data.Summary)
	return p.render(c, http.StatusUnprocessableEntity, "admin_user", data)
}

func (p *pages) adminUpdateUser(c echo.Context) error {
	data, err := p.userPage(c)
	if err != nil {
		return err
	}
	in := userForm(c)
	data.Form.Role, data.Form.RegionCode, data.Form.FullName, data.Form.NIP, data.Form.Position, data.Form.Email =
		in.Role, in.RegionCode, in.FullName, in.NIP, in.Position, in.Email
	data.Roles = roleOptions(in.Role)
	return p.saveUser(c, data, "")
}

func (p *pages) adminResetPassword(c echo.Context) error {
	data, err := p.userPage(c)
	if err != nil {
		return err
	}
	pw := c.FormValue("password")
	if pw == "" {
		data.Errors["password"] = []string{"isi kata sandi baru"}
		data.Headline = "Kata sandi baru belum diisi."
		return p.render(c, http.StatusUnprocessableEntity, "admin_user", data)
	}
	return p.saveUser(c, data, pw)
}

func (p *pages) adminSetStatus(c echo.Context) error {
	data, err := p.userPage(c)
	if err != nil {
		return err
	}
	data.Account.Disabled = c.FormValue("disabled") == "true"
	return p.saveUser(c, data, "")
}

// adminYearsPage lists the fiscal years and sets a ceiling and deadline.
type adminYearsPage struct {
	pageBase
	Years                   []adminYearView
	Year, Ceiling, Deadline string
	// MenuCeilings are the optional per-menu ceilings as typed, by menu.
	MenuCeilings map[string]string
	// RegionCeilings are the region rows as typed; ChangeReason and
	// LegalBasis the change's (required when a ceiling changes).
	RegionCeilings           []regionCeilingInput
	ChangeReason, LegalBasis string
	Calendar                 map[string]string // the calendar fields as typed (page_calendar.go)
	Errors                   fieldErrors
	Summary                  []formProblem
	Headline                 string
}

func (p *pages) yearsPage(c echo.Context) (adminYearsPage, error) {
	fys, _, err := p.fiscalYears(c)
	if err != nil {
		return adminYearsPage{}, err
	}
	data := adminYearsPage{pageBase: p.base(c, "Tahun anggaran"), Errors: fieldErrors{}, RegionCeilings: make([]regionCeilingInput, regionRows)}
	now := p.s.store.Now()
	for _, fy := range fys {
		v, err := p.adminYearOf(c.Request().Context(), fy, fiscalYearOf(fy, now))
		if err != nil {
			return data, err
		}
		data.Years = append(data.Years, v)
	}
	return data, nil
}

func (p *pages) adminFiscalYears(c echo.Context) error {
	data, err := p.yearsPage(c)
	if err != nil {
		return err
	}
	if y := c.QueryParam("saved"); y != "" {
		data.Notice = "Tahun anggaran " + y + " tersimpan."
		if n, err := strconv.Atoi(c.QueryParam("moved")); err == nil && n > 0 {
			data.Notice += " Batas dokumen " + strconv.Itoa(n) + " tahap penyaluran yang belum dibayar ikut dipindahkan ke tanggal baru; pemda masing-masing diberi tahu."
		}
	}
	return p.render(c, http.StatusOK, "admin_fiscal_years", data)
}

// adminSetFiscalYear sets a year's ceiling, submission deadline and, when
// given, the ceilings of its menus.
func (p *pages) adminSetFiscalYear(c echo.Context) error {
	data, err := p.yearsPage(c)
	if err != nil {
		return err
	}
	data.Year, data.Ceiling, data.Deadline = strings.TrimSpace(c.FormValue("year")), c.FormValue("ceiling"), strings.TrimSpace(c.FormValue("submission_deadline"))
	var errs dak.Fields
	// A blank menu ceiling leaves it as it is; 0 removes it.
	menus := map[dak.Menu]dak.Money{}
	data.MenuCeilings = map[string]string{}
	for _, m := range []dak.Menu{dak.MenuPembangunan, dak.MenuRevitalisasi} {
		field := "menu_ceilings." + string(m)
		data.MenuCeilings[string(m)] = c.FormValue(field)
		if v := optMoney(&errs, field, c.FormValue(field)); v != nil {
			menus[m] = *v
		}
	}
	regions, rows := formRegionCeilings(c, &errs)
	data.RegionCeilings = rows
	data.ChangeReason, data.LegalBasis = c.FormValue("change_reason"), c.FormValue("legal_basis")
	checkCeilingInput(&errs, regions, data.ChangeReason, data.LegalBasis)
	year := int(integer(&errs, "year", data.Year))
	if year < 2020 || year > 2100 {
		errs.Add("year", "tahun anggaran 2020–2100")
	}
	ceiling := optMoney(&errs, "ceiling", data.Ceiling)
	if strings.TrimSpace(data.Ceiling) == "" {
		errs.Add("ceiling", "pagu wajib diisi")
	}
	var deadline *store.Deadline
	if data.Deadline != "" {
		if d, err := dak.ParseFormDate(data.Deadline); err != nil {
			errs.Add("submission_deadline", "%v", err)
		} else {
			deadline = store.EndOfDay(d)
		}
	}
	if data.Deadline == "" && year >= 2020 && year <= 2100 {
		// Blank keeps an existing year's deadline, as every other field of
		// this form: clearing it by leaving it empty would let submissions
		// run on without a close.
		if fy, err := p.s.store.FiscalYear(c.Request().Context(), year); err == nil {
			deadline = fy.SubmissionDeadline
		} else if !errors.Is(err, dak.ErrNotFound) {
			return err
		}
	}
	calIn, typed := calendarForm(c, &errs)
	data.Calendar = typed
	var cal dak.Calendar
	if year >= 2020 && year <= 2100 {
		if cal, deadline, err = p.s.fiscalYearCalendar(c.Request().Context(), year, calIn, deadline, &errs); err != nil {
			return err
		}
	}
	err = errs.Err("tahun anggaran tidak valid")
	if err == nil {
		b := store.Budget{Year: year, Ceiling: *ceiling, Deadline: deadline, Menus: menus, Regions: regions,
			ChangeReason: data.ChangeReason, LegalBasis: data.LegalBasis, By: currentUser(c).ID}
		var moved int
		if _, moved, err = p.s.setYear(c.Request().Context(), b, cal); err == nil {
			next := "/admin/fiscal-years?saved=" + strconv.Itoa(year)
			if moved > 0 {
				next += "&moved=" + strconv.Itoa(moved)
			}
			return c.Redirect(http.StatusSeeOther, next)
		}
	}
	if !collect(err, data.Errors, &data.Summary, &data.Headline) {
		return err
	}
	fiscalYearFormOrder.sort(data.Summary)
	return p.render(c, http.StatusUnprocessableEntity, "admin_fiscal_years", data)
}
