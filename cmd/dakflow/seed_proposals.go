package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/workflow"
)

// seeder walks demo proposals through the real engine, so every demo
// proposal has its real trail and documents (STYLE.md 17).
type seeder struct {
	app   *app
	users map[string]dak.User
	year  int
	seq   int
	// placed counts the desa of each region given a demo sentra (nextVillage).
	placed map[string]int
	// reserved are the desa the registry left for the demo proposals
	// (demoVillages); nil before it is loaded.
	reserved map[string]bool
}

// step is one event of a demo proposal's walk; stage is the disbursement
// stage it concerns (0 for none).
type step struct {
	event string
	by    string
	stage int
	data  map[string]any
}

// path returns the events that take a proposal to target.
func (s *seeder) path(target string, menu dak.Menu, big bool, kppn string) []step {
	alloc := allocationOf(big)
	checklist := []map[string]any{}
	for _, item := range s.app.engine.Current().Checklist {
		if !item.AppliesTo(menu) {
			checklist = append(checklist, map[string]any{"id": item.ID, "not_applicable": true})
			continue
		}
		checklist = append(checklist, map[string]any{"id": item.ID, "met": true, "note": checklistNotes[item.ID]})
	}
	review := []step{{event: "submit", by: "pemda"}, {event: "start_review", by: "verifikator1"}}
	recommend := append(review, step{event: "recommend", by: "verifikator1", data: map[string]any{"recommended_amount": alloc, "checklist": checklist,
		"amount_reason": "Papan identitas dan sebagian harga satuan mesin disesuaikan dengan e-katalog."}})
	allocate := append(recommend, step{event: "allocate", by: "penetap1", data: map[string]any{"amount": alloc}})
	rk := append(allocate, step{event: "submit_rk", by: "pemda", data: map[string]any{"activities": rkOf(big)}})
	approved := append(rk, step{event: "approve_rk", by: "penetap1"})
	contract := alloc * 9 / 10
	stages := approved
	stageCount := 1
	if big {
		stageCount = 3
	}
	for n := 1; n <= stageCount; n++ {
		// absorbed_amount is filled from the proposal when fired
		req := map[string]any{"stage": n, "contract_value": contract, "output_percent": []int{0, 25, 55, 80}[n], "kppn": kppn}
		if n == 3 {
			req["completion_need"] = contract - alloc/4 - alloc*45/100
		}
		stages = append(stages, step{event: "request_disbursement", by: "pemda", stage: n, data: req},
			step{event: "recommend_disbursement", by: "penetap1", stage: n},
			step{event: "record_disbursement", by: "perbendaharaan1", stage: n})
	}
	complete := append(stages, step{event: "complete", by: "pemda", stage: stageCount, data: map[string]any{"output_percent": 100}})
	notes := map[string]any{"notes": []map[string]any{{"field": "budget_lines", "note": "Harga satuan mesin perlu dibandingkan dengan e-katalog"}}}
	cut := func(list []step, extra ...step) []step { return append(append([]step{}, list...), extra...) }
	first := len(approved)
	switch target {
	case "draft":
		return nil
	case "submitted":
		return cut(review[:1])
	case "in_review":
		return cut(review)
	case "needs_revision":
		return cut(review, step{event: "request_revision", by: "verifikator1", data: notes})
	case "withdrawn":
		return cut(review[:1], step{event: "withdraw", by: "pemda"})
	case "rejected":
		return cut(review, step{event: "reject", by: "verifikator1"})
	case "recommended":
		return cut(recommend)
	case "not_allocated":
		return cut(recommend, step{event: "decline", by: "penetap1"})
	case "allocated":
		return cut(allocate)
	case "rk_submitted":
		return cut(rk)
	case "rk_revision":
		return cut(rk, step{event: "request_rk_revision", by: "verifikator1", data: notes})
	case "rk_approved":
		// This RK buys one machine fewer than the RAB that was assessed:
		// the approver states the basis, which the approval letter prints.
		fewer := rkOf(big)
		fewer[1] = cloneMap(fewer[1])
		fewer[1]["quantity"] = 5
		return cut(allocate, step{event: "submit_rk", by: "pemda", data: map[string]any{"activities": fewer}},
			step{event: "approve_rk", by: "penetap1", data: map[string]any{"departure_basis": "Harga mesin menurut survei " +
				"harga pasar naik; lima unit memenuhi kapasitas produksi sentra menurut kajian Dinas Perindustrian."}})
	case "disbursement_requested":
		return cut(approved, stages[first])
	case "disbursement_returned":
		// The pemda has not answered the return by July: the approver
		// extends the stage I deadline on its request.
		return cut(approved, stages[first], step{event: "return_request", by: "penetap1", stage: 1, data: notes},
			step{event: "extend_deadline", by: "penetap1", stage: 1, data: map[string]any{"stage": 1,
				"until": fmt.Sprintf("%d-08-12", s.year), "legal_basis": "Surat Direktur Jenderal Perimbangan Keuangan " +
					"tentang perpanjangan batas waktu penyampaian dokumen persyaratan penyaluran DAK Fisik"}})
	case "disbursement_recommended":
		return cut(approved, stages[first:first+2]...)
	case "tranche_disbursed":
		return cut(approved, stages[first:first+3]...)
	case "completed":
		return cut(complete)
	}
	return nil
}

