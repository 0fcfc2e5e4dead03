package web

import (
	"encoding/json"
	"fmt"
	"strings"

	"dakflow/internal/dak"
	"dakflow/internal/workflow"
)

// timelineItem is one event of the proposal's history: who, as what, when,
// what, why and what it issued.
type timelineItem struct {
	Seq                           int
	Event, Label                  string
	Actor, Role, At               string
	From, To, Comment             string
	Details                       []keyValue
	DocumentID                    int64
	DocumentTitle, DocumentNumber string
	// Mismatch names what of the stored event disagrees with its hashed
	// record or chain; the item shows the record's values and a warning.
	Mismatch string
}

// timeline turns the audit events into the page's history, oldest first.
func timeline(d *workflow.Definition, events []dak.Event, docs []dak.Document) []timelineItem {
	byID := map[int64]dak.Document{}
	for _, doc := range docs {
		byID[doc.ID] = doc
	}
	out := make([]timelineItem, 0, len(events))
	for _, e := range events {
		it := timelineItem{Seq: e.Seq, Event: e.Event, Label: e.Event, Actor: e.Actor, Role: e.Role.Label(),
			At: dak.FormatDateTime(e.At), From: d.StateLabel(e.From), To: d.StateLabel(e.To), Comment: e.Comment,
			Details: eventDetails(d, e.Data), Mismatch: strings.Join(e.Mismatch, ", ")}
		if ev, ok := d.Event(e.Event); ok {
			it.Label = ev.Label
		}
		if e.DocumentID != nil {
			doc := byID[*e.DocumentID]
			it.DocumentID, it.DocumentTitle, it.DocumentNumber = doc.ID, doc.Title, doc.Number
		}
		out = append(out, it)
	}
	return out
}

// eventDetails summarises an event's data in words.
func eventDetails(d *workflow.Definition, raw json.RawMessage) []keyValue {
	var ed workflow.EventData
	if len(raw) == 0 || json.Unmarshal(raw, &ed) != nil {
		return nil
	}
	var out []keyValue
	add := func(label, value string) { out = append(out, keyValue{label, value}) }
	money := func(label string, m *dak.Money) {
		if m != nil {
			add(label, m.String())
		}
	}
	money("Nilai rekomendasi", ed.RecommendedAmount)
	money("Nilai", ed.Amount)
	if ed.AmountReason != "" {
		add("Alasan koreksi nilai", ed.AmountReason)
	}
	if ed.DepartureBasis != "" {
		add("Dasar persetujuan perbedaan dari RAB", ed.DepartureBasis)
	}
	if ed.Stage != 0 {
		add("Tahap", fmt.Sprint(ed.Stage))
	}
	money("Nilai kontrak", ed.ContractValue)
	money("Realisasi penyerapan", ed.AbsorbedAmount)
	if ed.OutputPercent != nil {
		add("Capaian keluaran", ed.OutputPercent.String())
	}
	if ed.SP2DNumber != "" {
		date := ed.SP2DDate
		if t, err := dak.ParseDate(date); err == nil {
			date = dak.FormatDate(t)
		}
		add("SP2D", ed.SP2DNumber+", "+date)
	}
	if ed.BASTNumber != "" {
		add("Nomor BAST", ed.BASTNumber)
	}
	if ed.Shortfall != "" {
		add("Penjelasan kekurangan", ed.Shortfall)
	}
	if len(ed.Activities) > 0 {
		// Stored lines passed SumLines when the event was fired.
		sum, _ := dak.SumLines(ed.Activities, "activities")
		add("Rencana kegiatan", fmt.Sprintf("%d kegiatan, jumlah %s", len(ed.Activities), sum))
	}
	for _, n := range ed.Notes {
		add("Catatan — "+fieldLabel(n.Field), n.Note)
	}
	if len(ed.Checklist) > 0 {
		met, na := 0, 0
		for _, a := range ed.Checklist {
			switch {
			case a.NotApplicable:
				na++
			case a.Met != nil && *a.Met:
				met++
			}
		}
		summary := fmt.Sprintf("%d dari %d butir memenuhi", met, len(ed.Checklist)-na)
		if na > 0 {
			summary += fmt.Sprintf(", %d butir tidak relevan untuk menu ini", na)
		}
		add("Daftar periksa", summary)
		for _, a := range ed.Checklist {
			if a.Met != nil && !*a.Met {
				add("Tidak memenuhi — "+checklistText(d, a.ID), a.Note)
			}
		}
	}
	return out
}

func checklistText(d *workflow.Definition, id string) string {
	for _, it := range d.Checklist {
		if it.ID == id {
			return it.Text
		}
	}
	return id
}
