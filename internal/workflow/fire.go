package workflow

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/looplab/fsm"

	"dakflow/internal/dak"
	"dakflow/internal/document"
	"dakflow/internal/store"
)

// Fire runs one event on a proposal as u. The state change, the audit
// event, the document and the idempotency record commit together or not
// at all. Under an Idempotency-Key already answered nothing runs: the
// result is rebuilt from the rows the first request wrote, the proposal as
// it is now (Replayed set). Errors: ErrInvalid (unknown event, a key used
// for another request), ErrMalformed (data the event does not take, a bad
// Idempotency-Key), ErrNotFound (not visible), ErrForbidden (role),
// ErrPrecondition (stale If-Match), ErrConflict (wrong state or a
// concurrent change; Extra names the state and allowed events), ErrRule
// (guards, each listed; or actor.nip and actor.position when the actor
// signs the event's document without them).
func (e *Engine) Fire(ctx context.Context, u dak.User, id int64, req Request) (Result, error) {
	start := time.Now()
	res, err := e.fireTx(ctx, u, id, req)
	e.observeFire(req.Event, res, err, start)
	return res, err
}

// fireTx is Fire without its metrics. An event that issues a document
// joins the batch of its document kind (batch.go); any other runs in a
// transaction of its own.
func (e *Engine) fireTx(ctx context.Context, u dak.User, id int64, req Request) (Result, error) {
	if err := checkIdempotencyKey(req.IdempotencyKey); err != nil {
		return Result{}, err
	}
	var (
		res Result
		err error
	)
	if kind := e.documentOf(req.Event); kind != "" {
		err = e.inBatchFinishing(ctx, kind, id, func(tx *store.Tx, numberLater bool) (partNext, error) {
			if req.IdempotencyKey != "" {
				// Its key is stored with its event, and a clash
				// must fail this event alone: all of it in its part.
				var err error
				res, err = e.fireIn(tx, u, id, req)
				return partNext{}, err
			}
			p, err := e.prepare(tx, u, id, req, numberLater)
			if err != nil {
				return partNext{}, err
			}
			result := func(finish func() (Result, error)) func() error {
				return func() error {
					var err error
					res, err = finish()
					return err
				}
			}
			if p.waiting == nil {
				return partNext{finish: result(p.finish)}, nil
			}
			resulting := func(numbered func(int64) (func() (Result, error), error)) func(int64) (func() error, error) {
				if numbered == nil {
					return nil
				}
				return func(seq int64) (func() error, error) {
					finish, err := numbered(seq)
					if err != nil {
						return nil, err
					}
					return result(finish), nil
				}
			}
			return partNext{kind: p.waiting.ev.Document, year: p.waiting.year(), renderForeseen: p.waiting.renderForeseen,
				numbered: resulting(p.numbered), drawing: resulting(p.drawing)}, nil
		})
		if err != nil {
			res = Result{} // a part that ran, then failed with its batch
		}
	} else {
		err = e.store.InTx(ctx, func(tx *store.Tx) error {
			var err error
			res, err = e.fireIn(tx, u, id, req)
			return err
		})
	}
	if err == nil && !res.Replayed {
		e.LinkSoon()
	}
	return res, err
}