// demoTargets: one proposal per state, spread over the demo sentra.
var demoTargets = []string{"completed", "completed", "tranche_disbursed", "disbursement_recommended", "disbursement_returned",
	"disbursement_requested", "rk_approved", "rk_revision", "rk_submitted", "allocated", "not_allocated", "recommended",
	"rejected", "needs_revision", "in_review", "submitted", "withdrawn", "draft"}

func (s *seeder) proposals(ctx context.Context) (int, error) {
	defer s.app.store.SetClock(func() time.Time { return time.Now().UTC() })
	// Every proposal, and the sentra each revitalisasi improves (registered
	// as the count of the year before found it), exists before the first
	// event is fired: the berita acara penilaian states the coverage its
	// event finds, which these sentra are part of.
	created := make([]dak.Proposal, len(demoTargets))
	for i, target := range demoTargets {
		k, big := demoSentraOf(i)
		sentra := demoSentra[k]
		p, err := s.create(ctx, i, sentra.pemda, sentra.name, sentra.commodity, sentra.menu, big)
		if err != nil {
			return 0, fmt.Errorf("seed %s: %w", target, err)
		}
		created[i] = p
	}
	n := 0
	for i, target := range demoTargets {
		k, big := demoSentraOf(i)
		sentra := demoSentra[k]
		if _, err := s.advance(ctx, i, created[i], sentra.pemda, sentra.menu, big, sentra.kppn, target); err != nil {
			return n, fmt.Errorf("seed %s: %w", target, err)
		}
		n++
	}
	if err := s.lapsed(ctx); err != nil {
		return n, fmt.Errorf("seed lapsed: %w", err)
	}
	return n + 1, nil
}

// demoSentraOf is the demo sentra (an index of demoSentra) the i-th demo
// proposal is for, and whether it is bertahap.
func demoSentraOf(i int) (int, bool) {
	if i == 1 {
		return 1, false // the sekaligus completion
	}
	n := i % len(demoSentra)
	return n, demoSentra[n].big
}

// lapsedPemda files the lapsed proposal of the past fiscal year.
const lapsedPemda = "pemda.pasuruan"

