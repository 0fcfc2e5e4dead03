package web

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"dakflow/templates"
)

// pagesFS is the embedded pages/ tree as a MapFS, to break a file of.
func pagesFS(t *testing.T) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(templates.FS, "pages", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templates.FS, p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestPagesOneSet: every page is parsed into one set, each inside a layout
// of its own, and a page that would take another's name is refused at
// start-up rather than rendering the wrong content.
func TestPagesOneSet(t *testing.T) {
	p, err := newPages(nil, pagesFS(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range pageNames {
		if p.set.Lookup("layout "+name) == nil || p.set.Lookup("content "+name) == nil || !p.names[name] {
			t.Errorf("page %s has no layout or content of its own", name)
		}
	}
	if n := strings.Count(p.set.DefinedTemplates(), `"layout"`); n != 0 {
		t.Errorf("the shared layout name is still defined %d times", n)
	}

	for _, tc := range []struct{ file, change, want string }{
		{"pages/verify.html", `{{define "content"}}`, `{{define "content"}}{{end}}{{define "content"}}`},
		{"pages/login.html", `{{define "content"}}`, `{{define "pager"}}x{{end}}{{define "content"}}`},
		{"pages/layout.html", `{{template "content" .}}`, ``},
	} {
		fsys := pagesFS(t)
		src := string(fsys[tc.file].Data)
		if !strings.Contains(src, tc.change) {
			t.Fatalf("%s has no %s", tc.file, tc.change)
		}
		fsys[tc.file] = &fstest.MapFile{Data: []byte(strings.Replace(src, tc.change, tc.want, 1))}
		if _, err := newPages(nil, fsys); err == nil {
			t.Errorf("%s with %q in place of %q: no error", tc.file, tc.want, tc.change)
		} else {
			t.Logf("%s: %v", tc.file, err)
		}
	}
}
