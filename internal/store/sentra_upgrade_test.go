package store_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/crypto/bcrypt"

	"dakflow/internal/dak"
	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
	"dakflow/migrations"
)

// TestSentraUpgrade: a database from before the registry (migration 0010),
// whose sentra rows were registered by proposals, keeps every proposal and
// every sentra after `migrate up` (issue 11: "existing proposals migrate
// onto sentra records without loss"): each record takes its fields from
// the latest proposal that names it, its status date is its registration's
// day in WIB, its history starts with the status it has, and the
// registry's methods work on it.
func TestSentraUpgrade(t *testing.T) {
	url := dbtest.URL(t)
	st, err := store.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { // the store open at the end
		if st != nil {
			st.Close()
		}
	}()
	st.SetPasswordCost(bcrypt.MinCost)
	ctx := context.Background()
	if _, err := st.Migrate(ctx, migrationsUpTo(t, "0010_zzz")); err != nil {
		t.Fatal(err)
	}
	u := schemaUser(t, st, dak.User{Username: "pemda", FullName: "Pengguna Pemda", Role: dak.RolePemda, RegionCode: "18.71"})
	// 21 November 2026, 20.00 UTC: already 22 November in Jakarta.
	registered := time.Date(2026, 11, 21, 20, 0, 0, 0, time.UTC)
	for id, s := range map[int]struct{ village, name, status string }{
		1: {"18.71.01.1003", "Sentra Tenun Tapis", "aktif"},
		2: {"18.71.02.1003", "Sentra Kopi", "usulan"}, // no proposal names it any more
	} {
		if err := st.Exec(ctx, `INSERT INTO sentra (id, region_code, village_code, name, commodity, status, created_at)
			VALUES (?, '18.71', ?, ?, 'Tenun tapis', ?, ?)`, id, s.village, s.name, s.status, registered); err != nil {
			t.Fatal(err)
		}
	}
	lat, lon := -5.41, 105.26
	contents := []dak.SentraInput{
		{Name: "Sentra Tenun Tapis", VillageCode: "18.71.01.1003", Address: "Alamat lama", IKMUnits: 9},
		{Name: "Sentra Tenun Tapis", VillageCode: "18.71.01.1003", Address: "Jalan Way Halim No. 5", Latitude: &lat,
			Longitude: &lon, IKMUnits: 15, Workers: 60, DecreeNumber: "500/123/IV.40/2019", DecreeDate: "2019-03-01"},
	}
	var proposals []int64
	for i, sentra := range contents {
		p := dak.Proposal{FiscalYear: 2025 + 2*i, Menu: dak.MenuRevitalisasi, Title: "Revitalisasi Sentra Tenun Tapis",
			RegionCode: "18.71", State: "draft", Workflow: "dak-fisik-ikm", WorkflowVersion: 1, CreatedBy: u.ID}
		if err := st.CreateProposal(ctx, &p); err != nil {
			t.Fatal(err)
		}
		in := dak.ProposalInput{FiscalYear: p.FiscalYear, Menu: p.Menu, Title: p.Title, Sentra: sentra}
		content, _ := json.Marshal(in)
		if err := st.Exec(ctx, `UPDATE proposals SET sentra_id = 1, content = ? WHERE id = ?`, string(content), p.ID); err != nil {
			t.Fatal(err)
		}
		proposals = append(proposals, p.ID)
	}

	if _, err := st.Migrate(ctx, migrations.FS); err != nil {
		t.Fatalf("migrate up: %v", err)
	}
	// The new version starts on the upgraded database, as `migrate up`
	// then `serve` do: connections that read the old tables are gone.
	st.Close()
	if st, err = store.Open(url); err != nil {
		t.Fatal(err)
	}
	verifier := dak.User{Role: dak.RoleVerifier}
	got, err := st.Sentra(ctx, verifier, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := dak.Sentra{ID: 1, Name: "Sentra Tenun Tapis", Commodity: "Tenun tapis", RegionCode: "18.71", VillageCode: "18.71.01.1003",
		Address: "Jalan Way Halim No. 5", Latitude: &lat, Longitude: &lon, IKMUnits: 15, Workers: 60,
		DecreeNumber: "500/123/IV.40/2019", DecreeDate: "2019-03-01", Status: dak.SentraAktif, StatusLabel: "Aktif",
		StatusDate: "2026-11-22", StatusBasis: "Pendaftaran dari usulan", Version: 1, CreatedAt: registered, UpdatedAt: registered,
		StatusHistory: []dak.SentraEntry{{Status: dak.SentraAktif, StatusLabel: "Aktif", Date: "2026-11-22",
			Basis: "Pendaftaran dari usulan", At: registered}}}
	for i, id := range proposals {
		want.Funding = append(want.Funding, dak.Funding{FiscalYear: 2025 + 2*i, ProposalID: id, Number: got.Funding[i].Number,
			Menu: dak.MenuRevitalisasi, State: "draft", Workflow: "dak-fisik-ikm"})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sentra 1 after the upgrade (-want +got):\n%s", diff)
	}
	kopi, err := st.Sentra(ctx, verifier, 2)
	if err != nil || kopi.Status != dak.SentraUsulan || kopi.Address != "" || kopi.Latitude != nil || len(kopi.StatusHistory) != 1 ||
		len(kopi.Funding) != 0 {
		t.Errorf("sentra 2 after the upgrade = %+v, %v", kopi, err)
	}
	for _, id := range proposals {
		if p, err := st.Proposal(ctx, id); err != nil || p.SentraID != 1 || p.Content.Sentra.Name != "Sentra Tenun Tapis" {
			t.Errorf("proposal %d after the upgrade = %+v, %v", id, p, err)
		}
	}
	// The upgraded records take part in the registry like new ones.
	change := dak.SentraStatusInput{Status: dak.SentraKurangAktif, Date: "2026-11-22", Basis: "Pendataan ulang"}
	if s, err := st.ChangeSentraStatus(ctx, 1, change, u); err != nil || s.Version != 2 || len(s.StatusHistory) != 2 {
		t.Errorf("ChangeSentraStatus after the upgrade = %+v, %v", s, err)
	}
	if _, err := st.CreateSentra(ctx, sentraRecord("Sentra Tenun Tapis", "18.71.01.1003", "Tenun"), u); !cmp.Equal(fieldNames(err), []string{"name"}) {
		t.Errorf("registering the upgraded sentra again = %v, want ErrInvalid naming name", err)
	}
}
