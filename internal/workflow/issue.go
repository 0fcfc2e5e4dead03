package workflow

import (
	"fmt"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/document"
	"dakflow/internal/region"
	"dakflow/internal/store"
)

// issuing is a document of an event whose content is gathered, waiting for
// its number (numbered). The counter row of its kind stays locked from the
// draw to the commit, so everything that can happen before the draw does,
// the rendering too when the number it will draw is foreseen (ahead).
type issuing struct {
	e     *Engine
	ev    EventDef
	doc   *dak.Document
	in    document.Input
	ahead *rendering // started before the draw, for the number foreseen (renderForeseen)
}

// rendering is a document rendering on a goroutine of its own, for the
// number of seq: the number, title and issuer it prints, and what waits for
// its PDF.
type rendering struct {
	seq                   int64
	number, title, issuer string
	pdf                   func() ([]byte, error)
}

// gatherIssue gathers what a document says (with its facts' queries),
// inside the event's transaction, before its number is drawn: only the
// rendering needs the number.
func (e *Engine) gatherIssue(tx *store.Tx, d *Definition, ev EventDef, gc *guardContext, p *dak.Proposal) (*issuing, error) {
	now := tx.Now()
	doc := &dak.Document{ProposalID: p.ID, Kind: ev.Document, VerifyCode: randomCode(), Issuer: document.DefaultLetterhead().Unit,
		EventSeq: gc.tip.Seq + 1}
	in := e.documentInput(d, gc, p, doc, now)
	for _, name := range ev.Facts {
		ftx := tx
		if !factsQuerying[name] {
			ftx = nil // one that reads the database undeclared fails every test of its event
		}
		if err := facts[name](ftx, gc, &in); err != nil {
			return nil, err
		}
	}
	return &issuing{e: e, ev: ev, doc: doc, in: in}, nil
}

// year is the year whose counter numbers the document: the year of its
// date, in WIB.
func (is *issuing) year() int { return is.in.IssuedAt.In(dak.WIB).Year() }

// renderForeseen starts rendering the document for seq, the number its batch
// foresees it will draw (foresight.reserve), before the draw: the counter
// row is held by the batch before, and the rendering need not wait for it.
// numbered keeps it when the number drawn is seq, and renders anew when it
// is not (a batch before rolled back, another process drew): the number a
// document prints is always the one drawn for it.
func (is *issuing) renderForeseen(seq int64) {
	r, err := is.render(seq)
	if err != nil {
		return // numbered meets the same error with the number drawn
	}
	is.ahead = r
}

// numbered gives the document its number seq and starts rendering it on a
// goroutine of its own (goRender), beside the statements that follow, unless it was
// rendered ahead for seq; the returned function waits for it, and the PDF
// is stored with the event (store.Tx.AppendEventWith).
func (is *issuing) numbered(seq int64) (func() ([]byte, error), error) {
	pdf, ahead, err := is.foreseen(seq)
	if ahead != nil {
		is.e.metrics.observeAhead(is.ev.Document, *ahead)
	}
	return pdf, err
}

// foreseen is numbered without counting the rendering ahead: for a number
// foreseen and drawn with the event's statement (store.EventWrites.Foreseen),
// whose rendering ahead is used only if that statement finds the counter
// where it was foreseen. ahead tells whether a rendering ahead was for seq
// (nil: there was none).
func (is *issuing) foreseen(seq int64) (pdf func() ([]byte, error), ahead *bool, err error) {
	r := is.ahead
	if r != nil {
		is.ahead = nil
		used := r.seq == seq
		ahead = &used
	}
	if r == nil || r.seq != seq {
		if r, err = is.render(seq); err != nil {
			return nil, ahead, err
		}
	}
	is.doc.Number, is.doc.Title, is.doc.Issuer = r.number, r.title, r.issuer
	return r.pdf, ahead, nil
}

