package document

import (
	"time"

	"dakflow/internal/dak"
)

// Samples of the Rencana Kegiatan and disbursement documents.

func sampleCatatanRK(in *Input, c cast) {
	in.Actor = sampleVerifier
	in.IssuedAt = wib(2027, time.January, 27, 16, 10)
	in.Notes = []Note{
		{"Rencana kegiatan — baris 3", "Cantumkan luas bangunan (m²) dan spesifikasi teknis sesuai DED yang telah dinilai."},
		{"Rencana kegiatan — baris 7", "Rinci jenis dan jumlah sarana penunjang; paket tanpa rincian tidak dapat diperiksa kewajarannya."},
	}
}

func sampleSuratPersetujuanRK(in *Input, c cast) {
	in.Actor = c.approver
	in.IssuedAt = wib(2027, time.February, 10, 9, 30)
	for i := range in.Disbursement.Stages {
		s := &in.Disbursement.Stages[i]
		s.State, s.SP2DNumber, s.SP2DDate = StagePlanned, "", time.Time{}
	}
}

// sampleFigures sets in.Figures from the sample's stages through the same
// computation the engine uses (dak.Proposal.Figures), and prints each stage
// with its amounts from there: the sample fixture and a live document can
// never word a figure differently.
func sampleFigures(in *Input) {
	states := map[string]string{StagePlanned: dak.StagePending, StageRequested: dak.StageRequested, StageReturned: dak.StagePending,
		StageRecommended: dak.StageRecommended, StagePaid: dak.StagePaid, StageLapsed: dak.StageLapsed}
	p := dak.Proposal{AllocatedAmount: in.Proposal.AllocatedAmount, RKAmount: in.Proposal.RKAmount,
		AbsorbedAmount: max(in.Stage.AbsorbedAmount, in.Completion.AbsorbedAmount)}
	for _, s := range in.Disbursement.Stages {
		st := dak.Stage{Number: s.Number, PlannedAmount: s.Amount, State: states[s.State]}
		switch st.State {
		case dak.StagePaid:
			st.Amount, st.PaidAmount = s.Amount, s.Amount
			p.DisbursedAmount += s.Amount
		case dak.StageRequested, dak.StageRecommended:
			st.Amount = s.Amount
		}
		p.Stages = append(p.Stages, st)
	}
	in.Figures = p.Figures()
	in.Proposal.DisbursedAmount = in.Figures.Disbursed
	for i := range in.Disbursement.Stages {
		in.Disbursement.Stages[i].Amount = in.Figures.Stages[i].Amount
		in.Disbursement.Stages[i].Lapsed = in.Figures.Stages[i].Lapsed
	}
}

// sampleAt sets the sample stage to state and the stages after it to
// planned: the proposal as it stands when a document about that stage is
// issued.
func sampleAt(in *Input, state string) {
	s, _ := sampleStage(in)
	for i := range in.Disbursement.Stages {
		st := &in.Disbursement.Stages[i]
		switch {
		case st.Number == s.Number:
			st.State = state
		case st.Number > s.Number:
			st.State, st.SP2DNumber, st.SP2DDate = StagePlanned, "", time.Time{}
		}
		if st.State != StagePaid {
			st.SP2DNumber, st.SP2DDate = "", time.Time{}
		}
	}
}

// stageReport fills the figures of a request for the sample stage.
func stageReport(in *Input, state string) {
	s, staged := sampleStage(in)
	sampleAt(in, state)
	r := &in.Stage
	r.Number, r.Amount, r.Basis, r.Percent, r.Deadline = s.Number, s.Amount, s.Basis, s.Percent, s.Deadline
	r.LegalBasis = in.Disbursement.LegalBasis
	if staged {
		r.KPPN = "KPPN Bandar Lampung"
		r.ContractValue = 3_105_000_000
		r.AbsorbedAmount = 790_000_000
		r.OutputPercent = 4200
	} else {
		r.KPPN = "KPPN Kendari"
		r.ContractValue = s.Amount
	}
	sampleFigures(in)
	r.AbsorptionPercent = dak.PercentOf(r.AbsorbedAmount, in.ReceivedBefore())
	if staged {
		r.Conditions = []Condition{
			{Text: "Penyerapan dana yang telah diterima", Figure: r.AbsorptionPercent, Threshold: 7500, Met: true},
			{Text: "Laporan hasil reviu APIP atas penggunaan dana tahap sebelumnya", Evidence: "LHR Inspektorat Kota Bandar Lampung Nomor 700/118/LHR/VI/2027 diterima bersama permohonan", Met: true},
		}
	} else {
		r.Conditions = []Condition{
			{Text: "Daftar kontrak kegiatan", Evidence: "Daftar kontrak senilai Rp941.200.000,00 diterima bersama permohonan", Met: true},
		}
	}
}

