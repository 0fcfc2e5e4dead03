package workflow

import (
	"fmt"
	"slices"
	"strings"

	"dakflow/internal/dak"
	"dakflow/internal/store"
)

// EnableMail makes every notification also queue a mail to its recipient
// when the recipient has an address and has not switched mail off. serve
// turns it on when SMTP is configured (DAKFLOW_SMTP_URL); without it no
// outbox row is written, so nothing waits for a sender that never runs.
func (e *Engine) EnableMail(on bool) { e.mail.Store(on) }

// notifyNext lists the notifications that tell the people who must act
// next that a proposal waits for them (PRODUCT.md §10), written with the
// event (store.Tx.AppendEventWith): a refused event tells nobody, a
// committed one never loses its notifications. Who must
// act is read from the definition, not written here: the roles with an
// event from the new state that a person is expected to fire (not
// optional, not the scheduler's trigger, and one that moves the proposal:
// an event that keeps the state, such as extending a deadline, is nobody's
// next step), then the accounts of those roles that may fire it on this
// proposal now (a pemda of its region only; the reviewer a proposal is
// assigned to, through the guards that read the caller). The actor is
// never told of its own event, and an event that leaves the state as it
// was tells nobody anew.
func (e *Engine) notifyNext(tx *store.Tx, d *Definition, p *dak.Proposal, fired EventDef, event *dak.Event, actor dak.User) ([]store.NewNotification, error) {
	if event.From == event.To {
		return nil, nil
	}
	roles, next := nextActors(d, p.State)
	mail := e.mail.Load()
	var out []store.NewNotification
	for _, role := range roles {
		users, err := tx.UsersWithRole(role, p.RegionCode)
		if err != nil {
			return nil, err
		}
		for _, u := range users {
			if u.ID == actor.ID {
				continue
			}
			var labels []string
			for _, ev := range next[role] {
				if offered(d, ev, p, u) {
					labels = append(labels, ev.Label)
				}
			}
			if len(labels) == 0 {
				continue
			}
			n := store.NewNotification{UserID: u.ID, Kind: fired.Name, ProposalID: &p.ID,
				Message: notificationMessage(d, p, fired, event, labels)}
			if mail && u.EmailNotifications && u.Email != "" {
				n.Email = u.Email
			}
			out = append(out, n)
		}
	}
	return out, nil
}

// nextActors are the roles expected to act on a proposal in state (the
// events from it that a person fires, not optional, that move it; see
// notifyNext), in the definition's order, with each role's events.
func nextActors(d *Definition, state string) ([]dak.Role, map[dak.Role][]EventDef) {
	next := map[dak.Role][]EventDef{}
	var roles []dak.Role
	for _, ev := range d.Events {
		if ev.Optional || ev.Trigger != "" || ev.To == Stay || !slices.Contains(ev.From, state) {
			continue
		}
		for _, r := range ev.Roles {
			role := dak.Role(r)
			if role == dak.RoleSystem {
				continue
			}
			if _, seen := next[role]; !seen {
				roles = append(roles, role)
			}
			next[role] = append(next[role], ev)
		}
	}
	return roles, next
}

// notifiedRoles are the roles whose accounts notifyNext will read when
// event moves a proposal of the current definition: prepare reads them
// with the proposal, in one statement. A proposal of an older definition
// reads what its own needs then.
func (e *Engine) notifiedRoles(event string) []dak.Role {
	ev, ok := e.current.Event(event)
	if !ok || ev.To == Stay {
		return nil
	}
	roles, _ := nextActors(e.current, ev.To)
	return roles
}

// notificationMessage says, in Indonesian, which proposal waits, for what,
// and what happened: "Usulan USL-2027-0001 menunggu tindakan Anda: Mulai
// penilaian. Ajukan usulan oleh Budi (status: Diajukan)."
func notificationMessage(d *Definition, p *dak.Proposal, fired EventDef, event *dak.Event, labels []string) string {
	return fmt.Sprintf("Usulan %s menunggu tindakan Anda: %s. %s oleh %s (status: %s).",
		p.Number, strings.Join(labels, " / "), fired.Label, event.Actor, d.StateLabel(p.State))
}
