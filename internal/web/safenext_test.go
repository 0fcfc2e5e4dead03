package web

import "testing"

// TestSafeNext: a login's next= never leads off-site, whatever a browser
// would make of it (it drops tabs and newlines and reads "\" as "/").
func TestSafeNext(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"/proposals/12", "/proposals/12"},
		{"/proposals?state=submitted&page=2", "/proposals?state=submitted&page=2"},
		{"", "/"},
		{"https://evil.example/", "/"},
		{"//evil.example", "/"},
		{"/\t/evil.example", "/"},
		{"/\n/evil.example", "/"},
		{"/\r\n/evil.example", "/"},
		{"/\\evil.example", "/"},
		{"/\\/evil.example", "/"},
		{"\\\\evil.example", "/"},
		{"javascript:alert(1)", "/"},
		{"/x\x00y", "/"},
		{"/%09/evil.example", "/%09/evil.example"}, // stays a path on this host
	} {
		if got := safeNext(tc.in); got != tc.want {
			t.Errorf("safeNext(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
