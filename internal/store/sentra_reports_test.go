package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"dakflow/internal/dak"
	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
)

// reportRules are the monitoring parameters of workflows/dak-fisik-ikm.yaml.
var reportRules = dak.MonitoringParams{AfterState: "completed", Years: 3, GraceDays: 30, UnusedOccupancyPercent: 30,
	UnusedConsecutiveReports: 2}

// reportFixture: Kota Bandar Lampung's sentra Tapis, completed on 20 May
// 2027, and Batik, never funded; Kota Makassar's Perak, completed the same
// day; a pemda of each region, a verifier and an auditor.
type reportFixture struct {
	st                              *store.Store
	pemda, other, verifier, auditor dak.User
	tapis, batik, perak             int64
	clock                           time.Time
}

func newReportFixture(t *testing.T) *reportFixture {
	t.Helper()
	ctx := context.Background()
	f := &reportFixture{st: dbtest.Open(t)}
	f.st.SetClock(func() time.Time { return f.clock })
	f.at("2027-05-20 10:00")
	for _, u := range []struct {
		into         *dak.User
		name, region string
		role         dak.Role
	}{{&f.pemda, "pemda", "18.71", dak.RolePemda}, {&f.other, "pemda-lain", "73.71", dak.RolePemda},
		{&f.verifier, "verifikator", "", dak.RoleVerifier}, {&f.auditor, "auditor", "", dak.RoleAuditor}} {
		var err error
		*u.into, err = f.st.CreateUser(ctx, store.NewUser{User: dak.User{Username: u.name, FullName: "Pengguna " + u.name,
			Role: u.role, RegionCode: u.region}, Password: "rahasia-panjang"})
		if err != nil {
			t.Fatal(err)
		}
	}
	f.tapis = f.sentra(t, "18.71", "18.71.01.1003", "Sentra Tenun Tapis")
	f.batik = f.sentra(t, "18.71", "18.71.01.1004", "Sentra Batik")
	f.perak = f.sentra(t, "73.71", "73.71.01.1001", "Sentra Perak")
	f.complete(t, f.tapis, f.pemda)
	f.complete(t, f.perak, f.other)
	return f
}

// at sets the store's clock to a time in WIB.
func (f *reportFixture) at(s string) {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, dak.WIB)
	if err != nil {
		panic(err)
	}
	f.clock = t
}

func (f *reportFixture) sentra(t *testing.T, region, village, name string) int64 {
	t.Helper()
	ctx := context.Background()
	now := f.st.Now()
	if err := f.st.Exec(ctx, `INSERT INTO sentra (region_code, village_code, name, commodity, status, status_date, status_basis,
		created_at, updated_at) VALUES (?, ?, ?, 'Kerajinan', 'aktif', '2027-05-20', 'Penyelesaian', ?, ?)`, region, village, name, now, now); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	if err := f.st.Query(ctx, &ids, `SELECT id FROM sentra WHERE name = ?`, name); err != nil || len(ids) != 1 {
		t.Fatalf("sentra %s: %v %v", name, ids, err)
	}
	return ids[0]
}

