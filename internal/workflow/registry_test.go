package workflow

import (
	"maps"
	"slices"
	"testing"

	"dakflow/internal/document"
)

// TestRegistriesMatchTheWorkflow ties what Go has code for to what the
// shipped workflow names: every guard, action, fact, trigger, data field
// and document kind Go knows is used by an event (or listed here as kept
// on purpose), and every name the file uses is known (Check, run by
// shipped, refuses anything else).
func TestRegistriesMatchTheWorkflow(t *testing.T) {
	d := shipped(t)
	// keptUnused lists what Go may know without the shipped file using it.
	keptUnused := map[string]bool{}
	used := map[string]map[string]bool{"guard": {}, "action": {}, "fact": {}, "trigger": {}, "data field": {}, "document kind": {}}
	for _, ev := range d.Events {
		for kind, names := range map[string][]string{"guard": ev.Guards, "action": ev.Actions, "fact": ev.Facts,
			"trigger": {ev.Trigger}, "data field": ev.Data, "document kind": {ev.Document}} {
			for _, n := range names {
				used[kind][n] = true
			}
		}
	}
	for kind, known := range map[string][]string{
		"guard": slices.Collect(maps.Keys(guards)), "action": slices.Collect(maps.Keys(actions)),
		"fact": slices.Collect(maps.Keys(facts)), "trigger": slices.Collect(maps.Keys(triggers)),
		"data field": slices.Collect(maps.Keys(dataFields)), "document kind": document.Kinds(),
	} {
		for _, n := range known {
			if !used[kind][n] && !keptUnused[n] {
				t.Errorf("%s %q has code but no event of %s uses it", kind, n, d.Name)
			}
		}
	}
}

// TestActionsReadByName: the actions Go looks for on an event (which event
// carries a stage report, recommended a stage, recorded a recommendation,
// approved the RK) are registered, so that a renamed action cannot leave
// them silently unmatched.
func TestActionsReadByName(t *testing.T) {
	for _, name := range []string{"request_stage", "recommend_stage", "record_recommendation", "plan_stages"} {
		if _, ok := actions[name]; !ok {
			t.Errorf("action %q is read by name but not registered", name)
		}
	}
}
