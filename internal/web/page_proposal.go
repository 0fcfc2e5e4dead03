package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"dakflow/internal/dak"
	"dakflow/internal/region"
	"dakflow/internal/workflow"
)

// proposalPage is one proposal: its state, content, trail, documents,
// changes between revisions, the actions the viewer may take now and the
// workflow diagram (PRODUCT.md §6).
type proposalPage struct {
	pageBase
	ID                        int64
	Number, Title, Menu       string
	Region, Address, Workflow string
	State, StateName          string
	FiscalYear, Revision      int
	Version                   int64
	Final                     bool
	Amounts                   []amountRow
	Sentra, Land              []keyValue
	SentraHistory             *sentraHistoryView // the registered sentra's history; nil: none named
	RAB, RK                   []dak.BudgetLine
	RABTotal, RKTotal         dak.Money
	Departures                []string // how the RK departs from the assessed RAB
	DepartureBasis            string   // the basis it was approved on
	Outputs                   []dak.Output
	Mode                      string
	Stages                    []stageView
	Timeline                  []timelineItem
	Tampered                  []int // seqs of events whose rows disagree with their hashed records
	Documents                 []documentItem
	Attachments               attachmentsView
	Diffs                     []diffView
	Actions                   []actionView
	CanEdit                   bool
	Diagram                   diagramView
	// Flagged are the region's sentra whose use report is overdue or that
	// are unused (PRODUCT.md §9: shown on the region's next proposal).
	Flagged []monitoredView
	// RevisionNotes are the open request for changes, boxed at the top.
	RevisionNotes *revisionNotes
	// Deadlines are those the proposal waits on in its state (calendar.go).
	Deadlines []calendarLine
}

// amountRow is one money figure of the header.
type amountRow struct {
	Label string
	Value dak.Money
}

// keyValue is one labelled value.
type keyValue struct{ Label, Value string }

// stageView is one disbursement stage.
type stageView struct {
	Number                 int
	Basis, State, Deadline string
	Percent                dak.Percent
	Planned, Amount, Paid  dak.Money
	SP2D                   string
	Current                bool
}

// documentItem is one issued document with its download and verification links.
type documentItem struct {
	ID                                     int64
	Title, Number, Date, VerifyURL, SHA256 string
}

var stageStates = map[string]string{dak.StagePending: "Belum dimohonkan", dak.StageRequested: "Dimohonkan",
	dak.StageRecommended: "Direkomendasikan", dak.StagePaid: "Tersalur", dak.StageLapsed: "Hangus"}

var stageBases = map[string]string{"contract": "Nilai daftar kontrak", "rk_or_contract": "Persentase RK atau nilai kontrak bila lebih kecil",
	"rk_percent": "Persentase nilai RK", "remainder": "Sisa yang diperlukan hingga selesai"}

func (p *pages) proposal(c echo.Context) error {
	pr, err := p.s.visible(c)
	if err != nil {
		return err
	}
	data, err := p.proposalData(c, pr)
	if err != nil {
		return err
	}
	switch {
	case c.QueryParam("saved") != "":
		data.Notice = "Perubahan usulan tersimpan."
	case c.QueryParam("uploaded") != "":
		data.Notice = "Lampiran terunggah."
	case c.QueryParam("created") != "":
		data.Notice = "Usulan tersimpan."
	}
	if ev := c.QueryParam("done"); ev != "" {
		if def, ok := p.s.engine.Current().Event(ev); ok {
			data.Notice = "Berhasil: " + def.Label + "."
			if n := len(data.Documents); n > 0 && def.Document != "" {
				data.Notice += " Dokumen " + data.Documents[n-1].Title + " nomor " + data.Documents[n-1].Number + " telah terbit."
			}
		}
	}
	return p.render(c, http.StatusOK, "proposal", data)
}

