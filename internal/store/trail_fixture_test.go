package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"dakflow/internal/dak"
	"dakflow/internal/store"
)

// fixture is a proposal with a short trail built through the store alone:
// submit (a receipt, a frozen revision), an attachment, recommend (a
// letter). Its state is the last event's.
type fixture struct {
	st   *store.Store
	user dak.User
	id   int64
}

func newFixture(t testing.TB, st *store.Store) *fixture {
	t.Helper()
	ctx := context.Background()
	u := schemaUser(t, st, dak.User{Username: "pemda-tapis", FullName: "Pengguna Pemda", Role: dak.RolePemda, RegionCode: "18.71"})
	f := &fixture{st: st, user: u}
	f.id = f.proposal(t)
	f.step(t, f.id, "submit", "submitted")
	a := dak.Attachment{ProposalID: f.id, Kind: "foto_lokasi", FileName: "lokasi.jpg", ContentType: "image/jpeg", Size: 4,
		SHA256: dak.SHA256Hex([]byte("jpeg")), UploadedBy: u.ID}
	if err := st.InTx(ctx, func(tx *store.Tx) error { return tx.AddAttachment(&a, []byte("jpeg")) }); err != nil {
		t.Fatal(err)
	}
	f.step(t, f.id, "recommend", "recommended")
	return f
}

// proposal files a new draft.
func (f *fixture) proposal(t testing.TB) int64 {
	t.Helper()
	p := dak.Proposal{FiscalYear: 2027, Menu: dak.Menu("revitalisasi"), Title: "Revitalisasi Sentra Tenun Tapis",
		RegionCode: "18.71", State: "draft", Workflow: "dak-fisik-ikm", WorkflowVersion: 1, CreatedBy: f.user.ID}
	if err := f.st.CreateProposal(context.Background(), &p); err != nil {
		t.Fatal(err)
	}
	return p.ID
}

// step moves proposal id to state to by event, issuing a document, as
// the engine does: the document first, then the event that hashes it.
func (f *fixture) step(t testing.TB, id int64, event, to string) {
	t.Helper()
	if err := f.tryStep(id, event, to); err != nil {
		t.Fatalf("%s on proposal %d: %v", event, id, err)
	}
}

// tryStep is step for goroutines other than the test's.
func (f *fixture) tryStep(id int64, event, to string) error {
	return f.st.InTx(context.Background(), func(tx *store.Tx) error { return f.stepIn(tx, id, event, to) })
}

// stepIn is step inside the caller's transaction.
func (f *fixture) stepIn(tx *store.Tx, id int64, event, to string) error {
	p, err := tx.LockProposal(id)
	if err != nil {
		return err
	}
	tip, err := tx.Tip(id)
	if err != nil {
		return err
	}
	from := p.State
	p.State = to
	if err := tx.SaveProposal(&p, p.Version); err != nil {
		return err
	}
	seq := tip.Seq + 1
	if event == "submit" {
		if err := tx.AddRevision(id, seq, `{"title":"Revitalisasi Sentra Tenun Tapis"}`, f.user.ID); err != nil {
			return err
		}
	}
	doc := &dak.Document{ProposalID: id, Kind: event, Number: fmt.Sprintf("%s/%d/%d", event, id, seq),
		Title: "Dokumen " + event, VerifyCode: fmt.Sprintf("K%d-%d", id, seq), EventSeq: seq}
	if err := tx.AddDocument(doc, []byte(fmt.Sprintf("%%PDF-1.4 %s %d %d", event, id, seq))); err != nil {
		return err
	}
	e := dak.Event{ProposalID: id, Event: event, From: from, To: to, ActorID: f.user.ID, Actor: f.user.FullName,
		Role: f.user.Role, Comment: "catatan " + event, Data: json.RawMessage(`{"note": "<b>&</b>", "n": 1}`),
		DocumentID: &doc.ID, DocumentSHA256: doc.SHA256}
	return tx.AppendEvent(&e, tip)
}

// schemaUser adds an account with the columns users has had since the first
// migration, so that the upgrade tests can make one on an old schema, where
// CreateUser would write columns added since.
func schemaUser(t testing.TB, st *store.Store, u dak.User) dak.User {
	t.Helper()
	ctx := context.Background()
	hash, err := bcrypt.GenerateFromPassword([]byte("rahasia-panjang"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Exec(ctx, `INSERT INTO users (username, password_hash, full_name, role, region_code, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, u.Username, string(hash), u.FullName, string(u.Role), u.RegionCode, st.Now()); err != nil {
		t.Fatalf("create user %s: %v", u.Username, err)
	}
	if err := st.Query(ctx, &u.ID, `SELECT id FROM users WHERE username = ?`, u.Username); err != nil {
		t.Fatal(err)
	}
	return u
}
