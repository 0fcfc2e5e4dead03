package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
	"dakflow/migrations"
)

// heldRace runs first in a transaction held open until second, run beside
// it, has reached the database and waits there (PostgreSQL: a lock wait;
// SQLite has one writer, so second simply waits its turn), or has
// finished. It returns both errors.
func heldRace(t *testing.T, st *store.Store, first func(tx *store.Tx) error, second func() error) (error, error) {
	t.Helper()
	ctx := context.Background()
	held, release := make(chan struct{}), make(chan struct{})
	errFirst := make(chan error, 1)
	go func() {
		errFirst <- st.InTx(ctx, func(tx *store.Tx) error {
			err := first(tx)
			close(held)
			<-release
			return err
		})
	}()
	<-held
	errSecond := make(chan error, 1)
	go func() { errSecond <- second() }()
	var done error
	finished := false
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		select {
		case done = <-errSecond:
			finished = true
		case <-time.After(20 * time.Millisecond):
		}
		if finished || dbtest.Engine() != "postgres" {
			break
		}
		var waiting int64
		if err := st.Query(ctx, &waiting, `SELECT COUNT(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`); err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			break
		}
	}
	close(release)
	a := <-errFirst
	if !finished {
		done = <-errSecond
	}
	return a, done
}

// TestSentraNameRace: a write that passed the store's duplicate check
// while another transaction was registering the same name in another case
// (issue 11) meets the unique index on (village_code, lower(name)) of
// migration 0017, and gets the same ErrInvalid naming name and the sentra
// there that the check gives, never an internal error: for a new record
// and for a rename.
func TestSentraNameRace(t *testing.T) {
	f := newSentraFixture(t)
	ctx := context.Background()
	const village = "18.71.01.1003"
	var tenun int64
	errA, errB := heldRace(t, f.st, func(tx *store.Tx) (err error) {
		tenun, err = tx.CreateSentra(sentraRecord("Sentra Tenun", village, "Tenun"), f.pemda)
		return err
	}, func() error {
		_, err := f.st.CreateSentra(ctx, sentraRecord("SENTRA TENUN", village, "Tenun"), f.verify)
		return err
	})
	want := `desa/kelurahan 18.71.01.1003 sudah memiliki sentra bernama "Sentra Tenun" (sentra `
	if errA != nil || !errors.Is(errB, dak.ErrInvalid) || !slices.Equal(fieldNames(errB), []string{"name"}) ||
		!strings.Contains(fieldMessage(errB), want) {
		t.Errorf("racing registrations = %v, %v; want nil and ErrInvalid on name: %s%d)", errA, errB, want, tenun)
	}

	batik := f.create(t, sentraRecord("Sentra Batik", village, "Batik"), f.pemda)
	var kopi int64
	errA, errB = heldRace(t, f.st, func(tx *store.Tx) (err error) {
		kopi, err = tx.CreateSentra(sentraRecord("Sentra Kopi", village, "Kopi"), f.pemda)
		return err
	}, func() error {
		in := sentraRecord("sentra kopi", village, "Batik")
		in.Status, in.StatusDate, in.StatusBasis = "", "", ""
		_, err := f.st.UpdateSentra(ctx, batik.ID, 0, in, f.pemda)
		return err
	})
	if errA != nil || !errors.Is(errB, dak.ErrInvalid) || !slices.Equal(fieldNames(errB), []string{"name"}) ||
		!strings.Contains(fieldMessage(errB), `bernama "Sentra Kopi"`) {
		t.Errorf("a rename racing a registration = %v, %v; want nil and ErrInvalid on name naming sentra %d", errA, errB, kopi)
	}
	var names []string
	if err := f.st.Query(ctx, &names, `SELECT name FROM sentra ORDER BY id`); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(names, []string{"Sentra Tenun", "Sentra Batik", "Sentra Kopi"}) {
		t.Errorf("sentra after the races = %q", names)
	}
}

func fieldMessage(err error) string {
	de, _ := dak.AsError(err)
	if de == nil || len(de.Fields) == 0 {
		return ""
	}
	return de.Fields[0].Message
}

