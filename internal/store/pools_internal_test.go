package store

import (
	"strings"
	"testing"
)

// TestWithSessionSettings: the pools' session settings go into the URL as
// runtime parameters, unless the operator's URL sets them; a URL that
// does not parse, or of an unknown scheme, is refused without its
// password in the message.
func TestWithSessionSettings(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"postgres://u:p@h:5432/db?sslmode=disable", "postgres://u:p@h:5432/db?random_page_cost=1.1&sslmode=disable"},
		{"postgres://u:p@h/db", "postgres://u:p@h/db?random_page_cost=1.1"},
		{"postgres://u:p@h/db?random_page_cost=2", "postgres://u:p@h/db?random_page_cost=2"},
		{"postgres://u:p@h/db?options=-c%20random_page_cost%3D3", "postgres://u:p@h/db?options=-c+random_page_cost%3D3"},
	} {
		got, err := withSessionSettings(c.in)
		if err != nil || got != c.want {
			t.Errorf("withSessionSettings(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	_, err := withSessionSettings("postgres://u:rahasia@h:port/db")
	if err == nil || strings.Contains(err.Error(), "rahasia") {
		t.Errorf("a URL that does not parse = %v, want an error without its password", err)
	}
	_, err = openPools("mysql://root:rahasia@h/db")
	if err == nil || strings.Contains(err.Error(), "rahasia") || !strings.Contains(err.Error(), `"mysql"`) {
		t.Errorf("an unknown scheme = %v, want an error naming the scheme, without the password", err)
	}
}