// complete files a proposal for the sentra and moves it to completed at
// the clock's time, with the event that says so.
func (f *reportFixture) complete(t *testing.T, sentraID int64, by dak.User) {
	t.Helper()
	ctx := context.Background()
	p := dak.Proposal{FiscalYear: 2027, Menu: dak.MenuRevitalisasi, Title: "Revitalisasi", RegionCode: by.RegionCode, State: "draft",
		Workflow: "dak-fisik-ikm", WorkflowVersion: 1, CreatedBy: by.ID}
	if err := f.st.CreateProposal(ctx, &p); err != nil {
		t.Fatal(err)
	}
	err := f.st.InTx(ctx, func(tx *store.Tx) error {
		p, err := tx.LockProposal(p.ID)
		if err != nil {
			return err
		}
		tip, err := tx.Tip(p.ID)
		if err != nil {
			return err
		}
		p.State, p.SentraID = "completed", sentraID
		if err := tx.SaveProposal(&p, p.Version); err != nil {
			return err
		}
		return tx.AppendEvent(&dak.Event{ProposalID: p.ID, Event: "complete", From: "tranche_disbursed", To: "completed",
			ActorID: by.ID, Actor: by.FullName, Role: by.Role}, tip)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (f *reportFixture) file(u dak.User, sentraID int64, period string, ikm int64, occupancy dak.Percent) (dak.SentraReport, error) {
	workers, value, budget, pct := int64(20), dak.Money(90_000_000), dak.Money(15_000_000), occupancy*100
	in := dak.SentraReportInput{Period: period, IKMUsing: &ikm, Workers: &workers, ProductionValue: &value, OccupancyPercent: &pct,
		Condition: "baik", OperatingBudget: &budget, Issues: "Pemasaran terbatas"}
	p, err := in.Validate()
	if err != nil {
		return dak.SentraReport{}, err
	}
	return f.st.FileSentraReport(context.Background(), u, sentraID, in, p, reportRules)
}

func (f *reportFixture) monitored(t *testing.T, filter store.MonitoringFilter) []string {
	t.Helper()
	list, err := f.st.Monitoring(context.Background(), filter, reportRules)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range list {
		out = append(out, fmt.Sprintf("%s %v", m.Name, m.Assessment.Flags()))
	}
	return out
}

// TestSentraReports runs on one database (creating one costs seconds on
// PostgreSQL): filing, then photos of the reports filed, then visits.
func TestSentraReports(t *testing.T) {
	f := newReportFixture(t)
	t.Run("filing", f.testFiling)
	t.Run("photos", f.testPhotos)
	t.Run("visit", f.testVisit)
}

// testFiling: one report per sentra and owed period, only by the pemda of
// the sentra's region and only once a proposal of it completed; the list
// shows the schedule and flags, and the monitoring list who is overdue or
// unused, scoped for a pemda.
func (f *reportFixture) testFiling(t *testing.T) {
	ctx := context.Background()
	f.at("2028-02-10 09:00") // 2027-S2 was due on 30 January 2028

	if got, want := f.monitored(t, store.MonitoringFilter{Viewer: f.auditor}),
		[]string{"Sentra Tenun Tapis [overdue]", "Sentra Perak [overdue]"}; !cmp.Equal(want, got) {
		t.Errorf("Monitoring before any report = %q, want %q", got, want)
	}
	r, err := f.file(f.pemda, f.tapis, "2027-S2", 0, 60)
	if err != nil {
		t.Fatalf("file 2027-S2 = %v", err)
	}
	if r.Period != "2027-S2" || !r.Late || !r.Unused || r.DueDate != "2028-01-30" || r.FiledByName != "Pengguna pemda" || r.OccupancyPercent != 6000 {
		t.Errorf("filed report = %+v", r)
	}
	tests := []struct {
		name   string
		u      dak.User
		sentra int64
		period string
		kind   error
		field  string
	}{
		{"the same period again", f.pemda, f.tapis, "2027-S2", dak.ErrInvalid, "period"},
		{"before the monitoring", f.pemda, f.tapis, "2027-S1", dak.ErrInvalid, "period"},
		{"a semester not begun", f.pemda, f.tapis, "2028-S2", dak.ErrInvalid, "period"},
		{"after the monitoring", f.pemda, f.tapis, "2030-S2", dak.ErrInvalid, "period"},
		{"a sentra never completed", f.pemda, f.batik, "2028-S1", dak.ErrRule, ""},
		{"another region's sentra", f.pemda, f.perak, "2027-S2", dak.ErrNotFound, ""},
		{"a verifier", f.verifier, f.tapis, "2028-S1", dak.ErrForbidden, ""},
		{"no such sentra", f.pemda, 99999, "2028-S1", dak.ErrNotFound, ""},
	}
	for _, tt := range tests {
		_, err := f.file(tt.u, tt.sentra, tt.period, 5, 50)
		if !errors.Is(err, tt.kind) || tt.field != "" && !cmp.Equal(fieldNames(err), []string{tt.field}) {
			t.Errorf("%s: FileSentraReport = %v, want %v naming %q", tt.name, err, tt.kind, tt.field)
		}
	}

	f.at("2028-07-10 09:00")
	if _, err := f.file(f.pemda, f.tapis, "2028-S1", 3, 20); err != nil {
		t.Fatalf("file 2028-S1 = %v", err)
	}
	v, err := f.st.SentraReports(ctx, f.auditor, f.tapis, reportRules)
	if err != nil {
		t.Fatal(err)
	}
	var states []string
	for _, e := range v.Monitored.Assessment.Schedule {
		states = append(states, e.Period+" "+e.State)
	}
	want := []string{"2027-S2 filed", "2028-S1 filed", "2028-S2 open", "2029-S1 upcoming", "2029-S2 upcoming", "2030-S1 upcoming"}
	if diff := cmp.Diff(want, states); diff != "" || len(v.Reports) != 2 || !v.Monitored.Assessment.Unused {
		t.Errorf("SentraReports: %d reports, unused %v, schedule (-want +got):\n%s", len(v.Reports), v.Monitored.Assessment.Unused, diff)
	}
	if v.Reports[1].Late || v.Reports[1].FiledBy != f.pemda.ID || v.Monitored.ProposalNumber == "" {
		t.Errorf("second report %+v of proposal %q", v.Reports[1], v.Monitored.ProposalNumber)
	}
	if _, err := f.st.SentraReports(ctx, f.pemda, f.perak, reportRules); !errors.Is(err, dak.ErrNotFound) {
		t.Errorf("SentraReports of another region = %v, want ErrNotFound", err)
	}
	if v, err := f.st.SentraReports(ctx, f.pemda, f.batik, reportRules); err != nil || v.Monitored != nil || len(v.Reports) != 0 {
		t.Errorf("SentraReports of a sentra never completed = %+v, %v; want nothing monitored", v, err)
	}

	for _, tt := range []struct {
		filter store.MonitoringFilter
		want   []string
	}{
		{store.MonitoringFilter{Viewer: f.verifier}, []string{"Sentra Tenun Tapis [tidak_dimanfaatkan]", "Sentra Perak [overdue]"}},
		{store.MonitoringFilter{Viewer: f.verifier, Flag: dak.FlagOverdue}, []string{"Sentra Perak [overdue]"}},
		{store.MonitoringFilter{Viewer: f.auditor, Flag: dak.FlagUnused}, []string{"Sentra Tenun Tapis [tidak_dimanfaatkan]"}},
		{store.MonitoringFilter{Viewer: f.pemda}, []string{"Sentra Tenun Tapis [tidak_dimanfaatkan]"}},
		{store.MonitoringFilter{Viewer: f.pemda, Region: "73.71"}, nil},
		{store.MonitoringFilter{Viewer: f.auditor, Region: "73.71"}, []string{"Sentra Perak [overdue]"}},
	} {
		if got := f.monitored(t, tt.filter); !cmp.Equal(tt.want, got) {
			t.Errorf("Monitoring(%s, region %q, flag %q) = %q, want %q", tt.filter.Viewer.Username, tt.filter.Region, tt.filter.Flag, got, tt.want)
		}
	}

	// Reports are append-only, in the database itself.
	if err := f.st.Exec(ctx, `UPDATE sentra_reports SET ikm_using = 99`); err == nil {
		t.Error("UPDATE sentra_reports succeeded; the table must be append-only")
	}
}

// testPhotos: photos are added by the sentra's pemda to one of its
// reports, up to dak.MaxReportPhotos, and read back with their bytes by
// whoever sees the sentra.
func (f *reportFixture) testPhotos(t *testing.T) {
	ctx := context.Background()
	v, err := f.st.SentraReports(ctx, f.pemda, f.tapis, reportRules)
	if err != nil || len(v.Reports) == 0 {
		t.Fatalf("SentraReports = %+v, %v", v, err)
	}
	r := v.Reports[0]
	other, err := f.file(f.other, f.perak, "2027-S2", 8, 60)
	if err != nil {
		t.Fatal(err)
	}
	jpeg := []byte("\xFF\xD8\xFF\xE0 foto")
	lat, lon := -5.41, 105.26
	add := func(u dak.User, sentraID, reportID int64) (dak.ReportPhoto, error) {
		p := dak.ReportPhoto{ReportID: reportID, FileName: "gedung.jpg", ContentType: "image/jpeg", Size: int64(len(jpeg)),
			SHA256: dak.SHA256Hex(jpeg), Latitude: &lat, Longitude: &lon}
		err := f.st.AddReportPhoto(ctx, u, sentraID, &p, jpeg)
		return p, err
	}
	p, err := add(f.pemda, f.tapis, r.ID)
	if err != nil || p.ID == 0 || p.UploadedBy != f.pemda.ID || p.Kind != dak.PhotoKind {
		t.Fatalf("AddReportPhoto = %+v, %v", p, err)
	}
	for _, tt := range []struct {
		name             string
		u                dak.User
		sentra, reportID int64
		kind             error
	}{
		{"another region's pemda", f.other, f.tapis, r.ID, dak.ErrNotFound},
		{"a report of another sentra", f.pemda, f.tapis, other.ID, dak.ErrNotFound},
		{"an auditor", f.auditor, f.tapis, r.ID, dak.ErrForbidden},
	} {
		if _, err := add(tt.u, tt.sentra, tt.reportID); !errors.Is(err, tt.kind) {
			t.Errorf("%s: AddReportPhoto = %v, want %v", tt.name, err, tt.kind)
		}
	}
	got, data, err := f.st.ReportPhoto(ctx, f.auditor, f.tapis, r.ID, p.ID)
	if err != nil || string(data) != string(jpeg) || *got.Latitude != lat || got.SHA256 != p.SHA256 {
		t.Errorf("ReportPhoto = %+v, %q, %v", got, data, err)
	}
	for _, ids := range [][3]int64{{f.perak, r.ID, p.ID}, {f.tapis, other.ID, p.ID}, {f.tapis, r.ID, p.ID + 1000}} {
		if _, _, err := f.st.ReportPhoto(ctx, f.auditor, ids[0], ids[1], ids[2]); !errors.Is(err, dak.ErrNotFound) {
			t.Errorf("ReportPhoto(%v) = %v, want ErrNotFound", ids, err)
		}
	}
	if _, _, err := f.st.ReportPhoto(ctx, f.other, f.tapis, r.ID, p.ID); !errors.Is(err, dak.ErrNotFound) {
		t.Errorf("ReportPhoto by another region's pemda = %v, want ErrNotFound", err)
	}
	// The report fills up to its cap (rows written directly: a
	// transaction for large values per photo costs a connection on
	// PostgreSQL); one more is refused.
	for i := 2; i <= dak.MaxReportPhotos; i++ {
		if err := f.st.Exec(ctx, `INSERT INTO sentra_report_photos (report_id, file_name, content_type, size, sha256, data,
			uploaded_by, created_at) SELECT report_id, file_name, content_type, size, sha256, data, uploaded_by, created_at
			FROM sentra_report_photos WHERE id = ?`, p.ID); err != nil {
			t.Fatalf("photo %d: %v", i, err)
		}
	}
	if _, err := add(f.pemda, f.tapis, r.ID); !errors.Is(err, dak.ErrRule) {
		t.Errorf("photo %d = %v, want ErrRule", dak.MaxReportPhotos+1, err)
	}
	v, err = f.st.SentraReports(ctx, f.pemda, f.tapis, reportRules)
	if err != nil || len(v.Reports) != 2 || len(v.Reports[0].Photos) != dak.MaxReportPhotos || len(v.Reports[1].Photos) != 0 {
		t.Errorf("SentraReports = %d reports, %v", len(v.Reports), err)
	}
}

// testVisit: a verifier's field visit is a line of the status history,
// and moves the sentra when it gives a status.
func (f *reportFixture) testVisit(t *testing.T) {
	ctx := context.Background()
	f.at("2028-08-01 09:00")
	day := func(s string) time.Time {
		d, _ := dak.ParseDate(s)
		return d
	}
	e, err := f.st.RecordSentraVisit(ctx, f.verifier, f.tapis, dak.SentraVisitInput{Date: "2028-07-30", Findings: "Gedung dipakai 12 IKM"}, day("2028-07-30"))
	if err != nil || e.Status != dak.SentraAktif || e.Basis != "Kunjungan lapangan 30 Juli 2028" || e.Note != "Gedung dipakai 12 IKM" || e.By != "Pengguna verifikator" {
		t.Errorf("visit without a status = %+v, %v", e, err)
	}
	e, err = f.st.RecordSentraVisit(ctx, f.verifier, f.tapis, dak.SentraVisitInput{Date: "2028-07-31", Status: dak.SentraKurangAktif,
		Findings: "Hanya 3 IKM berproduksi"}, day("2028-07-31"))
	if err != nil || e.Status != dak.SentraKurangAktif || e.Date != "2028-07-31" {
		t.Errorf("visit with a status = %+v, %v", e, err)
	}
	var rows []struct{ Status, StatusDate, StatusBasis string }
	if err := f.st.Query(ctx, &rows, `SELECT status, status_date, status_basis FROM sentra WHERE id = ?`, f.tapis); err != nil {
		t.Fatal(err)
	}
	if want := (struct{ Status, StatusDate, StatusBasis string }{"kurang_aktif", "2028-07-31", "Kunjungan lapangan 31 Juli 2028"}); len(rows) != 1 || rows[0] != want {
		t.Errorf("sentra after the visit = %+v, want %+v", rows, want)
	}
	_, err = f.st.RecordSentraVisit(ctx, f.verifier, f.tapis, dak.SentraVisitInput{Date: "2028-07-01", Status: dak.SentraAktif, Findings: "x"}, day("2028-07-01"))
	if !cmp.Equal(fieldNames(err), []string{"date"}) {
		t.Errorf("status change dated before the current status = %v, want ErrInvalid naming date", err)
	}
	_, err = f.st.RecordSentraVisit(ctx, f.pemda, f.tapis, dak.SentraVisitInput{Date: "2028-07-31", Findings: "x"}, day("2028-07-31"))
	if !errors.Is(err, dak.ErrForbidden) {
		t.Errorf("visit by a pemda = %v, want ErrForbidden", err)
	}
	if _, err := f.st.RecordSentraVisit(ctx, f.verifier, 99999, dak.SentraVisitInput{Date: "2028-07-31", Findings: "x"}, day("2028-07-31")); !errors.Is(err, dak.ErrNotFound) {
		t.Errorf("visit of no sentra = %v, want ErrNotFound", err)
	}
}
