package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"dakflow/internal/dak"
	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
)

// TestTransitionWrites: a transition's locking read also reads the
// accounts it will notify, so UsersWithRole costs no statement of its own
// and answers what a read of its own would (enabled only, a pemda of the
// proposal's region only, in the order of their ids); the notifications,
// the document and the event that cites it are then one statement on
// PostgreSQL (a statement each on SQLite), and store what separate
// statements stored: a sound trail, the document's bytes, each account's
// notification.
func TestTransitionWrites(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := newFixture(t, st) // proposal f.id of region 18.71, recommended
	v1 := schemaUser(t, st, dak.User{Username: "verifikator-1", FullName: "Verifikator Satu", Role: dak.RoleVerifier})
	off := schemaUser(t, st, dak.User{Username: "verifikator-nonaktif", FullName: "Verifikator Nonaktif", Role: dak.RoleVerifier})
	v2 := schemaUser(t, st, dak.User{Username: "verifikator-2", FullName: "Verifikator Dua", Role: dak.RoleVerifier})
	other := schemaUser(t, st, dak.User{Username: "pemda-makassar", FullName: "Pemda Lain", Role: dak.RolePemda, RegionCode: "73.71"})
	if err := st.Exec(ctx, `UPDATE users SET disabled = true WHERE id = ?`, off.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.Exec(ctx, `UPDATE users SET email = 'v2@dakflow.test', email_notifications = true WHERE id = ?`, v2.ID); err != nil {
		t.Fatal(err)
	}
	roles := []dak.Role{dak.RoleVerifier, dak.RolePemda}

	// What UsersWithRole reads on its own, in a transaction of its own.
	want := map[dak.Role][]dak.User{}
	if err := st.InTx(ctx, func(tx *store.Tx) error {
		for _, r := range roles {
			users, err := tx.UsersWithRole(r, "18.71")
			if err != nil {
				return err
			}
			want[r] = users
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	ids := func(us []dak.User) (out []int64) {
		for _, u := range us {
			out = append(out, u.ID)
		}
		return out
	}
	if got := [][]int64{ids(want[dak.RoleVerifier]), ids(want[dak.RolePemda])}; !cmp.Equal(got, [][]int64{{v1.ID, v2.ID}, {f.user.ID}}) {
		t.Fatalf("UsersWithRole read alone = %v, want verifiers %d, %d and pemda %d (not %d, disabled, nor %d, another region)",
			got, v1.ID, v2.ID, f.user.ID, off.ID, other.ID)
	}
	if u := want[dak.RoleVerifier][1]; u.Email != "v2@dakflow.test" || !u.EmailNotifications || u.FullName != "Verifikator Dua" {
		t.Fatalf("verifier 2 read as %+v", u)
	}

	pdf := []byte("%PDF-1.4 surat pengembalian")
	var (
		doc        *dak.Document
		event      dak.Event
		statements []string
	)
	err := st.InTx(ctx, func(tx *store.Tx) error {
		p, tip, err := tx.LockProposalTip(f.id, roles...)
		if err != nil {
			return err
		}
		stop := st.RecordStatements()
		for _, r := range roles {
			got, err := tx.UsersWithRole(r, p.RegionCode)
			if err != nil {
				return err
			}
			if diff := cmp.Diff(want[r], got); diff != "" {
				t.Errorf("UsersWithRole(%s) after the locking read (-alone +preloaded):\n%s", r, diff)
			}
		}
		if s := stop(); len(s) != 0 {
			t.Errorf("UsersWithRole after the locking read ran %d statements: %q", len(s), s)
		}
		doc = &dak.Document{ProposalID: p.ID, Kind: "revision_request", Number: "REV-2027-00001", Title: "Surat permintaan perbaikan",
			VerifyCode: "KODE-REV-1", EventSeq: tip.Seq + 1}
		event = dak.Event{ProposalID: p.ID, Event: "request_revision", From: p.State, To: "revision", ActorID: v1.ID,
			Actor: v1.FullName, Role: dak.RoleVerifier, Comment: "Lengkapi RAB"}
		p.State = event.To
		if err := tx.SaveProposal(&p, p.Version); err != nil {
			return err
		}
		notes := []store.NewNotification{{UserID: f.user.ID, Kind: "request_revision", ProposalID: &p.ID, Message: "Usulan menunggu perbaikan"}}
		stop = st.RecordStatements()
		err = tx.AppendEventWith(&event, tip, store.EventWrites{Document: doc, PDF: pdf, Notifications: notes})
		statements = stop()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	wantStatements := 3 // notifications, document, event
	if st.Dialect() == store.Postgres {
		wantStatements = 1
	}
	if len(statements) != wantStatements {
		t.Errorf("the event's writes took %d statements, want %d:\n%s", len(statements), wantStatements, strings.Join(statements, "\n"))
	}
	if doc.ID == 0 || event.DocumentID == nil || *event.DocumentID != doc.ID || event.DocumentSHA256 != dak.SHA256Hex(pdf) ||
		doc.SHA256 != event.DocumentSHA256 || doc.Size != int64(len(pdf)) {
		t.Fatalf("document %+v, event cites %v %s", doc, event.DocumentID, event.DocumentSHA256)
	}

	// Stored as separate statements stored it.
	stored, err := st.DocumentPDF(ctx, doc.ID)
	if err != nil || string(stored) != string(pdf) {
		t.Fatalf("DocumentPDF = %q, %v", stored, err)
	}
	events, err := st.Events(ctx, f.id)
	if err != nil {
		t.Fatal(err)
	}
	last := events[len(events)-1]
	if len(last.Mismatch) != 0 || last.DocumentID == nil || *last.DocumentID != doc.ID || last.Hash != event.Hash {
		t.Fatalf("last event = %+v, want the sound one citing document %d", last, doc.ID)
	}
	notes, n, err := st.Notifications(ctx, f.user.ID, true, 1, 10)
	if err != nil || n != 1 || notes[0].Message != "Usulan menunggu perbaikan" || notes[0].ProposalID == nil || *notes[0].ProposalID != f.id {
		t.Fatalf("pemda's notifications = %+v (%d), %v", notes, n, err)
	}
	rep, err := st.Audit(ctx, store.AuditOptions{})
	if err != nil || len(rep.Findings) != 0 {
		t.Fatalf("Audit = %+v, %v", rep, err)
	}

	// The same number again is refused, naming the document; the same
	// place in the chain again is a conflict of the event, and nothing
	// of either is written.
	for _, c := range []struct {
		name, number string
		seq          int
		detail       string
	}{
		{"number taken", doc.Number, 0, "dokumen REV-2027-00001 sudah ada"},
		{"chain place taken", "REV-2027-00002", -1, "usulan sedang diproses oleh pengguna lain"},
	} {
		err := st.InTx(ctx, func(tx *store.Tx) error {
			_, tip, err := tx.LockProposalTip(f.id)
			if err != nil {
				return err
			}
			if c.seq < 0 {
				tip = store.ChainTip{Seq: last.Seq - 1, Hash: last.PrevHash}
			}
			d := &dak.Document{ProposalID: f.id, Kind: "revision_request", Number: c.number, Title: "Surat", VerifyCode: "KODE-" + c.name,
				EventSeq: tip.Seq + 1}
			e := dak.Event{ProposalID: f.id, Event: "comment", From: "revision", To: "revision", Actor: "Sistem", Role: dak.RoleVerifier}
			return tx.AppendEventWith(&e, tip, store.EventWrites{Document: d, PDF: pdf})
		})
		var de *dak.Error
		if !errors.As(err, &de) || de.Kind != dak.ErrConflict || !strings.Contains(de.Detail, c.detail) {
			t.Errorf("%s: err = %v, want a conflict saying %q", c.name, err, c.detail)
		}
	}
	docs, err := st.Documents(ctx, f.id)
	if err != nil || len(docs) != 3 {
		t.Fatalf("after the refusals %d documents (%v), want 3", len(docs), err)
	}
}

// TestFiscalYearOneStatement: a submission's read of its fiscal year
// brings the menu and region ceilings in the same statement, and reads
// what the list of fiscal years does.
func TestFiscalYearOneStatement(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	if _, err := st.SetFiscalYear(ctx, 2027, 750_000_000_000, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SetCeilings(ctx, store.Budget{Year: 2027, Ceiling: 750_000_000_000, ChangeReason: "Pagu per menu", LegalBasis: "Perpres",
		Menus:   map[dak.Menu]dak.Money{dak.MenuPembangunan: 500_000_000_000, dak.MenuRevitalisasi: 250_000_000_000},
		Regions: map[string]dak.Money{"18": 40_000_000_000, "18.71": 9_000_000_000}}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SetFiscalYear(ctx, 2028, 800_000_000_000, nil); err != nil {
		t.Fatal(err)
	}
	list, err := st.FiscalYears(ctx)
	if err != nil || len(list) != 2 {
		t.Fatalf("FiscalYears = %+v, %v", list, err)
	}
	for _, want := range list {
		var (
			got        dak.FiscalYear
			statements []string
		)
		if err := st.InTx(ctx, func(tx *store.Tx) error {
			stop := st.RecordStatements()
			got, err = tx.FiscalYear(want.Year)
			statements = stop()
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if len(statements) != 1 {
			t.Errorf("FiscalYear(%d) took %d statements:\n%s", want.Year, len(statements), strings.Join(statements, "\n"))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("FiscalYear(%d) (-listed +read):\n%s", want.Year, diff)
		}
	}
	if len(list[1].Menus) != 2 || len(list[1].Regions) != 2 {
		t.Errorf("2027 read with %d menus and %d regions, want 2 and 2", len(list[1].Menus), len(list[1].Regions))
	}
	err = st.InTx(ctx, func(tx *store.Tx) error { _, err := tx.FiscalYear(2031); return err })
	if !errors.Is(err, dak.ErrNotFound) {
		t.Errorf("FiscalYear(2031) = %v, want not found", err)
	}
}

// TestProposalsBySentraIndexed: a submission reads its sentra's proposals
// by sentra_id (SentraAndProposals), which an index serves on both
// engines (migration 0019): without it every submission scanned all the
// proposals of every year.
func TestProposalsBySentraIndexed(t *testing.T) {
	st := dbtest.Open(t)
	q := `SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'proposals' AND name = 'proposals_sentra'`
	if st.Dialect() == store.Postgres {
		q = `SELECT count(*) FROM pg_indexes WHERE tablename = 'proposals' AND indexname = 'proposals_sentra'
			AND indexdef LIKE '%(sentra_id)'`
	}
	var n int
	if err := st.Query(context.Background(), &n, q); err != nil || n != 1 {
		t.Fatalf("index proposals_sentra: %d found, %v", n, err)
	}
}

// TestSaveProposalNumbered: a transition whose document reads nothing
// between its save and its number does both in one statement on
// PostgreSQL; a version that moved meanwhile is a conflict that draws no
// number, so the numbering stays gapless.
func TestSaveProposalNumbered(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := newFixture(t, st)
	var (
		number     int64
		statements []string
	)
	err := st.InTx(ctx, func(tx *store.Tx) error {
		p, err := tx.LockProposal(f.id)
		if err != nil {
			return err
		}
		p.State = "needs_revision"
		stop := st.RecordStatements()
		number, err = tx.SaveProposalNumbered(&p, p.Version, "catatan_penilaian", 2027)
		statements = stop()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := 2 // the save, the draw
	if st.Dialect() == store.Postgres {
		want = 1
	}
	if number != 1 || len(statements) != want {
		t.Errorf("SaveProposalNumbered = number %d in %d statements, want 1 in %d:\n%s", number, len(statements), want, strings.Join(statements, "\n"))
	}
	p, err := st.Proposal(ctx, f.id)
	if err != nil || p.State != "needs_revision" || p.Version != 4 {
		t.Fatalf("saved proposal = state %q version %d (%v), want needs_revision at version 4", p.State, p.Version, err)
	}

	err = st.InTx(ctx, func(tx *store.Tx) error {
		stale := p
		stale.State = "recommended"
		_, err := tx.SaveProposalNumbered(&stale, p.Version-1, "catatan_penilaian", 2027)
		return err
	})
	if !errors.Is(err, dak.ErrConflict) {
		t.Errorf("SaveProposalNumbered at a moved version = %v, want a conflict", err)
	}
	err = st.InTx(ctx, func(tx *store.Tx) error {
		n, err := tx.NextNumber("catatan_penilaian", 2027)
		if err == nil && n != 2 {
			t.Errorf("the next number after a refused save = %d, want 2: the refusal drew none", n)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestEventWithSave: an event with no document and nothing between its
// save and itself writes the proposal with the event, one statement on
// PostgreSQL; when the version moved meanwhile it is a conflict, and its
// transaction keeps nothing of it — checked in the statement itself, so
// that the statement may carry the COMMIT (CommitWithEvent).
func TestEventWithSave(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := newFixture(t, st) // recommended, at version 3, two events
	fire := func(expected int64, to string) (statements []string, err error) {
		err = st.InTx(ctx, func(tx *store.Tx) error {
			p, tip, err := tx.LockProposalTip(f.id)
			if err != nil {
				return err
			}
			e := dak.Event{ProposalID: p.ID, Event: "comment", From: p.State, To: to, ActorID: f.user.ID, Actor: f.user.FullName, Role: f.user.Role}
			p.State = to
			stop := st.RecordStatements()
			tx.CommitWithEvent()
			err = tx.AppendEventWith(&e, tip, store.EventWrites{Save: &store.ProposalSave{Proposal: &p, Expected: expected}})
			statements = stop()
			return err
		})
		return statements, err
	}
	statements, err := fire(3, "allocated")
	if err != nil {
		t.Fatal(err)
	}
	want := 2 // the save, the event
	if st.Dialect() == store.Postgres {
		want = 1
	}
	if len(statements) != want {
		t.Errorf("the save and the event took %d statements, want %d:\n%s", len(statements), want, strings.Join(statements, "\n"))
	}
	if _, err := fire(3, "rejected"); !errors.Is(err, dak.ErrConflict) {
		t.Errorf("a save at a moved version = %v, want a conflict", err)
	}
	p, err := st.Proposal(ctx, f.id)
	if err != nil || p.State != "allocated" || p.Version != 4 {
		t.Fatalf("proposal = %q at version %d (%v), want allocated at 4", p.State, p.Version, err)
	}
	events, err := st.Events(ctx, f.id)
	if err != nil || len(events) != 3 || events[2].To != "allocated" || len(events[2].Mismatch) != 0 {
		t.Fatalf("events = %+v (%v), want the two of the fixture and the sound allocated one", events, err)
	}
	if rep, err := st.Audit(ctx, store.AuditOptions{}); err != nil || len(rep.Findings) != 0 {
		t.Fatalf("Audit = %+v, %v", rep, err)
	}
}

// TestLockReadsAgree: what a transition reads with its lock (its files,
// its sentra with the sentra's proposals, its fiscal year with ceilings and
// calendar) is what Attachments, SentraAndProposals and FiscalYear answer
// alone, and on PostgreSQL it costs no statement beyond the locking read.
// A proposal naming no sentra reads none, nor one of a year not set.
func TestLockReadsAgree(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := newFixture(t, st)
	var sentraID int64
	err := st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		sentraID, err = tx.CreateSentra(sentraRecord("Sentra Tapis", "18.71.02.1003", "Tenun"), f.user)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, 2)
	for i := range ids {
		p := dak.Proposal{FiscalYear: 2027 + i, Menu: dak.Menu("revitalisasi"), Title: "Revitalisasi Sentra Tapis", RegionCode: "18.71",
			State: "draft", Workflow: "dak-fisik-ikm", WorkflowVersion: 1, CreatedBy: f.user.ID}
		p.Content.SentraID = sentraID
		if err := st.CreateProposal(ctx, &p); err != nil {
			t.Fatal(err)
		}
		ids[i] = p.ID
	}
	files := []dak.Attachment{
		{ProposalID: ids[0], Kind: "rab", FileName: "rab.pdf", ContentType: "application/pdf", Size: 3, SHA256: dak.SHA256Hex([]byte("rab")), UploadedBy: f.user.ID},
		{ProposalID: ids[0], Kind: "tor", Stage: 1, FileName: "tor.pdf", ContentType: "application/pdf", Size: 3, SHA256: dak.SHA256Hex([]byte("tor")), UploadedBy: f.user.ID},
	}
	if err := st.InTx(ctx, func(tx *store.Tx) error { return tx.AddAttachments(files, [][]byte{[]byte("rab"), []byte("tor")}) }); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SetCeilings(ctx, store.Budget{Year: 2027, Ceiling: 750_000_000_000,
		Menus:   map[dak.Menu]dak.Money{dak.MenuPembangunan: 500_000_000_000, dak.MenuRevitalisasi: 250_000_000_000},
		Regions: map[string]dak.Money{"18": 40_000_000_000, "18.71": 9_000_000_000}}); err != nil {
		t.Fatal(err)
	}
	if err := st.Exec(ctx, `UPDATE fiscal_years SET submission_deadline = ?, submission_opens = ?, rk_deadline = ?,
		stage_deadlines = '{"1":"2027-06-30T16:59:59Z","2":"2027-10-31T16:59:59Z"}' WHERE year = 2027`,
		time.Date(2026, 12, 31, 16, 59, 59, 0, time.UTC), time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2027, 3, 31, 16, 59, 59, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		id         int64
		withSentra bool
		withYear   bool
	}{{ids[0], true, true}, {f.id, false, true}, {ids[1], true, false}} { // no fiscal year 2028
		err := st.InTx(ctx, func(tx *store.Tx) error {
			stop := st.RecordStatements()
			l, err := tx.LockForTransition(c.id, store.LockReads{Files: true, Sentra: true, FiscalYear: true})
			statements := stop()
			if err != nil {
				return err
			}
			if st.Dialect() == store.Postgres && len(statements) != 1 {
				t.Errorf("locking read with files and sentra ran %d statements, want 1: %q", len(statements), statements)
			}
			if !l.FilesRead || !l.SentraRead || !l.FiscalYearRead {
				t.Errorf("FilesRead %v, SentraRead %v, FiscalYearRead %v: want all", l.FilesRead, l.SentraRead, l.FiscalYearRead)
			}
			fy, err := tx.FiscalYear(l.Proposal.FiscalYear)
			switch {
			case !c.withYear:
				if !errors.Is(err, dak.ErrNotFound) || l.FiscalYear != nil {
					t.Errorf("fiscal year %d: alone %v, with the lock %+v; want none", l.Proposal.FiscalYear, err, l.FiscalYear)
				}
			case err != nil:
				return err
			case len(fy.Menus) != 2 || len(fy.Regions) != 2 || fy.Calendar.RKDeadline == nil || len(fy.Calendar.StageDeadlines) != 2:
				t.Errorf("fiscal year read alone lacks what was set: %+v", fy)
			default:
				if diff := cmp.Diff(&fy, l.FiscalYear); diff != "" {
					t.Errorf("fiscal year (-alone +with the lock):\n%s", diff)
				}
			}
			alone, err := tx.Attachments(c.id)
			if err != nil {
				return err
			}
			if diff := cmp.Diff(alone, l.Files, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("proposal %d files (-alone +with the lock):\n%s", c.id, diff)
			}
			if !c.withSentra {
				if l.Sentra != nil || len(l.SentraProposals) != 0 {
					t.Errorf("proposal %d names no sentra, read %+v with %v", c.id, l.Sentra, l.SentraProposals)
				}
				return nil
			}
			s, props, err := tx.SentraAndProposals(sentraID)
			if err != nil {
				return err
			}
			if diff := cmp.Diff(&s, l.Sentra); diff != "" {
				t.Errorf("sentra (-alone +with the lock):\n%s", diff)
			}
			if diff := cmp.Diff(props, l.SentraProposals); diff != "" || len(props) != 2 {
				t.Errorf("the sentra's %d proposals (-alone +with the lock):\n%s", len(props), diff)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := files[0].CreatedAt; got.IsZero() {
		t.Fatal("AddAttachments left created_at unset")
	}
}