// fireIn is one event inside the caller's transaction, with its
// Idempotency-Key: a stored answer is replayed, a new one stored.
func (e *Engine) fireIn(tx *store.Tx, u dak.User, id int64, req Request) (res Result, err error) {
	if req.IdempotencyKey != "" {
		// Lock the proposal before looking for a stored answer: a
		// retry sent while the first request is still running waits
		// here for it, then finds its answer and replays it, instead
		// of running the event again and failing on the new state.
		p, err := tx.LockProposal(id)
		if err != nil {
			return res, err
		}
		// Another region's proposal is not found, before a stored
		// answer could tell that the key was used on it.
		if !u.Sees(p.RegionCode) {
			return res, dak.Errorf(dak.ErrNotFound, "usulan %d tidak ditemukan", id)
		}
		prev, err := tx.IdempotentReply(u.ID, req.IdempotencyKey)
		if err != nil {
			return res, err
		}
		if prev != nil {
			if prev.RequestHash != req.RequestHash || prev.ProposalID != id || prev.EventSeq == 0 {
				return res, errKeyReused()
			}
			res, err = e.reply(tx, id, prev.EventSeq)
			res.Replayed = true
			return res, err
		}
	}
	if res, err = e.fire(tx, u, id, req); err != nil {
		return res, err
	}
	if req.IdempotencyKey != "" {
		if err := tx.SaveIdempotentReply(u.ID, req.IdempotencyKey, req.RequestHash, res.Event); err != nil {
			return res, err
		}
		// The first answer is read back from the rows as every replay
		// will be, so that the two are the same.
		res, err = e.reply(tx, id, res.Event.Seq)
	}
	return res, err
}

// reply reads back from their rows what the answer to an Idempotency-Key
// is made of: the proposal as it is now, the event seq of the proposal and
// the document it issued. The first answer and every retry's are built
// alike, so they agree.
func (e *Engine) reply(tx *store.Tx, proposalID int64, seq int) (Result, error) {
	p, err := tx.LockProposal(proposalID)
	if err != nil {
		return Result{}, err
	}
	ev, doc, err := tx.FiredEvent(proposalID, seq)
	if err != nil {
		return Result{}, err
	}
	return Result{Proposal: p, Event: ev, Document: doc}, nil
}

func (e *Engine) fire(tx *store.Tx, u dak.User, id int64, req Request) (Result, error) {
	p, err := e.prepare(tx, u, id, req, false)
	if err != nil {
		return Result{}, err
	}
	return p.finish()
}

