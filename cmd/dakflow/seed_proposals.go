package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/region"
	"dakflow/internal/workflow"
)

// seeder walks demo proposals through the real engine, so every demo
// proposal has its real trail and documents (STYLE.md 17).
type seeder struct {
	app   *app
	users map[string]dak.User
	year  int
	seq   int
}

// demoSentra are the sentra of PRODUCT.md §8.
var demoSentra = []struct {
	pemda, name, commodity string
	menu                   dak.Menu
	big                    bool // bertahap (> Rp1 miliar) or sekaligus
}{
	{"pemda.bandarlampung", "Sentra IKM Tenun Tapis", "Kain tenun tapis", dak.MenuRevitalisasi, true},
	{"pemda.konaweselatan", "Sentra IKM Tahu Tempe", "Tahu dan tempe", dak.MenuPembangunan, false},
	{"pemda.makassar", "Sentra IKM Kerajinan Perak", "Kerajinan perak", dak.MenuRevitalisasi, true},
	{"pemda.dogiyai", "Sentra IKM Pengolahan Kopi", "Kopi arabika", dak.MenuPembangunan, true},
	{"pemda.bangkabarat", "Sentra IKM Kerajinan Pewter", "Kerajinan pewter", dak.MenuRevitalisasi, false},
	{"pemda.pasuruan", "Sentra IKM Komponen Kapal dan Pengecoran Logam", "Komponen kapal, pengecoran logam", dak.MenuRevitalisasi, true},
	{"pemda.konawe", "Sentra IKM Konawe", "Olahan hasil perkebunan", dak.MenuPembangunan, false},
}

type step struct {
	event string
	by    string
	data  map[string]any
}

