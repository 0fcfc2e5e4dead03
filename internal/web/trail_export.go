package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/store"
)

// ExportConfig configures the trail exports: a region's or a fiscal year's
// trails as one ZIP, built in the background (PRODUCT.md §5). The jobs
// live in the database (store.ClaimTrailExport); a process keeps nothing
// of them between requests, so any number of `dakflow serve` may run.
type ExportConfig struct {
	// Dir is where finished exports are written (DATA_DIR/exports). Every
	// serve process must see the same directory, a shared volume, for any
	// of them to serve a download. Empty turns exports off.
	Dir string
	// Workers is how many exports this process builds at once (default 1).
	// Each holds one proposal's trail in memory at a time, never the ZIP.
	Workers int
	// MaxRunning bounds the exports running at once across every process
	// (default 2).
	MaxRunning int
	// Poll is how often an idle worker looks for a queued export (default
	// 5 s); a request made to this process wakes it at once.
	Poll time.Duration
	// Lease: a running export whose worker has not reported for this long
	// (its process died) is taken over (default 2 min).
	Lease time.Duration
	// MaxAttempts: an export taken over this many times fails (default 3).
	MaxAttempts int
	// MaxOpenPerUser bounds the exports one user may have queued or
	// running (default 3).
	MaxOpenPerUser int
}

// exporter is this process's export worker: its name in the claims and
// the bell a new request rings.
type exporter struct {
	cfg    ExportConfig
	worker string
	wake   chan struct{}
}

func newExporter(cfg ExportConfig) *exporter {
	if cfg.Workers <= 0 {
		cfg.Workers = 1
	}
	if cfg.MaxRunning <= 0 {
		cfg.MaxRunning = 2
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 5 * time.Second
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 2 * time.Minute
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 3
	}
	if cfg.MaxOpenPerUser <= 0 {
		cfg.MaxOpenPerUser = 3
	}
	// The worker's name need only differ from every other worker's: the
	// process id and random bytes do that without the host name.
	host, err := os.Hostname()
	if err != nil {
		host = "host"
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b) // crypto/rand.Read never fails: it crashes the program instead
	worker := fmt.Sprintf("%s-%d-%s", safeFileName(host), os.Getpid(), hex.EncodeToString(b))
	return &exporter{cfg: cfg, worker: worker, wake: make(chan struct{}, 1)}
}

// ring wakes the worker of this process without waiting.
func (x *exporter) ring() {
	select {
	case x.wake <- struct{}{}:
	default:
	}
}

func (x *exporter) claim() store.ExportClaim {
	return store.ExportClaim{Worker: x.worker, Lease: x.cfg.Lease, MaxRunning: x.cfg.MaxRunning, MaxAttempts: x.cfg.MaxAttempts}
}

// RunExports claims and builds trail exports until ctx ends; `serve` runs
// it beside the HTTP server. On the way out a job in progress is put back
// in the queue for another process.
func (s *Server) RunExports(ctx context.Context) {
	x := s.exports
	if x.cfg.Dir == "" {
		return
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	slots := make(chan struct{}, x.cfg.Workers)
	tick := time.NewTicker(x.cfg.Poll)
	defer tick.Stop()
	for {
		for len(slots) < cap(slots) {
			job, ok, err := s.store.ClaimTrailExport(ctx, x.claim())
			if err != nil {
				if ctx.Err() == nil {
					s.log.Error("claim trail export", "worker", x.worker, "err", err)
				}
				break
			}
			if !ok {
				break
			}
			slots <- struct{}{}
			wg.Add(1)
			go func() {
				defer wg.Done()
				s.runExport(ctx, job)
				<-slots
				x.ring()
			}()
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-x.wake:
		}
	}
}

// runExport builds one claimed export and records how it ended.
func (s *Server) runExport(ctx context.Context, job dak.TrailExport) {
	x := s.exports
	log := s.log.With("export", job.ID, "worker", x.worker, "attempt", job.Attempts)
	log.Info("trail export started", "region", job.RegionCode, "fiscal_year", job.FiscalYear)
	err := s.writeExport(ctx, job)
	if err == nil {
		log.Info("trail export done")
		return
	}
	bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	switch {
	case errors.Is(err, dak.ErrConflict):
		log.Warn("trail export taken over by another worker", "err", err)
	case ctx.Err() != nil:
		if err := s.store.ReleaseTrailExport(bg, job.ID, x.worker); err != nil {
			log.Warn("trail export not released on shutdown; it is taken over when its lease ends", "err", err)
		}
	default:
		log.Error("trail export failed", "err", err)
		reason := "ekspor gagal; rincian kesalahan dicatat di log server"
		if de, ok := dak.AsError(err); ok {
			reason = "ekspor gagal: " + de.Detail
		}
		if err := s.store.FailTrailExport(bg, job.ID, x.worker, reason); err != nil {
			log.Error("trail export: record failure", "err", err)
		}
	}
}

// exportFile is the name of an export's file in Dir for one attempt: two
// workers that both believe they hold a job never write the same file.
func exportFile(id int64, attempt int) string { return fmt.Sprintf("ekspor-%d-%d.zip", id, attempt) }

// removeEarlierAttempts deletes what earlier attempts at a job left.
func removeEarlierAttempts(dir string, id int64, attempt int) {
	for a := 1; a < attempt; a++ {
		for _, name := range []string{exportFile(id, a), exportFile(id, a) + ".part"} {
			// Most attempts left nothing; a file that stays is never
			// served, as each attempt writes its own names.
			_ = os.Remove(filepath.Join(dir, name))
		}
	}
}
