package document

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"time"

	"dakflow/internal/dak"
	"dakflow/templates"
)

// sampleSigner is who the embedded signer configuration says signs the
// sample of kind: the configured official, or the sample's actor (name
// without academic titles).
func sampleSigner(tb testing.TB, kind string, in Input) Person {
	tb.Helper()
	s := testRenderer(tb).Signers()
	who := s.Rule(kind, LevelOf(in.Proposal))
	if who == SignerActor {
		return Person{Name: dak.PlainName(in.Actor.Name), NIP: in.Actor.NIP, Position: in.Actor.Position}
	}
	p, ok := s.Official(who)
	if !ok {
		tb.Fatalf("%s: signer %q is not configured", kind, who)
	}
	return p
}

// provincial turns a sample into the same proposal filed by the province of
// Lampung, addressed to its Gubernur.
func provincial(in Input) Input {
	in.Proposal.RegionCode, in.Proposal.RegionName, in.Proposal.IsProvince = "18", "Provinsi Lampung", true
	return in
}

// signedOfficials are the officials of templates/documents/signers.yaml.
var (
	dirjen    = Person{Name: "Budi Santoso", NIP: "196905141995031002", Position: "Direktur Jenderal Industri Kecil, Menengah, dan Aneka"}
	sesditjen = Person{Name: "Sri Wahyuni", NIP: "197102201998032001", Position: "Sekretaris Direktorat Jenderal Industri Kecil, Menengah, dan Aneka"}
	kabag     = Person{Name: "Andi Firmansyah", NIP: "197806122002121003",
		Position: "Kepala Bagian Program, Evaluasi, dan Pelaporan, Sekretariat Direktorat Jenderal Industri Kecil, Menengah, dan Aneka"}
	actorSigns = Person{Name: "actor"}
)

// TestSigners checks who signs every kind at both levels, as the embedded
// signers.yaml configures it and DOCUMENTS.md ("Who signs") demands, on the
// rendered PDF's text: receipts and the withdrawal record by the receiving
// Ministry unit; the verifier's own records by her, never a letter to a
// head of region; a rejection by the Direktur Jenderal to a Gubernur and by
// the Sekretaris a.n. the Direktur Jenderal to a Bupati or Wali Kota; the
// approver's letters by the approver, a.n. the Direktur Jenderal when she
// is a Direktur; the treasury officer's and the pemda's records by them;
// the scheduler's lapse record by the accountable official. Signature
// names carry no academic titles.
func TestSigners(t *testing.T) {
	tests := []struct {
		kind           string
		province, kota Person // whom the signer configuration names; actorSigns: the event's actor
		onBehalf       bool   // signs a.n. the Direktur Jenderal (a Ministry letter, the signer not the head)
	}{
		{"tanda_terima_usulan", kabag, kabag, false},
		{"surat_penarikan", kabag, kabag, false},
		{"catatan_penilaian", actorSigns, actorSigns, false},
		{"berita_acara_penilaian", actorSigns, actorSigns, false},
		{"surat_penolakan", dirjen, sesditjen, false},
		{"surat_penetapan_alokasi", actorSigns, actorSigns, true},
		{"surat_tidak_dialokasikan", actorSigns, actorSigns, true},
		{"tanda_terima_rk", kabag, kabag, false},
		{"catatan_rk", actorSigns, actorSigns, false},
		{"surat_persetujuan_rk", actorSigns, actorSigns, true},
		{"tanda_terima_permohonan_salur", kabag, kabag, false},
		{"catatan_permohonan_salur", actorSigns, actorSigns, false},
		{"rekomendasi_penyaluran", actorSigns, actorSigns, true},
		{"berita_acara_penyaluran", actorSigns, actorSigns, false},
		{"laporan_penyelesaian", actorSigns, actorSigns, false},
		{"surat_perpanjangan_batas_waktu", actorSigns, actorSigns, true},
		{"berita_acara_hangus", sesditjen, sesditjen, false},
	}
	if len(tests) != len(Kinds()) {
		t.Fatalf("the table covers %d kinds, want all %d", len(tests), len(Kinds()))
	}
	r := testRenderer(t)
	for _, tc := range tests {
		for _, level := range Levels {
			t.Run(tc.kind+"/"+string(level), func(t *testing.T) {
				in := sampleInput(t, tc.kind)
				want := tc.kota
				if level == LevelProvince {
					in, want = provincial(in), tc.province
				}
				onBehalf := tc.onBehalf
				if want == actorSigns {
					want = Person{Name: dak.PlainName(in.Actor.Name), NIP: in.Actor.NIP, Position: in.Actor.Position}
				} else if want == sesditjen && r.kinds[tc.kind].letter {
					onBehalf = true
				}
				text := flat(pdfText(t, render(t, in)))
				block := want.Position + " Ditandatangani secara elektronik oleh " + want.Name + " NIP " + want.NIP
				if onBehalf {
					block = "a.n. " + dirjen.Position + " " + block
				}
				if !strings.Contains(text, block) {
					t.Errorf("signature block %q not found:\n%s", block, text)
				}
				if !onBehalf && strings.Contains(text, "a.n. ") {
					t.Errorf("signed a.n. though the signer signs in her own capacity:\n%s", text)
				}
				if r.kinds[tc.kind].letter && strings.Contains(text, "oleh "+dak.PlainName(sampleVerifier.Name)) {
					t.Errorf("a verifier signs a letter to the head of region")
				}
			})
		}
	}
}