// path returns the events that take a proposal to target.
func (s *seeder) path(target string, big bool) []step {
	alloc := int64(800_000_000)
	if big {
		alloc = 3_200_000_000
	}
	checklist := []map[string]any{}
	for _, item := range s.app.engine.Current().Checklist {
		checklist = append(checklist, map[string]any{"id": item.ID, "met": true, "note": "Sesuai dokumen"})
	}
	review := []step{{"submit", "pemda", nil}, {"start_review", "verifikator1", nil}}
	recommend := append(review, step{"recommend", "verifikator1", map[string]any{"recommended_amount": alloc, "checklist": checklist}})
	allocate := append(recommend, step{"allocate", "penetap1", map[string]any{"amount": alloc}})
	rk := append(allocate, step{"submit_rk", "pemda", map[string]any{"activities": []map[string]any{
		{"category": "gedung_produksi", "description": "Pembangunan gedung produksi", "quantity": 1, "unit": "paket", "unit_price": alloc * 6 / 10},
		{"category": "mesin_peralatan", "description": "Pengadaan mesin dan peralatan produksi", "quantity": 4, "unit": "unit", "unit_price": alloc * 4 / 10 / 4},
	}}})
	approved := append(rk, step{"approve_rk", "penetap1", nil})
	stages := approved
	stageCount := 1
	if big {
		stageCount = 3
	}
	for n := 1; n <= stageCount; n++ {
		// absorbed_amount is filled from the proposal when fired
		req := map[string]any{"stage": n, "contract_value": alloc * 9 / 10, "output_percent": 0}
		if n == 3 {
			req["output_percent"] = 80
		}
		stages = append(stages, step{"request_disbursement", "pemda", req}, step{"recommend_disbursement", "penetap1", nil},
			step{"record_disbursement", "perbendaharaan1", nil})
	}
	complete := append(stages, step{"complete", "pemda", map[string]any{"output_percent": 100, "bast_number": "BAST/027/DISPERIN/2027"}})
	notes := map[string]any{"notes": []map[string]any{{"field": "budget_lines", "note": "Harga satuan mesin perlu dibandingkan dengan e-katalog"}}}
	cut := func(list []step, extra ...step) []step { return append(append([]step{}, list...), extra...) }
	switch target {
	case "draft":
		return nil
	case "submitted":
		return cut(review[:1])
	case "in_review":
		return cut(review)
	case "needs_revision":
		return cut(review, step{"request_revision", "verifikator1", notes})
	case "withdrawn":
		return []step{{"withdraw", "pemda", nil}}
	case "rejected":
		return cut(review, step{"reject", "verifikator1", nil})
	case "recommended":
		return cut(recommend)
	case "not_allocated":
		return cut(recommend, step{"decline", "penetap1", nil})
	case "allocated":
		return cut(allocate)
	case "rk_submitted":
		return cut(rk)
	case "rk_revision":
		return cut(rk, step{"request_rk_revision", "verifikator1", notes})
	case "rk_approved":
		return cut(approved)
	case "disbursement_requested":
		return cut(approved, stages[len(approved)])
	case "disbursement_returned":
		return cut(approved, stages[len(approved)], step{"return_request", "penetap1", notes})
	case "disbursement_recommended":
		return cut(approved, stages[len(approved):len(approved)+2]...)
	case "tranche_disbursed":
		return cut(approved, stages[len(approved):len(approved)+3]...)
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
	n := 0
	for i, target := range demoTargets {
		sentra := demoSentra[i%len(demoSentra)]
		big := sentra.big
		if i == 1 {
			sentra, big = demoSentra[1], false // the sekaligus completion
		}
		if err := s.walk(ctx, sentra.pemda, sentra.name, sentra.commodity, sentra.menu, big, target); err != nil {
			return n, fmt.Errorf("seed %s: %w", target, err)
		}
		n++
	}
	if err := s.lapsed(ctx); err != nil {
		return n, fmt.Errorf("seed lapsed: %w", err)
	}
	return n + 1, nil
}

// lapsed files a proposal for the past fiscal year, with the store's clock
// set back, so that its first stage's deadline has really passed.
func (s *seeder) lapsed(ctx context.Context) error {
	st := s.app.store
	past := s.year - 1
	defer st.SetClock(func() time.Time { return time.Now().UTC() })
	at := time.Date(past-1, 9, 1, 9, 0, 0, 0, dak.WIB)
	st.SetClock(func() time.Time { at = at.Add(7 * time.Minute); return at.UTC() })
	if _, err := st.SetFiscalYear(ctx, past, 395_000_000_000, nil); err != nil {
		return err
	}
	year := s.year
	s.year = past
	defer func() { s.year = year }()
	if err := s.walk(ctx, "pemda.pasuruan", "Sentra IKM Pengecoran Logam Pasuruan", "Pengecoran logam", dak.MenuRevitalisasi, true, "rk_approved"); err != nil {
		return err
	}
	st.SetClock(func() time.Time { return time.Now().UTC() })
	n, err := s.app.engine.LapseDue(ctx)
	if err == nil && n == 0 {
		err = fmt.Errorf("nothing lapsed")
	}
	return err
}

func (s *seeder) walk(ctx context.Context, pemda, name, commodity string, menu dak.Menu, big bool, target string) error {
	owner := s.users[pemda]
	in := s.input(owner.RegionCode, name, commodity, menu, big)
	e := s.app.engine
	p, err := e.CreateProposal(ctx, owner, in)
	if err != nil {
		return err
	}
	for _, kind := range e.Current().Menus[string(menu)].RequiredAttachments {
		if _, err := e.Attach(ctx, owner, p.ID, kind, kind+".pdf", demoPDF(kind)); err != nil {
			return err
		}
	}
	for _, st := range s.path(target, big) {
		actor := s.users[st.by]
		if st.by == "pemda" {
			actor = owner
		}
		p, err = s.app.store.Proposal(ctx, p.ID)
		if err != nil {
			return err
		}
		data := st.data
		switch st.event {
		case "request_disbursement":
			if err := s.stageFiles(ctx, owner, p); err != nil {
				return err
			}
			data = cloneMap(data)
			data["absorbed_amount"] = int64(p.DisbursedAmount) * 95 / 100
		case "record_disbursement":
			next := p.NextStage()
			s.seq++
			data = map[string]any{"amount": next.Amount, "sp2d_number": fmt.Sprintf("SP2D-%d-%05d", s.year, s.seq),
				"sp2d_date": time.Now().In(dak.WIB).Format("2006-01-02")}
		case "complete":
			if _, err := e.Attach(ctx, owner, p.ID, "bast", "bast.pdf", demoPDF("bast")); err != nil {
				return err
			}
			data = cloneMap(data)
			data["absorbed_amount"] = p.DisbursedAmount
		}
		raw, _ := json.Marshal(data)
		comment := ""
		if st.event == "withdraw" || st.event == "reject" || st.event == "decline" {
			comment = "Usulan belum sesuai prioritas tahun berjalan"
		}
		if _, err := e.Fire(ctx, actor, p.ID, workflow.Request{Event: st.event, Comment: comment, Data: raw}, nil); err != nil {
			return fmt.Errorf("%s: %w", st.event, err)
		}
	}
	return nil
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

func cloneMap(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// input builds a complete proposal for a sentra in the first desa of the
// region's first kecamatan.
func (s *seeder) input(regionCode, name, commodity string, menu dak.Menu, big bool) dak.ProposalInput {
	village := ""
	if ds := region.Children(region.Code(regionCode)); len(ds) > 0 {
		if vs := region.Children(ds[0].Code); len(vs) > 0 {
			village = string(vs[0].Code)
		}
	}
	scale := int64(1)
	if big {
		scale = 4
	}
	lat, lon := -5.41, 105.26
	in := dak.ProposalInput{FiscalYear: s.year, Menu: menu, Title: fmt.Sprintf("%s %s", map[dak.Menu]string{dak.MenuPembangunan: "Pembangunan", dak.MenuRevitalisasi: "Revitalisasi"}[menu], name),
		Sentra: dak.SentraInput{Name: name, Commodity: commodity, VillageCode: village, Address: "Jalan Sentra Industri No. 1",
			Latitude: &lat, Longitude: &lon, IKMUnits: 15, Workers: 60},
		BudgetLines: []dak.BudgetLine{
			{Category: "gedung_produksi", Description: "Gedung produksi bersama", Quantity: 1, Unit: "paket", UnitPrice: dak.Money(350_000_000 * scale)},
			{Category: "mesin_peralatan", Description: "Mesin produksi", Quantity: 6, Unit: "unit", UnitPrice: dak.Money(50_000_000 * scale)},
			{Category: "ipal", Description: "Instalasi pengolahan air limbah", Quantity: 1, Unit: "paket", UnitPrice: dak.Money(150_000_000 * scale)},
			{Category: "papan_identitas", Description: "Papan identitas sentra", Quantity: 1, Unit: "buah", UnitPrice: 15_000_000},
		},
		Outputs: []dak.Output{{Description: "Gedung produksi", Volume: 1, Unit: "unit"}, {Description: "Mesin produksi", Volume: 6, Unit: "unit"}}}
	if menu == dak.MenuPembangunan {
		in.Land = dak.Land{AreaM2: 2500, Ownership: "milik_pemda", CertificateNumber: "SHP No. 12/2019"}
	} else {
		in.Sentra.DecreeNumber = "188.45/112/IV.40/2019"
		in.Sentra.DecreeDate = "2019-04-15"
	}
	return in
}

// demoPDF is a small valid PDF standing in for a scanned attachment.
func demoPDF(title string) []byte {
	return []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n% " + title + "\ntrailer<</Root 1 0 R>>\n%%EOF\n")
}
