package web

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"dakflow/internal/dak"
	"dakflow/internal/region"
)

// The parts forms are made of: labelled inputs, selects and their options
// (regions and the desa picker, fiscal years), messages by JSON path with
// the summary above a form, and a path's name in words.

// formField is one labelled input of a form with its message.
type formField struct {
	Kind, ID, Name, Label, Value, Error, Help string
	Note                                      string // the reviewer's note on it (page_revision_notes.go)
}

// newFormField describes an input; kind is text, int, money, decimal,
// date or datetime (a date shows in words, form_dates.go). Its name is the
// field's JSON path.
func newFormField(kind, name, label, value string, errs fieldErrors, help string) formField {
	id := "f-" + strings.NewReplacer(".", "-", "[", "-", "]", "").Replace(name)
	return formField{Kind: kind, ID: id, Name: name, Label: label, Value: formDateValue(kind, value), Error: errs.For(name), Help: help}
}

// fieldErrors holds validation messages by JSON path.
type fieldErrors map[string][]string

// For is the message for a path, "" if none.
func (f fieldErrors) For(path string) string { return strings.Join(f[path], "; ") }

// Has reports whether any message exists.
func (f fieldErrors) Has() bool { return len(f) > 0 }

// formProblem is one line of the error summary at the top of a form; Field,
// the JSON path, makes the line a link to its input.
type formProblem struct{ Label, Message, Field string }

// Anchor is the id newFormField gives the input of Field; app.js follows
// the link by the field's name where the input has another id or none.
func (f formProblem) Anchor() string {
	return newFormField("", f.Field, "", "", nil, "").ID
}

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
		*summary = append(*summary, formProblem{Label: fieldLabel(f.Field), Message: f.Message, Field: f.Field})
	}
	return true
}

// merge adds field errors into a form's error map and summary.
func merge(errs dak.Fields, into fieldErrors, summary *[]formProblem) {
	for _, f := range errs {
		into[f.Field] = append(into[f.Field], f.Message)
		*summary = append(*summary, formProblem{Label: fieldLabel(f.Field), Message: f.Message, Field: f.Field})
	}
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
		"username": "Nama pengguna", "password": "Kata sandi", "role": "Peran", "ceiling": "Pagu", "change_reason": "Alasan perubahan", "region_ceilings": "Pagu wilayah", "submission_deadline": "Batas pengajuan",
		"file": "Berkas", "kind": "Jenis lampiran", "version": "Versi", "amount_reason": "Alasan koreksi nilai",
		"departure_basis": "Dasar persetujuan perbedaan dari RAB", "legal_basis": "Dasar hukum perpanjangan",
		"until": "Batas waktu baru", "nip": "NIP", "position": "Jabatan", "full_name": "Nama lengkap", "email": "E-mail",
		"actor.nip": "NIP penanda tangan", "actor.position": "Jabatan penanda tangan",
		"from": "Sejak tanggal", "to": "Sampai tanggal"}
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

// regionSelect is one step of the desa picker, from below the pemda's own
// region down to the desa/kelurahan.
type regionSelect struct {
	Label, Noun, Name string
	Level             int
	Options           []option
}

// regionPicker builds the selects for a pemda of region own, with the
// chosen village (if any) preselected at every level.
func regionPicker(own, village string) []regionSelect {
	ownCode := region.Code(own)
	var path []region.Region
	if code, err := region.ParseCode(village); err == nil && code.IsWithin(ownCode) {
		path = region.Path(code)
	}
	var out []regionSelect
	parent := own
	for lv := ownCode.Level() + 1; lv <= region.Village; lv++ {
		noun := lv.NameIn(ownCode) // distrik and kampung in Papua
		sel := regionSelect{Label: strings.ToUpper(noun[:1]) + noun[1:], Noun: noun, Level: int(lv)}
		chosen := ""
		if len(path) >= int(lv) {
			chosen = string(path[lv-1].Code)
		}
		if parent != "" {
			sel.Options = regionOptions(parent, chosen)
		}
		if lv == region.Village {
			sel.Name = "sentra.village_code"
		}
		out = append(out, sel)
		parent = chosen
	}
	return out
}

// yearOptions are the fiscal years a proposal may be filed for.
func yearOptions(fys []dak.FiscalYear, selected string) []option {
	var out []option
	seen := false
	for _, fy := range fys {
		y := strconv.Itoa(fy.Year)
		out = append(out, option{Value: y, Label: "Tahun anggaran " + y, Selected: y == selected})
		seen = seen || y == selected
	}
	if !seen && selected != "" {
		out = append(out, option{Value: selected, Label: "Tahun anggaran " + selected, Selected: true})
	}
	return out
}

// selectField is a labelled select of a form.
type selectField struct {
	formField
	Options []option
}

// newSelectField describes a select of opts named by its JSON path.
func newSelectField(name, label string, opts []option, errs fieldErrors, help string) selectField {
	return selectField{formField: newFormField("select", name, label, "", errs, help), Options: opts}
}
