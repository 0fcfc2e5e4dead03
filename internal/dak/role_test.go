package dak_test

import (
	"testing"

	"dakflow/internal/dak"
)

// TestRegionScope: a pemda sees and acts for exactly its own region (a
// province's pemda not the kabupaten/kota inside it, a kabupaten's not its
// province); every other role, and the system, sees every region and acts
// for none.
func TestRegionScope(t *testing.T) {
	kota := dak.User{Role: dak.RolePemda, RegionCode: "18.71"}
	provinsi := dak.User{Role: dak.RolePemda, RegionCode: "18"}
	cases := []struct {
		name          string
		user          dak.User
		region        string
		sees, actsFor bool
	}{
		{"pemda, own region", kota, "18.71", true, true},
		{"pemda, another region", kota, "73.71", false, false},
		{"pemda, its province", kota, "18", false, false},
		{"province pemda, own province", provinsi, "18", true, true},
		{"province pemda, a kota inside it", provinsi, "18.71", false, false},
		{"pemda without a region", dak.User{Role: dak.RolePemda}, "18.71", false, false},
		{"verifier", dak.User{Role: dak.RoleVerifier}, "18.71", true, false},
		{"approver", dak.User{Role: dak.RoleApprover}, "73.71", true, false},
		{"treasury", dak.User{Role: dak.RoleTreasury}, "18", true, false},
		{"auditor", dak.User{Role: dak.RoleAuditor}, "94.06", true, false},
		{"admin", dak.User{Role: dak.RoleAdmin}, "18.71", true, false},
		{"system", dak.User{Role: dak.RoleSystem}, "18.71", true, false},
		{"zero user", dak.User{}, "18.71", true, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.user.Sees(tc.region); got != tc.sees {
				t.Errorf("%+v.Sees(%q) = %v, want %v", tc.user, tc.region, got, tc.sees)
			}
			if got := tc.user.ActsFor(tc.region); got != tc.actsFor {
				t.Errorf("%+v.ActsFor(%q) = %v, want %v", tc.user, tc.region, got, tc.actsFor)
			}
			code, scoped := tc.user.RegionScope()
			if scoped != (tc.user.Role == dak.RolePemda) || (scoped && code != tc.user.RegionCode) {
				t.Errorf("%+v.RegionScope() = %q, %v; want the pemda's own code only", tc.user, code, scoped)
			}
		})
	}
}