func sampleTandaTerimaSalur(in *Input, c cast) {
	in.Actor = c.pemda
	in.IssuedAt = wib(2027, time.July, 5, 10, 12)
	stageReport(in, StageRequested)
	in.Attachments = []Attachment{
		file("daftar_kontrak", "daftar-kontrak-2027.pdf", 645_112),
		file("lrpd_co", "lrpd-co-tahap-sebelumnya.pdf", 1_032_876),
		file("foto_lokasi", "foto-progres-fisik.jpg", 2_876_400),
	}
	if in.Stage.Number > 1 {
		in.Attachments = append(in.Attachments, file("lhr_apip", "lhr-apip-inspektorat.pdf", 781_500))
	}
}

func sampleCatatanSalur(in *Input, c cast) {
	in.Actor = c.approver
	in.IssuedAt = wib(2027, time.July, 9, 14, 0)
	stageReport(in, StageReturned)
	in.Notes = []Note{
		{"Lampiran — laporan hasil reviu APIP", "LHR APIP yang dilampirkan belum ditandatangani oleh Inspektur daerah."},
		{"Realisasi penyerapan", "Nilai penyerapan pada permohonan berbeda dengan nilai pada laporan realisasi penyerapan dana dan capaian output; samakan keduanya."},
	}
}

func sampleRekomendasi(in *Input, c cast) {
	in.Actor = c.approver
	in.IssuedAt = wib(2027, time.July, 20, 11, 0)
	stageReport(in, StageRecommended)
	in.Tembusan = []string{"Kepala Badan Pengelola Keuangan dan Aset Daerah " + in.Proposal.RegionName}
}

func sampleBeritaAcaraPenyaluran(in *Input, c cast) {
	in.Actor = sampleTreasury
	in.IssuedAt = wib(2027, time.July, 28, 15, 40)
	s, _ := sampleStage(in)
	stageReport(in, StagePaid)
	for i := range in.Disbursement.Stages {
		if in.Disbursement.Stages[i].Number == s.Number {
			in.Disbursement.Stages[i].SP2DNumber, in.Disbursement.Stages[i].SP2DDate = s.SP2DNumber, s.SP2DDate
		}
	}
	in.Stage.SP2DNumber, in.Stage.SP2DDate = s.SP2DNumber, s.SP2DDate
}

func sampleLaporan(in *Input, c cast) {
	in.Actor = c.pemda
	in.IssuedAt = wib(2027, time.December, 15, 10, 0)
	var paid dak.Money
	for _, s := range in.Disbursement.Stages {
		paid += s.Amount
	}
	in.Completion = Completion{OutputPercent: 10000, AbsorbedAmount: paid - 17_350_000,
		BASTNumber: "027/BAST/DISPERIN/XII/2027", BASTDate: wib(2027, time.December, 10, 0, 0)}
	if in.Proposal.Menu == "pembangunan" {
		in.Completion.OutputPercent = 9500
		in.Completion.Shortfall = "Satu unit mesin pemeras sagu belum dapat diserahterimakan karena penyedia wanprestasi; kontrak untuk unit tersebut diputus dan dananya tidak digunakan."
		in.Completion.Outputs = []Output{
			{"Gedung produksi pengolahan sagu", 1, "unit"},
			{"Rumah kemasan", 1, "unit"},
			{"Mesin pemarut dan pemeras sagu", 5, "unit"},
			{"Instalasi pengolahan air limbah", 1, "unit"},
		}
	}
	sampleFigures(in)
	in.Attachments = []Attachment{file("bast", "bast-pekerjaan.pdf", 1_204_332)}
}

func sampleHangus(in *Input, c cast) {
	stages := in.Disbursement.Stages
	last := &stages[len(stages)-1]
	last.State, last.SP2DNumber, last.SP2DDate = StageLapsed, "", time.Time{}
	in.IssuedAt = last.Deadline.Add(6 * time.Minute)
	in.Stage = StageReport{Number: last.Number, Basis: last.Basis, Deadline: last.Deadline,
		LegalBasis: in.Disbursement.LegalBasis}
	sampleFigures(in)
	in.Stage.Amount = in.Figures.Lapsed
}
