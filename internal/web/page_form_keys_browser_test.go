package web_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"dakflow/internal/web/apitest"
)

// TestFormKeysInBrowser walks, in Chromium, each form that carries a key
// of its own (the two imports, a report's photo, a trail export, a
// sentra's status, a field visit and a use report) to the
// case a person meets: the form used once and sent again with another
// file or other choices (here by giving a fresh form the used key, as the
// back button would). Each page then says, where the person looks, that
// nothing was sent twice, in Indonesian, with no sideways scroll, on a
// laptop (1366×768) and on a phone (390×844). DAKFLOW_SCREENSHOTS=dir
// keeps the screenshots.
func TestFormKeysInBrowser(t *testing.T) {
	e := apitest.NewEnv(t)
	b := newBrowser(t, e.URL)
	dir := t.TempDir()
	file := func(name string, data []byte) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// seen sends a used form again (resend) on a laptop and on a phone and
	// checks the notice sel: in the viewport as the page opens (scrolled
	// there by the page), saying words, with no sideways scroll. Sent
	// again, a used form writes nothing, so it can be sent at each width.
	seen := func(tb *tab, name, sel string, resend func(), words ...string) {
		t.Helper()
		for _, size := range [][2]int64{{1366, 768}, {390, 844}} {
			tb.do(chromedp.EmulateViewport(size[0], size[1]))
			resend()
			got := tb.text(sel)
			for _, w := range words {
				if !strings.Contains(got, w) {
					t.Errorf("%s at %d px: %s says %q, want %q", name, size[0], sel, got, w)
				}
			}
			if !eval[bool](tb, `(r=>r.top>=0&&r.bottom<=innerHeight)(document.querySelector(`+q(sel)+`).getBoundingClientRect())`) {
				t.Errorf("%s at %d px: %s is outside the viewport as the page opens", name, size[0], sel)
			}
			if eval[bool](tb, `document.documentElement.scrollWidth > innerWidth`) {
				t.Errorf("%s at %d px: the page scrolls sideways", name, size[0])
			}
			tb.shot(fmt.Sprintf("form-key-%s-%d", name, size[0]), false)
		}
		tb.do(chromedp.EmulateViewport(1366, 768))
	}

	pemda, files := b.login("pemda", 1366, 768), loggedIn(t, e, "pemda")
	t.Run("proposal import", func(t *testing.T) {
		template := []byte(files.get("/proposals/impor/templat.xlsx").Body)
		row := func(title, sentra, commodity, desa string) [][]any {
			return [][]any{{1, apitest.Year, "pembangunan", title, "", sentra, commodity, desa, "Jalan Sentra 1", 10, 30, 800, "milik_pemda", ""}}
		}
		rab := [][]any{{1, "mesin_peralatan", "Mesin anyam rotan", 2, "unit", 20_000_000}}
		first := file("usulan.xlsx", filled(t, template, row("Pembangunan Sentra IKM Rotan Peramban", "Sentra Rotan Peramban", "Rotan", "18.71.01.1005"), rab, nil))
		other := file("lain.xlsx", filled(t, template, row("Pembangunan Sentra IKM Keripik Peramban", "Sentra Keripik Peramban", "Keripik", "18.71.02.1004"), rab, nil))
		pemda.open("/proposals/impor")
		key := pemda.value(`[data-import-form] input[name=import_key]`)
		pemda.do(chromedpUpload(`[data-import-form] input[name=file]`, first), chromedpClick(`[data-import-form] input[name=commit]`))
		pemda.submit(`button[data-action=import-check]`)
		if !strings.Contains(pemda.location(), "dibuat=") {
			t.Fatalf("the import led to %s", pemda.location())
		}
		seen(pemda, "proposal-import", "[data-import-reused]", func() {
			pemda.open("/proposals/impor")
			pemda.set(`[data-import-form] input[name=import_key]`, key)
			pemda.do(chromedpUpload(`[data-import-form] input[name=file]`, other), chromedpClick(`[data-import-form] input[name=commit]`))
			pemda.submit(`button[data-action=import-check]`)
		}, "belum diimpor", "tombol impor")
	})

	t.Run("sentra import", func(t *testing.T) {
		csv := files.get("/sentra/impor/templat.csv").Body
		first := file("sentra.csv", []byte(strings.ReplaceAll(csv, "Sentra Tenun Tapis", "Sentra Tenun Peramban")))
		other := file("sentra-lain.csv", []byte(strings.ReplaceAll(csv, "Sentra Tenun Tapis", "Sentra Tenun Peramban Lain")))
		pemda.open("/sentra/impor")
		key := pemda.value(`[data-import-form] input[name=import_key]`)
		pemda.do(chromedpUpload(`[data-import-form] input[name=file]`, first), chromedpClick(`[data-import-form] input[name=commit]`))
		pemda.submit(`[data-import-form] button[type=submit]`)
		if !strings.Contains(pemda.location(), "imported=1") {
			t.Fatalf("the import led to %s", pemda.location())
		}
		seen(pemda, "sentra-import", "[data-import-reused]", func() {
			pemda.open("/sentra/impor")
			pemda.set(`[data-import-form] input[name=import_key]`, key)
			pemda.do(chromedpUpload(`[data-import-form] input[name=file]`, other), chromedpClick(`[data-import-form] input[name=commit]`))
			pemda.submit(`[data-import-form] button[type=submit]`)
		}, "belum diimpor")
	})

	t.Run("photo", func(t *testing.T) {
		s := mustSentra(t, e.Pemda, tapis("Sentra Tenun Tapis Foto Peramban"))
		rid := insertReport(t, e, s.ID, "2027-S2", e.Pemda)
		reports := fmt.Sprintf("/sentra/%d/laporan", s.ID)
		form := fmt.Sprintf(`[data-photo-form="%d"]`, rid)
		pemda.open(reports)
		key := pemda.value(form + ` input[name=idempotency_key]`)
		pemda.do(chromedpUpload(form+` input[name=file]`, file("gedung.png", pngBytes)))
		pemda.submit(form + ` button[data-action=upload-photo]`)
		other := file("pasar.jpg", jpegBytes)
		seen(pemda, "photo", form+` [data-photo-error]`, func() {
			pemda.open(reports)
			pemda.set(form+` input[name=idempotency_key]`, key)
			pemda.do(chromedpUpload(form+` input[name=file]`, other))
			pemda.submit(form + ` button[data-action=upload-photo]`)
		}, "sudah tersimpan", "Pilih berkasnya sekali lagi")
	})

	t.Run("sentra history", func(t *testing.T) {
		s := mustSentra(t, e.Pemda, tapis("Sentra Tenun Tapis Riwayat Peramban"))
		verifier := b.login("verifikator", 1366, 768)
		status := fmt.Sprintf("/sentra/%d/status", s.ID)
		verifier.open(status)
		key := verifier.value(`[data-status-form] input[name=idempotency_key]`)
		verifier.set(`#f-status`, "kurang_aktif")
		verifier.set(`#f-basis`, "Pendataan ulang sentra 2026")
		verifier.submit(`button[data-action=record-status]`)
		if !strings.Contains(verifier.location(), "status=1") {
			t.Fatalf("the status form led to %s", verifier.location())
		}
		seen(verifier, "sentra-status", "[data-form-errors]", func() {
			verifier.open(status)
			verifier.set(`[data-status-form] input[name=idempotency_key]`, key)
			verifier.set(`#f-status`, "aktif")
			verifier.set(`#f-basis`, "Pendataan ulang sentra 2026")
			verifier.submit(`button[data-action=record-status]`)
		}, "sudah pernah dikirim", "belum dicatat")

		reports := fmt.Sprintf("/sentra/%d/laporan", s.ID)
		verifier.open(reports)
		key = verifier.value(`[data-visit-form] input[name=idempotency_key]`)
		verifier.set(`#f-findings`, "Rumah produksi bersama dipakai 6 IKM")
		verifier.submit(`button[data-action=record-visit]`)
		if !strings.Contains(verifier.location(), "visited=1") {
			t.Fatalf("the visit form led to %s", verifier.location())
		}
		seen(verifier, "sentra-visit", "[data-visit-form] [data-form-errors]", func() {
			verifier.open(reports)
			verifier.set(`[data-visit-form] input[name=idempotency_key]`, key)
			verifier.set(`#f-findings`, "Tidak ada kegiatan")
			verifier.submit(`button[data-action=record-visit]`)
		}, "kunjungan ini sudah tercatat", "belum dicatat")
	})

	t.Run("use report", func(t *testing.T) {
		u := newUseEnv(t)
		u.at(t, "2028-02-10 09:00") // 2027-S2 and 2028-S1 are owed
		ub := newBrowser(t, u.URL)
		rp := ub.login("pemda", 1366, 768)
		reports := fmt.Sprintf("/sentra/%d/laporan", u.sentra)
		fill := func(period string) {
			for name, v := range map[string]string{"period": period, "ikm_using": "12", "workers": "35", "production_value": "150000000",
				"occupancy_percent": "80", "condition": "baik", "operating_budget": "25000000"} {
				rp.set(`[data-report-form] [name=`+name+`]`, v)
			}
		}
		rp.open(reports)
		key := rp.value(`[data-report-form] input[name=idempotency_key]`)
		fill("2027-S2")
		rp.submit(`button[data-action=file-report]`)
		if !strings.Contains(rp.location(), "filed=1") {
			t.Fatalf("the report form led to %s", rp.location())
		}
		seen(rp, "use-report", "[data-report-form] [data-form-errors]", func() {
			rp.open(reports)
			rp.set(`[data-report-form] input[name=idempotency_key]`, key)
			fill("2028-S1")
			rp.submit(`button[data-action=file-report]`)
		}, "laporan yang dikirim dengan formulir ini sudah tersimpan", "belum dicatat")
	})

	t.Run("export", func(t *testing.T) {
		e.Create(t, "revitalisasi", false)
		auditor := b.login("auditor", 1366, 768)
		auditor.open("/exports")
		key := auditor.value(`[data-request-export] input[name=idempotency_key]`)
		auditor.set(`#x-region`, "18.71")
		auditor.set(`#x-year`, fmt.Sprint(apitest.Year))
		auditor.submit(`button[data-action=request-export]`)
		if !strings.Contains(auditor.location(), "/exports/") {
			t.Fatalf("the request led to %s", auditor.location())
		}
		seen(auditor, "export", "[data-form-errors]", func() {
			auditor.open("/exports")
			auditor.set(`[data-request-export] input[name=idempotency_key]`, key)
			auditor.set(`#x-region`, "18.71")
			auditor.submit(`button[data-action=request-export]`)
		}, "sudah pernah dikirim")
		// The list beside the form on a laptop: the state in whole words.
		if n := eval[int](auditor, `(r=>{r.selectNodeContents(document.querySelector('[data-export] td[data-label=Status]'));return r.getClientRects().length})(document.createRange())`); n != 1 {
			t.Errorf("on a laptop the export's state (one word) takes %d lines: broken inside its word", n)
		}
		// The list above the form, on a phone: each label whole beside its value.
		auditor.do(chromedp.EmulateViewport(390, 844))
		auditor.open("/exports")
		broken := eval[[]string](auditor, `(()=>{const c=document.createElement('canvas').getContext('2d');
			return [...document.querySelectorAll('[data-export] td[data-label]')].filter(td=>{
				const b=getComputedStyle(td,'::before');if(b.content==='none'||b.display==='none')return false;
				c.font=b.font;return parseFloat(b.width)+1<c.measureText(td.dataset.label).width}).map(td=>td.dataset.label)})()`)
		if len(broken) > 0 {
			t.Errorf("on a phone the export list's labels %q are broken inside their words", broken)
		}
		auditor.shot("form-key-exports-list-390", false)
	})
}