// TestSignerHeadNoOnBehalf: an approver whose position is the head's signs
// her letters in her own name, without "a.n.".
func TestSignerHeadNoOnBehalf(t *testing.T) {
	in := sampleInput(t, "surat_penetapan_alokasi")
	in.Actor = Person{Name: "Ir. Budi Santoso, M.T.", NIP: dirjen.NIP, Position: dirjen.Position, Role: "approver"}
	text := flat(pdfText(t, render(t, in)))
	if want := dirjen.Position + " Ditandatangani secara elektronik oleh Budi Santoso NIP " + dirjen.NIP; !strings.Contains(text, want) {
		t.Errorf("text lacks %q:\n%s", want, text)
	}
	for _, bad := range []string{"a.n. ", "(sebagai laporan)"} {
		if strings.Contains(text, bad) {
			t.Errorf("the head's own letter contains %q", bad)
		}
	}
}

// TestCompletionReportIsThePemdas: the completion report is printed under the
// pemda's heading, not the Ministry's kop, its PDF author and issuer are the
// pemda, and it is signed by the pemda's official.
func TestCompletionReportIsThePemdas(t *testing.T) {
	r := testRenderer(t)
	for _, s := range samples {
		in, err := s.input("laporan_penyelesaian")
		if err != nil {
			t.Fatal(err)
		}
		text := flat(pdfText(t, render(t, in)))
		region := strings.ToUpper(in.Proposal.RegionName)
		for _, want := range []string{"PEMERINTAH " + region, "DINAS ",
			"Ditandatangani secara elektronik oleh " + dak.PlainName(in.Actor.Name) + " NIP " + in.Actor.NIP} {
			if !strings.Contains(text, want) {
				t.Errorf("%s: text lacks %q", in.Proposal.RegionName, want)
			}
		}
		for _, bad := range []string{"KEMENTERIAN PERINDUSTRIAN", "DIREKTORAT JENDERAL", "Gatot Subroto"} {
			if strings.Contains(text, bad) {
				t.Errorf("%s: the pemda's report carries the Ministry's kop (%q)", in.Proposal.RegionName, bad)
			}
		}
		if got, err := r.Issuer("laporan_penyelesaian", in); err != nil || got != "Pemerintah "+in.Proposal.RegionName {
			t.Errorf("Issuer = %q, %v; want Pemerintah %s", got, err, in.Proposal.RegionName)
		}
	}
	if got, _ := r.Issuer("tanda_terima_usulan", sampleInput(t, "tanda_terima_usulan")); got != DefaultLetterhead().Unit {
		t.Errorf("Issuer of a receipt = %q, want the Directorate General", got)
	}
}

