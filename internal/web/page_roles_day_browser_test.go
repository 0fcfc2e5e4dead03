package web_test

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"dakflow/internal/web/apitest"
)

// TestBrowserRolesDay: every role does its day's job through the pages, on
// a 1366×768 laptop and on a 390×844 phone (issue 12, items 5 and 7): the
// pemda opens a proposal sent back and its form, the verifier starts a
// review from the queue, the approver allocates from "Menunggu keputusan
// Anda", the treasury records an SP2D, the auditor downloads a document
// and the trail, the admin opens the fiscal years and the users; the
// approver, the admin and the auditor read the dashboard. On every page:
// nothing scrolls sideways, each table's cells are labelled when its
// header is hidden (the phone), the notifications count is the API's, and
// the day's action button is on the screen and says what it does with a
// verb. The dashboard's charts are drawn and its figures are the API's.
func TestBrowserRolesDay(t *testing.T) {
	env := apitest.NewEnv(t)
	b := newBrowser(t, env.URL)
	fx := newDayFixture(t, env)
	for i, vp := range []struct{ w, h int64 }{{1366, 768}, {390, 844}} {
		d := &roleDay{t: t, b: b, env: env, w: vp.w, h: vp.h}
		d.pemda(fx.revision)
		d.verifier(fx.submitted[i])
		d.approver(fx.recommended[i])
		d.treasury(fx.paying[i])
		d.auditor(fx.completed)
		d.admin()
	}
}

// dayFixture is the work waiting for the roles, prepared over the API: a
// proposal sent back to the pemda, and for each screen size one submitted,
// one recommended and one with a stage recommended for payment; one
// completed proposal gives the dashboard money paid and a sentra under
// monitoring.
type dayFixture struct {
	revision, completed            int64
	submitted, recommended, paying [2]int64
}

func newDayFixture(t *testing.T, env *apitest.Env) dayFixture {
	t.Helper()
	walk := func(target string) int64 {
		id := env.Create(t, "revitalisasi", false)
		env.WalkTo(t, id, false, target)
		return id
	}
	var fx dayFixture
	fx.revision = walk("in_review")
	env.Verifier.MustFire(fx.revision, "request_revision", "Perbaiki sebelum diajukan ulang", map[string]any{"notes": []map[string]any{
		{"field": "title", "note": "Judul belum menyebut lokasi"}, {"field": "outputs", "note": "Volume mesin tidak sesuai RAB"}}})
	for i := range 2 {
		fx.submitted[i] = walk("submitted")
		fx.recommended[i] = walk("recommended")
		fx.paying[i] = walk("disbursement_recommended")
	}
	fx.completed = walk("completed")
	return fx
}

// roleDay is one screen size's day.
type roleDay struct {
	t    *testing.T
	b    *browser
	env  *apitest.Env
	w, h int64
	tab  *tab // one tab for the day: each role logs in and out
}

// login logs user in through the login page of the day's tab.
func (d *roleDay) login(user string) *tab {
	d.t.Helper()
	if d.tab == nil {
		d.tab = d.b.anonymous("login", d.w, d.h)
		d.tab.open("/login")
		d.page(d.tab, "login")
	}
	tb := d.tab
	tb.name = fmt.Sprintf("%s at %d×%d", user, d.w, d.h)
	tb.set("#username", user)
	tb.set("#password", apitest.Password)
	tb.submit(`form[data-login] button[type=submit]`)
	if got := eval[string](tb, `(document.querySelector('.who-name')||{dataset:{}}).dataset.user||''`); got != user {
		d.t.Fatalf("%s: not logged in; page says %q", tb.name, tb.text("main"))
	}
	return tb
}

// done ends a role's day with Keluar, back on the login page.
func (d *roleDay) done(tb *tab) {
	d.t.Helper()
	tb.submit(`button[data-action="logout"]`)
	if !strings.Contains(tb.location(), "/login") {
		d.t.Fatalf("%s: Keluar went to %s", tb.name, tb.location())
	}
}

