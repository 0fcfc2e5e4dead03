package dak

import "testing"

func TestCheckNIP(t *testing.T) {
	for _, tc := range []struct {
		nip string
		ok  bool
	}{
		{"198001012005011001", true},
		{"197102201998032001", true},
		{"", false},
		{"19800101200501100", false},   // 17 digits
		{"1980010120050110011", false}, // 19 digits
		{"19800101 200501 1 001", false},
		{"198013012005011001", false}, // month 13 of birth
		{"198001012005131001", false}, // month 13 of appointment
		{"198001011975011001", false}, // appointed before birth
		{"198001012005013001", false}, // sex 3
	} {
		if err := CheckNIP(tc.nip); (err == nil) != tc.ok {
			t.Errorf("CheckNIP(%q) = %v, want ok %v", tc.nip, err, tc.ok)
		}
	}
}

func TestPlainName(t *testing.T) {
	for in, want := range map[string]string{
		"Ir. Budi Santoso, M.T.":                    "Budi Santoso",
		"Dr. Sri Wahyuni Kusumawati, S.T.P., M.Si.": "Sri Wahyuni Kusumawati",
		"Prof. Dr. Ir. Andi Makmur, M.Eng.":         "Andi Makmur",
		"Dra. Sri Wahyuni, M.M.":                    "Sri Wahyuni",
		"H. La Ode Harun, S.Sos.":                   "H. La Ode Harun",
		"Rina Marlina":                              "Rina Marlina",
		"  Rina   Marlina , S.T.":                   "Rina Marlina",
		"":                                          "",
	} {
		if got := PlainName(in); got != want {
			t.Errorf("PlainName(%q) = %q, want %q", in, got, want)
		}
	}
}