// prepare is an event up to what needs its document's PDF: every check, the
// state change, the document's number and what it says (its rendering
// started), the actions and the notifications. Its finish, in the same
// transaction, stores the PDF and appends the event that cites its hash;
// it fails only if the database does (or the rendering: a defect), never
// for anything the caller could be refused for. With numberLater, an event
// whose document is all that follows its number stops before the draw
// (prepared.waiting): its batch draws the numbers of all its parts at once,
// after all their checks (runParts).
func (e *Engine) prepare(tx *store.Tx, u dak.User, id int64, req Request, numberLater bool) (_ prepared, err error) {
	locked, err := tx.LockForTransition(id, e.lockReads(req.Event))
	if err != nil {
		return prepared{}, err
	}
	p, tip := locked.Proposal, locked.Tip
	if !u.Sees(p.RegionCode) {
		return prepared{}, dak.Errorf(dak.ErrNotFound, "usulan %d tidak ditemukan", id)
	}
	d, ok := e.defs[p.Workflow]
	if !ok {
		return prepared{}, fmt.Errorf("proposal %d runs under unknown workflow %q", id, p.Workflow)
	}
	ev, ok := d.Event(req.Event)
	if !ok {
		return prepared{}, &dak.Error{Kind: dak.ErrInvalid, Detail: "peristiwa tidak dikenal",
			Fields: []dak.FieldError{{Field: "event", Message: fmt.Sprintf("peristiwa %q tidak ada dalam alur %s", req.Event, d.Name)}}}
	}
	if !slices.Contains(ev.Roles, string(u.Role)) {
		return prepared{}, dak.Errorf(dak.ErrForbidden, "%s tidak boleh melakukan %q", u.Role.Label(), ev.Label)
	}
	if req.IfMatch != 0 && req.IfMatch != p.Version {
		return prepared{}, dak.Errorf(dak.ErrPrecondition, "usulan telah berubah (versi %d, bukan %d); muat ulang", p.Version, req.IfMatch)
	}
	if !slices.Contains(ev.From, p.State) {
		allowed := e.AvailableEvents(p, u)
		return prepared{}, &dak.Error{Kind: dak.ErrConflict,
			Detail: fmt.Sprintf("%q tidak dapat dilakukan pada status %s", ev.Label, d.StateLabel(p.State)),
			Extra:  map[string]any{"state": p.State, "allowed_events": allowed}}
	}
	if err := e.checkSigner(ev, &p, u); err != nil {
		return prepared{}, err
	}
	data, err := decodeData(ev, req.Data)
	if err != nil {
		return prepared{}, err
	}
	comment := strings.TrimSpace(req.Comment)
	if err := checkTexts(comment, data); err != nil {
		return prepared{}, err
	}
	gc := &guardContext{def: d, event: ev, proposal: &p, actor: u, comment: comment, data: data, now: tx.Now(), finalStates: e.FinalStates(), tip: tip}
	if err := e.loadForGuards(tx, gc, &locked); err != nil {
		return prepared{}, err
	}
	// looplab/fsm walks the transition; the guards run in before_event and
	// cancel it with every failure listed.
	from := p.State
	to, err := e.machines.fire(d, p.State, ev.Name, func(fe *fsm.Event) {
		if failed := runGuards(gc); len(failed) > 0 {
			fe.Cancel(&dak.Error{Kind: dak.ErrRule, Detail: "syarat untuk \"" + ev.Label + "\" belum terpenuhi", Fields: failed})
		}
	})
	if err != nil && !errors.As(err, new(fsm.NoTransitionError)) {
		var de *dak.Error
		if errors.As(err, &de) {
			return prepared{}, de
		}
		var ce fsm.CanceledError
		if errors.As(err, &ce) && ce.Err != nil {
			return prepared{}, ce.Err
		}
		return prepared{}, fmt.Errorf("fire %s: %w", ev.Name, err)
	}
	p.State = to
	if err := apply(tx, gc); err != nil {
		return prepared{}, err
	}
	event := dak.Event{ProposalID: p.ID, Event: ev.Name, From: from, To: p.State, ActorID: u.ID, Actor: actorName(u),
		Role: u.Role, Comment: comment}
	if event.Data, err = json.Marshal(data); err != nil {
		return prepared{}, err
	}
	// Everything but the document and the event is written before the
	// document's number is drawn: the counter row of its kind stays locked
	// from the draw to the commit, and every transition issuing that kind
	// waits for it. When the document's facts read nothing from the
	// database, nothing happens between the save and the draw, and they
	// are one statement (store.Tx.SaveProposalNumbered). When the batch
	// draws the number (numberLater) after every part's checks, the event
	// is prepared up to it, and what follows the draw writes nothing but
	// the document and the event: an event that writes after its document
	// (gc.afterIssue, citing its number) draws its own.
	// An event without a document and without actions after it has
	// nothing between its save and its event, nor has one whose batch
	// draws its number when its document reads nothing from the database:
	// they are written together (store.EventWrites.Save), a statement
	// fewer; the proposal's row is locked since the locking read, so the
	// save cannot be refused there.
	later := numberLater && ev.Document != "" && len(gc.afterIssue) == 0
	querying := slices.ContainsFunc(ev.Facts, func(f string) bool { return factsQuerying[f] })
	expected, draw := p.Version, tx.NextNumber
	var save *store.ProposalSave
	switch {
	case ev.Document != "" && !later && !querying:
		p.Version, p.UpdatedAt = expected+1, tx.Now() // as the save leaves them, for the document
		draw = func(kind string, year int) (int64, error) { return tx.SaveProposalNumbered(&p, expected, kind, year) }
	case ev.Document == "" && len(gc.afterIssue) == 0, later && !querying:
		p.Version, p.UpdatedAt = expected+1, tx.Now()
		save = &store.ProposalSave{Proposal: &p, Expected: expected}
	default:
		if err := tx.SaveProposal(&p, expected); err != nil {
			return prepared{}, err
		}
	}
	var is *issuing
	if ev.Document != "" {
		if is, err = e.gatherIssue(tx, d, ev, gc, &p); err != nil {
			return prepared{}, err
		}
	}
	if later {
		notes, err := e.notifyNext(tx, d, &p, ev, &event, u) // who must act next (notify.go)
		if err != nil {
			return prepared{}, err
		}
		ready := prepared{waiting: is, numbered: func(seq int64) (func() (Result, error), error) {
			rendered, err := is.numbered(seq)
			if err != nil {
				return nil, err
			}
			return appending(tx, &p, &event, gc.tip, store.EventWrites{Document: is.doc, Notifications: notes, Save: save}, rendered), nil
		}}
		if tx.Dialect() == store.Postgres && !slices.ContainsFunc(notes, func(n store.NewNotification) bool { return n.Email != "" }) {
			ready.drawing = func(seq int64) (func() (Result, error), error) {
				rendered, ahead, err := is.foreseen(seq)
				if err != nil {
					return nil, err
				}
				w := store.EventWrites{Document: is.doc, Notifications: notes, Save: save, Foreseen: seq, Year: is.year()}
				appended := appending(tx, &p, &event, gc.tip, w, rendered)
				return func() (Result, error) {
					res, err := appended()
					if ahead != nil && (err == nil || errors.Is(err, store.ErrForeseenWrong)) {
						e.metrics.observeAhead(ev.Document, *ahead && err == nil)
					}
					return res, err
				}, nil
			}
		}
		return ready, nil
	}
	var (
		doc      *dak.Document
		rendered func() ([]byte, error)
	)
	if is != nil {
		seq, err := draw(ev.Document, is.year())
		if err != nil {
			return prepared{}, err
		}
		if rendered, err = is.numbered(seq); err != nil {
			return prepared{}, err
		}
		doc = is.doc
	}
	for _, after := range gc.afterIssue { // they cite the document's number
		if err := after(tx, doc); err != nil {
			return prepared{}, err
		}
	}
	notes, err := e.notifyNext(tx, d, &p, ev, &event, u) // who must act next (notify.go)
	if err != nil {
		return prepared{}, err
	}
	return prepared{finish: appending(tx, &p, &event, gc.tip, store.EventWrites{Document: doc, Notifications: notes, Save: save}, rendered)}, nil
}