// TestActorWithoutNIP: a document its actor signs is refused (dak.ErrRule,
// naming actor.nip) when the actor has no valid NIP; one a configured
// official signs is not.
func TestActorWithoutNIP(t *testing.T) {
	r := testRenderer(t)
	for _, tc := range []struct {
		kind string
		nip  string
		ok   bool
	}{
		{"berita_acara_penilaian", "", false},
		{"surat_penetapan_alokasi", "19690817199503100", false},
		{"laporan_penyelesaian", "197305121998039004", false}, // sex digit 9
		{"tanda_terima_usulan", "", true},
		{"surat_penolakan", "", true},
	} {
		in := sampleInput(t, tc.kind)
		in.Actor.NIP = tc.nip
		_, err := r.Render(in)
		var de *dak.Error
		switch {
		case tc.ok && err != nil:
			t.Errorf("%s with NIP %q: %v, want it rendered", tc.kind, tc.nip, err)
		case !tc.ok && (!errors.Is(err, dak.ErrRule) || !errors.As(err, &de) || len(de.Fields) != 1 || de.Fields[0].Field != "actor.nip"):
			t.Errorf("%s with NIP %q: %v, want ErrRule naming actor.nip", tc.kind, tc.nip, err)
		}
	}
}

// TestWithdrawalRecord: the withdrawal is a Ministry record stating the
// proposal's submission, or that it was never submitted — never "tanggal -".
func TestWithdrawalRecord(t *testing.T) {
	in := sampleInput(t, "surat_penarikan")
	draft := in
	draft.Proposal.SubmittedAt, draft.Proposal.Revision = time.Time{}, 0
	for _, tc := range []struct {
		name string
		in   Input
		want string
	}{
		{"submitted", in, "Diajukan pada 2 April 2026 pukul 10.30 WIB sebagai revisi ke-2"},
		{"draft", draft, "Usulan belum pernah diajukan (ditarik dalam status draf)"},
	} {
		text := flat(pdfText(t, render(t, tc.in)))
		if !strings.Contains(text, tc.want) {
			t.Errorf("%s: text lacks %q:\n%s", tc.name, tc.want, text)
		}
		for _, bad := range []string{"tanggal -", "Yth.", "Lampiran"} {
			if strings.Contains(text, bad) {
				t.Errorf("%s: the withdrawal record contains %q", tc.name, bad)
			}
		}
	}
}

// signersFile is the embedded signers.yaml with each pair of pairs
// replaced (old, new).
func signersFile(tb testing.TB, pairs ...string) []byte {
	tb.Helper()
	src, err := fs.ReadFile(templates.FS, "documents/"+SignersFile)
	if err != nil {
		tb.Fatal(err)
	}
	s := string(src)
	for i := 0; i < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			tb.Fatalf("signers.yaml has no %q", pairs[i])
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return []byte(s)
}

