package store

import (
	"strings"
	"testing"
)

// TestPostgresURL: the pools' session settings go into the URL as
// runtime parameters, unless the operator's URL sets them; begin_ahead is
// taken off the URL (on unless off); a URL that does not parse, or of an
// unknown scheme, or with begin_ahead neither on nor off, is refused
// without its password in the message.
func TestPostgresURL(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ahead    bool
	}{
		{"postgres://u:p@h:5432/db?sslmode=disable", "postgres://u:p@h:5432/db?random_page_cost=1.1&sslmode=disable", true},
		{"postgres://u:p@h/db", "postgres://u:p@h/db?random_page_cost=1.1", true},
		{"postgres://u:p@h/db?random_page_cost=2", "postgres://u:p@h/db?random_page_cost=2", true},
		{"postgres://u:p@h/db?options=-c%20random_page_cost%3D3", "postgres://u:p@h/db?options=-c+random_page_cost%3D3", true},
		{"postgres://u:p@h/db?begin_ahead=off&sslmode=require", "postgres://u:p@h/db?random_page_cost=1.1&sslmode=require", false},
		{"postgres://u:p@h/db?begin_ahead=on", "postgres://u:p@h/db?random_page_cost=1.1", true},
	} {
		got, ahead, err := postgresURL(c.in)
		if err != nil || got != c.want || ahead != c.ahead {
			t.Errorf("postgresURL(%q) = %q, %v, %v; want %q, %v", c.in, got, ahead, err, c.want, c.ahead)
		}
	}
	_, _, err := postgresURL("postgres://u:rahasia@h:port/db")
	if err == nil || strings.Contains(err.Error(), "rahasia") {
		t.Errorf("a URL that does not parse = %v, want an error without its password", err)
	}
	_, _, err = postgresURL("postgres://u:rahasia@h/db?begin_ahead=yes")
	if err == nil || strings.Contains(err.Error(), "rahasia") || !strings.Contains(err.Error(), "begin_ahead") {
		t.Errorf("begin_ahead=yes = %v, want an error naming begin_ahead, without the password", err)
	}
	_, err = openPools("mysql://root:rahasia@h/db")
	if err == nil || strings.Contains(err.Error(), "rahasia") || !strings.Contains(err.Error(), `"mysql"`) {
		t.Errorf("an unknown scheme = %v, want an error naming the scheme, without the password", err)
	}
}