func (d *roleDay) pemda(id int64) {
	tb := d.login("pemda")
	d.notifications(tb, d.env.Pemda)
	d.page(tb, "beranda")
	row := fmt.Sprintf(`[data-waiting] tr[data-proposal="%d"]`, id)
	if !tb.exists(row) {
		d.t.Fatalf("%s: the proposal sent back is not under Menunggu tindakan Anda", tb.name)
	}
	tb.submit(row + ` a[href="/proposals/` + strconv.FormatInt(id, 10) + `"]`)
	d.page(tb, "usulan yang dikembalikan")
	// The notes box comes first after the proposal's header, above the
	// actions, and names every note.
	if got := eval[string](tb, `(n => n && !n.matches('[data-revision-notes]') ? n.outerHTML.slice(0, 80) : '')(document.querySelector('[data-proposal-header]').nextElementSibling)`); got != "" {
		d.t.Errorf("%s: the revision notes are not right under the proposal's header: next is %q", tb.name, got)
	}
	for _, field := range []string{"title", "outputs"} {
		d.visible(tb, fmt.Sprintf(`[data-revision-notes] [data-revision-note="%s"]`, field))
	}
	d.action(tb, `button[data-event="submit"]`)
	d.action(tb, `[data-edit]`)
	tb.submit(`[data-edit]`)
	if !strings.HasSuffix(tb.location(), fmt.Sprintf("/proposals/%d/edit", id)) {
		d.t.Fatalf("%s: Ubah isi usulan went to %s", tb.name, tb.location())
	}
	d.page(tb, "formulir perbaikan")
	if !eval[bool](tb, `(n => !!n && !!document.querySelector('form[data-proposal-form]') &&
		!!(n.compareDocumentPosition(document.querySelector('form[data-proposal-form]')) & Node.DOCUMENT_POSITION_FOLLOWING))(document.querySelector('[data-revision-notes]'))`) {
		d.t.Errorf("%s: the edit form does not open with the revision notes above it", tb.name)
	}
	d.visible(tb, `[data-revision-notes]`)
	d.action(tb, `[data-save]`)
	d.done(tb)
}

func (d *roleDay) verifier(id int64) {
	tb := d.login("verifikator")
	d.notifications(tb, d.env.Verifier)
	d.page(tb, "antrean penilaian")
	row := fmt.Sprintf(`tr[data-proposal="%d"]`, id)
	if !tb.exists(row + " [data-age-days]") {
		d.t.Fatalf("%s: the submitted proposal is not in the queue with its age", tb.name)
	}
	tb.submit(row + ` a[href="/proposals/` + strconv.FormatInt(id, 10) + `"]`)
	d.page(tb, "usulan diajukan")
	d.fire(tb, id, "start_review", nil)
	if tb.state() != "in_review" {
		d.t.Fatalf("%s: after Mulai penilaian the state is %q", tb.name, tb.state())
	}
	d.page(tb, "usulan dalam penilaian")
	d.action(tb, `button[data-event="recommend"]`) // the review goes on
	d.done(tb)
}

func (d *roleDay) approver(id int64) {
	tb := d.login("penetap")
	d.notifications(tb, d.env.Approver)
	d.page(tb, "menunggu keputusan")
	if got := eval[string](tb, `[...document.querySelectorAll('[data-queue] h2')].map(h=>h.innerText).join('|')`); !strings.Contains(got, "Menunggu keputusan Anda") {
		d.t.Errorf("%s: no list headed Menunggu keputusan Anda: %q", tb.name, got)
	}
	row := fmt.Sprintf(`tr[data-proposal="%d"]`, id)
	if !tb.exists(row) {
		d.t.Fatalf("%s: the recommended proposal is not waiting for a decision", tb.name)
	}
	tb.submit(row + ` a[href="/proposals/` + strconv.FormatInt(id, 10) + `"]`)
	d.page(tb, "usulan direkomendasikan")
	d.fire(tb, id, "allocate", nil) // the amount is the recommendation's
	if tb.state() != "allocated" {
		d.t.Fatalf("%s: after Tetapkan alokasi the state is %q", tb.name, tb.state())
	}
	if got, want := int64(d.env.Get(d.t, id)["allocated_amount"].(float64)), int64(apitest.SmallAllocation); got != want {
		d.t.Errorf("%s: allocated %d, want the recommended %d", tb.name, got, want)
	}
	d.page(tb, "usulan dialokasikan")
	d.dashboard(tb)
	d.done(tb)
}

