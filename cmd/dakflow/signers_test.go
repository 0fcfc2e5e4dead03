package main

import (
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dakflow/internal/dak"
	"dakflow/internal/store/dbtest"
	"dakflow/templates"
)

// TestServeRefusesBadSigners: `serve --signers-file` (DAKFLOW_SIGNERS_FILE)
// stops at start-up on a signer file that is wrong, listing every problem.
func TestServeRefusesBadSigners(t *testing.T) {
	orig, err := fs.ReadFile(templates.FS, "documents/signers.yaml")
	if err != nil {
		t.Fatal(err)
	}
	edit := func(pairs ...string) string {
		s := string(orig)
		for i := 0; i < len(pairs); i += 2 {
			if !strings.Contains(s, pairs[i]) {
				t.Fatalf("signers.yaml has no %q", pairs[i])
			}
			s = strings.Replace(s, pairs[i], pairs[i+1], 1)
		}
		return s
	}
	dbURL := dbtest.URL(t)
	for _, tc := range []struct {
		name string
		file string
		want []string // every problem listed
	}{
		{"missing NIP and uncovered kind", edit(
			`    nip: "196905141995031002"`+"\n", "",
			"  surat_penolakan: {provinsi: dirjen, kabupaten_kota: sesditjen}\n", ""),
			[]string{"officials.dirjen.nip: missing", "signers.surat_penolakan: missing"}},
		{"titles, short NIP, unknown official and level", edit(
			"    name: Sri Wahyuni\n", "    name: Dra. Sri Wahyuni, M.M.\n",
			`nip: "197806122002121003"`, `nip: "19780612200212100"`,
			"berita_acara_hangus: {provinsi: sesditjen,", "berita_acara_hangus: {provinsi: kadis, kota: dirjen,"),
			[]string{"officials.sesditjen.name", "officials.kabag_program.nip", "signers.berita_acara_hangus.provinsi: \"kadis\"",
				"signers.berita_acara_hangus.kota: unknown level"}},
		{"actor who cannot sign", edit(
			"surat_penolakan: {provinsi: dirjen,", "surat_penolakan: {provinsi: actor,",
			"berita_acara_hangus: {provinsi: sesditjen, kabupaten_kota: sesditjen}", "berita_acara_hangus: {provinsi: actor, kabupaten_kota: sesditjen}",
			"tanda_terima_usulan: {provinsi: kabag_program,", "tanda_terima_usulan: {provinsi: actor,",
			"laporan_penyelesaian: {provinsi: actor, kabupaten_kota: actor}", "laporan_penyelesaian: {provinsi: actor, kabupaten_kota: sesditjen}"),
			[]string{"signers.surat_penolakan.provinsi", "letter to the head of region signed by verifier",
				"signers.berita_acara_hangus.provinsi", "fired by system, who cannot sign",
				"signers.tanda_terima_usulan.provinsi", "the receiving Ministry unit signs it",
				"signers.laporan_penyelesaian.kabupaten_kota", "the pemda's own document"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "signers.yaml")
			if err := os.WriteFile(path, []byte(tc.file), 0o600); err != nil {
				t.Fatal(err)
			}
			err := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--database-url", dbURL,
				"--signers-file", path}, nil, io.Discard, io.Discard, nil)
			if err == nil {
				t.Fatal("serve started with a bad signer file")
			}
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error lacks %q:\n%v", want, err)
				}
			}
		})
	}
}

// TestDemoSigners: every demo account of a role that signs has a name, a
// position and a valid NIP, as `user add` would demand.
func TestDemoSigners(t *testing.T) {
	for _, u := range demoUsers {
		if !u.Role.Signs() {
			continue
		}
		if err := dak.CheckNIP(u.NIP); err != nil || u.Position == "" || u.FullName == "" {
			t.Errorf("demo user %s: NIP %q (%v), position %q, name %q", u.Username, u.NIP, err, u.Position, u.FullName)
		}
	}
}