// lapsed files a proposal for the past fiscal year whose stage I was paid
// and whose stage II documents never came: it lapses a few minutes after
// the stage II deadline.
func (s *seeder) lapsed(ctx context.Context) error {
	st := s.app.store
	past := s.year - 1
	if _, err := st.SetFiscalYear(ctx, past, 395_000_000_000, nil); err != nil {
		return err
	}
	year := s.year
	s.year = past
	defer func() { s.year = year }()
	p, err := s.walk(ctx, len(demoTargets), lapsedPemda, "Sentra IKM Pengecoran Logam Pasuruan", "Pengecoran logam",
		dak.MenuRevitalisasi, true, "KPPN Pasuruan", "tranche_disbursed")
	if err != nil {
		return err
	}
	next := p.NextStage()
	at := next.Deadline.Add(10 * time.Minute)
	st.SetClock(func() time.Time { return at })
	n, err := s.app.engine.LapseDue(ctx)
	if err == nil && n == 0 {
		err = fmt.Errorf("nothing lapsed")
	}
	return err
}

// when is the moment a demo step happens: a calendar of the fiscal year
// (PRODUCT.md §3), so that every date a document prints is possible — a
// submission in the year before, an SP2D inside the year and after its
// recommendation, each stage before its deadline. i spreads the proposals
// over the days.
func (s *seeder) when(st step, i int) time.Time {
	y := s.year
	day := func(year int, m time.Month, d int) time.Time {
		return time.Date(year, m, d, 9, 0, 0, 0, dak.WIB).Add(time.Duration(i) * 25 * time.Minute)
	}
	stageDays := [][3]time.Time{{},
		{day(y, time.March, 9), day(y, time.March, 16), day(y, time.March, 23)},
		{day(y, time.July, 6), day(y, time.July, 13), day(y, time.July, 20)},
		{day(y, time.October, 5), day(y, time.October, 12), day(y, time.October, 19)}}
	switch st.event {
	case "create", "submit":
		return day(y-1, time.March, 2)
	case "withdraw":
		return day(y-1, time.March, 20)
	case "start_review":
		return day(y-1, time.April, 6)
	case "request_revision", "reject":
		return day(y-1, time.April, 27)
	case "recommend":
		return day(y-1, time.June, 8)
	case "allocate", "decline":
		return day(y-1, time.October, 19)
	case "submit_rk":
		return day(y, time.January, 12)
	case "request_rk_revision":
		return day(y, time.January, 19)
	case "approve_rk":
		return day(y, time.January, 26)
	case "request_disbursement":
		return stageDays[st.stage][0]
	case "extend_deadline":
		return day(y, time.July, 20)
	case "return_request", "recommend_disbursement":
		return stageDays[st.stage][1]
	case "record_disbursement":
		return stageDays[st.stage][2]
	case "complete":
		return day(y, time.November, 16)
	}
	return day(y-1, time.March, 2)
}

// walk creates a demo proposal and takes it to target.
func (s *seeder) walk(ctx context.Context, i int, pemda, name, commodity string, menu dak.Menu, big bool, kppn, target string) (dak.Proposal, error) {
	p, err := s.create(ctx, i, pemda, name, commodity, menu, big)
	if err != nil {
		return p, err
	}
	return s.advance(ctx, i, p, pemda, menu, big, kppn, target)
}

// create registers the sentra a revitalisasi improves and creates the
// proposal, with its attachments, on the day of submission.
func (s *seeder) create(ctx context.Context, i int, pemda, name, commodity string, menu dak.Menu, big bool) (dak.Proposal, error) {
	owner := s.users[pemda]
	st := s.app.store
	at := s.when(step{event: "create"}, i).UTC()
	st.SetClock(func() time.Time { return at })
	in := s.input(owner.RegionCode, name, commodity, menu, big)
	in.RegionCode = owner.RegionCode
	if v := in.Sentra.VillageCode; s.reserved != nil && v != "" && !s.reserved[v] {
		return dak.Proposal{}, fmt.Errorf("desa %s of %s was not kept free of the registry (demoVillages)", v, name)
	}
	if menu == dak.MenuRevitalisasi { // the registry holds the sentra it improves
		id, err := s.registerSentra(ctx, in)
		if err != nil {
			return dak.Proposal{}, err
		}
		in.SentraID = id
	}
	e := s.app.engine
	p, err := e.CreateProposal(ctx, owner, in)
	if err != nil {
		return p, err
	}
	for _, kind := range e.Current().Menus[string(menu)].RequiredAttachments {
		if _, err := e.Attach(ctx, owner, p.ID, kind, kind+".pdf", demoPDF(kind)); err != nil {
			return p, err
		}
	}
	return p, nil
}

