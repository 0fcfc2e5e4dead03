package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"dakflow/internal/dak"
	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
)

// sentraRecord is a validated registry record of Kota Bandar Lampung.
func sentraRecord(name, village, commodity string) dak.SentraRecordInput {
	lat, lon := -5.41, 105.26
	return dak.SentraRecordInput{Name: name, Commodity: commodity, RegionCode: village[:5], VillageCode: village,
		Latitude: &lat, Longitude: &lon, IKMUnits: 15, Workers: 60, Status: dak.SentraAktif, StatusDate: "2026-01-05",
		StatusBasis: "Pendataan ulang 2026"}
}

// sentraFixture is a store at 22 November 2026 with a pemda of each of two
// regions and a verifier.
type sentraFixture struct {
	st                   *store.Store
	pemda, other, verify dak.User
}

func newSentraFixture(t *testing.T) *sentraFixture {
	t.Helper()
	st := dbtest.Open(t)
	st.SetClock(func() time.Time { return time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC) })
	f := &sentraFixture{st: st}
	ctx := context.Background()
	for _, u := range []struct {
		into   *dak.User
		name   string
		role   dak.Role
		region string
	}{{&f.pemda, "pemda", dak.RolePemda, "18.71"}, {&f.other, "pemda-lain", dak.RolePemda, "73.71"}, {&f.verify, "verifikator", dak.RoleVerifier, ""}} {
		var err error
		*u.into, err = st.CreateUser(ctx, store.NewUser{User: dak.User{Username: u.name, FullName: "Pengguna " + u.name,
			Role: u.role, RegionCode: u.region}, Password: "rahasia-panjang"})
		if err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *sentraFixture) create(t *testing.T, in dak.SentraRecordInput, by dak.User) dak.Sentra {
	t.Helper()
	s, err := f.st.CreateSentra(context.Background(), in, by)
	if err != nil {
		t.Fatalf("CreateSentra(%s) = %v", in.Name, err)
	}
	return s
}

// proposalFor files a proposal of region for fiscal year with sentra id.
func (f *sentraFixture) proposalFor(t *testing.T, region string, year int, sentraID int64, allocated dak.Money) int64 {
	t.Helper()
	ctx := context.Background()
	p := dak.Proposal{FiscalYear: year, Menu: dak.MenuRevitalisasi, Title: "Revitalisasi", RegionCode: region, State: "draft",
		Workflow: "dak-fisik-ikm", WorkflowVersion: 1, CreatedBy: f.pemda.ID}
	if err := f.st.CreateProposal(ctx, &p); err != nil {
		t.Fatal(err)
	}
	if err := f.st.Exec(ctx, `UPDATE proposals SET sentra_id = ?, allocated_amount = ? WHERE id = ?`, sentraID, int64(allocated), p.ID); err != nil {
		t.Fatal(err)
	}
	return p.ID
}

func fieldNames(err error) []string {
	de, _ := dak.AsError(err)
	if de == nil {
		return nil
	}
	var out []string
	for _, f := range de.Fields {
		out = append(out, f.Field)
	}
	return out
}

// TestSentraRegistry runs the registry's store methods on one database
// (one per test is slow on PostgreSQL); the list comes first, on the
// records it makes.
func TestSentraRegistry(t *testing.T) {
	f := newSentraFixture(t)
	t.Run("list", func(t *testing.T) { sentraList(t, f) })
	t.Run("record", func(t *testing.T) { sentraRecordRead(t, f) })
	t.Run("duplicate", func(t *testing.T) { sentraDuplicate(t, f) })
	t.Run("update and status", func(t *testing.T) { sentraUpdateAndStatus(t, f) })
}

