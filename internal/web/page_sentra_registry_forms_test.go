package web_test

import (
	"bytes"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"dakflow/internal/dak"
	"dakflow/internal/web/apitest"
)

// postFile posts a multipart form of the page client: fields, and data
// as the file "file" named name (no file part when name is "").
func (c *pageClient) postFile(path string, fields map[string]string, name string, data []byte) htmlPage {
	c.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			c.t.Fatal(err)
		}
	}
	if name != "" {
		fw, err := w.CreateFormFile("file", name)
		if err != nil {
			c.t.Fatal(err)
		}
		_, _ = fw.Write(data)
	}
	if err := w.Close(); err != nil {
		c.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, c.base+path, &buf)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

// registryForm is a filled register form of Kota Bandar Lampung,
// coordinates with decimal commas as an Indonesian types them.
func registryForm(token, name string) url.Values {
	return url.Values{"csrf_token": {token}, "name": {name}, "commodity": {"Kain tenun tapis"}, "village_code": {apitest.TapisVillage},
		"address": {"Jalan Teuku Umar No. 3"}, "latitude": {"-5,14"}, "longitude": {"105,26"}, "ikm_units": {"12"}, "workers": {"1.250"},
		"decree_number": {"500/7/2019"}, "decree_date": {"2019-03-01"}, "established_year": {"1998"}, "status": {"aktif"}}
}

// wantErrors checks that each field's message is shown beside it and
// linked from the summary, which takes the focus.
func wantErrors(t *testing.T, what string, p htmlPage, status int, fields ...string) {
	t.Helper()
	if p.Status != status {
		t.Errorf("%s = %d, want %d\n%.3000s", what, p.Status, status, p.Body)
		return
	}
	if !strings.Contains(p.Body, "data-error-summary") || !strings.Contains(p.Body, "autofocus") {
		t.Errorf("%s: no focused error summary", what)
	}
	for _, f := range fields {
		if !strings.Contains(p.Body, `data-error-for="`+f+`"`) || !strings.Contains(p.Body, `href="#f-`+f+`"`) {
			t.Errorf("%s: no message beside %s, or no summary link to it", what, f)
		}
	}
}

// tapisName is the sentra the test registers in Kedaton, beside the
// template's example ("Sentra Tenun Tapis", in the same desa).
const tapisName = "Sentra Tapis Kedaton"

var createdSentra = regexp.MustCompile(`^/sentra/(\d+)\?created=1$`)

