package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
)

// pages renders the server-side HTML: one template set per page (the
// layout, the shared partials and the page itself), parsed at start-up so
// that a broken page stops the server (STYLE.md 9).
type pages struct {
	s      *Server
	set    map[string]*template.Template
	static fs.FS  // pages/static: app.css, app.js
	asset  string // content hash of the static files, for cache busting
}

// pageNames are the page templates under templates/pages.
var pageNames = []string{
	"verify", "error", "login",
	"home_pemda", "queue", "home_admin", "search",
	"proposal_form", "proposal",
	"admin_users", "admin_user", "admin_fiscal_years",
	"exports", "export", "access_log",
	"coverage",
	"monitoring", "sentra_reports",
	"sentra_list", "sentra", "sentra_form", "sentra_import",
	"proposal_import",
	"notifications",
	"dashboard",
}

func newPages(s *Server, fsys fs.FS) (*pages, error) {
	p := &pages{s: s, set: map[string]*template.Template{}}
	static, err := fs.Sub(fsys, "pages/static")
	if err != nil {
		return nil, fmt.Errorf("pages/static: %w", err)
	}
	h := sha256.New()
	for _, f := range []string{"app.css", "app.js"} {
		b, err := fs.ReadFile(static, f)
		if err != nil {
			return nil, fmt.Errorf("pages/static: %w", err)
		}
		h.Write(b)
	}
	p.static, p.asset = static, hex.EncodeToString(h.Sum(nil))[:12]
	asset := template.FuncMap{"asset": func() string { return p.asset }}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(pageFuncs).Funcs(asset).ParseFS(fsys,
			"pages/layout.html", "pages/partials.html", "pages/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("page %s: %w", name, err)
		}
		p.set[name] = t
	}
	return p, nil
}

// render writes a page through a buffer, so a failing template never sends
// half a page.
func (p *pages) render(c echo.Context, status int, name string, data any) error {
	t, ok := p.set[name]
	if !ok {
		return fmt.Errorf("page %q is not registered", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	securityHeaders(h)
	return c.HTMLBlob(status, buf.Bytes())
}

// securityHeaders keep pages out of frames and scripts to our own files.
func securityHeaders(h http.Header) {
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
		"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
}

// serveStatic serves app.css and app.js; a request carrying the current
// hash may be cached for a year.
func (p *pages) serveStatic(c echo.Context) error {
	name := path.Clean(c.Param("*"))
	b, err := fs.ReadFile(p.static, name)
	if err != nil || strings.HasPrefix(name, ".") {
		return dak.Errorf(dak.ErrNotFound, "berkas tidak ditemukan")
	}
	ct := "text/css; charset=utf-8"
	if strings.HasSuffix(name, ".js") {
		ct = "text/javascript; charset=utf-8"
	}
	if c.QueryParam("v") == p.asset {
		c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		c.Response().Header().Set("Cache-Control", "no-cache")
	}
	c.Response().Header().Set("X-Content-Type-Options", "nosniff")
	return c.Blob(http.StatusOK, ct, b)
}