// sentraRecordRead: a record is created with its first status in the
// history, read with its funding of every year (a pemda seeing only its
// own region's), and hidden from another region's pemda.
func sentraRecordRead(t *testing.T, f *sentraFixture) {
	ctx := context.Background()
	s := f.create(t, sentraRecord("Sentra Songket", "18.71.01.1005", "Songket"), f.pemda)
	if s.Version != 1 || s.Status != dak.SentraAktif || s.StatusLabel != "Aktif" || *s.Latitude != -5.41 {
		t.Errorf("created %+v", s)
	}
	want := []dak.SentraEntry{{Status: dak.SentraAktif, StatusLabel: "Aktif", Date: "2026-01-05", Basis: "Pendataan ulang 2026",
		By: "Pengguna pemda", At: f.st.Now()}}
	if diff := cmp.Diff(want, s.StatusHistory); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}
	old := f.proposalFor(t, "18.71", 2024, s.ID, 1_500_000_000)
	cur := f.proposalFor(t, "18.71", 2027, s.ID, 0)
	province := f.proposalFor(t, "18", 2026, s.ID, 0) // the province's, which the kota's pemda may not see

	got, err := f.st.Sentra(ctx, f.verify, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, fu := range got.Funding {
		ids = append(ids, fu.ProposalID)
	}
	if diff := cmp.Diff([]int64{old, province, cur}, ids); diff != "" {
		t.Errorf("funding for the verifier, by year (-want +got):\n%s", diff)
	}
	if fu := got.Funding[0]; fu.FiscalYear != 2024 || fu.AllocatedAmount != 1_500_000_000 || fu.Menu != dak.MenuRevitalisasi || fu.Number == "" {
		t.Errorf("funding[0] = %+v", fu)
	}
	mine, err := f.st.Sentra(ctx, f.pemda, s.ID)
	if err != nil || len(mine.Funding) != 2 {
		t.Errorf("funding for the pemda = %+v, %v; want its own 2 proposals", mine.Funding, err)
	}
	if _, err := f.st.Sentra(ctx, f.other, s.ID); !errors.Is(err, dak.ErrNotFound) {
		t.Errorf("another region's pemda reads the record: %v, want ErrNotFound", err)
	}
	if _, err := f.st.Sentra(ctx, f.verify, s.ID+100); !errors.Is(err, dak.ErrNotFound) {
		t.Errorf("Sentra(missing) = %v, want ErrNotFound", err)
	}
}

// sentraDuplicate: one desa holds one sentra of a name, whatever its
// case and spaces; a refused record saves nothing.
func sentraDuplicate(t *testing.T, f *sentraFixture) {
	ctx := context.Background()
	var before int64
	if err := f.st.Query(ctx, &before, `SELECT COUNT(*) FROM sentra`); err != nil {
		t.Fatal(err)
	}
	first := f.create(t, sentraRecord("Sentra Tenun Ulos", "18.71.02.1006", "Tenun"), f.pemda)
	_, err := f.st.CreateSentra(ctx, sentraRecord(" sentra  tenun ULOS", "18.71.02.1006", "Tenun"), f.verify)
	if !errors.Is(err, dak.ErrInvalid) || !cmp.Equal(fieldNames(err), []string{"name"}) {
		t.Errorf("a second Sentra Tenun Ulos in Sukarame Baru = %v, want ErrInvalid naming name", err)
	}
	// The same name in another desa is another sentra.
	f.create(t, sentraRecord("Sentra Tenun Ulos", "18.71.01.1004", "Tenun"), f.pemda)
	// Renaming a second one onto the first is refused too.
	second := f.create(t, sentraRecord("Sentra Gula Aren", "18.71.02.1006", "Gula aren"), f.pemda)
	edit := sentraRecord("SENTRA TENUN ULOS", "18.71.02.1006", "Gula aren")
	if _, err := f.st.UpdateSentra(ctx, second.ID, 0, edit, f.pemda); !cmp.Equal(fieldNames(err), []string{"name"}) {
		t.Errorf("renaming onto another sentra of the desa = %v, want ErrInvalid naming name", err)
	}
	// All or nothing: an import whose last record repeats the first saves none.
	_, err = f.st.ImportSentra(ctx, []dak.SentraRecordInput{sentraRecord("Sentra Rotan", "18.71.02.1003", "Rotan"),
		sentraRecord("Sentra Rotan", "18.71.02.1003", "Rotan")}, f.verify)
	var re *store.RecordError
	if !cmp.Equal(fieldNames(err), []string{"name"}) || !errors.As(err, &re) || re.Index != 1 {
		t.Errorf("an import with a duplicate = %v, want ErrInvalid naming name of record 1", err)
	}
	var n int64
	if err := f.st.Query(ctx, &n, `SELECT COUNT(*) FROM sentra`); err != nil || n != before+3 {
		t.Errorf("%d sentra (%v), want %d: nothing of the refused ones saved", n, err, before+3)
	}
	dups, err := f.st.SentraDuplicates(ctx, [][2]string{{"18.71.02.1006", "sentra tenun ulos"}, {"18.71.02.1003", "Sentra Rotan"},
		{"18.71.01.1004", "Sentra  Tenun Ulos"}})
	if err != nil || len(dups) != 2 || dups[0] != first.ID || dups[2] == 0 {
		t.Errorf("SentraDuplicates = %v, %v; want indexes 0 (sentra %d) and 2", dups, err, first.ID)
	}
}