// advance fires the events that take proposal p, created by create, to
// target, each on its day of the calendar (when).
func (s *seeder) advance(ctx context.Context, i int, p dak.Proposal, pemda string, menu dak.Menu, big bool, kppn, target string) (dak.Proposal, error) {
	owner := s.users[pemda]
	st, e := s.app.store, s.app.engine
	clock := func(at time.Time) { st.SetClock(func() time.Time { return at.UTC() }) }
	var err error
	for _, stp := range s.path(target, menu, big, kppn) {
		at := s.when(stp, i)
		clock(at)
		actor := s.users[stp.by]
		if stp.by == "pemda" {
			actor = owner
		}
		p, err = st.Proposal(ctx, p.ID)
		if err != nil {
			return p, err
		}
		data := stp.data
		switch stp.event {
		case "request_disbursement":
			if err := s.stageFiles(ctx, owner, p); err != nil {
				return p, err
			}
			data = cloneMap(data)
			data["absorbed_amount"] = int64(p.DisbursedAmount) * 95 / 100
		case "record_disbursement":
			next := p.NextStage()
			s.seq++
			data = map[string]any{"amount": next.Amount, "sp2d_number": fmt.Sprintf("%02d%04d%09d", s.year%100, 1203, 118+97*s.seq),
				"sp2d_date": at.In(dak.WIB).Format("2006-01-02")}
		case "complete":
			if _, err := e.Attach(ctx, owner, p.ID, "bast", "bast.pdf", demoPDF("bast")); err != nil {
				return p, err
			}
			data = cloneMap(data)
			data["absorbed_amount"] = p.DisbursedAmount - p.DisbursedAmount/100
			data["bast_number"] = fmt.Sprintf("%03d/BAST-DAK/%s/XI/%d", 27+i, p.RegionCode, s.year)
			data["bast_date"] = at.AddDate(0, 0, -6).In(dak.WIB).Format("2006-01-02")
		}
		raw, err := json.Marshal(data)
		if err != nil {
			return p, fmt.Errorf("%s data: %w", stp.event, err)
		}
		comment := ""
		switch stp.event {
		case "withdraw":
			comment = "Lokasi gedung produksi perlu disesuaikan dengan rencana detail tata ruang; usulan akan disusun ulang"
		case "reject":
			comment = "Sentra tidak memenuhi syarat revitalisasi: kurang dari 8 IKM yang masih aktif berproduksi"
		case "decline":
			comment = "Pagu DAK Fisik Bidang IKM tahun anggaran ini telah habis dialokasikan untuk usulan prioritas"
		case "extend_deadline":
			comment = "Kontrak mesin ditender ulang; pemerintah daerah memohon perpanjangan dengan surat kepala daerah"
		}
		if _, err := e.Fire(ctx, actor, p.ID, workflow.Request{Event: stp.event, Comment: comment, Data: raw}); err != nil {
			return p, fmt.Errorf("%s: %w", stp.event, err)
		}
	}
	return st.Proposal(ctx, p.ID)
}

func (s *seeder) stageFiles(ctx context.Context, owner dak.User, p dak.Proposal) error {
	e := s.app.engine
	mode := e.Current().Mode(p.AllocatedAmount)
	kinds := e.Current().Parameters.Sekaligus.Attachments
	if mode == workflow.ModeBertahap {
		kinds = e.Current().Parameters.Bertahap.Stages[p.NextStage().Number-1].Attachments
	}
	for _, kind := range kinds {
		if _, err := e.Attach(ctx, owner, p.ID, kind, kind+".pdf", demoPDF(kind)); err != nil {
			return err
		}
	}
	return nil
}
