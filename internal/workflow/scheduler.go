package workflow

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/store"
)

// systemUser is the scheduler acting on the calendar's behalf.
var systemUser = dak.User{Username: "sistem", FullName: "Sistem dakflow", Role: dak.RoleSystem}

// triggers are the moments the scheduler fires an event by itself, named
// by an event's trigger in the workflow file; each lists the proposals,
// in the event's source states, that are due at now.
var triggers = map[string]func(ctx context.Context, st *store.Store, from []string, now time.Time) ([]int64, error){
	// stage_deadline: the document deadline of the stage due next has
	// passed (PMK 25/2024: the stage lapses).
	"stage_deadline": func(ctx context.Context, st *store.Store, from []string, now time.Time) ([]int64, error) {
		return st.DueStages(ctx, from, now)
	},
}

// LapseDue fires, as the system, every event of the current workflow that
// has a trigger (lapse, at a stage's deadline) on every proposal due, and
// returns how many fired. Several servers may run it at once: each
// proposal's own transaction and version check make sure it fires once.
func (e *Engine) LapseDue(ctx context.Context) (int, error) {
	n := 0
	defer func() { e.metrics.lapsed.Add(float64(n)) }()
	for _, ev := range e.current.Events {
		if ev.Trigger == "" {
			continue
		}
		ids, err := triggers[ev.Trigger](ctx, e.store, ev.From, e.store.Now())
		if err != nil {
			return n, err
		}
		for _, id := range ids {
			_, err := e.Fire(ctx, systemUser, id, Request{Event: ev.Name})
			switch {
			case err == nil:
				n++
			case errors.Is(err, dak.ErrConflict), errors.Is(err, dak.ErrRule):
				// another server got there first, or nothing is due after all
			default:
				return n, err
			}
		}
	}
	return n, nil
}

// RunScheduler checks for lapsed stages and prunes what has expired every
// minute until ctx ends.
func (e *Engine) RunScheduler(ctx context.Context, log *slog.Logger) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			e.RunScheduledOnce(ctx, log)
		}
	}
}

// RunScheduledOnce runs the scheduler's jobs once: lapse what is due,
// remind of what comes due, then prune. Failures are logged and counted in dakflow_scheduler_runs_total.
func (e *Engine) RunScheduledOnce(ctx context.Context, log *slog.Logger) {
	n, err := e.LapseDue(ctx)
	e.metrics.ObserveJob("lapse", err)
	if err != nil {
		log.Error("lapse scheduler", "err", err)
	} else if n > 0 {
		log.Info("lapse scheduler", "lapsed", n)
	}
	// Reminders before the calendar's deadlines: their unique key, not a
	// lock, keeps several processes from sending one twice (calendar.go).
	r, err := e.SendReminders(ctx)
	e.metrics.ObserveJob("remind", err)
	if err != nil && ctx.Err() == nil {
		log.Error("reminder scheduler", "err", err)
	} else if r > 0 {
		log.Info("reminder scheduler", "sent", r)
	}
	// Expired sessions, old login failures and old idempotency answers are
	// deleted, so that those tables stay bounded.
	pruned, err := e.store.Prune(ctx)
	e.metrics.pruned.Add(float64(pruned))
	e.metrics.ObserveJob("prune", err)
	if err != nil && ctx.Err() == nil {
		log.Error("prune", "err", err)
	}
}

// LinkSoon asks the linker to put fresh events on the global chain.
func (e *Engine) LinkSoon() {
	select {
	case e.link <- struct{}{}:
	default: // a run is already pending
	}
}

// linkDelay is how long the linker waits after a transition before it
// runs, gathering the events committed meanwhile. A trail or a checkpoint
// never waits for it: both link what is committed themselves. At 50 ms a
// busy server ran it 17 times a second, each run a transaction beside the
// transitions; at 250 ms it runs four times, the same work in bigger runs.
const linkDelay = 250 * time.Millisecond

// RunLinker links committed events to the global chain shortly after each
// transition (and every few seconds, for events of other processes), until
// ctx ends.
func (e *Engine) RunLinker(ctx context.Context, log *slog.Logger) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-e.link:
			// Events that commit meanwhile join this run: under load one
			// run links dozens, where running at once linked one or two
			// per run at the cost of a transaction each (the linker's
			// statements were half of all a transition made).
			select {
			case <-ctx.Done():
				return
			case <-time.After(linkDelay):
			}
		case <-t.C:
		}
		_, err := e.store.LinkGlobal(ctx)
		e.metrics.ObserveJob("link", err)
		if err != nil && ctx.Err() == nil {
			log.Error("global chain linker", "err", err)
		}
	}
}