func (d *roleDay) treasury(id int64) {
	tb := d.login("perbendaharaan")
	d.notifications(tb, d.env.Treasury)
	d.page(tb, "penyaluran menunggu")
	row := fmt.Sprintf(`tr[data-proposal="%d"]`, id)
	if !tb.exists(row) {
		d.t.Fatalf("%s: the recommended stage is not waiting for its SP2D", tb.name)
	}
	tb.submit(row + ` a[href="/proposals/` + strconv.FormatInt(id, 10) + `"]`)
	d.page(tb, "tahap direkomendasikan")
	want := d.env.StageAmount(d.t, id, 1)
	d.fire(tb, id, "record_disbursement", func() {
		tb.typeIn(`#form-record_disbursement [name="data.sp2d_number"]`, fmt.Sprintf("SP2D-%d-%d", id, d.w))
		tb.set(`#form-record_disbursement [name="data.sp2d_date"]`, "2027-03-15")
	})
	if tb.state() != "tranche_disbursed" {
		d.t.Fatalf("%s: after Catat penyaluran the state is %q", tb.name, tb.state())
	}
	if got := int64(d.env.Get(d.t, id)["disbursed_amount"].(float64)); got != want {
		d.t.Errorf("%s: disbursed %d, want the stage's %d", tb.name, got, want)
	}
	d.page(tb, "tahap tersalur")
	d.done(tb)
}

func (d *roleDay) auditor(id int64) {
	tb := d.login("auditor")
	d.notifications(tb, d.env.Auditor)
	d.page(tb, "pencarian")
	tb.set("#f-state", "completed")
	d.action(tb, `form[data-filters] button[type=submit]`)
	tb.submit(`form[data-filters] button[type=submit]`)
	d.page(tb, "hasil pencarian")
	row := fmt.Sprintf(`tr[data-proposal="%d"]`, id)
	if !tb.exists(row) {
		d.t.Fatalf("%s: the completed proposal is not found by its state", tb.name)
	}
	tb.submit(row + ` a[href="/proposals/` + strconv.FormatInt(id, 10) + `"]`)
	d.page(tb, "usulan selesai")

	var docs struct {
		Items []struct {
			ID     int64  `json:"id"`
			SHA256 string `json:"sha256"`
		} `json:"items"`
	}
	d.env.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/documents", id), nil, nil).Decode(d.t, &docs)
	if n := eval[int](tb, `document.querySelectorAll('[data-documents] [data-document]').length`); n != len(docs.Items) || n == 0 {
		d.t.Errorf("%s: the page lists %d documents, the API %d", tb.name, n, len(docs.Items))
	}
	first := `[data-documents] [data-document] a[data-download]`
	d.action(tb, first)
	// The download as the browser gets it, with the auditor's session: the
	// bytes the API hashed.
	got := eval[[]string](tb, `(async () => { const a = document.querySelector(`+q(first)+`);
		const r = await fetch(a.href); const buf = await r.arrayBuffer();
		const sum = [...new Uint8Array(await crypto.subtle.digest('SHA-256', buf))].map(b => b.toString(16).padStart(2, '0')).join('');
		return [String(r.status), r.headers.get('content-type') || '', new TextDecoder().decode(buf.slice(0, 5)), sum,
			a.closest('[data-document]').dataset.document]; })()`)
	wantSum := ""
	for _, doc := range docs.Items {
		if strconv.FormatInt(doc.ID, 10) == got[4] {
			wantSum = doc.SHA256
		}
	}
	if got[0] != "200" || !strings.HasPrefix(got[1], "application/pdf") || got[2] != "%PDF-" || got[3] != wantSum {
		d.t.Errorf("%s: downloading document %s: status %s, type %q, starts %q, SHA-256 %s, want 200, a PDF, the API's %s",
			tb.name, got[4], got[0], got[1], got[2], got[3], wantSum)
	}
	d.action(tb, `a[data-trail]`)
	trail := eval[[]string](tb, `(async () => { const r = await fetch(document.querySelector('a[data-trail]').href);
		const buf = await r.arrayBuffer(); return [String(r.status), r.headers.get('content-type') || '', new TextDecoder().decode(buf.slice(0, 2))]; })()`)
	if trail[0] != "200" || trail[2] != "PK" {
		d.t.Errorf("%s: the trail download: status %s, type %q, starts %q, want 200 and a ZIP", tb.name, trail[0], trail[1], trail[2])
	}
	d.dashboard(tb)
	d.done(tb)
}

