package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"

	"github.com/labstack/echo/v4"
)

// pages renders the server-side HTML: one template set per page, parsed
// at start-up so that a broken page stops the server.
type pages struct {
	s   *Server
	set map[string]*template.Template
}

// pageNames are the page templates; each is parsed with the layout.
var pageNames = []string{"verify", "error"}

func newPages(s *Server, fsys fs.FS) (*pages, error) {
	p := &pages{s: s, set: map[string]*template.Template{}}
	for _, name := range pageNames {
		t, err := template.New(name).Funcs(pageFuncs).ParseFS(fsys, "pages/layout.html", "pages/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("page %s: %w", name, err)
		}
		p.set[name] = t
	}
	return p, nil
}

var pageFuncs = template.FuncMap{}

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
	return c.HTMLBlob(status, buf.Bytes())
}

type errorPageData struct {
	Title   string
	Problem Problem
}

func (p *pages) errorPage(c echo.Context, prob Problem) error {
	return p.render(c, prob.Status, "error", errorPageData{Title: prob.Title, Problem: prob})
}

func (p *pages) routes(e *echo.Echo) {
	e.GET("/", func(c echo.Context) error {
		return c.Redirect(http.StatusSeeOther, "/api/v1/workflows")
	})
}