// proposalData reads everything the proposal page shows.
func (p *pages) proposalData(c echo.Context, pr dak.Proposal) (proposalPage, error) {
	ctx := c.Request().Context()
	u := currentUser(c)
	d, known := p.s.engine.Definition(pr.Workflow)
	if !known {
		d = p.s.engine.Current()
	}
	st, _ := d.State(pr.State)
	data := proposalPage{pageBase: p.base(c, pr.Number+" — "+pr.Title), ID: pr.ID, Number: pr.Number, Title: pr.Title,
		Menu: pr.Menu.Label(), Region: regionName(pr.RegionCode), Workflow: d.Label, State: d.StateLabel(pr.State),
		StateName: pr.State, FiscalYear: pr.FiscalYear, Revision: pr.Revision, Version: pr.Version, Final: st.Final,
		RAB: pr.Content.BudgetLines, RK: pr.RK, Outputs: pr.Content.Outputs}
	data.Amounts = []amountRow{{"Nilai usulan", pr.RequestedAmount}}
	deadlines, err := p.s.proposalDeadlines(c.Request().Context(), pr)
	if err != nil {
		return data, err
	}
	data.Deadlines = calendarLinesOf(deadlines, p.s.store.Now())
	for _, a := range []amountRow{{"Rekomendasi", pr.RecommendedAmount}, {"Alokasi", pr.AllocatedAmount},
		{"Rencana kegiatan", pr.RKAmount}, {"Tersalur", pr.DisbursedAmount}} {
		if a.Value != 0 {
			data.Amounts = append(data.Amounts, a)
		}
	}
	if pr.AllocatedAmount > 0 { // the same figures the documents print
		f := pr.Figures()
		for _, a := range []amountRow{{"Terserap (laporan pemda)", f.Absorbed}, {"Sisa alokasi belum direkomendasikan", f.Left},
			{"Tidak dapat disalurkan (hangus)", f.Lapsed}, {"Bagian alokasi yang tidak disalurkan", f.NeverDisbursed}} {
			if a.Value != 0 {
				data.Amounts = append(data.Amounts, a)
			}
		}
	}
	for _, l := range pr.Content.BudgetLines {
		data.RABTotal += l.Total
	}
	for _, l := range pr.RK {
		data.RKTotal += l.Total
	}
	data.Sentra, data.Land = sentraRows(pr.Content)
	sentra, err := p.sentraHistory(ctx, d, pr)
	if err != nil {
		return data, err
	}
	data.SentraHistory = sentra
	if len(pr.Stages) > 0 {
		data.Mode = d.Mode(pr.AllocatedAmount)
		next := pr.NextStage()
		for _, s := range pr.Stages {
			data.Stages = append(data.Stages, stageView{Number: s.Number, Basis: stageBases[s.Basis], State: stageStates[s.State],
				Deadline: dak.FormatDateTime(s.Deadline), Percent: s.Percent, Planned: s.PlannedAmount, Amount: s.Amount,
				Paid: s.PaidAmount, SP2D: s.SP2DNumber, Current: next != nil && next.Number == s.Number})
		}
	}
	events, err := p.s.store.Events(ctx, pr.ID)
	if err != nil {
		return data, err
	}
	docs, err := p.s.store.Documents(ctx, pr.ID)
	if err != nil {
		return data, err
	}
	for _, doc := range docs {
		data.Documents = append(data.Documents, documentItem{ID: doc.ID, Title: doc.Title, Number: doc.Number,
			Date: dak.FormatDateTime(doc.CreatedAt), VerifyURL: "/verify/" + doc.VerifyCode, SHA256: doc.SHA256})
	}
	data.Timeline = timeline(d, events, docs)
	data.RevisionNotes = openNotes(d, pr, events)
	for _, e := range events {
		if len(e.Mismatch) > 0 {
			data.Tampered = append(data.Tampered, e.Seq)
		}
	}
	for _, dep := range workflow.RKDepartures(&pr) {
		data.Departures = append(data.Departures, dep.String())
	}
	if len(data.Departures) > 0 {
		data.DepartureBasis = departureBasis(d, events)
	}
	if data.Attachments, err = p.attachments(c, pr, "view"); err != nil {
		return data, err
	}
	if data.Diffs, err = p.diffs(c, pr); err != nil {
		return data, err
	}
	if data.Flagged, err = p.flaggedInRegion(c, pr.RegionCode); err != nil {
		return data, err
	}
	available := p.s.engine.AvailableEvents(pr, u)
	data.CanEdit = known && u.ActsFor(pr.RegionCode) && d.Editable(pr.State) // as engine.UpdateProposal allows
	if data.RevisionNotes != nil && data.CanEdit {
		data.RevisionNotes.linkToForm(proposalPath(pr.ID) + "/edit")
	}
	for _, name := range available {
		a := p.action(d, pr, name)
		a.ProposalID, a.CSRF = pr.ID, data.CSRF
		if err := p.withPriority(c, pr, &a); err != nil {
			return data, err
		}
		a.Lines.Note = data.RevisionNotes.For("activities") // an RK sent back: the note above its editor
		data.Actions = append(data.Actions, a)
	}
	visited := map[string]bool{d.Initial: true}
	for _, e := range events {
		visited[e.From], visited[e.To] = true, true
	}
	data.Diagram = diagram(d, pr.State, visited)
	return data, nil
}

