package dak

import "fmt"

// Role is what a user may do in dakflow (PRODUCT.md §1).
type Role string

// The roles of PRODUCT.md §1. RoleSystem is the scheduler, never a login.
const (
	RolePemda    Role = "pemda"
	RoleVerifier Role = "verifier"
	RoleApprover Role = "approver"
	RoleTreasury Role = "treasury"
	RoleAuditor  Role = "auditor"
	RoleAdmin    Role = "admin"
	RoleSystem   Role = "system"
)

// Roles lists the roles a user account may hold.
var Roles = []Role{RolePemda, RoleVerifier, RoleApprover, RoleTreasury, RoleAuditor, RoleAdmin}

// ParseRole accepts one of Roles.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", fmt.Errorf("peran %q tidak dikenal (pemda, verifier, approver, treasury, auditor, admin)", s)
}

// Label is the Indonesian name of the role, for pages and documents.
func (r Role) Label() string {
	switch r {
	case RolePemda:
		return "Pemerintah Daerah"
	case RoleVerifier:
		return "Verifikator Ditjen IKMA"
	case RoleApprover:
		return "Pejabat Penetap Ditjen IKMA"
	case RoleTreasury:
		return "Petugas Penyaluran"
	case RoleAuditor:
		return "Auditor"
	case RoleAdmin:
		return "Administrator"
	case RoleSystem:
		return "Sistem"
	}
	return string(r)
}

// SeesAllRegions reports whether the role reads every region's proposals;
// pemda users see only their own region (PRODUCT.md §1).
func (r Role) SeesAllRegions() bool { return r != RolePemda }

// User is an account, as the domain sees it (no password material).
type User struct {
	ID         int64  `json:"id"`
	Username   string `json:"username"`
	FullName   string `json:"full_name"`
	NIP        string `json:"nip,omitempty"`
	Position   string `json:"position,omitempty"`
	Role       Role   `json:"role"`
	RegionCode string `json:"region_code,omitempty"`
	Disabled   bool   `json:"disabled"`
}

// CanSee reports whether the user may see data of the given region.
func (u User) CanSee(regionCode string) bool {
	return u.Role.SeesAllRegions() || u.RegionCode == regionCode
}