func (d *roleDay) admin() {
	tb := d.login("admin")
	d.notifications(tb, d.env.Admin)
	d.page(tb, "administrasi")
	d.action(tb, `a[href="/admin/fiscal-years"].button`)
	tb.submit(`a[href="/admin/fiscal-years"].button`)
	d.page(tb, "tahun anggaran")
	var fy struct {
		Ceiling   int64 `json:"ceiling"`
		Committed int64 `json:"committed"`
	}
	d.env.Admin.Do("GET", fmt.Sprintf("/api/v1/fiscal-years/%d/summary", apitest.Year), nil, nil).Decode(d.t, &fy)
	year := fmt.Sprintf(`tr[data-year="%d"]`, apitest.Year)
	if got := tb.text(year + ` td[data-label="Pagu"]`); got != rupiahText(fy.Ceiling) {
		d.t.Errorf("%s: the year's ceiling reads %q, the API's is %s", tb.name, got, rupiahText(fy.Ceiling))
	}
	if got := tb.text(year + ` td[data-label="Sisa"]`); got != rupiahText(fy.Ceiling-fy.Committed) {
		d.t.Errorf("%s: the ceiling left reads %q, the API's is %s", tb.name, got, rupiahText(fy.Ceiling-fy.Committed))
	}
	d.visible(tb, `[data-calendar-form]`)
	d.action(tb, `form[data-set-year] button[type=submit]`)
	tb.submit(`nav a[href="/admin/users"]`)
	d.page(tb, "pengguna")
	var users struct {
		Total int `json:"total"`
	}
	d.env.Admin.Do("GET", "/api/v1/users?per_page=200", nil, nil).Decode(d.t, &users)
	if n := eval[int](tb, `document.querySelectorAll('[data-users] tr[data-user-row]').length`); n != users.Total || n == 0 {
		d.t.Errorf("%s: the users page lists %d accounts, the API %d", tb.name, n, users.Total)
	}
	d.action(tb, `form[data-create-user] button[type=submit]`)
	d.dashboard(tb)
	d.done(tb)
}

// fire presses an event's button on the open proposal page, lets fill type
// into its form, checks the form's own button, and sends it.
func (d *roleDay) fire(tb *tab, id int64, event string, fill func()) {
	d.t.Helper()
	btn := fmt.Sprintf(`button[data-event="%s"]`, event)
	d.action(tb, btn)
	tb.do(chromedpClick(btn))
	form := "#form-" + event
	if !eval[bool](tb, `!document.querySelector(`+q(form)+`).hidden`) {
		d.t.Fatalf("%s: the %s button did not open its form", tb.name, event)
	}
	if fill != nil {
		fill()
	}
	d.page(tb, "formulir "+event)
	d.action(tb, form+" button[type=submit]")
	tb.submit(form + " button[type=submit]")
	if errs := tb.formErrors(); errs != "" {
		d.t.Fatalf("%s: %s on proposal %d: %s", tb.name, event, id, errs)
	}
}