// TestSentraPageForms: the registry's forms through the pages, with a
// session and its form token: register, edit under a version, record a
// status and import a spreadsheet with its dry run; each refusal beside
// its field, roles and regions held as the API holds them, hostile input
// never a 500.
func TestSentraPageForms(t *testing.T) {
	e := apitest.NewEnv(t)
	pemda, verifier := loggedIn(t, e, "pemda"), loggedIn(t, e, "verifikator")
	form := pemda.get("/sentra/baru")
	token := form.csrf(t)
	vtoken := verifier.get("/sentra").csrf(t)
	if form.Status != http.StatusOK || !strings.Contains(form.Body, "Kota Bandar Lampung (18.71)") ||
		!strings.Contains(form.Body, `data-level-name="kecamatan"`) || !strings.Contains(form.Body, "Kedaton") {
		t.Fatalf("GET /sentra/baru as pemda = %d, want its region fixed and its kecamatan to choose from\n%.3000s", form.Status, form.Body)
	}
	if v := verifier.get("/sentra/baru"); !strings.Contains(v.Body, `<option value="18">Lampung</option>`) ||
		!strings.Contains(v.Body, "mengikuti desa/kelurahan") {
		t.Errorf("GET /sentra/baru as verifier offers no province to start from")
	}
	if l := pemda.get("/sentra"); !strings.Contains(l.Body, `href="/sentra/baru"`) || !strings.Contains(l.Body, `href="/sentra/impor"`) {
		t.Errorf("the registry list offers no register or import button to a pemda")
	}
	var id int64

	t.Run("register", func(t *testing.T) {
		r := pemda.post("/sentra/baru", registryForm(token, tapisName))
		m := createdSentra.FindStringSubmatch(r.Location)
		if r.Status != http.StatusSeeOther || m == nil {
			t.Fatalf("POST /sentra/baru = %d %q, want 303 to the sentra\n%.3000s", r.Status, r.Location, r.Body)
		}
		fmt.Sscan(m[1], &id)
		page := pemda.get(r.Location)
		for _, want := range []string{"Sentra terdaftar di registri.", "data-coordinates>-5,14; 105,26", "1250", "Kedaton",
			fmt.Sprintf(`href="/sentra/%d/ubah"`, id), fmt.Sprintf(`href="/sentra/%d/status"`, id)} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("the new sentra's page lacks %q", want)
			}
		}
		// A verifier registers anywhere: the desa decides the region.
		v := registryForm(vtoken, "Sentra Kerajinan Perak")
		v.Set("village_code", "73.71.01.1001")
		if r := verifier.post("/sentra/baru", v); r.Status != http.StatusSeeOther {
			t.Errorf("POST /sentra/baru as verifier in Makassar = %d\n%.2000s", r.Status, r.Body)
		}
	})
	if id == 0 {
		t.FailNow()
	}
	before, _ := sentraTotal(t, e.Verifier, "")

	t.Run("register refused beside each field", func(t *testing.T) {
		bad := registryForm(token, "")
		bad.Set("village_code", "73.71.01.1001")
		bad.Set("latitude", "lima")
		bad.Set("established_year", "3000")
		bad.Set("status_date", "2099-01-01")
		r := pemda.post("/sentra/baru", bad)
		wantErrors(t, "POST /sentra/baru with mistakes", r, http.StatusUnprocessableEntity,
			"name", "village_code", "latitude", "established_year", "status_date")
		if !strings.Contains(r.Body, `value="lima"`) || !strings.Contains(r.Body, `value="Jalan Teuku Umar No. 3"`) {
			t.Errorf("the refused form does not come back as typed")
		}
		dup := registryForm(token, " sentra tapis  KEDATON")
		wantErrors(t, "a second sentra of the name in the desa", pemda.post("/sentra/baru", dup), http.StatusUnprocessableEntity, "name")
	})

	t.Run("edit under the form's version", func(t *testing.T) {
		path := fmt.Sprintf("/sentra/%d/ubah", id)
		f := pemda.get(path)
		if f.Status != http.StatusOK || !strings.Contains(f.Body, `name="version" value="1"`) || !strings.Contains(f.Body, `value="-5,14"`) ||
			strings.Contains(f.Body, `name="status"`) {
			t.Fatalf("GET %s = %d, want the record at version 1 without its status\n%.3000s", path, f.Status, f.Body)
		}
		edit := registryForm(token, tapisName)
		edit.Del("status")
		edit.Set("version", "1")
		edit.Set("ikm_units", "21")
		if r := pemda.post(path, edit); r.Status != http.StatusSeeOther || !strings.HasSuffix(r.Location, "?saved=1") {
			t.Fatalf("POST %s = %d %q\n%.2000s", path, r.Status, r.Location, r.Body)
		}
		edit.Set("ikm_units", "30") // the form opened at version 1, saved since
		r := pemda.post(path, edit)
		if r.Status != http.StatusPreconditionFailed || !strings.Contains(r.Body, "telah diubah") ||
			!strings.Contains(r.Body, `name="version" value="2"`) || !strings.Contains(r.Body, `value="30"`) {
			t.Errorf("a stale save = %d, want 412 saying telah diubah, the typed value and the current version\n%.3000s", r.Status, r.Body)
		}
		edit.Set("version", "2")
		edit.Set("workers", "-4")
		wantErrors(t, "an edit with a negative count", pemda.post(path, edit), http.StatusUnprocessableEntity, "workers")
		edit.Del("version")
		if r := pemda.post(path, edit); r.Status != http.StatusBadRequest {
			t.Errorf("an edit without its version = %d, want 400", r.Status)
		}
	})

	t.Run("record a status", func(t *testing.T) {
		path := fmt.Sprintf("/sentra/%d/status", id)
		if f := verifier.get(path); f.Status != http.StatusOK || !strings.Contains(f.Body, "data-current-status>Aktif") {
			t.Fatalf("GET %s as verifier = %d", path, f.Status)
		}
		in := url.Values{"csrf_token": {vtoken}, "status": {"kurang_aktif"}, "date": {"2099-01-01"}, "basis": {""}, "note": {"8 dari 12 IKM"}}
		wantErrors(t, "a status dated in the future without a basis", verifier.post(path, in), http.StatusUnprocessableEntity, "date", "basis")
		in.Set("date", e.Store.Now().In(dak.WIB).Format("2006-01-02"))
		in.Set("basis", "Kunjungan lapangan")
		if r := verifier.post(path, in); r.Status != http.StatusSeeOther {
			t.Fatalf("POST %s = %d\n%.2000s", path, r.Status, r.Body)
		}
		if p := pemda.get(fmt.Sprintf("/sentra/%d", id)); !strings.Contains(p.Body, `data-history-status="kurang_aktif"`) ||
			!strings.Contains(p.Body, "8 dari 12 IKM") {
			t.Errorf("the recorded status is not in the history")
		}
	})

	t.Run("roles and regions", func(t *testing.T) {
		other, approver, admin := loggedIn(t, e, "pemda-lain"), loggedIn(t, e, "penetap"), loggedIn(t, e, "admin")
		otoken := other.get("/sentra").csrf(t)
		for _, c := range []struct {
			who  *pageClient
			path string
			want int
		}{
			{approver, "/sentra/baru", http.StatusForbidden},
			{approver, "/sentra/impor", http.StatusForbidden},
			{admin, fmt.Sprintf("/sentra/%d/status", id), http.StatusForbidden},
			{other, fmt.Sprintf("/sentra/%d/ubah", id), http.StatusNotFound},
			{other, fmt.Sprintf("/sentra/%d/status", id), http.StatusNotFound},
			{admin, fmt.Sprintf("/sentra/%d/ubah", id), http.StatusOK},
		} {
			if r := c.who.get(c.path); r.Status != c.want {
				t.Errorf("GET %s = %d, want %d", c.path, r.Status, c.want)
			}
		}
		edit := registryForm(otoken, tapisName)
		edit.Set("version", "3")
		if r := other.post(fmt.Sprintf("/sentra/%d/ubah", id), edit); r.Status != http.StatusNotFound {
			t.Errorf("Makassar's pemda editing Bandar Lampung's sentra = %d, want 404", r.Status)
		}
		mine := registryForm(otoken, "Sentra Lain")
		if r := other.post("/sentra/baru", mine); r.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.Body, `data-error-for="village_code"`) {
			t.Errorf("Makassar's pemda registering in Bandar Lampung = %d, want 422 at the desa", r.Status)
		}
		if p := approver.get(fmt.Sprintf("/sentra/%d", id)); strings.Contains(p.Body, "data-action=\"edit-sentra\"") {
			t.Errorf("the approver is offered the edit button")
		}
	})

	t.Run("import", func(t *testing.T) {
		page := pemda.get("/sentra/impor")
		if page.Status != http.StatusOK || !strings.Contains(page.Body, `href="/sentra/impor/templat.csv"`) {
			t.Fatalf("GET /sentra/impor = %d", page.Status)
		}
		tpl := pemda.get("/sentra/impor/templat.csv")
		if tpl.Status != http.StatusOK || !strings.HasPrefix(tpl.Header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(tpl.Body, "Kode desa;Nama sentra;Komoditas/produk") || !strings.Contains(tpl.Body, "\n18.71.") {
			t.Fatalf("the template = %d %s\n%s", tpl.Status, tpl.Header.Get("Content-Type"), tpl.Body)
		}
		// The template as it is: one valid row, offered for import.
		dry := pemda.postFile("/sentra/impor", map[string]string{"csrf_token": token}, "templat.csv", []byte(tpl.Body))
		data := regexp.MustCompile(`name="data" value="([^"]+)"`).FindStringSubmatch(dry.Body)
		if dry.Status != http.StatusOK || !strings.Contains(dry.Body, "Impor 1 sentra") || data == nil {
			t.Fatalf("the template's dry run = %d, want one row to import\n%.3000s", dry.Status, dry.Body)
		}
		if n, _ := sentraTotal(t, e.Verifier, ""); n != before {
			t.Errorf("a dry run saved: %d sentra, want %d", n, before)
		}
		r := pemda.postFile("/sentra/impor", map[string]string{"csrf_token": token, "commit": "1", "data": html.UnescapeString(data[1]),
			"file_name": "templat.csv"}, "", nil)
		if r.Status != http.StatusSeeOther || r.Location != "/sentra/impor?imported=1" {
			t.Fatalf("the commit = %d %q\n%.2000s", r.Status, r.Location, r.Body)
		}
		if n, _ := sentraTotal(t, e.Verifier, ""); n != before+1 {
			t.Errorf("%d sentra after the import, want %d", n, before+1)
		}
		if p := pemda.get(r.Location); !strings.Contains(p.Body, "1 sentra telah diimpor") {
			t.Errorf("no notice after the import")
		}

		bad := "Kode desa;Nama sentra;Komoditas/produk;Jumlah unit usaha\n" +
			"18.71.01.1004;Sentra Kopi;Kopi;12\n" + "73.71.01.1001;Sentra Perak;Perak;dua\n"
		rep := pemda.postFile("/sentra/impor", map[string]string{"csrf_token": token}, "direktori.csv", []byte(bad))
		for _, want := range []string{`data-valid>1<`, `data-rows>2<`, `data-problem-cell="A3"`, `data-problem-cell="D3"`,
			"bukan angka", "Jumlah unit usaha"} {
			if !strings.Contains(rep.Body, want) {
				t.Errorf("the report of a bad file lacks %q\n%.4000s", want, rep.Body)
			}
		}
		if strings.Contains(rep.Body, "data-import-commit") {
			t.Errorf("a file with bad cells is offered for import")
		}
		refused := pemda.postFile("/sentra/impor", map[string]string{"csrf_token": token, "commit": "1"}, "direktori.csv", []byte(bad))
		if refused.Status != http.StatusUnprocessableEntity || !strings.Contains(refused.Body, "Tidak ada yang diimpor") {
			t.Errorf("committing a bad file = %d, want 422 importing nothing", refused.Status)
		}
		if n, _ := sentraTotal(t, e.Verifier, ""); n != before+1 {
			t.Errorf("a refused commit saved: %d sentra", n)
		}
		if r := pemda.postFile("/sentra/impor", map[string]string{"csrf_token": token}, "", nil); r.Status != http.StatusBadRequest ||
			!strings.Contains(r.Body, `data-error-for="file"`) {
			t.Errorf("an upload without a file = %d, want 400 beside the file", r.Status)
		}
	})

	t.Run("hostile input is never a 500", func(t *testing.T) {
		nul := registryForm(token, "Sentra\x00Nul")
		nul.Set("commodity", "\xff\xfe")
		nul.Set("village_code", "18.71.01.1003\x00")
		wantErrors(t, "NUL and invalid UTF-8", pemda.post("/sentra/baru", nul), http.StatusUnprocessableEntity, "name", "commodity", "village_code")
		huge := registryForm(token, strings.Repeat("x", 3<<20))
		if r := pemda.post("/sentra/baru", huge); r.Status != http.StatusRequestEntityTooLarge {
			t.Errorf("a 3 MiB form = %d, want 413", r.Status)
		}
		junk := bytes.Repeat([]byte("\x00\xff;\"\n"), 3<<20/5)
		if r := pemda.postFile("/sentra/impor", map[string]string{"csrf_token": token}, "x.csv", junk); r.Status != http.StatusUnsupportedMediaType ||
			!strings.Contains(r.Body, `data-error-for="file"`) {
			t.Errorf("3 MiB of binary as a CSV = %d, want 415 beside the file", r.Status)
		}
		for _, d := range []string{"%%%not base64", strings.Repeat("A", 2<<20)} {
			if r := pemda.postFile("/sentra/impor", map[string]string{"csrf_token": token, "commit": "1", "data": d}, "", nil); r.Status >= 500 ||
				r.Status < 400 {
				t.Errorf("a forged carried-back file = %d, want a 4xx", r.Status)
			}
		}
		st := url.Values{"csrf_token": {vtoken}, "status": {"hidup\x00"}, "date": {"\xff"}, "basis": {strings.Repeat("é", 600)}, "note": {"a\x00b"}}
		wantErrors(t, "a hostile status", verifier.post(fmt.Sprintf("/sentra/%d/status", id), st), http.StatusUnprocessableEntity,
			"status", "date", "basis", "note")
	})
}
