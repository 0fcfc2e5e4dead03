package workflow

import (
	"context"
	"sync"

	"github.com/looplab/fsm"
)

// machines keeps, per definition, looplab/fsm state machines to reuse.
// Building one makes maps of all a definition's events and transitions,
// some 13 KB, for every transition and every answer that lists the events
// allowed (a few a request); the machines differ only in their state. So a machine is
// taken from its definition's pool, set to the proposal's state, handed the
// event's guards as the event's argument (guardsArg), and put back.
type machines map[*Definition]*sync.Pool

func newMachines(defs map[string]*Definition) machines {
	m := machines{}
	for _, d := range defs {
		m[d] = &sync.Pool{New: func() any { return newFSM(d, d.Initial, guardsArg) }}
	}
	return m
}

// guardsArg runs the guards an event was fired with (machines.fire).
func guardsArg(e *fsm.Event) {
	if len(e.Args) > 0 {
		if guards, ok := e.Args[0].(func(*fsm.Event)); ok && guards != nil {
			guards(e)
		}
	}
}

// get is a machine of d at state, and the function that gives it back.
// A definition the engine was not built with gets one of its own.
func (m machines) get(d *Definition, state string) (*fsm.FSM, func()) {
	pool, ok := m[d]
	if !ok {
		return newFSM(d, state, guardsArg), func() {}
	}
	f := pool.Get().(*fsm.FSM)
	f.SetState(state)
	return f, func() { pool.Put(f) }
}

// fire walks event from state on a machine of d, guards cancelling it
// (before_event), and answers the state it ends in.
func (m machines) fire(d *Definition, state, event string, guards func(*fsm.Event)) (string, error) {
	f, done := m.get(d, state)
	defer done()
	err := f.Event(context.Background(), event, guards)
	return f.Current(), err
}

// available lists the events the machine of d allows at state.
func (m machines) available(d *Definition, state string) []string {
	f, done := m.get(d, state)
	defer done()
	return f.AvailableTransitions()
}
