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
	"regexp"
	"strings"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
)

// pages renders the server-side HTML, parsed at start-up so that a broken
// page stops the server (STYLE.md 9). One template set holds them all: the
// shared partials once, and per page its content and the layout around it,
// each renamed for the page ("content NAME" inside "layout NAME"). A set
// per page held the partials' parse trees 25 times over, 8 MB that the
// collector marked in every cycle under load.
type pages struct {
	s      *Server
	set    *template.Template
	names  map[string]bool // the pages registered
	static fs.FS           // pages/static: app.css, app.js
	asset  string          // content hash of the static files, for cache busting
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
	p := &pages{s: s, names: map[string]bool{}}
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
	p.set = template.New("pages").Funcs(pageFuncs).Funcs(asset)
	layout, err := fs.ReadFile(fsys, "pages/layout.html")
	if err != nil {
		return nil, err
	}
	if _, err := p.set.ParseFS(fsys, "pages/partials.html"); err != nil {
		return nil, fmt.Errorf("pages/partials.html: %w", err)
	}
	for _, name := range pageNames {
		page, err := fs.ReadFile(fsys, "pages/"+name+".html")
		if err != nil {
			return nil, err
		}
		content, err := renamed(string(page), `{{define "content"}}`, `{{define "content `+name+`"}}`)
		if err != nil {
			return nil, fmt.Errorf("page %s: %w", name, err)
		}
		around, err := renamed(string(layout), `{{define "layout"}}`, `{{define "layout `+name+`"}}`)
		if err == nil {
			around, err = renamed(around, `{{template "content" .}}`, `{{template "content `+name+`" .}}`)
		}
		if err != nil {
			return nil, fmt.Errorf("pages/layout.html: %w", err)
		}
		// In one set a template defined twice would silently replace the
		// first: every name a page defines is its own.
		for _, m := range defineName.FindAllStringSubmatch(content, -1) {
			if p.set.Lookup(m[1]) != nil {
				return nil, fmt.Errorf("page %s: template %q is defined elsewhere too", name, m[1])
			}
		}
		if _, err := p.set.New(name + ".html").Parse(content); err != nil {
			return nil, fmt.Errorf("page %s: %w", name, err)
		}
		if _, err := p.set.New("layout.html " + name).Parse(around); err != nil {
			return nil, fmt.Errorf("page %s: layout: %w", name, err)
		}
		p.names[name] = true
	}
	return p, nil
}

// renamed is src with its one occurrence of old replaced by with; none or
// more than one is an error, so that a page never renders another's content.
func renamed(src, old, with string) (string, error) {
	if n := strings.Count(src, old); n != 1 {
		return "", fmt.Errorf("%s found %d times, want once", old, n)
	}
	return strings.Replace(src, old, with, 1), nil
}

// defineName finds the templates a file defines.
var defineName = regexp.MustCompile(`{{-?\s*define\s+"([^"]+)"`)

// render writes a page through a buffer, so a failing template never sends
// half a page.
func (p *pages) render(c echo.Context, status int, name string, data any) error {
	if !p.names[name] {
		return fmt.Errorf("page %q is not registered", name)
	}
	var buf bytes.Buffer
	if err := p.set.ExecuteTemplate(&buf, "layout "+name, data); err != nil {
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