// prepared is an event prepared by prepare: its finish, or, when its batch
// draws the number, the document waiting for it (waiting) and what gives
// the number and returns the finish (numbered).
type prepared struct {
	finish   func() (Result, error)
	waiting  *issuing
	numbered func(seq int64) (func() (Result, error), error)
	// drawing, when set, is numbered for seq foreseen, not drawn: the
	// finish draws it with the event's statement, or fails with
	// store.ErrForeseenWrong when the counter is elsewhere (PostgreSQL).
	drawing func(seq int64) (func() (Result, error), error)
}

// appending is an event's finish: it stores the document's PDF (rendered,
// nil without a document) with the event that cites its hash, and the
// writes w carries.
func appending(tx *store.Tx, p *dak.Proposal, event *dak.Event, tip store.ChainTip, w store.EventWrites,
	rendered func() ([]byte, error)) func() (Result, error) {
	return func() (Result, error) {
		if w.Document != nil {
			pdf, err := rendered()
			if err != nil {
				return Result{}, err
			}
			w.PDF = pdf
		}
		if err := tx.AppendEventWith(event, tip, w); err != nil {
			return Result{}, err
		}
		return Result{Proposal: *p, Event: *event, Document: w.Document}, nil
	}
}

// lockReads is what the locking read of a transition by event brings
// along (store.LockReads): the accounts it will notify, and the files, the
// sentra and the fiscal year its guards and document read, as the current
// definition says.
// A proposal under an older definition reads what its own needs after.
func (e *Engine) lockReads(event string) store.LockReads {
	r := store.LockReads{Roles: e.notifiedRoles(event)}
	if ev, ok := e.current.Event(event); ok {
		needs := ev.reads()
		r.Files, r.Sentra, r.FiscalYear = needs&needsFiles != 0, needs&needsSentra != 0, needs&needsFiscalYear != 0
	}
	return r
}