// The checks every page of the day passes.
const (
	// dayFits: neither the page nor a table's scrolling wrapper is wider
	// than the window (as in TestPagesFitTheScreen).
	dayFits = `document.documentElement.scrollWidth <= window.innerWidth &&
		[...document.querySelectorAll('.table-wrap')].every(w => w.getClientRects().length === 0 || w.scrollWidth <= w.clientWidth + 1)`
	// dayBrokenAmounts lists the number cells (td.num) whose figures run
	// over two lines: a run of digits with its thousands separators
	// ("3.215.000.000") must sit on one line, for "Rp1.000.000.000│000"
	// is misread (issue 12, item 7); a cell may break between "Rp" and the
	// digits, or between an amount and what follows it.
	dayBrokenAmounts = `[...document.querySelectorAll('td.num')].filter(td => td.getClientRects().length > 0).flatMap(td => {
		const out = [], walk = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
		for (let n; (n = walk.nextNode()); ) for (const m of n.data.matchAll(/\d+(?:[.,]\d+)*/g)) {
			const r = document.createRange();
			r.setStart(n, m.index);
			r.setEnd(n, m.index + m[0].length);
			if (new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top))).size > 1)
				out.push((td.closest('table').dataset.table || td.dataset.label || 'table') + ': ' + JSON.stringify(td.innerText.trim()) + ' (' + Math.round(td.getBoundingClientRect().width) + ' px)');
		}
		return out;
	}).slice(0, 8)`
	// dayUnlabelled lists the cells of a table whose header is hidden (the
	// phone's stacked rows) that do not show their column's label, and
	// counts those that do: a cell that says something or holds a field
	// must carry data-label and show it; a row's first cell may stand as
	// its heading, and a lone button says what it does.
	dayUnlabelled = `(() => {
		const shown = e => e.getClientRects().length > 0, bad = [];
		let labelled = 0;
		for (const t of document.querySelectorAll('main table')) {
			if (!shown(t) || (t.tHead && shown(t.tHead))) continue;
			for (const body of t.tBodies) for (const tr of body.rows) {
				if (!shown(tr)) continue;
				[...tr.cells].forEach((td, i) => {
					if (!shown(td)) return;
					const fields = td.querySelectorAll('input:not([type=hidden]),select,textarea').length;
					if (!fields && td.innerText.trim() === '') return;
					if (!fields && [...td.childNodes].every(n => n.nodeName === 'BUTTON' || (n.nodeType === 3 && !n.textContent.trim()))) return;
					const before = getComputedStyle(td, '::before');
					if (i === 0 && before.display === 'none' && !fields) return;
					const label = td.dataset.label || '';
					if (label.trim() !== '' && before.display !== 'none' && before.content === JSON.stringify(label)) {
						labelled++;
						return;
					}
					bad.push((t.dataset.table || t.closest('[data-rows]')?.dataset.rows || t.closest('section,fieldset')?.querySelector('h2,legend')?.innerText || 'table') +
						': cell ' + (i + 1) + ' "' + (td.innerText.trim() || td.querySelector('input,select,textarea').name).slice(0, 40) + '" shows ' + before.content);
				});
			}
		}
		return {bad: bad.slice(0, 8), labelled, stacked: [...document.querySelectorAll('main table.stack')].filter(shown).length};
	})()`
	// dayVisible says why the element is not on the screen for a user to
	// see and press, "" when it is.
	dayVisible = `(sel => { const e = document.querySelector(sel); if (!e) return 'missing';
		e.scrollIntoView({block: 'center', inline: 'nearest'});
		const r = e.getBoundingClientRect(), s = getComputedStyle(e);
		if (r.width < 1 || r.height < 1 || s.visibility === 'hidden' || s.display === 'none' || +s.opacity === 0) return 'not shown (' + r.width + '×' + r.height + ')';
		if (r.left < 0 || r.right > innerWidth + 1) return 'outside the window (' + Math.round(r.left) + '–' + Math.round(r.right) + ' of ' + innerWidth + ')';
		const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
		if (!at || !(at === e || e.contains(at))) return 'covered by ' + (at ? at.outerHTML.slice(0, 80) : 'nothing');
		return ''; })`
)

// page checks the open page: no sideways scroll, labelled cells.
func (d *roleDay) page(tb *tab, what string) {
	d.t.Helper()
	if !eval[bool](tb, dayFits) {
		d.t.Errorf("%s, %s: the page or a table scrolls sideways (page %d px in %d; %s)", tb.name, what,
			eval[int](tb, `document.documentElement.scrollWidth`), eval[int](tb, `window.innerWidth`),
			eval[string](tb, `[...document.querySelectorAll('.table-wrap')].filter(w => w.scrollWidth > w.clientWidth + 1).map(w => (w.querySelector('table').dataset.table || w.closest('section').querySelector('h2').innerText) + ' ' + w.scrollWidth + '/' + w.clientWidth + ' widest: ' + [...w.querySelectorAll('td,th')].sort((a,b)=>b.getBoundingClientRect().right-a.getBoundingClientRect().right)[0].outerHTML.slice(0,120)).join('; ')`))
	}
	if broken := eval[[]string](tb, dayBrokenAmounts); len(broken) > 0 {
		d.t.Errorf("%s, %s: amounts broken inside their digits: %s", tb.name, what, strings.Join(broken, "; "))
	}
	cells := eval[struct {
		Bad      []string `json:"bad"`
		Labelled int      `json:"labelled"`
		Stacked  int      `json:"stacked"`
	}](tb, dayUnlabelled)
	if len(cells.Bad) > 0 {
		d.t.Errorf("%s, %s: table cells without their column's label: %s", tb.name, what, strings.Join(cells.Bad, "; "))
	}
	if d.w < 640 && cells.Stacked > 0 && cells.Labelled == 0 {
		d.t.Errorf("%s, %s: %d tables, none stacked with its cells labelled on a phone", tb.name, what, cells.Stacked)
	}
	tb.shot(fmt.Sprintf("day-%d-%s", d.w, strings.ReplaceAll(what, " ", "-")), false)
}

