package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"dakflow/internal/store/dbtest"
	"dakflow/internal/web/apitest"
)

// chromium finds Debian's chromium. In CI a missing browser is a failure,
// never a silent skip (STYLE.md 13); on a workstation the test skips.
func chromium(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("DAKFLOW_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p == "" {
			continue
		}
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed (apt-get install chromium); the browser tests must run in CI")
	}
	t.Skip("chromium is not installed; skipping the browser tests")
	return ""
}

// browser is one headless Chromium for a test; each user gets a tab in a
// browser context of its own, so that their cookies stay apart.
type browser struct {
	t     *testing.T
	root  context.Context
	base  string
	shots string
}

func newBrowser(t *testing.T, base string) *browser {
	t.Helper()
	// The pages are the same on both engines, and the API tests cover both;
	// a browser walk costs minutes under -race, so it runs once, on SQLite,
	// unless asked for on PostgreSQL too.
	if dbtest.Engine() == "postgres" && os.Getenv("DAKFLOW_BROWSER_ALL_ENGINES") == "" {
		t.Skip("browser walks run on SQLite; DAKFLOW_BROWSER_ALL_ENGINES=1 runs them on PostgreSQL too")
	}
	path := chromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.Headless, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true), chromedp.Flag("disable-default-apps", true),
		chromedp.WindowSize(1366, 768),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	root, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(root, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	// Screenshots are for a person to look at: taken only when asked for
	// (full-page captures are a large part of a browser test's time).
	shots := os.Getenv("DAKFLOW_SCREENSHOTS")
	if shots != "" {
		if err := os.MkdirAll(shots, 0o755); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshots in %s", shots)
	}
	return &browser{t: t, root: root, base: base, shots: shots}
}

// tab is one user's tab.
type tab struct {
	t    *testing.T
	b    *browser
	ctx  context.Context
	name string
}

// anonymous opens a tab that is logged in as nobody, at a viewport size.
func (b *browser) anonymous(name string, w, h int64) *tab {
	ctx, cancel := chromedp.NewContext(b.root, chromedp.WithNewBrowserContext())
	b.t.Cleanup(cancel)
	// The first run opens the tab, which lives as long as the context of
	// that run: it must be the tab's own context, never one with a timeout.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, h)); err != nil {
		b.t.Fatalf("%s: open a tab: %v", name, err)
	}
	return &tab{t: b.t, b: b, ctx: ctx, name: name}
}

// login opens a tab and logs in through the login page.
func (b *browser) login(user string, w, h int64) *tab {
	tb := b.anonymous(user, w, h)
	tb.open("/login")
	tb.do(chromedp.SendKeys(chromedp.ID("username"), user), chromedp.SendKeys(chromedp.ID("password"), apitest.Password))
	tb.submit(`form[data-login] button[type=submit]`)
	if got := tb.text(`.who-name`); got == "" {
		tb.t.Fatalf("%s: not logged in; page says %q", user, tb.text("main"))
	}
	return tb
}

// do runs steps with a time limit, failing the test on error.
func (tb *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tb.t.Fatalf("%s: %v (at %s)", tb.name, err, tb.location())
	}
}

func (tb *tab) location() string {
	ctx, cancel := context.WithTimeout(tb.ctx, 5*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	return loc
}

// open navigates to a page path and returns the HTTP status.
func (tb *tab) open(path string) int64 {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(tb.b.base+path)); err != nil {
		tb.t.Fatalf("%s: open %s: %v", tb.name, path, err)
	}
	return int64(eval[int](tb, `performance.getEntriesByType('navigation')[0].responseStatus`))
}

// submit clicks a button and waits for the page it loads.
func (tb *tab) submit(sel string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel)))); err != nil {
		tb.t.Fatalf("%s: submit %s: %v (at %s)", tb.name, sel, err, tb.location())
	}
}

// eval evaluates JavaScript and decodes its value into T.
func eval[T any](tb *tab, js string) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("%s: eval %s: %v", tb.name, js, err)
	}
	return v
}

// q quotes a CSS selector for JavaScript.
func q(sel string) string { b, _ := json.Marshal(sel); return string(b) }

func (tb *tab) exists(sel string) bool {
	tb.t.Helper()
	return eval[bool](tb, "!!document.querySelector("+q(sel)+")")
}

// text is the trimmed text of the first match, "" if none.
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	return strings.TrimSpace(eval[string](tb, "(document.querySelector("+q(sel)+")||{}).innerText||''"))
}

func (tb *tab) value(sel string) string {
	tb.t.Helper()
	return eval[string](tb, "(document.querySelector("+q(sel)+")||{}).value||''")
}

// set gives a field a value and tells the page, as a user's choice would.
func (tb *tab) set(sel, value string) {
	tb.t.Helper()
	ok := eval[bool](tb, fmt.Sprintf(`(e=>{if(!e)return false;e.value=%s;e.dispatchEvent(new Event('input',{bubbles:true}));
		e.dispatchEvent(new Event('change',{bubbles:true}));return e.value===%s})(document.querySelector(%s))`, q(value), q(value), q(sel)))
	if !ok {
		tb.t.Fatalf("%s: cannot set %s to %q at %s", tb.name, sel, value, tb.location())
	}
}

// typeIn types into a field key by key, so the page's scripts see input.
func (tb *tab) typeIn(sel, value string) {
	tb.t.Helper()
	tb.do(chromedp.SendKeys(chromedp.CSS(sel), value))
}

// shot saves a screenshot of the page (full length when full is true).
func (tb *tab) shot(name string, full bool) {
	tb.t.Helper()
	if tb.b.shots == "" {
		return
	}
	ctx, cancel := context.WithTimeout(tb.ctx, 30*time.Second)
	defer cancel()
	action := chromedp.CaptureScreenshot()
	if full {
		action = chromedp.FullScreenshot(100)
	}
	buf, err := chromedp.Run(ctx, action)
	if err != nil {
		tb.t.Fatalf("%s: screenshot %s: %v", tb.name, name, err)
	}
	if err := os.WriteFile(filepath.Join(tb.b.shots, name+".png"), buf, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

// formErrors is the error summary of the page's forms, "" when none.
func (tb *tab) formErrors() string {
	tb.t.Helper()
	return eval[string](tb, `[...document.querySelectorAll('[data-form-errors],[data-upload-error],[data-error-status]')].map(e=>e.innerText).join(' | ')`)
}

func chromedpClick(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Click(chromedp.CSS(sel))
}

func chromedpWaitReady(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.WaitReady(chromedp.CSS(sel))
}

func chromedpUpload(sel, file string) chromedp.Action[chromedp.Void] {
	return chromedp.SetUploadFiles(chromedp.CSS(sel), []string{file})
}
