package store_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"dakflow/internal/dak"
	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
)

// statementShape is what a statement does, for comparing statement logs
// across engines: its verb and table, quotes and spacing dropped.
func statementShape(sql string) string {
	sql = strings.Join(strings.Fields(strings.NewReplacer(`"`, "", "`", "").Replace(sql)), " ")
	switch {
	case strings.HasPrefix(sql, "WITH "): // the writes it makes, in order
		var writes []string
		for _, m := range regexp.MustCompile(`(INSERT INTO|UPDATE) (\w+)`).FindAllStringSubmatch(sql, -1) {
			if m[2] != "SET" { // ON CONFLICT … DO UPDATE SET: its INSERT's
				writes = append(writes, m[1]+" "+m[2])
			}
		}
		return strings.Join(writes, " + ")
	case strings.HasPrefix(sql, "INSERT INTO "), strings.HasPrefix(sql, "UPDATE "), strings.HasPrefix(sql, "DELETE FROM "):
		f := strings.Fields(sql)
		if f[0] == "UPDATE" {
			return "UPDATE " + f[1]
		}
		return f[0] + " " + f[1] + " " + f[2]
	case strings.HasPrefix(sql, "SELECT "):
		if m := regexp.MustCompile(`^SELECT .*? FROM (\w+)`).FindStringSubmatch(sql); m != nil {
			return "SELECT FROM " + m[1]
		}
	}
	return sql
}

// tapisPembangunan is a pembangunan of Kota Bandar Lampung that registers
// its sentra, for the tests that count a filing's statements.
func tapisPembangunan() dak.ProposalInput {
	lat, lon := -5.41, 105.26
	return dak.ProposalInput{FiscalYear: 2027, Menu: dak.MenuPembangunan, Title: "Pembangunan Sentra IKM Tenun Tapis",
		Sentra: dak.SentraInput{Name: "Sentra IKM Tenun Tapis", Commodity: "Kain tenun tapis", VillageCode: "18.71.01.1003",
			Address: "Jalan Way Halim No. 5", Latitude: &lat, Longitude: &lon, IKMUnits: 15, Workers: 60},
		Land: dak.Land{AreaM2: 2500, Ownership: "milik_pemda", CertificateNumber: "SHP 12/2019"},
		BudgetLines: []dak.BudgetLine{{Category: "gedung_produksi", Description: "Gedung produksi bersama", Quantity: 1,
			Unit: "paket", UnitPrice: 350_000_000}},
		Outputs: []dak.Output{{Description: "Gedung produksi", Volume: 1, Unit: "unit"}}}
}

