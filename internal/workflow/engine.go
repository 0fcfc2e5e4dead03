package workflow

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/looplab/fsm"

	"dakflow/internal/dak"
	"dakflow/internal/document"
	"dakflow/internal/store"
)

// Engine runs proposals through their workflow.
type Engine struct {
	defs      map[string]*Definition
	current   *Definition
	store     *store.Store
	docs      *document.Renderer
	numbers   Numbering
	baseURL   string
	link      chan struct{} // wakes the global chain linker
	batches   batches       // events that issue a document, committed together (batch.go)
	foresight foresight     // the numbers batches will draw, to render ahead of the draw (batch.go)
	machines  machines      // state machines to reuse, per definition (machines.go)

	metrics       *Metrics    // counted here, served by whoever registers them (metrics.go)
	maxAttachment int64       // the largest attachment in bytes (DAKFLOW_MAX_UPLOAD_BYTES)
	mail          atomic.Bool // notifications are also mailed (notify.go)
}

// NewEngine runs new proposals under the definition named current. It
// refuses a signer configuration of docs that does not fit who fires each
// document's event (document.Renderer.CheckSigners). maxAttachment is the
// largest attachment in bytes; 0 takes DefaultMaxAttachmentBytes.
func NewEngine(defs map[string]*Definition, current string, st *store.Store, docs *document.Renderer, numbers Numbering, baseURL string, maxAttachment int64) (*Engine, error) {
	d, ok := defs[current]
	if !ok {
		return nil, fmt.Errorf("workflow %q is not defined", current)
	}
	if err := docs.CheckSigners(FiredBy(defs)); err != nil {
		return nil, err
	}
	if maxAttachment <= 0 {
		maxAttachment = DefaultMaxAttachmentBytes
	}
	return &Engine{defs: defs, current: d, store: st, docs: docs, numbers: numbers, baseURL: strings.TrimRight(baseURL, "/"),
		link: make(chan struct{}, 1), metrics: newMetrics(), maxAttachment: maxAttachment, machines: newMachines(defs)}, nil
}

// Definition returns the workflow a proposal runs under (its recorded name).
func (e *Engine) Definition(name string) (*Definition, bool) {
	d, ok := e.defs[name]
	return d, ok
}

// Current is the workflow new proposals start under.
func (e *Engine) Current() *Definition { return e.current }

// Definitions lists every loaded workflow by name.
func (e *Engine) Definitions() []*Definition {
	out := make([]*Definition, 0, len(e.defs))
	for _, d := range e.defs {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// BaseURL is the public address documents point their QR codes to.
func (e *Engine) BaseURL() string { return e.baseURL }

// Request is one event fired by a user.
type Request struct {
	Event          string
	Comment        string
	Data           json.RawMessage
	IfMatch        int64  // expected version; 0 skips the check
	IdempotencyKey string // optional
	RequestHash    string // of the request body, to refuse a reused key with other content
}

// Result is what a fired event produced.
type Result struct {
	Proposal dak.Proposal
	Event    dak.Event
	Document *dak.Document
	// Replayed is set when the Idempotency-Key was answered before: the
	// event and document are the first request's, read back from their
	// rows, and the proposal is as it is now.
	Replayed bool
}

// newFSM builds the state machine of a definition at a state. The stored
// row is the truth: a machine only walks one event, or lists those allowed,
// from the state it is set to (machines.go).
func newFSM(d *Definition, state string, before func(*fsm.Event)) *fsm.FSM {
	events := make(fsm.Events, 0, len(d.Events))
	for _, ev := range d.Events {
		if ev.To != Stay {
			events = append(events, fsm.EventDesc{Name: ev.Name, Src: ev.From, Dst: ev.To})
			continue
		}
		for _, f := range ev.From { // a self-loop per state
			events = append(events, fsm.EventDesc{Name: ev.Name, Src: []string{f}, Dst: f})
		}
	}
	cbs := fsm.Callbacks{}
	if before != nil {
		cbs["before_event"] = func(_ context.Context, e *fsm.Event) { before(e) }
	}
	return fsm.NewFSM(state, events, cbs)
}

// AvailableEvents lists, sorted, the events u may fire on p now: state,
// role and the guards that read only the proposal and the caller (such as
// reviewer_assigned); data-dependent guards are checked when the event
// fires.
func (e *Engine) AvailableEvents(p dak.Proposal, u dak.User) []string {
	d, ok := e.defs[p.Workflow]
	if !ok || !u.Sees(p.RegionCode) {
		return []string{}
	}
	out := []string{}
	for _, name := range e.machines.available(d, p.State) {
		ev, _ := d.Event(name)
		if slices.Contains(ev.Roles, string(u.Role)) {
			if !offered(d, ev, &p, u) {
				continue
			}
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Visible returns the proposal if u may see it; otherwise ErrNotFound, so
// that existence does not leak (PRODUCT.md §1).
func (e *Engine) Visible(ctx context.Context, u dak.User, id int64) (dak.Proposal, error) {
	p, err := e.store.Proposal(ctx, id)
	if err != nil {
		return p, err
	}
	if !u.Sees(p.RegionCode) {
		return dak.Proposal{}, dak.Errorf(dak.ErrNotFound, "usulan %d tidak ditemukan", id)
	}
	return p, nil
}

func randomCode() string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b[:4]) + "-" + string(b[4:8]) + "-" + string(b[8:])
}
