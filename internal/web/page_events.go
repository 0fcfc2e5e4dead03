package web

import (
	"crypto/rand"
	"fmt"
	"slices"
	"strconv"

	"dakflow/internal/dak"
	"dakflow/internal/workflow"
)

// formKind names one of the event forms proposal.html draws; "" is the
// form of an event that takes only a comment.
type formKind string

// The event forms, one per shape of event data (PRODUCT.md §6, "Event data").
const (
	formRecommendation formKind = "recommendation" // amount, its correction's reason and the checklist
	formNotes          formKind = "notes"          // reviewer notes, each naming a field
	formRK             formKind = "rk"             // the rencana kegiatan's lines
	formRKApproval     formKind = "rk_approval"    // the basis for the RK's departures from the RAB
	formSP2D           formKind = "sp2d"           // the amount transferred and its SP2D
	formCompletion     formKind = "completion"     // output, absorption and the BAST
	formExtension      formKind = "extension"      // a stage's new deadline and its legal basis
	formStage          formKind = "stage"          // a stage's report: contracts, absorption, output
	formAmount         formKind = "amount"         // an amount and its correction's reason
)

// forms says which form an event takes from the fields of its data (the
// workflow file's data list): the first field here that the event takes
// decides. A field only one form has comes before the fields forms share:
// an extension and a stage report both name the stage, an SP2D and an
// allocation both carry an amount.
var forms = []struct {
	field string
	kind  formKind
}{
	{"checklist", formRecommendation},
	{"notes", formNotes},
	{"activities", formRK},
	{"departure_basis", formRKApproval},
	{"sp2d_number", formSP2D},
	{"bast_number", formCompletion},
	{"until", formExtension},
	{"contract_value", formStage},
	{"amount", formAmount},
}

// formFor is the form of ev's data; "" when it takes none of the fields
// of forms, so only a comment.
func formFor(ev workflow.EventDef) formKind {
	for _, f := range forms {
		if ev.Takes(f.field) {
			return f.kind
		}
	}
	return ""
}

// actionView is one action the viewer may take now: its button
// (data-event) and the form that carries its data.
type actionView struct {
	Name, Label     string
	Kind            formKind
	ProposalID      int64
	CSRF            string
	Open            bool
	Danger          bool
	CommentRequired bool
	Version         int64
	Key             string // idempotency key: a double click fires once
	Hint            string
	Comment         string
	Amount          string
	AmountLabel     string
	Checklist       []checkRow
	Priority        *priorityView // coverage facts for the checklist item "prioritas" (page_coverage.go)
	Notes           noteEditor
	Lines           lineEditor
	Stage           string
	ContractValue   string
	Absorbed        string
	KPPN            string
	// NeedsCompletionPlan: the stage pays the pemda's rencana kebutuhan
	// dana penyelesaian, so the form asks for it.
	NeedsCompletionPlan bool
	CompletionNeed      string
	BASTDate            string
	Output              string
	SP2DNumber          string
	SP2DDate            string
	Until               string // new deadline of an extension
	LegalBasis          string // the legal basis of an extension
	BAST                string
	Shortfall           string
	AmountReason        string   // why an amount is corrected (recommend, allocate)
	Departures          []string // how the RK departs from the assessed RAB (approve_rk)
	DepartureBasis      string   // the approver's stated basis for them
	Errors              fieldErrors
	Summary             []formProblem
	Headline            string
}

// checkRow is one checklist item and its answer.
type checkRow struct {
	Index     int
	ID, Text  string
	Met, Note string // Met is "true", "false", "na" (Tidak Relevan) or "" (unanswered)
	Applies   bool   // the item applies to the proposal's menu
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
	a := actionView{Name: name, Label: ev.Label, Kind: formFor(ev), Version: pr.Version, Key: rand.Text(),
		CommentRequired: ev.Checks("comment_required"), Errors: fieldErrors{}}
	a.Danger = a.CommentRequired
	switch a.Kind {
	case formRecommendation:
		a.Amount, a.AmountLabel = fmtMoney(pr.RequestedAmount), "Nilai rekomendasi (Rp)"
		a.Hint = "Nilai usulan " + pr.RequestedAmount.String() + ". Nilai di bawahnya wajib disertai alasan koreksi. Jawab setiap butir daftar periksa; butir yang tidak berlaku untuk menu ini dijawab Tidak Relevan."
		for i, it := range d.Checklist {
			row := checkRow{Index: i, ID: it.ID, Text: it.Text, Applies: it.AppliesTo(pr.Menu)}
			if !row.Applies {
				row.Met = "na" // the workflow file says it does not apply: Tidak Relevan
			}
			a.Checklist = append(a.Checklist, row)
		}
	case formNotes:
		a.Notes = newNoteEditor(nil, a.Errors)
	case formAmount:
		a.Amount, a.AmountLabel = fmtMoney(pr.RecommendedAmount), "Nilai alokasi (Rp)"
		a.Hint = "Nilai rekomendasi " + pr.RecommendedAmount.String() + ". Nilai di bawahnya wajib disertai alasan koreksi."
	case formRK:
		lines := pr.RK
		if len(lines) == 0 {
			lines = pr.Content.BudgetLines
		}
		a.Lines = newLineEditor("data.activities", linesOf(lines), a.Errors)
		a.Hint = fmt.Sprintf("Alokasi %s. Jumlah rencana kegiatan tidak boleh melebihi alokasi (toleransi pembulatan %s).",
			pr.AllocatedAmount, d.Parameters.RKTolerance)
	case formStage:
		if st := pr.NextStage(); st != nil {
			a.Stage = strconv.Itoa(st.Number)
			a.Hint = stageHint(d, pr, st)
			a.NeedsCompletionPlan = d.Mode(pr.AllocatedAmount) == workflow.ModeBertahap &&
				st.Number <= len(d.Parameters.Bertahap.Stages) && d.Parameters.Bertahap.Stages[st.Number-1].Basis == "remainder"
			for _, prev := range pr.Stages {
				if prev.Report.KPPN != "" {
					a.KPPN = prev.Report.KPPN
				}
			}
		}
	case formSP2D:
		if st := pr.NextStage(); st != nil {
			a.Amount = fmtMoney(st.Amount)
			a.Hint = fmt.Sprintf("Tahap %d direkomendasikan sebesar %s.", st.Number, st.Amount)
		}
		a.AmountLabel = "Jumlah disalurkan (Rp)"
	case formExtension:
		if st := pr.NextStage(); st != nil {
			a.Stage = strconv.Itoa(st.Number)
			a.Hint = fmt.Sprintf("Batas dokumen tahap %d saat ini %s. Perpanjangan tercatat pada riwayat usulan dan disampaikan dengan surat kepada kepala daerah yang menyebut dasar hukumnya.", st.Number, dak.FormatDateTime(st.Deadline))
		}
	case formRKApproval:
		for _, dep := range workflow.RKDepartures(&pr) {
			a.Departures = append(a.Departures, dep.String())
		}
		a.Hint = "Rencana kegiatan sesuai dengan RAB yang dinilai."
		if len(a.Departures) > 0 {
			a.Hint = "Rencana kegiatan berbeda dari RAB yang dinilai. Nyatakan dasar persetujuannya (dicetak pada surat persetujuan), atau minta perbaikan rencana kegiatan."
		}
	case formCompletion:
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