// departureBasis is the basis stated by the latest event that takes one
// (the approval of the RK).
func departureBasis(d *workflow.Definition, events []dak.Event) string {
	for i := len(events) - 1; i >= 0; i-- {
		if ev, ok := d.Event(events[i].Event); ok && ev.Takes("departure_basis") {
			var ed workflow.EventData
			if err := json.Unmarshal(events[i].Data, &ed); err != nil {
				return "" // the trail's integrity check reports a damaged record
			}
			return strings.TrimSpace(ed.DepartureBasis)
		}
	}
	return ""
}

// sentraRows lays out the sentra and land of a proposal for reading.
func sentraRows(in dak.ProposalInput) (sentra, land []keyValue) {
	s := in.Sentra
	village := s.VillageCode
	if village != "" {
		if a := region.Address(region.Code(village)); a != "" {
			village = a + " (" + s.VillageCode + ")"
		}
	}
	villageLabel := region.Village.NameIn(region.Code(s.VillageCode)) // kampung/kelurahan in Papua
	villageLabel = strings.ToUpper(villageLabel[:1]) + villageLabel[1:]
	sentra = []keyValue{{"Nama sentra", s.Name}, {"Komoditas", s.Commodity}, {villageLabel, village},
		{"Alamat", s.Address}, {"Koordinat", coords(s.Latitude, s.Longitude)},
		{"Jumlah IKM", fmtInt(int64(s.IKMUnits))}, {"Tenaga kerja", fmtInt(int64(s.Workers))}}
	if s.DecreeNumber != "" || s.DecreeDate != "" {
		date := s.DecreeDate
		if t, err := dak.ParseDate(date); err == nil {
			date = dak.FormatDate(t)
		}
		sentra = append(sentra, keyValue{"SK penetapan sentra", s.DecreeNumber + ", " + date})
	}
	if l := in.Land; l.AreaM2 != 0 || l.Ownership != "" || l.CertificateNumber != "" {
		land = []keyValue{{"Luas lahan", dak.Money(l.AreaM2).Figures() + " m²"}, {"Status lahan", dak.LandOwnerships[l.Ownership]},
			{"Nomor sertifikat", l.CertificateNumber}}
	}
	return sentra, land
}

func coords(lat, lon *float64) string {
	if lat == nil || lon == nil {
		return ""
	}
	return fmtCoord(lat) + "; " + fmtCoord(lon) // the comma is the decimal one
}

// proposalPath is the page of a proposal.
func proposalPath(id int64) string { return "/proposals/" + strconv.FormatInt(id, 10) }