// render starts rendering the document as numbered seq.
func (is *issuing) render(seq int64) (*rendering, error) {
	e, in := is.e, is.in
	in.Number = e.numbers.Format(is.ev.Document, seq, in.IssuedAt)
	out := &rendering{seq: seq, number: in.Number}
	// The title as stored, and the issuer: a pemda's own report is the pemda's.
	var err error
	if out.title, out.issuer, err = e.docs.Describe(is.ev.Document, in); err != nil {
		return nil, err
	}
	var (
		pdf  []byte
		rerr error
		done = make(chan struct{})
	)
	goRender(func() {
		defer close(done)
		defer func() { // a defect in a layout fails the event, not the process
			if r := recover(); r != nil {
				rerr = fmt.Errorf("panic: %v", r)
			}
		}()
		start := time.Now()
		pdf, rerr = e.docs.Render(in)
		e.metrics.observeRender(is.ev.Document, rerr, start)
	})
	out.pdf = func() ([]byte, error) { // the PDF, once rendered
		<-done
		if rerr != nil {
			return nil, fmt.Errorf("render %s: %w", is.ev.Document, rerr)
		}
		return pdf, nil
	}
	return out, nil
}

// VerifyURL is the public verification address of a code.
func (e *Engine) VerifyURL(code string) string { return e.baseURL + "/verify/" + code }

// documentInput gathers what every document of an event says: the
// proposal, the actor, the comment, notes and checklist answers, the RK,
// the figures, the stages and the planned outputs. The event's facts add
// the rest.
func (e *Engine) documentInput(d *Definition, gc *guardContext, p *dak.Proposal, doc *dak.Document, now time.Time) document.Input {
	in := document.Input{Kind: doc.Kind, Number: doc.Number, VerifyCode: doc.VerifyCode, VerifyURL: e.VerifyURL(doc.VerifyCode),
		IssuedAt: now, Proposal: proposalFacts(p), Actor: e.person(gc.actor), Comment: gc.comment}
	for _, n := range gc.data.Notes {
		in.Notes = append(in.Notes, document.Note{Part: dak.FieldLabel(n.Field), Note: n.Note})
	}
	answers := map[string]Answer{}
	for _, a := range gc.data.Checklist {
		answers[a.ID] = a
	}
	for i, item := range d.Checklist {
		a := answers[item.ID]
		in.Checklist = append(in.Checklist, document.ChecklistAnswer{No: i + 1, Text: item.Text, Met: a.Met != nil && *a.Met,
			NotApplicable: a.NotApplicable, Note: a.Note})
	}
	for _, l := range p.RK {
		in.Activities = append(in.Activities, line(l))
	}
	in.Figures = p.Figures()
	if len(p.Stages) > 0 {
		mode := d.Mode(p.AllocatedAmount)
		in.Disbursement = document.Disbursement{Mode: mode, LegalBasis: d.LegalBasis(mode)}
		for i, st := range p.Stages {
			ds := document.Stage{Number: st.Number, Basis: docBasis(st.Basis), Percent: st.Percent,
				Amount: in.Figures.Stages[i].Amount, Lapsed: in.Figures.Stages[i].Lapsed,
				Deadline: st.Deadline, State: docStageState(st.State), SP2DNumber: st.SP2DNumber}
			if st.SP2DDate != nil {
				ds.SP2DDate = *st.SP2DDate
			}
			in.Disbursement.Stages = append(in.Disbursement.Stages, ds)
		}
		// The RK is approved: its outputs are the plan.
		in.Proposal.Outputs = nil
		for _, o := range PlannedOutputs(p) {
			in.Proposal.Outputs = append(in.Proposal.Outputs, document.Output{Description: o.Description, Volume: o.Volume, Unit: o.Unit})
		}
	}
	return in
}

// stageFacts describes stage st (nil: none) for a disbursement document.
// It runs after the actions, so a paid stage is found by its state. Every
// amount it states comes from the proposal's Figures.
func stageFacts(c *guardContext, st *dak.Stage, in *document.Input) document.StageReport {
	if st == nil {
		return document.StageReport{}
	}
	d, p := c.def, c.proposal
	r := st.Report
	out := document.StageReport{Number: st.Number, Amount: in.Figures.Stages[st.Number-1].Amount, Basis: st.AmountBasis,
		Percent: st.Percent, ContractValue: r.ContractValue, AbsorbedAmount: r.AbsorbedAmount, OutputPercent: r.OutputPercent,
		CompletionNeed: r.CompletionNeed, KPPN: r.KPPN, SP2DNumber: st.SP2DNumber, Deadline: st.Deadline,
		LegalBasis: d.LegalBasis(d.Mode(p.AllocatedAmount))}
	if st.SP2DDate != nil {
		out.SP2DDate = *st.SP2DDate
	}
	in.Stage = out
	received := in.ReceivedBefore()
	out.AbsorptionPercent = dak.PercentOf(r.AbsorbedAmount, received)
	def := d.stageDef(p, st.Number)
	if def.MinAbsorption > 0 {
		th := dak.Percent(def.MinAbsorption * 100)
		out.Conditions = append(out.Conditions, document.Condition{Text: "Penyerapan dana yang telah diterima",
			Figure: out.AbsorptionPercent, Threshold: th, Met: out.AbsorptionPercent >= th})
	}
	if def.MinOutput > 0 {
		th := dak.Percent(def.MinOutput * 100)
		out.Conditions = append(out.Conditions, document.Condition{Text: "Capaian keluaran (output)",
			Figure: r.OutputPercent, Threshold: th, Met: r.OutputPercent >= th})
	}
	for _, kind := range def.Attachments {
		ok := hasAttachment(c.files(), kind, st.Number)
		ev := "diterima bersama permohonan"
		if !ok {
			ev = "belum diterima"
		}
		out.Conditions = append(out.Conditions, document.Condition{Text: dak.AttachmentKinds[kind], Evidence: ev, Met: ok})
	}
	return out
}

