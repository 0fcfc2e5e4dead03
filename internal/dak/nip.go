package dak

import (
	"errors"
	"strings"
	"time"
)

// CheckNIP reports whether s is a Nomor Induk Pegawai as the civil service
// issues it (PP 11/2017 and its predecessors; BKN): 18 digits — the date of
// birth YYYYMMDD, the month of appointment (TMT CPNS) YYYYMM, the sex (1 man,
// 2 woman) and a sequence of three digits, e.g. 198001012005011001. Every
// official who signs a dakflow document has one (DOCUMENTS.md, "Who signs").
func CheckNIP(s string) error {
	if len(s) != 18 || strings.Trim(s, "0123456789") != "" {
		return errors.New("NIP harus 18 angka (tanggal lahir, TMT, jenis kelamin, nomor urut)")
	}
	if _, err := time.Parse("20060102", s[:8]); err != nil {
		return errors.New("8 angka pertama NIP harus tanggal lahir yang benar (YYYYMMDD)")
	}
	if _, err := time.Parse("200601", s[8:14]); err != nil || s[8:12] < s[:4] {
		return errors.New("angka ke-9 sampai ke-14 NIP harus bulan pengangkatan (YYYYMM) sesudah tahun lahir")
	}
	if s[14] != '1' && s[14] != '2' {
		return errors.New("angka ke-15 NIP harus 1 (laki-laki) atau 2 (perempuan)")
	}
	return nil
}

// academicPrefixes are the academic and professional titles written before
// a name ("Dr.", "Ir.", "Drs."); religious titles such as "H." are part of
// the name and stay.
var academicPrefixes = map[string]bool{
	"Prof.": true, "Dr.": true, "Drs.": true, "Dra.": true, "Ir.": true,
	"dr.": true, "drg.": true, "drh.": true, "apt.": true, "Ns.": true,
}

// PlainName is a person's name without academic titles, as the signature
// line of a naskah dinas prints it (DOCUMENTS.md, "Who signs"): the titles
// before the name ("Dr.", "Ir.") and the degrees after its first comma
// ("S.T., M.Sc.") go. "Ir. Budi Santoso, M.T." → "Budi Santoso".
func PlainName(name string) string {
	name, _, _ = strings.Cut(name, ",")
	fields := strings.Fields(name)
	for len(fields) > 1 && academicPrefixes[fields[0]] {
		fields = fields[1:]
	}
	return strings.Join(fields, " ")
}

// Signs reports whether users of the role sign the documents of the events
// they fire, so that their accounts need a name, a position and a NIP:
// pemda, verifier, approver and treasury (DOCUMENTS.md, "Who signs").
// Auditors and administrators fire no event; the scheduler never signs.
func (r Role) Signs() bool {
	return r == RolePemda || r == RoleVerifier || r == RoleApprover || r == RoleTreasury
}
