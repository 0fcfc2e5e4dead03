package web

import (
	"crypto/rand"
	"fmt"
	"slices"
	"strconv"

	"dakflow/internal/dak"
	"dakflow/internal/workflow"
)

// eventForms says which form each event's data takes (PRODUCT.md §6,
// "Event data"); events not listed take only a comment.
var eventForms = map[string]string{
	"recommend": "recommend", "request_revision": "notes", "request_rk_revision": "notes", "return_request": "notes",
	"allocate": "amount", "submit_rk": "rk", "request_disbursement": "stage", "record_disbursement": "sp2d",
	"complete": "complete", "extend_deadline": "extension",
}

// actionView is one action the viewer may take now: its button
// (data-event) and the form that carries its data.
type actionView struct {
	Name, Label, Kind string
	ProposalID        int64
	CSRF              string
	Open              bool
	Danger            bool
	CommentRequired   bool
	Version           int64
	Key               string // idempotency key: a double click fires once
	Hint              string
	Comment           string
	Amount            string
	AmountLabel       string
	Checklist         []checkRow
	Notes             noteEditor
	Lines             lineEditor
	Stage             string
	ContractValue     string
	Absorbed          string
	Output            string
	SP2DNumber        string
	SP2DDate          string
	Until             string // new deadline of an extension
	BAST              string
	Shortfall         string
	Errors            fieldErrors
	Summary           []formProblem
	Headline          string
}

// checkRow is one checklist item and its answer.
type checkRow struct {
	Index     int
	ID, Text  string
	Met, Note string // Met is "true", "false" or "" (unanswered)
}

// noteEditor is the list of reviewer notes, each naming a field.
type noteEditor struct {
	Rows   []noteRow
	Fields []option
	Errors fieldErrors
}

// noteRow is one note as typed.
type noteRow struct {
	Index       int
	Field, Note string
	Fields      []option
}

// action builds the form of event name on pr with its starting values.
func (p *pages) action(d *workflow.Definition, pr dak.Proposal, name string) actionView {
	ev, _ := d.Event(name)
	a := actionView{Name: name, Label: ev.Label, Kind: eventForms[name], Version: pr.Version, Key: rand.Text(),
		CommentRequired: slices.Contains(ev.Guards, "comment_required"), Errors: fieldErrors{}}
	a.Danger = a.CommentRequired
	switch a.Kind {
	case "recommend":
		a.Amount, a.AmountLabel = fmtMoney(pr.RequestedAmount), "Nilai rekomendasi (Rp)"
		a.Hint = "Nilai usulan " + pr.RequestedAmount.String() + ". Jawab setiap butir daftar periksa."
		for i, it := range d.Checklist {
			a.Checklist = append(a.Checklist, checkRow{Index: i, ID: it.ID, Text: it.Text})
		}
	case "notes":
		a.Notes = newNoteEditor(nil, a.Errors)
	case "amount":
		a.Amount, a.AmountLabel = fmtMoney(pr.RecommendedAmount), "Nilai alokasi (Rp)"
		a.Hint = "Nilai rekomendasi " + pr.RecommendedAmount.String() + "."
	case "rk":
		lines := pr.RK
		if len(lines) == 0 {
			lines = pr.Content.BudgetLines
		}
		a.Lines = newLineEditor("data.activities", linesOf(lines), a.Errors)
		a.Hint = fmt.Sprintf("Alokasi %s. Jumlah rencana kegiatan tidak boleh melebihi alokasi (toleransi pembulatan %s).",
			pr.AllocatedAmount, d.Parameters.RKTolerance)
	case "stage":
		if st := pr.NextStage(); st != nil {
			a.Stage = strconv.Itoa(st.Number)
			a.Hint = stageHint(d, pr, st)
		}
	case "sp2d":
		if st := pr.NextStage(); st != nil {
			a.Amount = fmtMoney(st.Amount)
			a.Hint = fmt.Sprintf("Tahap %d direkomendasikan sebesar %s.", st.Number, st.Amount)
		}
		a.AmountLabel = "Jumlah disalurkan (Rp)"
	case "extension":
		if st := pr.NextStage(); st != nil {
			a.Stage = strconv.Itoa(st.Number)
			a.Hint = fmt.Sprintf("Batas dokumen tahap %d saat ini %s. Perpanjangan tercatat pada riwayat usulan.", st.Number, dak.FormatDateTime(st.Deadline))
		}
	case "complete":
		a.Output, a.Absorbed = "100", fmtMoney(pr.DisbursedAmount)
		a.Hint = "Dana tersalur " + pr.DisbursedAmount.String() + ". Unggah BAST sebelum melaporkan penyelesaian."
	}
	return a
}

// stageHint says what a stage asks, from the workflow's parameters.
func stageHint(d *workflow.Definition, pr dak.Proposal, st *dak.Stage) string {
	h := fmt.Sprintf("Tahap %d (%s), batas dokumen %s. Dana diterima sejauh ini %s.", st.Number,
		stageBases[st.Basis], dak.FormatDate(st.Deadline), pr.DisbursedAmount)
	if d.Mode(pr.AllocatedAmount) == workflow.ModeBertahap {
		for _, s := range d.Parameters.Bertahap.Stages {
			if s.Number != st.Number {
				continue
			}
			if s.MinAbsorption > 0 {
				h += fmt.Sprintf(" Syarat: penyerapan sekurang-kurangnya %d%% dari dana diterima", s.MinAbsorption)
				if s.MinOutput > 0 {
					h += fmt.Sprintf(" dan capaian keluaran sekurang-kurangnya %d%%", s.MinOutput)
				}
				h += "."
			}
		}
	}
	return h
}

// noteFields are the parts of a proposal a note may name.
func noteFields() []option {
	paths := []string{"title", "sentra.name", "sentra.commodity", "sentra.village_code", "sentra.address",
		"sentra.latitude", "sentra.ikm_units", "sentra.workers", "sentra.decree_number", "land.area_m2",
		"land.ownership", "land.certificate_number", "budget_lines", "outputs", "activities", "contract_value",
		"absorbed_amount", "output_percent"}
	out := make([]option, 0, len(paths)+len(dak.AttachmentKinds))
	for _, p := range paths {
		out = append(out, option{Value: p, Label: dak.FieldLabel(p)})
	}
	for _, o := range optionsOf(dak.AttachmentKinds, "") {
		out = append(out, option{Value: "attachments." + o.Value, Label: "Lampiran: " + o.Label})
	}
	return out
}

func newNoteEditor(rows []noteRow, errs fieldErrors) noteEditor {
	ed := noteEditor{Fields: noteFields(), Errors: errs}
	if len(rows) == 0 {
		rows = []noteRow{{}}
	}
	for i, r := range rows {
		r.Index = i
		r.Fields = slices.Clone(ed.Fields)
		for j := range r.Fields {
			r.Fields[j].Selected = r.Fields[j].Value == r.Field
		}
		ed.Rows = append(ed.Rows, r)
	}
	return ed
}
