package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"dakflow/internal/dak"
	"dakflow/internal/document"
	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
	"dakflow/internal/workflow"
	"dakflow/templates"
	"dakflow/workflows"
)

// pemdaEngine is a workflow engine of the shipped workflow over st, with a
// pemda of Kota Bandar Lampung to act, for tests that count statements.
func pemdaEngine(t *testing.T, st *store.Store) (dak.User, *workflow.Engine) {
	t.Helper()
	pemda, err := st.CreateUser(context.Background(), store.NewUser{User: dak.User{Username: "pemda", FullName: "Pengguna pemda",
		Role: dak.RolePemda, RegionCode: "18.71"}, Password: "rahasia-panjang"})
	if err != nil {
		t.Fatal(err)
	}
	defs, err := workflow.LoadAll(workflows.FS)
	if err != nil {
		t.Fatal(err)
	}
	r, err := document.NewRenderer(templates.FS, document.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e, err := workflow.NewEngine(defs, "dak-fisik-ikm", st, r, nil, "http://dakflow.test", 0)
	if err != nil {
		t.Fatal(err)
	}
	return pemda, e
}

// TestAttachManyStatements: an upload of several files (deadline day's six
// attachments) is two statements: the proposal's locking read, which
// counts its attachments for the cap (not a list, not a statement of its
// own), and one INSERT of them all, in the order given.
func TestAttachManyStatements(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	pemda, e := pemdaEngine(t, st)
	p, err := e.CreateProposal(ctx, pemda, tapisPembangunan())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Attach(ctx, pemda, p.ID, "lainnya", "pertama.pdf", []byte("%PDF-1.4 pertama")); err != nil {
		t.Fatal(err)
	}
	kinds := []string{"surat_usulan", "tor", "rab", "ded", "sertifikat_lahan", "dokumen_lingkungan"}
	var files []workflow.Upload
	for _, k := range kinds {
		files = append(files, workflow.Upload{Kind: k, FileName: k + ".pdf", Data: []byte("%PDF-1.4 " + k)})
	}

	stop := st.RecordStatements()
	as, err := e.AttachMany(ctx, pemda, p.ID, files)
	statements := stop()
	if err != nil {
		t.Fatalf("AttachMany = %v", err)
	}
	var got []string
	for _, s := range statements {
		got = append(got, attachmentStatement(s))
	}
	want := []string{"locking read with the count", "INSERT INTO attachments"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("attachment statements of one upload of %d (-want +got):\n%s\n%s", len(files), diff, strings.Join(statements, "\n"))
	}

	stored, err := st.Attachments(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != 1+len(kinds) || len(as) != len(kinds) {
		t.Fatalf("stored %d attachments, answered %d; want %d and %d", len(stored), len(as), 1+len(kinds), len(kinds))
	}
	for i, k := range kinds {
		a, s := as[i], stored[1+i]
		if a.ID == 0 || a.ID != s.ID || s.Kind != k || s.FileName != k+".pdf" || s.Size != int64(len("%PDF-1.4 "+k)) {
			t.Errorf("attachment %d answered %+v, stored %+v; want %s in order", i, a, s, k)
		}
	}
}

// attachmentStatement is what a statement of an upload does: the locking
// read that counts the attachments, or the insert; any other as it is.
func attachmentStatement(sql string) string {
	sql = strings.Join(strings.Fields(strings.NewReplacer(`"`, "", "`", "").Replace(sql)), " ")
	switch {
	case strings.HasPrefix(sql, "INSERT INTO attachments"):
		return "INSERT INTO attachments"
	case strings.HasPrefix(sql, "SELECT proposals.*") && strings.Contains(sql, "(SELECT count(*) FROM attachments WHERE proposal_id = proposals.id)"):
		return "locking read with the count"
	}
	return sql
}

// TestFilingWithFilesStatements: a draft filed with its files (deadline
// day's one request, POST /api/v1/proposals as multipart) stores them in
// the statement that inserts it on PostgreSQL, so that a filing that
// registers its sentra is five statements there: the desa's read, the
// sentra, the draft with its files, its number, and the number in place
// with the sentra's first history line. SQLite inserts the files on their
// own. Each file is stored, in the order given, with its bytes.
func TestFilingWithFilesStatements(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	filed := time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC)
	st.SetClock(func() time.Time { return filed })
	pemda, e := pemdaEngine(t, st)
	in := tapisPembangunan()
	kinds := []string{"surat_usulan", "tor", "rab", "ded", "sertifikat_lahan", "dokumen_lingkungan"}
	var files []workflow.Upload
	for _, k := range kinds {
		files = append(files, workflow.Upload{Kind: k, FileName: k + ".pdf", Data: []byte("%PDF-1.4 " + k)})
	}

	stop := st.RecordStatements()
	p, _, err := e.CreateProposalWithFiles(ctx, pemda, in, files, workflow.Once{})
	statements := stop()
	if err != nil {
		t.Fatalf("CreateProposalWithFiles = %v", err)
	}
	var got []string
	for _, s := range statements {
		got = append(got, statementShape(s))
	}
	want := []string{"SELECT FROM sentra", "INSERT INTO sentra", "INSERT INTO proposals", "INSERT INTO attachments",
		"INSERT INTO counters", "UPDATE proposals", "UPDATE sentra", "INSERT INTO sentra_status_history"}
	if st.Dialect() == store.Postgres {
		want = []string{"SELECT FROM sentra", "INSERT INTO sentra", "INSERT INTO proposals + INSERT INTO attachments",
			"INSERT INTO counters", "UPDATE proposals + UPDATE sentra + INSERT INTO sentra_status_history"}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statements of one filing with %d files (-want +got):\n%s\n%s", len(files), diff, strings.Join(statements, "\n"))
	}

	stored, err := st.Attachments(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != len(kinds) {
		t.Fatalf("stored %d attachments, want %d", len(stored), len(kinds))
	}
	for i, k := range kinds {
		s := stored[i]
		if s.Kind != k || s.FileName != k+".pdf" || s.Stage != 0 || s.UploadedBy != pemda.ID || !s.CreatedAt.Equal(filed) {
			t.Errorf("attachment %d stored %+v; want %s in order", i, s, k)
		}
		a, data, err := st.AttachmentData(ctx, s.ID)
		if err != nil || a.ProposalID != p.ID || string(data) != "%PDF-1.4 "+k || a.SHA256 != dak.SHA256Hex(data) {
			t.Errorf("attachment %d: %+v, %q, %v", i, a, data, err)
		}
	}
}
