package main

import "testing"

func TestCleanName(t *testing.T) {
	tests := []struct{ code, in, want string }{
		{"18", "Lampung", "Lampung"},
		{"31", "Daerah Khusus Ibukota Jakarta", "DKI Jakarta"},
		{"34", "Daerah Istimewa Yogyakarta", "DI Yogyakarta"},
		{"73.10", "Kabupaten Pangkajene dan Kepulauan", "Kabupaten Pangkajene dan Kepulauan"},
		{"11.17.07", "Timang gajah", "Timang Gajah"},
		{"33.07.11.2002", "candirejo", "Candirejo"},
		{"72.07.07.2015", "Leme-leme bungin", "Leme-Leme Bungin"},
		{"12.01.03.1011", "Aek Sitio-tio", "Aek Sitio-tio"},               // partial reduplication kept
		{"16.71.01.1001", "Tiga-puluh-lima Ilir", "Tiga-puluh-lima Ilir"}, // not a reduplication
		{"82.01.09.2009", "Hoku- hoku Gam", "Hoku-Hoku Gam"},
		{"35.25.05.2023", "Ambeng - ambeng Watangrejo", "Ambeng-Ambeng Watangrejo"},
		{"12.23.06", "Na IX - X", "Na IX-X"},
		{"35.29.22", `Ra"as`, "Ra'as"},
		{"53.07.01.2021", "Regapu’u", "Regapu'u"},
		{"73.09.10.2006", "Baji pa'mai", "Baji Pa'mai"},
		{"91.20.07.2005", "Teuw*", "Teuw"},
		{"82.03.11.2008", "Mahia (wosia Tengah)", "Mahia (Wosia Tengah)"},
		{"52.04.13.2008", "UPT. Prode SP.I", "UPT. Prode SP.I"},
		{"13.05.04", "2 x 11 Anam Lingkuang", "2 X 11 Anam Lingkuang"},
		{"53.02.10", "KI'E", "Ki'e"},
		{"53.02.20", "Kot olin", "Kot'olin"},
	}
	for _, tt := range tests {
		if got := cleanName(tt.code, tt.in); got != tt.want {
			t.Errorf("cleanName(%q, %q) = %q, want %q", tt.code, tt.in, got, tt.want)
		}
	}
}

func TestWellFormed(t *testing.T) {
	tests := map[string]bool{
		"11": true, "11.01": true, "11.71.01": true, "11.01.01.2001": true,
		"": false, "1": false, "11.70": false, "11.00": false, "11.01.00": false,
		"11.01.01.0000": false, "11.01.01.200": false, "1a": false, "11-01": false,
	}
	for code, want := range tests {
		if got := wellFormed(code); got != want {
			t.Errorf("wellFormed(%q) = %v, want %v", code, got, want)
		}
	}
}