// TestCreateProposalStatements: filing a pembangunan that registers its
// sentra (POST /api/v1/proposals, deadline day's filing) writes everything
// before it draws its number, so that the counter row is the last lock it
// takes and is held only while the number goes in: the desa's sentra read,
// the sentra, the proposal under a provisional number, the number, then
// the number in place with the sentra's first history line, by the filing
// user, which names it (one statement on PostgreSQL, three on SQLite); and
// it stores what it always did. A filing refused for its desa writes
// nothing and draws no number: the next one follows without a gap.
func TestCreateProposalStatements(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	st.SetClock(func() time.Time { return time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC) })
	pemda, e := pemdaEngine(t, st)
	in := tapisPembangunan()

	stop := st.RecordStatements()
	p, err := e.CreateProposal(ctx, pemda, in)
	statements := stop()
	if err != nil {
		t.Fatalf("CreateProposal = %v", err)
	}
	var got []string
	for _, s := range statements {
		got = append(got, statementShape(s))
	}
	want := []string{"SELECT FROM sentra", "INSERT INTO sentra", "INSERT INTO proposals", "INSERT INTO counters",
		"UPDATE proposals", "UPDATE sentra", "INSERT INTO sentra_status_history"}
	if st.Dialect() == store.Postgres { // the number, the record's basis and the history line: one statement
		want = []string{"SELECT FROM sentra", "INSERT INTO sentra", "INSERT INTO proposals", "INSERT INTO counters",
			"UPDATE proposals + UPDATE sentra + INSERT INTO sentra_status_history"}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statements of one filing (-want +got):\n%s\n%s", diff, strings.Join(statements, "\n"))
	}

	// What it stores: the proposal linked to the sentra it registered, in
	// its row and its content; the record usulan on the proposal's basis,
	// its history naming the filer and the proposal.
	if p.Number != "USL-2027-1871-00001" || p.SentraID == 0 || p.Content.SentraID != p.SentraID || p.Version != 1 {
		t.Fatalf("filed %s, sentra %d, content's sentra %d, version %d", p.Number, p.SentraID, p.Content.SentraID, p.Version)
	}
	stored, err := st.Proposal(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p, stored); diff != "" {
		t.Errorf("stored proposal (-filed +stored):\n%s", diff)
	}
	var row []struct {
		SentraID int64
		Content  string
	}
	if err := st.Query(ctx, &row, `SELECT sentra_id, content FROM proposals WHERE id = ?`, p.ID); err != nil || len(row) != 1 {
		t.Fatalf("proposal row %v, %v", row, err)
	}
	content, err := json.Marshal(p.Content)
	if err != nil {
		t.Fatal(err)
	}
	if row[0].SentraID != p.SentraID || row[0].Content != string(content) {
		t.Errorf("row: sentra %d, content %s; want sentra %d, content %s", row[0].SentraID, row[0].Content, p.SentraID, content)
	}
	s, err := st.Sentra(ctx, dak.User{}, p.SentraID)
	if err != nil {
		t.Fatal(err)
	}
	basis := "Didaftarkan dari usulan " + p.Number
	if s.Name != in.Sentra.Name || s.VillageCode != in.Sentra.VillageCode || s.RegionCode != "18.71" || s.Status != dak.SentraUsulan ||
		s.StatusDate != "2026-11-22" || s.StatusBasis != basis || s.Version != 1 {
		t.Errorf("registered %+v", s)
	}
	wantHistory := []dak.SentraEntry{{Status: dak.SentraUsulan, StatusLabel: dak.SentraUsulan.Label(), Date: "2026-11-22",
		Basis: basis, By: "Pengguna pemda", ProposalID: p.ID, At: st.Now()}}
	if diff := cmp.Diff(wantHistory, s.StatusHistory); diff != "" {
		t.Errorf("status history (-want +got):\n%s", diff)
	}
	var byUser []int64
	if err := st.Query(ctx, &byUser, `SELECT by_user_id FROM sentra_status_history WHERE sentra_id = ?`, p.SentraID); err != nil ||
		len(byUser) != 1 || byUser[0] != pemda.ID {
		t.Errorf("history by_user_id %v, %v; want %d", byUser, err, pemda.ID)
	}

	// A second filing for the same desa and commodity is refused before it
	// writes or draws a number: its one statement is the desa's read. The
	// next filing takes the next number.
	stop = st.RecordStatements()
	_, err = e.CreateProposal(ctx, pemda, in)
	statements = stop()
	if de, ok := dak.AsError(err); !ok || de.Kind != dak.ErrInvalid {
		t.Fatalf("second filing = %v, want ErrInvalid", err)
	}
	if len(statements) != 1 || statementShape(statements[0]) != "SELECT FROM sentra" {
		t.Errorf("statements of a refused filing: %q, want one, SELECT FROM sentra", statements)
	}
	in.Menu, in.Title = dak.MenuRevitalisasi, "Revitalisasi"
	in.Sentra = dak.SentraInput{}
	next, err := e.CreateProposal(ctx, pemda, in)
	if err != nil || next.Number != "USL-2027-1871-00002" {
		t.Errorf("next filing = %s, %v", next.Number, err)
	}
}
