package apitest

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/document"
	"dakflow/internal/keyring"
	"dakflow/internal/store"
	"dakflow/internal/store/dbtest"
	"dakflow/internal/web"
	"dakflow/internal/workflow"
	"dakflow/templates"
	"dakflow/workflows"
)

// Password of every test account.
const Password = "rahasia-uji-123"

// Env is a running dakflow over a fresh database, with one logged-in
// client per role. Pemda is bound to Kota Bandar Lampung (18.71); Other is
// the pemda of Kota Makassar (73.71).
type Env struct {
	URL       string
	Store     *store.Store
	Engine    *workflow.Engine
	Admin     *Client
	Pemda     *Client
	Other     *Client
	Verifier  *Client
	Verifier2 *Client
	Approver  *Client
	Approver2 *Client
	Treasury  *Client
	Treasury2 *Client
	Auditor   *Client
	// Server is the running server; its trail-export worker runs only
	// when a test starts it (RunExports).
	Server *web.Server
	// Keys is the server's signing key ring, in a temporary directory.
	Keys *keyring.Keyring
	// KeyFile is the path of the signing key's file.
	KeyFile string
	// sentraSeq numbers the sentra of the environment's proposals
	// (OwnSentraInput), shared by the copies For makes.
	sentraSeq *atomic.Int64
}

// NIP is the NIP of every test account; VerifierPosition and
// TreasuryPosition are the positions of those roles' accounts.
const (
	NIP              = "198001012005011001"
	VerifierPosition = "Verifikator Direktorat Jenderal Industri Kecil, Menengah, dan Aneka"
	TreasuryPosition = "Petugas Pencatat Penyaluran DAK Fisik"
)

// Year is the fiscal year the environment opens, with a large ceiling.
const Year = 2027

// NewEnv starts the server on loopback; everything stops at cleanup.
func NewEnv(tb testing.TB) *Env {
	tb.Helper()
	return NewEnvWith(tb, Options{})
}

// NewEnvLog is NewEnv with the server logging to log.
func NewEnvLog(tb testing.TB, log *slog.Logger) *Env {
	tb.Helper()
	return NewEnvWith(tb, Options{Log: log})
}

// Options are what a test may set of the environment's configuration.
type Options struct {
	Log *slog.Logger // nil discards the server's log
	// MaxAttachmentBytes is the largest attachment, as
	// DAKFLOW_MAX_UPLOAD_BYTES sets it; 0 takes the default.
	MaxAttachmentBytes int64
	// FilingsAtOnce and TurnWait are web.Config's; 0 takes the defaults.
	FilingsAtOnce int64
	TurnWait      time.Duration
}

// NewEnvWith is NewEnv configured by opts.
func NewEnvWith(tb testing.TB, opts Options) *Env {
	tb.Helper()
	log := opts.Log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	st := dbtest.Open(tb)
	defs, err := workflow.LoadAll(workflows.FS)
	if err != nil {
		tb.Fatal(err)
	}
	r, err := sharedRenderer()
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	engine, err := workflow.NewEngine(defs, "dak-fisik-ikm", st, r, nil, base, opts.MaxAttachmentBytes)
	if err != nil {
		tb.Fatal(err)
	}
	keyFile := filepath.Join(tb.TempDir(), "signing.key")
	keys, err := keyring.Open(keyFile, nil, nil)
	if err != nil {
		tb.Fatal(err)
	}
	w, err := web.New(st, engine, log, web.Config{BaseURL: base, Templates: templates.FS,
		Exports: web.ExportConfig{Dir: filepath.Join(tb.TempDir(), "exports"), Poll: 20 * time.Millisecond}, Keys: keys,
		FilingsAtOnce: opts.FilingsAtOnce, TurnWait: opts.TurnWait})
	if err != nil {
		tb.Fatal(err)
	}
	srv.Config.Handler = w.Handler()
	srv.Start()
	tb.Cleanup(srv.Close)
	e := &Env{URL: base, Store: st, Engine: engine, Server: w, Keys: keys, KeyFile: keyFile, sentraSeq: new(atomic.Int64)}
	ctx := context.Background()
	// Everyone who signs has a NIP and a position (DOCUMENTS.md, "Who
	// signs"): Approver is a Direktur, who signs letters a.n. the Direktur
	// Jenderal; Approver2 is the Direktur Jenderal.
	accounts := []struct {
		name     string
		role     dak.Role
		region   string
		position string
		into     **Client
	}{
		{"admin", dak.RoleAdmin, "", "", &e.Admin},
		{"pemda", dak.RolePemda, "18.71", "Kepala Dinas Perindustrian Kota Bandar Lampung", &e.Pemda},
		{"pemda-lain", dak.RolePemda, "73.71", "Kepala Dinas Perindustrian Kota Makassar", &e.Other},
		{"verifikator", dak.RoleVerifier, "", VerifierPosition, &e.Verifier},
		{"verifikator2", dak.RoleVerifier, "", VerifierPosition, &e.Verifier2},
		{"penetap", dak.RoleApprover, "", "Direktur Industri Kecil dan Menengah Kimia, Sandang, dan Kerajinan", &e.Approver},
		{"penetap2", dak.RoleApprover, "", "Direktur Jenderal Industri Kecil, Menengah, dan Aneka", &e.Approver2},
		{"perbendaharaan", dak.RoleTreasury, "", TreasuryPosition, &e.Treasury},
		{"perbendaharaan2", dak.RoleTreasury, "", TreasuryPosition, &e.Treasury2},
		{"auditor", dak.RoleAuditor, "", "", &e.Auditor},
	}
	for _, a := range accounts {
		_, err := st.CreateUser(ctx, store.NewUser{User: dak.User{Username: a.name, FullName: "Pengguna " + a.name,
			NIP: NIP, Position: a.position, Role: a.role, RegionCode: a.region}, Password: Password})
		if err != nil {
			tb.Fatal(err)
		}
		*a.into = Login(tb, base, a.name, Password)
	}
	if _, err := st.SetFiscalYear(ctx, Year, 1_000_000_000_000, nil); err != nil {
		tb.Fatal(err)
	}
	return e
}

// sharedRenderer is one renderer for every environment of a test process:
// it holds nothing that changes, and building one renders every kind of
// document once as a self-test.
var sharedRenderer = sync.OnceValues(func() (*document.Renderer, error) {
	return document.NewRenderer(templates.FS, document.Options{})
})

// For returns a copy of the environment whose clients report to tb, for
// use inside t.Run.
func (e *Env) For(tb testing.TB) *Env {
	cp := *e
	for _, c := range []**Client{&cp.Admin, &cp.Pemda, &cp.Other, &cp.Verifier, &cp.Verifier2, &cp.Approver,
		&cp.Approver2, &cp.Treasury, &cp.Treasury2, &cp.Auditor} {
		*c = (*c).With(tb)
	}
	return &cp
}

// RunExports starts the server's trail-export worker until the test ends.
func (e *Env) RunExports(tb testing.TB) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.Server.RunExports(ctx); close(done) }()
	tb.Cleanup(func() { cancel(); <-done })
}
