package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
)

// errorPageData is the error page: what happened, in words, and what the
// reader can do next. It never shows internals (STYLE.md 3).
type errorPageData struct {
	pageBase
	Status    int
	Heading   string
	Detail    string
	Advice    string
	Problems  []formProblem
	State     string
	Allowed   []string
	RequestID string
}

// errorAdvice is what each status tells the reader to do.
var errorAdvice = map[int]struct{ heading, advice string }{
	http.StatusBadRequest:            {"Permintaan tidak dapat diproses", "Periksa isian Anda lalu kirim kembali."},
	http.StatusUnauthorized:          {"Silakan masuk", "Sesi Anda berakhir atau Anda belum masuk."},
	http.StatusForbidden:             {"Akses ditolak", "Peran Anda tidak diizinkan melakukan ini. Hubungi administrator bila Anda merasa seharusnya dapat."},
	http.StatusNotFound:              {"Tidak ditemukan", "Halaman atau data ini tidak ada, atau tidak dapat Anda lihat. Periksa alamatnya atau kembali ke beranda."},
	http.StatusConflict:              {"Tidak dapat dilakukan pada status ini", "Usulan ini sudah berpindah status, mungkin oleh pengguna lain. Buka kembali usulannya untuk melihat tindakan yang tersedia."},
	http.StatusPreconditionFailed:    {"Data telah berubah", "Usulan ini diubah oleh pengguna lain sejak halaman Anda dibuka. Muat ulang halaman, periksa perubahannya, lalu ulangi."},
	http.StatusRequestEntityTooLarge: {"Berkas terlalu besar", "Perkecil berkas (misalnya simpan ulang PDF dengan resolusi lebih rendah) lalu unggah kembali."},
	http.StatusUnsupportedMediaType:  {"Jenis berkas tidak didukung", "Unggah berkas PDF, JPEG atau PNG."},
	http.StatusUnprocessableEntity:   {"Syarat belum terpenuhi", "Perbaiki hal-hal berikut lalu coba lagi."},
	http.StatusTooManyRequests:       {"Terlalu banyak percobaan", "Tunggu beberapa menit lalu coba lagi."},
	http.StatusInternalServerError:   {"Maaf, terjadi kesalahan pada server", "Kesalahan ini telah dicatat. Silakan coba lagi sebentar lagi; bila berulang, hubungi administrator dan sebutkan kode permintaan di bawah."},
}

func (p *pages) errorPage(c echo.Context, prob Problem) error {
	if _, ok := c.Get(userKey).(dak.User); !ok {
		p.loadSession(c) // the 404 of an unknown route still shows who is logged in
	}
	data := errorPageData{pageBase: p.base(c, prob.Title), Status: prob.Status, Heading: prob.Title, Detail: prob.Detail,
		State: prob.State, RequestID: c.Response().Header().Get(echo.HeaderXRequestID)}
	if a, ok := errorAdvice[prob.Status]; ok {
		data.Heading, data.Advice = a.heading, a.advice
	} else if prob.Status >= 500 {
		a := errorAdvice[http.StatusInternalServerError]
		data.Heading, data.Advice = a.heading, a.advice
	}
	if prob.Status >= 500 {
		data.Detail = "" // never internals
	}
	for _, f := range prob.Errors {
		data.Problems = append(data.Problems, formProblem{Label: fieldLabel(f.Field), Message: f.Message})
	}
	if prob.State != "" {
		d := p.s.engine.Current()
		data.State = d.StateLabel(prob.State)
		for _, ev := range prob.AllowedEvents {
			if def, ok := d.Event(ev); ok {
				data.Allowed = append(data.Allowed, def.Label)
			}
		}
	}
	data.Title = data.Heading
	return p.render(c, prob.Status, "error", data)
}
