package main

import (
	"context"
	"flag"
	"io"
	"log/slog"

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
	log := slog.New(slog.NewTextHandler(stderr, nil))
	a, err := openApp(ctx, cfg, !*noMigrate)
	if err != nil {
		return err
	}
	defer a.Close()
	srv, err := web.New(a.store, a.engine, log, web.Config{BaseURL: cfg.BaseURL, Templates: templates.FS})
	if err != nil {
		return err
	}
	go a.engine.RunScheduler(ctx, log)
	go a.engine.RunLinker(ctx, log)
	return srv.Start(ctx, cfg.Addr, func(addr string) {
		log.Info("dakflow listening", "addr", addr, "config", cfg.String())
		if ready != nil {
			ready(addr)
		}
	})
}