// reads is what an event reads before its checks: its guards' needs, and
// the files when a fact of its document prints them.
func (ev EventDef) reads() needs {
	n := guardsNeed(ev)
	if slices.ContainsFunc(ev.Facts, func(f string) bool { return factsReadingFiles[f] }) {
		n |= needsFiles
	}
	return n
}

// printableASCII reports whether s is 1–200 printable ASCII characters.
// checkIdempotencyKey refuses a key that is not printable ASCII of at most
// 200 characters: stored and compared as text, a NUL or invalid UTF-8
// would be a database error, not the client's.
func checkIdempotencyKey(k string) error {
	if k != "" && !printableASCII(k) {
		return malformedData("Idempotency-Key tidak valid", dak.FieldError{Field: "Idempotency-Key",
			Message: "hanya huruf, angka dan tanda baca ASCII, paling panjang 200 karakter"})
	}
	return nil
}

func printableASCII(s string) bool {
	if len(s) > 200 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

func actorName(u dak.User) string {
	if u.FullName != "" {
		return u.FullName
	}
	return u.Username
}

// checkTexts rejects text the documents cannot print, naming the field.
func checkTexts(comment string, d EventData) error {
	var errs dak.Fields
	check := func(path, s string) {
		if err := document.CheckText(s); err != nil {
			errs.Add(path, "%v", err)
		}
	}
	check("comment", comment)
	for i, n := range d.Notes {
		check(fmt.Sprintf("data.notes[%d].note", i), n.Note)
		check(fmt.Sprintf("data.notes[%d].field", i), n.Field)
	}
	for i, a := range d.Checklist {
		check(fmt.Sprintf("data.checklist[%d].note", i), a.Note)
	}
	for i, l := range d.Activities {
		check(fmt.Sprintf("data.activities[%d].description", i), l.Description)
		check(fmt.Sprintf("data.activities[%d].unit", i), l.Unit)
	}
	check("data.sp2d_number", d.SP2DNumber)
	check("data.bast_number", d.BASTNumber)
	check("data.kppn", d.KPPN)
	check("data.shortfall", d.Shortfall)
	check("data.amount_reason", d.AmountReason)
	check("data.departure_basis", d.DepartureBasis)
	check("data.legal_basis", d.LegalBasis)
	return errs.Err("teks memuat karakter yang tidak dapat dicetak")
}

// loadForGuards reads what the event's guards need, inside the
// transaction, taking what the locking read brought (lockReads) as it is.
func (e *Engine) loadForGuards(tx *store.Tx, gc *guardContext, locked *store.Locked) error {
	var err error
	needs := gc.event.reads()
	// The files are read for the guards that check them and for the
	// document facts that print them; any other reading them panics
	// (guardContext.files) instead of finding none.
	if needs&needsFiles != 0 {
		if locked.FilesRead {
			gc.attachments = locked.Files
		} else if gc.attachments, err = tx.Attachments(gc.proposal.ID); err != nil {
			return err
		}
		gc.filesRead = true
	}
	if needs&needsHistory != 0 {
		if gc.history, err = tx.Events(gc.proposal.ID); err != nil {
			return err
		}
	}
	if needs&needsSentra != 0 {
		if locked.SentraRead {
			gc.sentra, gc.sentraProposals = locked.Sentra, locked.SentraProposals
		} else if err := loadSentra(tx, gc); err != nil {
			return err
		}
	}
	if needs&needsFiscalYear != 0 {
		if locked.FiscalYearRead {
			gc.fiscalYear = locked.FiscalYear
		} else if fy, err := tx.FiscalYear(gc.proposal.FiscalYear); err == nil {
			gc.fiscalYear = &fy
		} else if !errors.Is(err, dak.ErrNotFound) {
			return err
		}
	}
	if gc.data.BASTNumber != "" {
		if gc.bastTaken, err = tx.BASTTaken(gc.data.BASTNumber, gc.proposal.ID); err != nil {
			return err
		}
	}
	if gc.data.SP2DNumber != "" {
		if gc.sp2dTaken, err = tx.SP2DExists(gc.data.SP2DNumber); err != nil {
			return err
		}
	}
	return nil
}