// TestParseSigners: a bad signer file is refused with every problem listed.
func TestParseSigners(t *testing.T) {
	if _, err := ParseSigners("signers.yaml", signersFile(t)); err != nil {
		t.Fatalf("the embedded signers.yaml: %v", err)
	}
	tests := []struct {
		name  string
		pairs []string
		want  []string
	}{
		{"missing NIP", []string{`    nip: "196905141995031002"` + "\n", ""}, []string{"officials.dirjen.nip: missing"}},
		{"NIP of 17 digits and a bad date", []string{`"196905141995031002"`, `"19690514199503100"`, `"197102201998032001"`, `"197113201998032001"`},
			[]string{"officials.dirjen.nip", "18 angka", "officials.sesditjen.nip", "tanggal lahir"}},
		{"academic titles", []string{"name: Budi Santoso", "name: Ir. Budi Santoso, M.T."}, []string{"officials.dirjen.name", `"Budi Santoso"`}},
		{"no position", []string{"    position: Direktur Jenderal Industri Kecil, Menengah, dan Aneka\n", ""}, []string{"officials.dirjen.position: missing"}},
		{"uncovered kind and level", []string{"  catatan_rk: {provinsi: actor, kabupaten_kota: actor}\n", "",
			"tanda_terima_rk: {provinsi: kabag_program, kabupaten_kota: kabag_program}", "tanda_terima_rk: {provinsi: kabag_program}"},
			[]string{"signers.catatan_rk: missing", "signers.tanda_terima_rk.kabupaten_kota: missing"}},
		{"unknown official, kind and head", []string{"head: dirjen", "head: menteri",
			"berita_acara_hangus: {provinsi: sesditjen", "berita_acara_hangus: {provinsi: direktur",
			"signers:\n", "signers:\n  surat_lain: {provinsi: actor, kabupaten_kota: actor}\n"},
			[]string{`head: "menteri"`, `signers.berita_acara_hangus.provinsi: "direktur"`, "signers.surat_lain: unknown document kind"}},
		{"not YAML of the shape", []string{"head: dirjen", "head: dirjen\nkepala: dirjen"}, []string{"field kepala not found"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSigners("signers.yaml", signersFile(t, tc.pairs...))
			var se *SignersError
			if !errors.As(err, &se) || !errors.Is(err, dak.ErrInvalid) {
				t.Fatalf("ParseSigners = %v, want a *SignersError", err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

// firedBy is who fires the events issuing each kind in the workflow file
// (workflow.FiredBy computes it from the definitions; the workflow and cmd
// tests check the real one).
var firedBy = map[string][]string{
	"tanda_terima_usulan": {"pemda"}, "surat_penarikan": {"pemda"}, "catatan_penilaian": {"verifier"},
	"berita_acara_penilaian": {"verifier"}, "surat_penolakan": {"verifier"}, "surat_penetapan_alokasi": {"approver"},
	"surat_tidak_dialokasikan": {"approver"}, "tanda_terima_rk": {"pemda"}, "catatan_rk": {"verifier"},
	"surat_persetujuan_rk": {"approver"}, "tanda_terima_permohonan_salur": {"pemda"}, "catatan_permohonan_salur": {"approver"},
	"rekomendasi_penyaluran": {"approver"}, "berita_acara_penyaluran": {"treasury"}, "laporan_penyelesaian": {"pemda"},
	"surat_perpanjangan_batas_waktu": {"approver"}, "berita_acara_hangus": {"system"},
}

// TestCheckSigners: `actor` only where the person who fires the event may
// sign; the pemda's own report only by the pemda.
func TestCheckSigners(t *testing.T) {
	if err := testRenderer(t).CheckSigners(firedBy); err != nil {
		t.Fatalf("CheckSigners(embedded) = %v", err)
	}
	tests := []struct {
		name  string
		pairs []string
		want  []string
	}{
		{"verifier signs a rejection", []string{"surat_penolakan: {provinsi: dirjen, kabupaten_kota: sesditjen}",
			"surat_penolakan: {provinsi: dirjen, kabupaten_kota: actor}"},
			[]string{"signers.surat_penolakan.kabupaten_kota", "signed by verifier"}},
		{"the scheduler signs", []string{"berita_acara_hangus: {provinsi: sesditjen,", "berita_acara_hangus: {provinsi: actor,"},
			[]string{"signers.berita_acara_hangus.provinsi", "fired by system, who cannot sign"}},
		{"the sender signs its receipt", []string{"tanda_terima_rk: {provinsi: kabag_program,", "tanda_terima_rk: {provinsi: actor,"},
			[]string{"signers.tanda_terima_rk.provinsi", "the receiving Ministry unit signs it"}},
		{"a Ministry official signs the pemda's report", []string{"laporan_penyelesaian: {provinsi: actor,", "laporan_penyelesaian: {provinsi: dirjen,"},
			[]string{"signers.laporan_penyelesaian.provinsi", "the pemda's own document"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseSigners("signers.yaml", signersFile(t, tc.pairs...))
			if err != nil {
				t.Fatal(err)
			}
			r, err := NewRenderer(templates.FS, Options{Signers: s, SignersFile: "test.yaml"})
			if err != nil {
				t.Fatal(err)
			}
			err = r.CheckSigners(firedBy)
			if err == nil {
				t.Fatal("CheckSigners accepted it")
			}
			for _, w := range append(tc.want, "test.yaml") {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}
