package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"golang.org/x/sync/errgroup"

	"dakflow/internal/mail"
	"dakflow/internal/web"
	"dakflow/templates"
)

// serveMemoryLimit is the Go runtime's soft memory limit for serve, unless
// GOMEMLIMIT sets another: without one the heap may grow to twice what is
// live before a collection, and a burst of large uploads took the process
// past the 150 MB it is given (PRODUCT.md §7, TestMemoryUnderAbuse). On
// SQLite the engine's page cache lives outside the Go heap, so the heap
// gets less: peaks under abuse measured 122 MB on PostgreSQL at 80 MiB and
// 133 MB on SQLite at 56 MiB (159 MB at 80). Too low a limit costs
// throughput instead: 500 deadline-day clients hold ~55 MiB of stacks,
// buffers and requests, and at 56 MiB the collector ran without pause
// (20 submissions a second against 72 at 80 MiB).
func serveMemoryLimit(databaseURL string) int64 {
	if strings.HasPrefix(databaseURL, "postgres") {
		return 80 << 20
	}
	return 56 << 20
}

// cmdServe runs the HTTP service until ctx ends. ready, when set, receives
// the listening address (tests listen on :0).
func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer, ready func(addr string)) (err error) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := newConfig(fs)
	noMigrate := fs.Bool("no-migrate", false, "refuse to start on an old schema instead of migrating")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serveMemoryLimit(cfg.DatabaseURL))
	}
	if os.Getenv("GOGC") == "" {
		// Collect when the heap has grown fourfold, not twofold: a
		// transition's garbage (its PDF, its statements' buffers) is
		// most of what the collector finds, and collecting half as often
		// took about 8% of the server's CPU per transition away. The soft
		// memory limit above still bounds the heap under load.
		debug.SetGCPercent(400)
	}
	a, err := openApp(ctx, cfg, !*noMigrate)
	if err != nil {
		return err
	}
	// The store closes last, after every goroutine that uses it stopped.
	defer func() { err = errors.Join(err, a.Close()) }()
	keys, err := openKeys(ctx, cfg, a.store)
	if err != nil {
		return err
	}
	srv, err := web.New(a.store, a.engine, log, web.Config{BaseURL: cfg.BaseURL, Templates: templates.FS,
		Exports: web.ExportConfig{Dir: filepath.Join(cfg.DataDir, "exports")}, Keys: keys})
	if err != nil {
		return err
	}
	var sender *mail.Sender
	if cfg.SMTP != nil { // notifications mailed too, never inside a transition (internal/mail)
		a.engine.EnableMail(true)
		sender = mail.NewSender(*cfg.SMTP, a.store, log, cfg.BaseURL)
		if err := srv.RegisterMetrics(sender.Metrics()); err != nil {
			return err
		}
	}
	// Every goroutine of the service lives in one group: the first to fail
	// (the listener, typically) cancels the others, and so does the end of
	// ctx; Wait returns when all have stopped. Each worker stops at the end
	// of its context: the checkpoint publisher and its webhook, the trail
	// exports (a job in progress goes back to the queue), the lapse
	// scheduler and the global chain linker.
	g, gctx := errgroup.WithContext(ctx)
	pub := newPublisher(cfg, a.store, keys, a.engine.Metrics(), log)
	g.Go(func() error { pub.run(gctx, cfg.CheckpointInterval); return nil })
	if pub.hook != nil {
		g.Go(func() error { pub.hook.Run(gctx); return nil })
	}
	g.Go(func() error { srv.RunExports(gctx); return nil })
	g.Go(func() error { a.engine.RunScheduler(gctx, log); return nil })
	g.Go(func() error { a.engine.RunLinker(gctx, log); return nil })
	if sender != nil {
		g.Go(func() error { sender.Run(gctx); return nil })
	}
	if cfg.PprofAddr != "" {
		g.Go(func() error { return servePprof(gctx, cfg.PprofAddr) })
	}
	g.Go(func() error {
		return srv.Start(gctx, cfg.Addr, func(addr string) {
			log.Info("dakflow listening", "addr", addr, "config", cfg.String())
			if ready != nil {
				ready(addr)
			}
		})
	})
	return g.Wait()
}
