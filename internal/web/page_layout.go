package web

import (
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
)

// pageBase is what the layout needs on every page.
type pageBase struct {
	Title  string
	User   *dak.User // nil when nobody is logged in
	CSRF   string
	Nav    []navLink
	Notice string // a success message after a redirect
	// Refresh reloads the page after this many seconds (0: never), for a
	// page that watches work in progress (an export being built).
	Refresh int
	// Unread is the user's unread notifications, the header's badge
	// (page_notifications.go).
	Unread int64
}

// chrome gives the layout its data; pages that embed pageBase have it.
func (b pageBase) chrome() pageBase { return b }

// chromeOf is the layout's view of any page's data: pages without a
// pageBase (the public verification page) get an empty one.
func chromeOf(data any) pageBase {
	if c, ok := data.(interface{ chrome() pageBase }); ok {
		return c.chrome()
	}
	return pageBase{}
}

// navLink is one entry of the top navigation.
type navLink struct {
	Href, Label string
	Active      bool
}

// base fills the layout's data for the logged-in user, if any.
func (p *pages) base(c echo.Context, title string) pageBase {
	b := pageBase{Title: title}
	u, ok := c.Get(userKey).(dak.User)
	if !ok || u.ID == 0 {
		return b
	}
	b.User, b.CSRF = &u, csrfOf(c)
	links := []navLink{{Href: "/", Label: "Beranda"}}
	switch u.Role {
	case dak.RolePemda:
		links = append(links, navLink{Href: "/proposals/new", Label: "Usulan baru"}, navLink{Href: "/proposals", Label: "Cari usulan"})
	case dak.RoleAdmin:
		links = append(links, navLink{Href: "/admin/users", Label: "Pengguna"}, navLink{Href: "/admin/fiscal-years", Label: "Tahun anggaran"},
			navLink{Href: "/access-log", Label: "Log akses"})
	case dak.RoleAuditor:
		links = append(links, navLink{Href: "/proposals", Label: "Cari usulan"}, navLink{Href: "/exports", Label: "Ekspor jejak"},
			navLink{Href: "/access-log", Label: "Log akses"}, navLink{Href: "/pemantauan", Label: "Pemantauan"})
	case dak.RoleVerifier:
		links = append(links, navLink{Href: "/proposals", Label: "Cari usulan"}, navLink{Href: "/pemantauan", Label: "Pemantauan"})
	default:
		links = append(links, navLink{Href: "/proposals", Label: "Cari usulan"})
	}
	if u.Role == dak.RoleApprover || u.Role == dak.RoleAdmin || u.Role == dak.RoleAuditor { // the dashboards (PRODUCT.md §10)
		links = append(links, navLink{Href: "/dasbor", Label: "Dasbor"})
	}
	links = append(links, navLink{Href: "/sentra", Label: "Registri sentra"}) // every role reads it (PRODUCT.md §9)
	// The national coverage is for every role too (PRODUCT.md §9).
	links = append(links, navLink{Href: "/coverage", Label: "Cakupan sentra"})
	path := c.Request().URL.Path
	for i := range links {
		links[i].Active = c.Request().Method == http.MethodGet && links[i].Href == path
	}
	b.Nav = links
	b.Unread = p.unread(c, u)
	return b
}

// pageFuncs are the few helpers templates use; everything else is computed
// into the page structs.
var pageFuncs = template.FuncMap{
	"rupiah": func(m dak.Money) string { return m.String() },
	// rp is an amount in a table cell: Rp3.215.000.000, without the ",00"
	// that letters write and that only adds noise to a column of figures.
	"rp":         tableRupiah,
	"figures":    func(m dak.Money) string { return m.Figures() },
	"date":       func(t time.Time) string { return dak.FormatDate(t) },
	"datetime":   func(t time.Time) string { return dak.FormatDateTime(t) },
	"fieldLabel": fieldLabel,
	"inc":        func(i int) int { return i + 1 },
	"roleLabel":  func(r dak.Role) string { return r.Label() },
	"regionName": regionName,
	"percent":    func(p dak.Percent) string { return p.String() },
	"chrome":     chromeOf,
	"fld":        newFormField,
	"dateInput":  dateInput,
	"sel":        newSelectField,
	"linesView":  newLinesView,
	"noted":      noted,
	"notedSel":   notedSel,
	"trimData":   func(s string) string { return strings.TrimPrefix(s, "data.") },
	"withID": func(f formField, prefix string) formField {
		f.ID = prefix + "-" + f.ID
		return f
	},
}

// tableRupiah writes m as the pages' tables show it: "Rp3.215.000.000",
// "-Rp500.000" for a negative difference.
func tableRupiah(m dak.Money) string {
	f := m.Figures()
	if strings.HasPrefix(f, "-") {
		return "-Rp" + f[1:]
	}
	return "Rp" + f
}
