package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"dakflow/internal/web/apitest"
)

// TestBrowserCoverage opens the coverage page in headless Chromium, on an
// office laptop and then at a phone's width: the map is drawn with a dot per sentra in
// its status colour, the legend counts them, the shares read as in the
// API, and a province's kabupaten/kota open from its row. Screenshots go to
// $DAKFLOW_SCREENSHOTS for review.
func TestBrowserCoverage(t *testing.T) {
	env := apitest.NewEnv(t)
	seedWebCoverage(t, env)
	b := newBrowser(t, env.URL)
	v := b.login("verifikator", 1366, 768)
	v.open("/coverage?year=2027")
	if got := v.text(`[data-share="nasional"] [data-active]`); got != "3 dari 514 kabupaten/kota (0,58%)" {
		t.Errorf("national share = %q", got)
	}
	if got := eval[int](v, `document.querySelectorAll('[data-map] circle[data-dot]').length`); got != 2 {
		t.Errorf("%d dots drawn, want 2", got)
	}
	// The dot of the kurang_aktif sentra in Sanggau is amber and lies on
	// Kalimantan: inside the outline's box, in the map's west half.
	fill := eval[string](v, `document.querySelector('[data-dot][data-status="kurang_aktif"]').getAttribute('fill')`)
	inside := eval[bool](v, `(()=>{const c=document.querySelector('[data-dot][data-status="kurang_aktif"]').getBBox(),
		o=document.querySelector('[data-outline]').getBBox();return c.x>o.x&&c.x<o.x+o.width/2&&c.y>o.y&&c.y<o.y+o.height})()`)
	if fill != "#bf8700" || !inside {
		t.Errorf("Sanggau's dot: fill %s, on the map's west half %v", fill, inside)
	}
	if got := v.text(`[data-legend-status="aktif"]`); got != "Aktif (1)" {
		t.Errorf("legend for aktif = %q, want Aktif (1)", got)
	}
	v.do(chromedpClick(`[data-province="61"] a`), chromedpClick(`#prov-61 summary`))
	if !eval[bool](v, `document.querySelector('#prov-61').open && !!document.querySelector('#prov-61 tr[data-regency="61.03"][data-target-met]')`) {
		t.Errorf("Kalimantan Barat's kabupaten/kota did not open from its row")
	}
	v.shot("coverage", true)
	v.do(chromedp.EmulateViewport(390, 844)) // the same page on a phone
	if w := eval[float64](v, `document.querySelector('[data-map]').getBoundingClientRect().width`); w <= 0 || w > 390 {
		t.Errorf("map is %vpx wide on a 390px phone", w)
	}
	v.shot("coverage-phone", false)
}