// visible fails unless sel is on the screen, within the window's width.
func (d *roleDay) visible(tb *tab, sel string) {
	d.t.Helper()
	if why := eval[string](tb, dayVisible+"("+q(sel)+")"); why != "" {
		d.t.Errorf("%s: %s is not visible: %s", tb.name, sel, why)
	}
}

// dayVerbs are the verbs the pages' buttons start with: an action says
// what it does.
var dayVerbs = map[string]bool{"ajukan": true, "tarik": true, "mulai": true, "minta": true, "rekomendasikan": true, "tolak": true,
	"tetapkan": true, "setujui": true, "mohon": true, "kembalikan": true, "catat": true, "laporkan": true, "perpanjang": true,
	"nyatakan": true, "ubah": true, "simpan": true, "unduh": true, "tambah": true, "kelola": true, "buat": true, "terapkan": true,
	"tampilkan": true, "cari": true, "verifikasi": true}

// action checks that the action sel is visible and labelled with a verb.
func (d *roleDay) action(tb *tab, sel string) {
	d.t.Helper()
	d.visible(tb, sel)
	label := tb.text(sel)
	word, _, _ := strings.Cut(strings.TrimLeft(label, "+ "), " ")
	if !dayVerbs[strings.ToLower(word)] {
		d.t.Errorf("%s: the action %s reads %q: it does not start with a verb", tb.name, sel, label)
	}
}

// notifications checks the header's notifications link and badge against
// the caller's unread count in the API; the roles with work waiting have
// some.
func (d *roleDay) notifications(tb *tab, api *apitest.Client) {
	d.t.Helper()
	var unread struct {
		Total int `json:"total"`
	}
	api.Do("GET", "/api/v1/notifications?unread=1", nil, nil).Decode(d.t, &unread)
	d.visible(tb, `a.notif[data-notifications]`)
	if got := eval[string](tb, `document.querySelector('a.notif').dataset.notifications`); got != strconv.Itoa(unread.Total) {
		d.t.Errorf("%s: the header counts %s unread notifications, the API %d", tb.name, got, unread.Total)
	}
	if unread.Total == 0 {
		if !strings.HasPrefix(tb.name, "auditor") && !strings.HasPrefix(tb.name, "admin") {
			d.t.Errorf("%s: no unread notification, though work waits", tb.name)
		}
		return
	}
	d.visible(tb, `a.notif [data-unread]`)
	if got := tb.text(`a.notif [data-unread]`); got != strconv.Itoa(unread.Total) {
		d.t.Errorf("%s: the badge reads %q, want %d", tb.name, got, unread.Total)
	}
}

// dayChart is what the test reads of a drawn chart.
type dayChart struct {
	ID          string  `json:"id"`
	Width       float64 `json:"w"`
	Height      float64 `json:"h"`
	Left, Right float64
	Marks       int    `json:"marks"`
	Desc        string `json:"desc"`
}

