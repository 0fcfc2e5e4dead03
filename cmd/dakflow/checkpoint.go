package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"dakflow/internal/dak"
	"dakflow/internal/keyring"
	"dakflow/internal/store"
	"dakflow/internal/translog"
	"dakflow/internal/workflow"
)

// publisher signs checkpoints of the global log and puts them where the
// database operator cannot rewrite them: the checkpoint directory and,
// when configured, a webhook.
type publisher struct {
	store *store.Store
	keys  *keyring.Keyring
	dir   translog.Dir
	hook  *translog.Webhook // nil without DAKFLOW_CHECKPOINT_WEBHOOK
	log   *slog.Logger
	jobs  *workflow.Metrics // counts each run as job "checkpoint"

	offered int64 // the largest tree offered to the webhook
}

func newPublisher(cfg *config, st *store.Store, keys *keyring.Keyring, jobs *workflow.Metrics, log *slog.Logger) *publisher {
	p := &publisher{store: st, keys: keys, dir: translog.Dir(cfg.CheckpointDir), log: log, jobs: jobs}
	if cfg.CheckpointWebhook != "" {
		p.hook = translog.NewWebhook(cfg.CheckpointWebhook, log)
	}
	return p
}

// once links pending events, signs a checkpoint when the log grew, and
// writes every checkpoint the directory lacks, each after a consistency
// check against the directory's newest. It returns the newest checkpoint
// and the files written; an empty log is ErrNotFound.
func (p *publisher) once(ctx context.Context) (translog.Checkpoint, []string, error) {
	if _, err := p.store.LinkGlobal(ctx); err != nil {
		return translog.Checkpoint{}, nil, err
	}
	key, err := p.keys.Current()
	if err != nil {
		return translog.Checkpoint{}, nil, err
	}
	latest, _, err := p.store.WriteCheckpoint(ctx, key.Signer)
	if err != nil {
		return translog.Checkpoint{}, nil, err
	}
	known, err := p.keys.Verifiers()
	if err != nil {
		return latest, nil, err
	}
	have, _, err := p.dir.Latest(known)
	if err != nil {
		return latest, nil, err
	}
	pending, err := p.store.Checkpoints(ctx, have.Size)
	if err != nil {
		return latest, nil, err
	}
	prove := func(oldSize, newSize int64) ([]tlog.Hash, error) {
		proof, err := p.store.ProveConsistency(ctx, oldSize, newSize)
		return proof.Proof, err
	}
	var written []string
	for _, c := range pending {
		wrote, err := p.dir.Append(c, known, prove)
		if err != nil {
			return latest, written, err
		}
		if wrote {
			written = append(written, translog.FileName(c))
		}
	}
	return latest, written, nil
}

// run publishes every interval until ctx ends; failures are logged and
// tried again at the next tick. The webhook posts what run offers it in
// its own goroutine (p.hook.Run), which serve starts beside this one.
func (p *publisher) run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		latest, written, err := p.once(ctx)
		if ctx.Err() == nil {
			ran := err
			if errors.Is(err, dak.ErrNotFound) {
				ran = nil // nothing logged yet is a run that had nothing to do
			}
			p.jobs.ObserveJob("checkpoint", ran)
		}
		switch {
		case errors.Is(err, dak.ErrNotFound): // nothing logged yet
		case err != nil && ctx.Err() == nil:
			p.log.Error("checkpoint", "err", err)
		case len(written) > 0:
			p.log.Info("checkpoint written", "tree_size", latest.Size, "files", written)
		}
		if err == nil && p.hook != nil && latest.Size > p.offered {
			p.hook.Offer(latest.Note)
			p.offered = latest.Size
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// cmdCheckpoint signs a checkpoint of the global log now and writes it to
// the checkpoint directory (and the webhook, once).
func cmdCheckpoint(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("checkpoint", flag.ContinueOnError)
	cfg := newConfig(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer a.Close()
	keys, err := openKeys(ctx, cfg, a.store)
	if err != nil {
		return err
	}
	p := newPublisher(cfg, a.store, keys, a.engine.Metrics(), slog.New(slog.NewTextHandler(io.Discard, nil)))
	latest, written, err := p.once(ctx)
	if errors.Is(err, dak.ErrNotFound) {
		fmt.Fprintln(stdout, "the global log is empty: nothing to sign yet")
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "checkpoint of %d events, root %s, key %s\n", latest.Size, latest.Root, latest.KeyID)
	for _, f := range written {
		fmt.Fprintf(stdout, "written %s/%s\n", cfg.CheckpointDir, f)
	}
	if len(written) == 0 {
		fmt.Fprintf(stdout, "%s already holds it\n", cfg.CheckpointDir)
	}
	if p.hook != nil {
		if err := p.hook.Post(ctx, latest.Note); err != nil {
			fmt.Fprintf(stdout, "warning: %v; serve posts the newest checkpoint again later\n", err)
		} else {
			fmt.Fprintln(stdout, "posted to the webhook")
		}
	}
	_, err = stdout.Write(latest.Note)
	return err
}
