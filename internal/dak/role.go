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
	// Email receives the user's notifications when SMTP is configured and
	// EmailNotifications is on (PRODUCT.md §10); the user switches it off.
	Email              string `json:"email,omitempty"`
	EmailNotifications bool   `json:"email_notifications"`
}

// RegionScope is the one decision of which proposals u may see (PRODUCT.md
// §1): a pemda user is confined to its own region_code — exactly that
// code, so a province's pemda does not see the kabupaten/kota inside it —
// and every other role sees every region (scoped is false). Sees applies
// it to one proposal, the store's list filters (their Viewer) to a query;
// nothing else decides it. The zero User is the system's own reading and
// sees every region.
func (u User) RegionScope() (code string, scoped bool) {
	if u.Role.SeesAllRegions() {
		return "", false
	}
	return u.RegionCode, true
}

// Sees reports whether u may see data of the given region. Whatever it
// refuses is answered as not found, so that existence does not leak.
func (u User) Sees(regionCode string) bool {
	code, scoped := u.RegionScope()
	return !scoped || code == regionCode
}

// ActsFor reports whether u is the pemda of the given region: the only
// user who files, edits and attaches files to that region's proposals
// (PRODUCT.md §1). Other roles see the region but never act for it.
func (u User) ActsFor(regionCode string) bool {
	code, scoped := u.RegionScope()
	return scoped && code == regionCode
}
