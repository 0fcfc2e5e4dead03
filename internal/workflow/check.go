package workflow

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"dakflow/internal/dak"
)

// Check lists every problem of the definition: unknown states and roles;
// data fields, guards, actions, facts, triggers and document kinds that Go
// has no code for; an action without the guards it relies on; unreachable
// states; dead ends that are not final; states that wait for no one (every
// event leaving them optional); and rule parameters that make no sense.
func (d *Definition) Check() []string {
	var p []string
	add := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	if d.Name == "" {
		add("name is empty")
	}
	if d.Version <= 0 {
		add("version must be a positive integer")
	}
	states := map[string]State{}
	for _, s := range d.States {
		if _, dup := states[s.Name]; dup {
			add("state %q is declared twice", s.Name)
		}
		if s.Final && (s.Editable || s.Uploads) {
			add("state %q is final: nothing can be edited or attached there", s.Name)
		}
		states[s.Name] = s
	}
	if _, ok := states[d.Initial]; !ok {
		add("initial state %q is not declared", d.Initial)
	}
	seen := map[string]bool{}
	out := map[string]int{}
	awaited := map[string]bool{} // a state some event that is not optional leaves
	roles := map[string]bool{string(dak.RoleSystem): true}
	for _, r := range dak.Roles {
		roles[string(r)] = true
	}
	for _, e := range d.Events {
		if seen[e.Name] {
			add("event %q is declared twice", e.Name)
		}
		seen[e.Name] = true
		if len(e.From) == 0 {
			add("event %q has no source state", e.Name)
		}
		for _, f := range e.From {
			if _, ok := states[f]; !ok {
				add("event %q: source state %q is not declared", e.Name, f)
			} else if states[f].Final {
				add("event %q leaves final state %q", e.Name, f)
			}
			if e.To != Stay {
				out[f]++
			}
			awaited[f] = awaited[f] || !e.Optional
		}
		if _, ok := states[e.To]; !ok && e.To != Stay {
			add("event %q: target state %q is not declared", e.Name, e.To)
		}
		if len(e.Roles) == 0 {
			add("event %q names no role", e.Name)
		}
		for _, r := range e.Roles {
			if !roles[r] {
				add("event %q: role %q is unknown", e.Name, r)
			}
		}
		p = append(p, e.checkCode()...)
	}
	for _, s := range d.States {
		switch {
		case !s.Final && out[s.Name] == 0:
			add("state %q is a dead end but not final", s.Name)
		case !s.Final && !awaited[s.Name]:
			add("state %q waits for no one: every event leaving it is optional", s.Name)
		}
	}
	for _, s := range d.unreachable() {
		add("state %q cannot be reached from %q", s, d.Initial)
	}
	p = append(p, d.checkParameters(seen)...)
	return p
}

func (d *Definition) unreachable() []string {
	reached := map[string]bool{d.Initial: true}
	for changed := true; changed; {
		changed = false
		for _, e := range d.Events {
			for _, f := range e.From {
				if to := e.Target(f); reached[f] && !reached[to] {
					reached[to], changed = true, true
				}
			}
		}
	}
	var out []string
	for _, s := range d.States {
		if !reached[s.Name] {
			out = append(out, s.Name)
		}
	}
	sort.Strings(out)
	return out
}

// checkCode lists what the event names that Go has no code for: data
// fields, guards, actions, facts, its trigger and its document kind; and
// the guards its actions rely on that it lacks.
func (e EventDef) checkCode() []string {
	var p []string
	add := func(format string, args ...any) {
		p = append(p, fmt.Sprintf("event %q: "+format, append([]any{e.Name}, args...)...))
	}
	for _, f := range e.Data {
		if !dataFields[f] {
			add("data field %q is unknown", f)
		}
	}
	for _, g := range e.Guards {
		if _, ok := guards[g]; !ok {
			add("guard %q is unknown", g)
		}
	}
	for _, a := range e.Actions {
		act, ok := actions[a]
		if !ok {
			add("action %q is unknown", a)
		}
		for _, g := range act.needs {
			if !slices.Contains(e.Guards, g) {
				add("action %q needs guard %q", a, g)
			}
		}
	}
	for _, f := range e.Facts {
		if _, ok := facts[f]; !ok {
			add("fact %q is unknown", f)
		}
	}
	if len(e.Facts) > 0 && e.Document == "" {
		add("facts %v but no document states them", e.Facts)
	}
	if e.Trigger != "" {
		if _, ok := triggers[e.Trigger]; !ok {
			add("trigger %q is unknown", e.Trigger)
		}
		if !slices.Contains(e.Roles, string(dak.RoleSystem)) {
			add("trigger %q fires as the system, but role system may not", e.Trigger)
		}
	}
	if e.Document != "" && !isKind(e.Document) {
		add("document kind %q is unknown", e.Document)
	}
	return p
}

