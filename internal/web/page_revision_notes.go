package web

import (
	"encoding/json"
	"strings"

	"dakflow/internal/dak"
	"dakflow/internal/workflow"
)

// The reviewer's notes on a proposal sent back (request_revision,
// request_rk_revision, return_request): the pemda sees them in a box at the
// top of the proposal page and of the edit form, and each note again next
// to the field it names, rather than far down in the history.

// revisionNotes is the last request for changes while it is still open.
type revisionNotes struct {
	Heading string     // what was asked, by whom and when
	Comment string     // the event's comment, if any
	Items   []noteView // in the order the reviewer wrote them
	byField map[string][]string
}

// noteView is one note with the part of the proposal it names.
type noteView struct {
	Field, Label, Note, Anchor string
	Href                       string // the link to the field: "#" + Anchor, or the edit form's
}

// openNotes reads the notes of the latest event that takes notes, if the
// proposal is still in the state that event left it in (the request has
// not been answered yet); nil otherwise.
func openNotes(d *workflow.Definition, pr dak.Proposal, events []dak.Event) *revisionNotes {
	for i := len(events) - 1; i >= 0; i-- {
		e := events[i]
		ev, ok := d.Event(e.Event)
		if !ok || !ev.Takes("notes") {
			continue
		}
		if e.To != pr.State {
			return nil
		}
		var ed workflow.EventData
		if err := json.Unmarshal(e.Data, &ed); err != nil {
			return nil // the trail's integrity check reports a damaged record
		}
		who := e.Actor
		if who == "" {
			who = e.Role.Label()
		}
		rn := &revisionNotes{Heading: ev.Label + " — " + who + ", " + dak.FormatDateTime(e.At),
			Comment: strings.TrimSpace(e.Comment), byField: map[string][]string{}}
		for _, n := range ed.Notes {
			label := dak.FieldLabel(n.Field)
			if kind, ok := strings.CutPrefix(n.Field, "attachments."); ok && dak.AttachmentKinds[kind] != "" {
				label = "Lampiran: " + dak.AttachmentKinds[kind]
			}
			a := noteAnchor(n.Field)
			rn.Items = append(rn.Items, noteView{Field: n.Field, Label: label, Note: n.Note, Anchor: a, Href: "#" + a})
			rn.byField[n.Field] = append(rn.byField[n.Field], n.Note)
		}
		return rn
	}
	return nil
}

// noteAnchor is where a note's field is on the page: the input of a field
// of the edit form, the table of a list, the attachments section.
func noteAnchor(field string) string {
	switch {
	case strings.HasPrefix(field, "attachments"):
		return "lampiran"
	case field == "budget_lines", field == "outputs", field == "activities":
		return "catatan-" + field
	}
	return newFormField("", field, "", "", nil, "").ID
}

// linkToForm points the notes on the proposal's content at the edit form
// (on the proposal page, where the inputs are not); the attachments and
// the RK are on the page itself.
func (rn *revisionNotes) linkToForm(edit string) {
	for i, it := range rn.Items {
		if it.Anchor != "lampiran" && it.Anchor != "catatan-activities" {
			rn.Items[i].Href = edit + "#" + it.Anchor
		}
	}
}

// For is the notes on one field, joined; "" when there are none or no
// request is open. Nil-safe: forms without notes call it too.
func (rn *revisionNotes) For(field string) string {
	if rn == nil {
		return ""
	}
	return strings.Join(rn.byField[strings.TrimPrefix(field, "data.")], "; ")
}

// noted gives a form field the reviewer's note on it.
func noted(rn *revisionNotes, f formField) formField {
	f.Note = rn.For(f.Name)
	return f
}

// notedSel gives a select the reviewer's note on it.
func notedSel(rn *revisionNotes, f selectField) selectField {
	f.Note = rn.For(f.Name)
	return f
}