// sentraList: the filters, the LIKE escaping of q, paging, and the
// pemda's region scope.
func sentraList(t *testing.T, f *sentraFixture) {
	ctx := context.Background()
	tapis := f.create(t, sentraRecord("Sentra Tenun Tapis", "18.71.01.1003", "Tenun tapis"), f.pemda)
	kopi := f.create(t, sentraRecord("Sentra Kopi 100%", "18.71.02.1003", "Kopi robusta"), f.pemda)
	perak := f.create(t, sentraRecord("Sentra Kerajinan Perak", "73.71.01.1001", "Perak"), f.verify)
	province := sentraRecord("Sentra Keripik", "18.71.02.1004", "Keripik pisang")
	province.RegionCode, province.Status = "18", dak.SentraKurangAktif
	keripik := f.create(t, province, f.verify)

	tests := []struct {
		name string
		f    store.SentraFilter
		want []int64
	}{
		{"all, by region then name", store.SentraFilter{}, []int64{keripik.ID, kopi.ID, tapis.ID, perak.ID}},
		{"the pemda's own", store.SentraFilter{Viewer: f.pemda}, []int64{kopi.ID, tapis.ID}},
		{"the other pemda's own", store.SentraFilter{Viewer: f.other}, []int64{perak.ID}},
		{"a kota, with the province's sentra in it", store.SentraFilter{Region: "18.71"}, []int64{keripik.ID, kopi.ID, tapis.ID}},
		{"a kecamatan", store.SentraFilter{Region: "18.71.02"}, []int64{keripik.ID, kopi.ID}},
		{"a province", store.SentraFilter{Province: "73"}, []int64{perak.ID}},
		{"commodity", store.SentraFilter{Commodity: "KOPI"}, []int64{kopi.ID}},
		{"status", store.SentraFilter{Status: []dak.SentraStatus{dak.SentraKurangAktif, dak.SentraTidakAktif}}, []int64{keripik.ID}},
		{"q in the name", store.SentraFilter{Query: "tapis"}, []int64{tapis.ID}},
		{"q in the commodity", store.SentraFilter{Query: "PISANG"}, []int64{keripik.ID}},
		{"q with %, the character", store.SentraFilter{Query: "0%"}, []int64{kopi.ID}},
		{"q with _, the character", store.SentraFilter{Query: "sentra_"}, nil},
		{"page 2 of 3", store.SentraFilter{Page: 2, PerPage: 3}, []int64{perak.ID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total, err := f.st.SentraList(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, s := range got {
				ids = append(ids, s.ID)
			}
			if diff := cmp.Diff(tt.want, ids); diff != "" {
				t.Errorf("SentraList(%+v) (-want +got):\n%s", tt.f, diff)
			}
			if tt.f.PerPage == 0 && total != int64(len(tt.want)) {
				t.Errorf("total = %d, want %d", total, len(tt.want))
			}
			var each []int64
			if err := f.st.EachSentra(ctx, store.SentraFilter{Viewer: tt.f.Viewer, Region: tt.f.Region, Province: tt.f.Province,
				Commodity: tt.f.Commodity, Status: tt.f.Status, Query: tt.f.Query}, func(s dak.Sentra) error {
				each = append(each, s.ID)
				return nil
			}); err != nil || int64(len(each)) != total {
				t.Errorf("EachSentra gave %v (%v), want the %d of the list's total", each, err, total)
			}
		})
	}
}

// sentraUpdateAndStatus: an edit at a stale version is refused, the
// region never changes, and a status change writes the record and its
// history together; SetSentraStatus does the same inside a transition's
// transaction.
func sentraUpdateAndStatus(t *testing.T, f *sentraFixture) {
	ctx := context.Background()
	s := f.create(t, sentraRecord("Sentra Batik", "18.71.01.1003", "Batik"), f.pemda)

	edit := sentraRecord("Sentra Batik", "18.71.01.1003", "Batik tulis dan cap")
	edit.IKMUnits = 21
	if _, err := f.st.UpdateSentra(ctx, s.ID, s.Version+1, edit, f.pemda); !errors.Is(err, dak.ErrPrecondition) {
		t.Errorf("UpdateSentra at a stale version = %v, want ErrPrecondition", err)
	}
	if _, err := f.st.UpdateSentra(ctx, s.ID, 0, edit, f.other); !errors.Is(err, dak.ErrNotFound) {
		t.Errorf("UpdateSentra by another region's pemda = %v, want ErrNotFound", err)
	}
	moved := edit
	moved.RegionCode = "18"
	if _, err := f.st.UpdateSentra(ctx, s.ID, 0, moved, f.verify); !cmp.Equal(fieldNames(err), []string{"region_code"}) {
		t.Errorf("UpdateSentra to another region = %v, want ErrInvalid naming region_code", err)
	}
	up, err := f.st.UpdateSentra(ctx, s.ID, s.Version, edit, f.pemda)
	if err != nil || up.Version != 2 || up.IKMUnits != 21 || up.Commodity != "Batik tulis dan cap" || up.Status != dak.SentraAktif {
		t.Fatalf("UpdateSentra = %+v, %v", up, err)
	}

	auditor := dak.User{ID: f.verify.ID, Role: dak.RoleAuditor}
	change := dak.SentraStatusInput{Status: dak.SentraKurangAktif, Date: "2026-11-20", Basis: "Kunjungan lapangan", Note: "8 IKM aktif"}
	if _, err := f.st.ChangeSentraStatus(ctx, s.ID, change, auditor); !errors.Is(err, dak.ErrForbidden) {
		t.Errorf("ChangeSentraStatus by an auditor = %v, want ErrForbidden", err)
	}
	early := change
	early.Date = "2025-12-31"
	if _, err := f.st.ChangeSentraStatus(ctx, s.ID, early, f.verify); !cmp.Equal(fieldNames(err), []string{"date"}) {
		t.Errorf("a status dated before the current one = %v, want ErrInvalid naming date", err)
	}
	got, err := f.st.ChangeSentraStatus(ctx, s.ID, change, f.verify)
	if err != nil || got.Status != dak.SentraKurangAktif || got.StatusDate != "2026-11-20" || got.Version != 3 || len(got.StatusHistory) != 2 {
		t.Fatalf("ChangeSentraStatus = %+v, %v", got, err)
	}
	if h := got.StatusHistory[1]; h.By != "Pengguna verifikator" || h.Note != "8 IKM aktif" || h.Basis != "Kunjungan lapangan" {
		t.Errorf("history line = %+v", h)
	}

	p := f.proposalFor(t, "18.71", 2027, s.ID, 0)
	err = f.st.InTx(ctx, func(tx *store.Tx) error {
		return tx.SetSentraStatus(s.ID, dak.SentraDalamPembangunan, "", "Alokasi DAK 2027", "", dak.User{}, p)
	})
	if err != nil {
		t.Fatal(err)
	}
	got, _ = f.st.Sentra(ctx, f.verify, s.ID)
	last := got.StatusHistory[len(got.StatusHistory)-1]
	if got.Status != dak.SentraDalamPembangunan || got.StatusDate != "2026-11-22" || last.ProposalID != p || last.By != "Sistem" {
		t.Errorf("after SetSentraStatus: %s %s, history %+v", got.Status, got.StatusDate, last)
	}
	err = f.st.InTx(ctx, func(tx *store.Tx) error { return tx.SetSentraStatus(s.ID, "hidup", "", "x", "", f.verify, 0) })
	if !errors.Is(err, dak.ErrInvalid) {
		t.Errorf("SetSentraStatus(hidup) = %v, want ErrInvalid", err)
	}
	if err := f.st.Exec(ctx, `UPDATE sentra_status_history SET status = 'aktif'`); err == nil {
		t.Error("the status history was rewritten; it is append-only")
	}
}