func (d *Definition) checkParameters(events map[string]bool) []string {
	var p []string
	add := func(format string, args ...any) { p = append(p, fmt.Sprintf(format, args...)) }
	for _, item := range d.Checklist {
		if item.ID == "" || item.Text == "" {
			add("checklist item %q needs an id and a text", item.ID)
		}
		for _, m := range item.Menus {
			if m != string(dak.MenuPembangunan) && m != string(dak.MenuRevitalisasi) {
				add("checklist item %q: menu %q is unknown", item.ID, m)
			}
		}
	}
	for _, m := range []dak.Menu{dak.MenuPembangunan, dak.MenuRevitalisasi} {
		menu, ok := d.Menus[string(m)]
		if !ok {
			add("menu %q has no completeness rules", m)
			continue
		}
		var probe dak.ProposalInput
		for _, f := range menu.RequiredFields {
			if _, known := probe.IsEmpty(f); !known {
				add("menu %q: required field %q is unknown", m, f)
			}
		}
		for _, a := range menu.RequiredAttachments {
			if dak.AttachmentKinds[a] == "" {
				add("menu %q: attachment kind %q is unknown", m, a)
			}
		}
		for c := range menu.CategoryLimits {
			if dak.Categories[c] == "" {
				add("menu %q: category %q is unknown", m, c)
			}
		}
	}
	par := d.Parameters
	if par.MaxAttachments <= 0 {
		add("parameters.max_attachments must be positive")
	}
	p = append(p, par.MonitoringParams.Problems()...)
	if st, ok := d.State(par.AfterState); par.AfterState != "" && (!ok || !st.Final) {
		add("parameters.monitoring_after %q is not a final state", par.AfterState)
	}
	if par.SekaligusMax <= 0 {
		add("parameters.sekaligus_max must be positive")
	}
	if par.FundingGapYears < 0 || par.FundingGapYears > 50 {
		add("parameters.funding_gap_years must be 0 (the default, %d) to 50", DefaultFundingGapYears)
	}
	var total int64
	for i, s := range par.Bertahap.Stages {
		if s.Number != i+1 {
			add("bertahap stage %d is numbered %d", i+1, s.Number)
		}
		switch s.Basis {
		case "rk_or_contract", "rk_percent":
			total += s.Percent
		case "remainder":
			if i != len(par.Bertahap.Stages)-1 {
				add("bertahap stage %d: remainder must be the last stage", s.Number)
			}
		default:
			add("bertahap stage %d: basis %q is unknown (rk_or_contract, rk_percent, remainder)", s.Number, s.Basis)
		}
		if s.Basis == "rk_percent" && (s.ContractThreshold <= 0 || s.ContractThreshold > 100) {
			add("bertahap stage %d: contract_threshold must be a percentage of the RK value (1-100)", s.Number)
		}
		if _, err := parseDeadline(s.Deadline); err != nil {
			add("bertahap stage %d: %v", s.Number, err)
		}
		for _, a := range s.Attachments {
			if dak.AttachmentKinds[a] == "" {
				add("bertahap stage %d: attachment kind %q is unknown", s.Number, a)
			}
		}
	}
	if total > 100 {
		add("bertahap stages add up to %d%%, more than 100%%", total)
	}
	if _, err := parseDeadline(par.Sekaligus.Deadline); err != nil {
		add("sekaligus: %v", err)
	}
	for _, e := range d.FourEyes {
		if !events[e] {
			add("four_eyes: event %q is unknown", e)
		}
	}
	p = append(p, d.checkAPBNBasis()...)
	p = append(p, d.checkCalendar()...)
	return p
}

// monthDayTime is a deadline within a fiscal year: month, day and the hour
// and minute (WIB) of the cut-off.
type monthDayTime struct {
	month        time.Month
	day          int
	hour, minute int
}

// parseDeadline reads "MM-DD HH:MM" (the hour of KPPN's cut-off, WIB).
func parseDeadline(s string) (monthDayTime, error) {
	var t monthDayTime
	var m int
	n, err := fmt.Sscanf(s, "%02d-%02d %02d:%02d", &m, &t.day, &t.hour, &t.minute)
	t.month = time.Month(m)
	if err != nil || n != 4 || m < 1 || m > 12 || t.day < 1 || t.day > 31 || t.hour > 23 || t.minute > 59 ||
		time.Date(2001, t.month, t.day, 0, 0, 0, 0, time.UTC).Day() != t.day {
		return t, fmt.Errorf("deadline %q must be \"MM-DD HH:MM\" (WIB)", s)
	}
	return t, nil
}