// dashboard opens the dashboard from the navigation and checks its charts
// and figures against the API's.
func (d *roleDay) dashboard(tb *tab) {
	d.t.Helper()
	tb.submit(`nav a[href="/dasbor"]`)
	if st := eval[int](tb, `performance.getEntriesByType('navigation')[0].responseStatus`); st != http.StatusOK {
		d.t.Fatalf("%s: /dasbor = %d", tb.name, st)
	}
	d.page(tb, "dasbor")
	charts := eval[[]dayChart](tb, `[...document.querySelectorAll('svg[data-chart]')].map(s => { const r = s.getBoundingClientRect();
		const marks = [...s.querySelectorAll('rect:not([width="12"][height="12"]):not([fill="none"]), circle[stroke-dasharray]')]
			.filter(m => { const b = m.getBoundingClientRect(); return b.width >= 1 && b.height >= 1; }).length;
		return {id: s.dataset.chart, w: r.width, h: r.height, Left: r.left, Right: r.right, marks, desc: (s.querySelector('desc') || {}).textContent || ''}; })`)
	byID := map[string]dayChart{}
	for _, c := range charts {
		byID[c.ID] = c
		if c.Width < 100 || c.Height < 1 || c.Marks == 0 {
			d.t.Errorf("%s: chart %s is %.0f×%.0f px with %d marks drawn: want it drawn", tb.name, c.ID, c.Width, c.Height, c.Marks)
		}
		if c.Left < 0 || c.Right > float64(d.w)+1 {
			d.t.Errorf("%s: chart %s spans %.0f–%.0f px of a %d px window", tb.name, c.ID, c.Left, c.Right, d.w)
		}
	}
	for _, id := range []string{"grafik-pagu-nasional", "grafik-pagu", "grafik-alur", "grafik-provinsi", "grafik-penyerapan", "grafik-sentra"} {
		if _, ok := byID[id]; !ok {
			d.t.Errorf("%s: the dashboard has no chart %s (it has %d)", tb.name, id, len(charts))
		}
	}

	// The figures, read as the user sees them, against the API's.
	dash := dashData(eval[map[string]map[string]map[string]string](tb, `Object.fromEntries([...document.querySelectorAll('table[data-table]')].map(t =>
		[t.dataset.table, Object.fromEntries([...t.querySelectorAll('tr[data-key]')].map(tr =>
			[tr.dataset.key, Object.fromEntries([...tr.querySelectorAll('td[data-col]')].map(td => [td.dataset.col, td.innerText.trim()]))]))]))`))
	api := d.env.Auditor
	var sum struct {
		Ceiling   int64 `json:"ceiling"`
		Committed int64 `json:"committed"`
		ByState   []struct {
			State string `json:"state"`
			Count int64  `json:"count"`
		} `json:"by_state"`
	}
	api.Do("GET", fmt.Sprintf("/api/v1/fiscal-years/%d/summary", apitest.Year), nil, nil).Decode(d.t, &sum)
	if sum.Committed == 0 {
		d.t.Fatalf("%s: the API says nothing is allocated: the fixture allocated nothing", tb.name)
	}
	dash.want(d.t, "pagu", "nasional", "ceiling", rupiahText(sum.Ceiling))
	dash.want(d.t, "pagu", "nasional", "used", rupiahText(sum.Committed))
	dash.want(d.t, "pagu", "nasional", "left", rupiahText(sum.Ceiling-sum.Committed))
	if got, want := byID["grafik-pagu-nasional"].Desc, fmt.Sprintf("Terpakai %s, sisa %s.", rupiahText(sum.Committed), rupiahText(sum.Ceiling-sum.Committed)); got != want {
		d.t.Errorf("%s: the ceiling chart says %q, want %q (the API's)", tb.name, got, want)
	}
	var count int64
	for _, s := range sum.ByState {
		dash.want(d.t, "alur", s.State, "count", strconv.FormatInt(s.Count, 10))
		count += s.Count
	}
	dash.want(d.t, "alur", "jumlah", "count", strconv.FormatInt(count, 10))
	var byProvince, byRegion struct {
		Groups []struct {
			Key       string `json:"key"`
			Disbursed int64  `json:"disbursed_amount"`
		} `json:"groups"`
		Total struct {
			Allocated int64 `json:"allocated_amount"`
		} `json:"total"`
	}
	api.Do("GET", fmt.Sprintf("/api/v1/fiscal-years/%d/summary?group=province", apitest.Year), nil, nil).Decode(d.t, &byProvince)
	dash.want(d.t, "provinsi", "jumlah", "allocated", rupiahText(byProvince.Total.Allocated))
	api.Do("GET", fmt.Sprintf("/api/v1/fiscal-years/%d/summary?group=region", apitest.Year), nil, nil).Decode(d.t, &byRegion)
	for _, g := range byRegion.Groups {
		if g.Disbursed > 0 {
			dash.want(d.t, "penyerapan", g.Key, "disbursed", rupiahText(g.Disbursed))
		}
	}
	var mon struct {
		Items []any `json:"items"`
	}
	api.Do("GET", "/api/v1/monitoring", nil, nil).Decode(d.t, &mon)
	dash.want(d.t, "sentra", "listed", "count", strconv.Itoa(len(mon.Items)))
}
