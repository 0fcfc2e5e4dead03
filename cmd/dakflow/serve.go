package main

import (
	"context"
	"flag"
	"io"
	"log/slog"
	"path/filepath"

	"dakflow/internal/web"
	"dakflow/templates"
)

// cmdServe runs the HTTP service until ctx ends. ready, when set, receives
// the listening address (tests listen on :0).
func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer, ready func(addr string)) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := newConfig(fs)
	noMigrate := fs.Bool("no-migrate", false, "refuse to start on an old schema instead of migrating")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	a, err := openApp(ctx, cfg, !*noMigrate)
	if err != nil {
		return err
	}
	defer a.Close()
	keys, err := openKeys(ctx, cfg, a.store)
	if err != nil {
		return err
	}
	srv, err := web.New(a.store, a.engine, log, web.Config{BaseURL: cfg.BaseURL, Templates: templates.FS,
		Exports: web.ExportConfig{Dir: filepath.Join(cfg.DataDir, "exports")}, Keys: keys})
	if err != nil {
		return err
	}
	// Signed checkpoints of the global log, every CheckpointInterval, to
	// the checkpoint directory and the webhook; done before the store closes.
	checkpoints := make(chan struct{})
	go func() { newPublisher(cfg, a.store, keys, log).run(ctx, cfg.CheckpointInterval); close(checkpoints) }()
	defer func() { <-checkpoints }()
	// Trail exports are built beside the server; on the way out a job in
	// progress goes back to the queue before the store closes.
	exports := make(chan struct{})
	go func() { srv.RunExports(ctx); close(exports) }()
	defer func() { <-exports }()
	go a.engine.RunScheduler(ctx, log)
	go a.engine.RunLinker(ctx, log)
	return srv.Start(ctx, cfg.Addr, func(addr string) {
		log.Info("dakflow listening", "addr", addr, "config", cfg.String())
		if ready != nil {
			ready(addr)
		}
	})
}