// TestSentraCaseUpgrade: migration 0017 on a database of migration 0016.
// On PostgreSQL two names of one desa differing only in case stop it with
// a message naming both rows (on SQLite the index's UNIQUE failure stops
// it); once renamed, it takes the unique index on (village_code,
// lower(name)), and the access log keeps every line, its ids and its
// append-only triggers while taking the sentra_photo object type.
func TestSentraCaseUpgrade(t *testing.T) {
	url := dbtest.URL(t)
	st, err := store.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if _, err := st.Migrate(ctx, migrationsUpTo(t, "0016_zzz")); err != nil {
		t.Fatal(err)
	}
	u := schemaUser(t, st, dak.User{Username: "auditor", FullName: "Pengguna Auditor", Role: dak.RoleAuditor})
	now := time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC)
	for id, s := range map[int]struct{ village, name string }{
		1: {"18.71.01.1003", "Sentra Tenun"}, 2: {"18.71.01.1003", "SENTRA TENUN"}, 3: {"18.71.01.1005", "sentra tenun"},
	} {
		if err := st.Exec(ctx, `INSERT INTO sentra (id, region_code, village_code, name, commodity, status, status_date,
			status_basis, created_at, updated_at) VALUES (?, '18.71', ?, ?, 'Tenun', 'aktif', '2026-11-22', 'Pendataan', ?, ?)`,
			id, s.village, s.name, now, now); err != nil {
			t.Fatal(err)
		}
	}
	for i, object := range []string{"document", "trail_export", "attachment"} { // ids 1, 2, 3
		if err := st.Exec(ctx, `INSERT INTO access_log (at, user_id, user_name, role, action, object_type, object_id, remote_addr)
			VALUES (?, ?, 'auditor', 'auditor', 'download', ?, ?, '127.0.0.1')`, now, u.ID, object, 40+i); err != nil {
			t.Fatal(err)
		}
	}

	_, err = st.Migrate(ctx, migrations.FS)
	if err == nil {
		t.Fatal("migrate up with two names differing only in case succeeded")
	}
	want := []string{"0017_sentra_photo_log_and_case.sql", "UNIQUE"}
	if dbtest.Engine() == "postgres" {
		want = []string{"0017_sentra_photo_log_and_case.sql", "hanya berbeda huruf besar/kecil",
			`desa 18.71.01.1003: sentra 1 "Sentra Tenun", sentra 2 "SENTRA TENUN"`}
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("migrate up = %v, want it to say %q", err, w)
		}
	}
	if err := st.Exec(ctx, `UPDATE sentra SET name = 'Sentra Tenun Ikat' WHERE id = 2`); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Migrate(ctx, migrations.FS); err != nil {
		t.Fatalf("migrate up after the rename: %v", err)
	}

	var def []string
	q := `SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'sentra_village_name_key'`
	if st.Dialect() == store.Postgres {
		q = `SELECT indexdef FROM pg_indexes WHERE tablename = 'sentra' AND indexname = 'sentra_village_name_key'`
	}
	if err := st.Query(ctx, &def, q); err != nil || len(def) != 1 || !strings.Contains(def[0], "UNIQUE") ||
		!strings.Contains(strings.ToLower(def[0]), "lower(name)") {
		t.Errorf("index sentra_village_name_key = %q, %v; want a unique index on (village_code, lower(name))", def, err)
	}
	if st.Dialect() == store.Postgres {
		var keys []string
		if err := st.Query(ctx, &keys, `SELECT conname FROM pg_constraint WHERE conrelid = 'sentra'::regclass AND contype = 'u'`); err != nil || len(keys) != 0 {
			t.Errorf("unique constraints left on sentra = %q, %v; want none (the index replaces them)", keys, err)
		}
	}
	err = st.Exec(ctx, `INSERT INTO sentra (region_code, village_code, name, commodity, status, status_date, status_basis,
		created_at, updated_at) VALUES ('18.71', '18.71.01.1003', 'sentra TENUN', 'Tenun', 'aktif', '2026-11-22', 'x', ?, ?)`, now, now)
	if !store.IsUniqueViolation(err) {
		t.Errorf("inserting a third case of Sentra Tenun = %v, want a unique violation", err)
	}

	// The access log: every line kept, the new object type taken, the
	// others still refused, and nothing changed or removed.
	photo := dak.Access{UserID: u.ID, User: "auditor", Role: dak.RoleAuditor, Action: dak.AccessDownload,
		ObjectType: dak.ObjectSentraPhoto, ObjectID: 7}
	sentra := int64(3)
	photo.SentraID = &sentra
	if err := st.RecordAccess(ctx, &photo); err != nil || photo.ID != 4 {
		t.Errorf("RecordAccess(sentra_photo) = id %d, %v; want id 4", photo.ID, err)
	}
	lines, total, err := st.AccessLog(ctx, store.AccessFilter{})
	var got []string
	for _, l := range lines {
		got = append(got, l.ObjectType)
	}
	if err != nil || total != 4 || !slices.Equal(got, []string{"sentra_photo", "attachment", "trail_export", "document"}) ||
		lines[0].SentraName != "sentra tenun" || lines[3].ID != 1 || lines[3].ObjectID != 40 || lines[3].RemoteAddr != "127.0.0.1" {
		t.Errorf("access log after the upgrade = %+v (%d), %v", lines, total, err)
	}
	bad := photo
	bad.ObjectType = "sentra_export"
	if err := st.RecordAccess(ctx, &bad); !store.IsCheckViolation(err) {
		t.Errorf("RecordAccess(%q) = %v, want the CHECK to refuse it", bad.ObjectType, err)
	}
	for _, stmt := range []string{`UPDATE access_log SET user_name = 'orang-lain'`, `DELETE FROM access_log`} {
		if err := st.Exec(ctx, stmt); !errors.Is(err, dak.ErrIntegrity) {
			t.Errorf("Exec(%q) after the upgrade = %v, want ErrIntegrity", stmt, err)
		}
	}
	if st.Dialect() == store.SQLite {
		var indexes []string
		if err := st.Query(ctx, &indexes, `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'access_log'
			AND sql IS NOT NULL ORDER BY name`); err != nil || !slices.Equal(indexes, []string{"access_log_at", "access_log_proposal", "access_log_user"}) {
			t.Errorf("access_log indexes = %q, %v", indexes, err)
		}
	}
}
