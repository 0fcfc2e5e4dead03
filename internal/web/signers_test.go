package web_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"dakflow/internal/dak"
	"dakflow/internal/document"
	"dakflow/internal/store"
	"dakflow/internal/web/apitest"
	"dakflow/templates"
)

// docText is the flattened text of a document listed on the proposal.
func docText(t *testing.T, e *apitest.Env, id int64, kind string) string {
	return strings.Join(strings.Fields(apitest.DocumentText(t, e.Auditor, id, kind)), " ")
}

// TestSignersOverHTTP: the documents of a real trail are signed as
// templates/documents/signers.yaml says — the proposal's receipt by the
// receiving Ministry unit, not the pemda that sent it; a rejection to a Wali
// Kota by the Sekretaris a.n. the Direktur Jenderal, naming the verifier
// and her NIP in its body but never signed by her; the verifier's own
// berita acara by her; the completion report by the pemda's official
// under the pemda's heading; an allocation by a Direktur a.n. the Direktur
// Jenderal.
func TestSignersOverHTTP(t *testing.T) {
	signers, err := document.LoadSigners(templates.FS)
	if err != nil {
		t.Fatal(err)
	}
	official := func(level document.Level, kind string) document.Person {
		p, ok := signers.Official(signers.Rule(kind, level))
		if !ok {
			t.Fatalf("%s at %s is not signed by an official", kind, level)
		}
		return p
	}
	e := apitest.NewEnv(t)
	id := e.Create(t, "pembangunan", false) // Kota Bandar Lampung
	e.WalkTo(t, id, false, "in_review")
	e.Verifier.MustFire(id, "reject", "Sentra belum memenuhi syarat sentra yang hidup.", nil)

	signedBy := "Ditandatangani secara elektronik oleh "
	receipt := docText(t, e, id, "tanda_terima_usulan")
	unit := official(document.LevelRegency, "tanda_terima_usulan")
	if !strings.Contains(receipt, unit.Position) || !strings.Contains(receipt, signedBy+unit.Name+" NIP "+unit.NIP) {
		t.Errorf("receipt not signed by the receiving unit %s:\n%s", unit.Name, receipt)
	}
	if strings.Contains(receipt, signedBy+"Pengguna pemda") {
		t.Errorf("receipt signed by the pemda that sent it")
	}

	letter := docText(t, e, id, "surat_penolakan")
	sec, head := official(document.LevelRegency, "surat_penolakan"), signers.Head()
	for _, want := range []string{
		"Yth. Wali Kota Bandar Lampung",
		"a.n. " + head.Position + " " + sec.Position,
		signedBy + sec.Name + " NIP " + sec.NIP,
		"Aneka, Pengguna verifikator, NIP " + apitest.NIP,
		head.Position + " (sebagai laporan)", "Gubernur Lampung", "Inspektur Jenderal Kementerian Perindustrian",
	} {
		if !strings.Contains(letter, want) {
			t.Errorf("surat_penolakan lacks %q:\n%s", want, letter)
		}
	}
	if strings.Contains(letter, signedBy+"Pengguna verifikator") {
		t.Errorf("a verifier signs a letter to a head of region:\n%s", letter)
	}

	// The completion report is the pemda's own: its heading, its official.
	done := e.Create(t, "pembangunan", false)
	e.WalkTo(t, done, false, "completed")
	report := docText(t, e, done, "laporan_penyelesaian")
	for _, want := range []string{"PEMERINTAH KOTA BANDAR LAMPUNG DINAS PERINDUSTRIAN KOTA BANDAR LAMPUNG",
		"Kepala Dinas Perindustrian Kota Bandar Lampung " + signedBy + "Pengguna pemda NIP " + apitest.NIP} {
		if !strings.Contains(report, want) {
			t.Errorf("laporan_penyelesaian lacks %q:\n%s", want, report)
		}
	}
	if strings.Contains(report, "KEMENTERIAN PERINDUSTRIAN") {
		t.Errorf("the pemda's report carries the Ministry's kop")
	}
	if ba := docText(t, e, done, "berita_acara_penilaian"); !strings.Contains(ba, apitest.VerifierPosition+" "+signedBy+"Pengguna verifikator NIP "+apitest.NIP) {
		t.Errorf("berita_acara_penilaian not signed by the verifier:\n%s", ba)
	}
	// The allocation by a Direktur is signed a.n. the Direktur Jenderal.
	if alloc := docText(t, e, done, "surat_penetapan_alokasi"); !strings.Contains(alloc,
		"a.n. "+head.Position+" Direktur Industri Kecil dan Menengah Kimia, Sandang, dan Kerajinan "+signedBy+"Pengguna penetap NIP") {
		t.Errorf("allocation letter not signed a.n. the Direktur Jenderal:\n%s", alloc)
	}
}

// TestSignerWithoutNIP: an event whose document its actor signs is refused
// with a 422 naming actor.nip and actor.position when the account lacks
// them (an account made before the rule, straight in the store), and
// nothing moves; an event whose document a configured official signs is
// not.
func TestSignerWithoutNIP(t *testing.T) {
	e := apitest.NewEnv(t)
	_, err := e.Store.CreateUser(context.Background(), store.NewUser{User: dak.User{Username: "verifikator-lama",
		FullName: "Verifikator Lama", Role: dak.RoleVerifier}, Password: apitest.Password})
	if err != nil {
		t.Fatal(err)
	}
	old := apitest.Login(t, e.URL, "verifikator-lama", apitest.Password)
	id := e.Create(t, "pembangunan", false)
	e.WalkTo(t, id, false, "submitted")
	old.MustFire(id, "start_review", "", nil) // issues no document
	r := old.Fire(id, "request_revision", "", map[string]any{"notes": []map[string]any{{"field": "title", "note": "Perjelas judul."}}}, nil)
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("request_revision by a verifier without NIP = %d %s, want 422", r.Status, r.Body)
	}
	if got := r.Fields(); !slices.Equal(got, []string{"actor.nip", "actor.position"}) {
		t.Errorf("fields = %v, want actor.nip and actor.position", got)
	}
	if st := e.Get(t, id)["state"]; st != "in_review" {
		t.Errorf("state after the refusal = %v, want in_review", st)
	}
	// The rejection is signed by a configured official: the verifier's
	// missing NIP does not stop it.
	if r := old.Fire(id, "reject", "Lokasi tidak sesuai tata ruang.", nil, nil); r.Status != http.StatusOK {
		t.Errorf("reject by a verifier without NIP = %d %s, want 200", r.Status, r.Body)
	}
}