func docBasis(b string) string {
	switch b {
	case "rk_or_contract", "rk_percent":
		return document.BasisRKPercent
	case "contract":
		return document.BasisContract
	}
	return b
}

func docStageState(s string) string {
	switch s {
	case dak.StagePending:
		return document.StagePlanned
	case dak.StageRequested:
		return document.StageRequested
	case dak.StageRecommended:
		return document.StageRecommended
	case dak.StagePaid:
		return document.StagePaid
	case dak.StageLapsed:
		return document.StageLapsed
	}
	return s
}

func attachmentFacts(list []dak.Attachment, stage int) []document.Attachment {
	var out []document.Attachment
	for _, a := range list {
		if a.Stage == stage {
			out = append(out, document.Attachment{Kind: a.Kind, FileName: a.FileName, Size: a.Size, SHA256: a.SHA256})
		}
	}
	return out
}

func line(l dak.BudgetLine) document.Line {
	return document.Line{Category: l.Category, Description: l.Description, Quantity: l.Quantity, Unit: l.Unit, UnitPrice: l.UnitPrice, Total: l.Total}
}

// person is how an actor signs: name, NIP and position.
func (e *Engine) person(u dak.User) document.Person {
	pos := u.Position
	if pos == "" {
		pos = u.Role.Label()
	}
	return document.Person{Name: actorName(u), NIP: u.NIP, Position: pos, Role: string(u.Role)}
}

// proposalFacts quotes a proposal in a document, with region names.
func proposalFacts(p *dak.Proposal) document.Proposal {
	c := p.Content
	out := document.Proposal{Number: p.Number, Revision: p.Revision, FiscalYear: p.FiscalYear, Menu: string(p.Menu),
		Title: p.Title, RegionCode: p.RegionCode, RequestedAmount: p.RequestedAmount, RecommendedAmount: p.RecommendedAmount,
		AllocatedAmount: p.AllocatedAmount, RKAmount: p.RKAmount, DisbursedAmount: p.DisbursedAmount,
		Sentra: document.Sentra{Name: c.Sentra.Name, Commodity: c.Sentra.Commodity, Address: c.Sentra.Address,
			IKMUnits: c.Sentra.IKMUnits, Workers: c.Sentra.Workers}}
	if p.SubmittedAt != nil {
		out.SubmittedAt = *p.SubmittedAt
	}
	if r, ok := region.Lookup(region.Code(p.RegionCode)); ok {
		out.RegionName, out.HeadOfRegion = r.FullName(), r.HeadTitle()
		out.IsProvince = r.Level == region.Province
		if prov, ok := region.Lookup(region.Code(p.RegionCode).Province()); ok {
			out.ProvinceName = prov.Name
		}
	}
	if v, ok := region.Lookup(region.Code(c.Sentra.VillageCode)); ok {
		out.Sentra.VillageName = v.FullName()
		if dist, ok := region.Lookup(v.Parent); ok {
			out.Sentra.DistrictName = dist.FullName()
		}
	}
	for _, l := range c.BudgetLines {
		out.BudgetLines = append(out.BudgetLines, line(l))
	}
	for _, o := range c.Outputs {
		out.Outputs = append(out.Outputs, document.Output{Description: o.Description, Volume: o.Volume, Unit: o.Unit})
	}
	return out
}
