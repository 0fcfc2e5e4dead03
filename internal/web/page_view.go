package web

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/region"
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
			navLink{Href: "/access-log", Label: "Log akses"})
	default:
		links = append(links, navLink{Href: "/proposals", Label: "Cari usulan"})
	}
	path := c.Request().URL.Path
	for i := range links {
		links[i].Active = c.Request().Method == http.MethodGet && links[i].Href == path
	}
	b.Nav = links
	return b
}

// pageFuncs are the few helpers templates use; everything else is computed
// into the page structs.
var pageFuncs = template.FuncMap{
	"rupiah":     func(m dak.Money) string { return m.String() },
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
	"sel":        newSelectField,
	"linesView":  newLinesView,
	"withID": func(f formField, prefix string) formField {
		f.ID = prefix + "-" + f.ID
		return f
	},
}

// formField is one labelled input of a form with its message.
type formField struct {
	Kind, ID, Name, Label, Value, Error, Help string
}

// newFormField describes an input; kind is text, int, money, decimal or
// date. Its name is the field's JSON path.
func newFormField(kind, name, label, value string, errs fieldErrors, help string) formField {
	id := "f-" + strings.NewReplacer(".", "-", "[", "-", "]", "").Replace(name)
	return formField{Kind: kind, ID: id, Name: name, Label: label, Value: value, Error: errs.For(name), Help: help}
}

// fieldErrors holds validation messages by JSON path.
type fieldErrors map[string][]string

// For is the message for a path, "" if none.
func (f fieldErrors) For(path string) string { return strings.Join(f[path], "; ") }

// Has reports whether any message exists.
func (f fieldErrors) Has() bool { return len(f) > 0 }

// formProblem is one line of the error summary at the top of a form.
type formProblem struct{ Label, Message string }

// collect turns an error into field messages; it returns false when the
// error is not one a form can show (then the error page shows it).
func collect(err error, into fieldErrors, summary *[]formProblem, headline *string) bool {
	de, ok := dak.AsError(err)
	if !ok {
		return false
	}
	*headline = de.Detail
	for _, f := range de.Fields {
		into[f.Field] = append(into[f.Field], f.Message)
		*summary = append(*summary, formProblem{Label: fieldLabel(f.Field), Message: f.Message})
	}
	return true
}

// subLabels name the parts of a line of a list field.
var subLabels = map[string]string{
	"category": "kategori", "description": "uraian", "quantity": "kuantitas", "unit": "satuan",
	"unit_price": "harga satuan", "volume": "volume", "field": "bagian", "note": "catatan", "met": "jawaban", "id": "butir",
}

// fieldLabel turns a JSON path into Indonesian words for a reader:
// "budget_lines[1].unit_price" is "Rencana anggaran biaya (RAB), baris 2 — harga satuan".
func fieldLabel(path string) string {
	p := strings.TrimPrefix(path, "data.")
	if i := strings.IndexByte(p, '['); i > 0 {
		if j := strings.IndexByte(p[i:], ']'); j > 0 {
			n, err := strconv.Atoi(p[i+1 : i+j])
			if err == nil {
				head := dak.FieldLabel(p[:i])
				if p[:i] == "checklist" {
					head = "Daftar periksa"
				} else if p[:i] == "notes" {
					head = "Catatan"
				}
				out := fmt.Sprintf("%s, baris %d", head, n+1)
				if sub := strings.TrimPrefix(p[i+j+1:], "."); sub != "" {
					if l, ok := subLabels[sub]; ok {
						sub = l
					}
					out += " — " + sub
				}
				return out
			}
		}
	}
	extra := map[string]string{"amount": "Nilai", "recommended_amount": "Nilai rekomendasi", "comment": "Keterangan",
		"sp2d_number": "Nomor SP2D", "sp2d_date": "Tanggal SP2D", "bast_number": "Nomor BAST", "shortfall": "Penjelasan kekurangan",
		"checklist": "Daftar periksa", "notes": "Catatan", "actor": "Pelaku", "reviewer": "Verifikator", "stages": "Tahap penyaluran",
		"username": "Nama pengguna", "password": "Kata sandi", "role": "Peran", "ceiling": "Pagu", "submission_deadline": "Batas pengajuan",
		"file": "Berkas", "kind": "Jenis lampiran", "version": "Versi", "amount_reason": "Alasan koreksi nilai",
		"departure_basis": "Dasar persetujuan perbedaan dari RAB", "legal_basis": "Dasar hukum perpanjangan",
		"until": "Batas waktu baru", "nip": "NIP", "position": "Jabatan", "full_name": "Nama lengkap",
		"actor.nip": "NIP penanda tangan", "actor.position": "Jabatan penanda tangan"}
	if l, ok := extra[p]; ok {
		return l
	}
	if strings.HasPrefix(p, "checklist.") {
		return "Daftar periksa"
	}
	return dak.FieldLabel(p)
}

// regionName is the name of a region code, or the code itself.
func regionName(code string) string {
	if r, ok := region.Lookup(region.Code(code)); ok {
		return r.Name
	}
	return code
}

// option is one entry of a select.
type option struct {
	Value, Label string
	Selected     bool
}

// optionsOf turns a code → label map into sorted options.
func optionsOf(m map[string]string, selected string) []option {
	out := make([]option, 0, len(m))
	for k, v := range m {
		out = append(out, option{Value: k, Label: v, Selected: k == selected})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Label < out[j].Label })
	return out
}

// regionOptions lists the children of parent as options.
func regionOptions(parent, selected string) []option {
	rs := region.Children(region.Code(parent))
	out := make([]option, len(rs))
	for i, r := range rs {
		out[i] = option{Value: string(r.Code), Label: r.Name, Selected: string(r.Code) == selected}
	}
	return out
}

// pager is the paging bar of a list.
type pager struct {
	Page, Pages int
	Total       int64
	Prev, Next  string // links, "" when absent
	Noun        string // what is counted; "" is usulan
}

func newPager(q url.Values, page, perPage int, total int64) pager {
	if page < 1 {
		page = 1
	}
	pages := int((total + int64(perPage) - 1) / int64(perPage))
	pg := pager{Page: page, Pages: max(pages, 1), Total: total}
	link := func(n int) string {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		v.Set("page", strconv.Itoa(n))
		return "?" + v.Encode()
	}
	if page > 1 {
		pg.Prev = link(page - 1)
	}
	if page < pages {
		pg.Next = link(page + 1)
	}
	return pg
}

// selectField is a labelled select of a form.
type selectField struct {
	formField
	Options []option
}

func newSelectField(name, label string, opts []option, errs fieldErrors, help string) selectField {
	return selectField{formField: newFormField("select", name, label, "", errs, help), Options: opts}
}

// linesView is a read-only RAB or RK table.
type linesView struct {
	Lines []lineDisplay
	Total dak.Money
}

// lineDisplay is one line with its category in words.
type lineDisplay struct {
	Category, Description, Unit string
	Quantity                    int64
	UnitPrice, Total            dak.Money
}

func newLinesView(lines []dak.BudgetLine, total dak.Money) linesView {
	v := linesView{Total: total}
	for _, l := range lines {
		cat := dak.Categories[l.Category]
		if cat == "" {
			cat = l.Category
		}
		v.Lines = append(v.Lines, lineDisplay{Category: cat, Description: l.Description, Unit: l.Unit,
			Quantity: l.Quantity, UnitPrice: l.UnitPrice, Total: l.Total})
	}
	return v
}
