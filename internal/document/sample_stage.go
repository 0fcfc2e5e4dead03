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

// stageReport fills the figures of a request for the sample stage.
func stageReport(in *Input) {
	s, staged := sampleStage(in)
	r := &in.Stage
	r.Number, r.Amount, r.Basis, r.Percent, r.Deadline = s.Number, s.Amount, s.Basis, s.Percent, s.Deadline
	r.LegalBasis = in.Disbursement.LegalBasis
	if staged {
		r.ContractValue = 3_105_000_000
		r.ReceivedSoFar = in.Disbursement.Stages[0].Amount
		r.AbsorbedAmount = 690_000_000
		r.AbsorptionPercent = dak.PercentOf(r.AbsorbedAmount, r.ReceivedSoFar)
		r.OutputPercent = 4200
		r.Conditions = []Condition{
			{Text: "Penyerapan dana yang telah diterima", Figure: r.AbsorptionPercent, Threshold: 7500, Met: true},
			{Text: "Laporan hasil reviu APIP atas penggunaan dana tahap sebelumnya", Evidence: "LHR Inspektorat Kota Bandar Lampung Nomor 700/118/LHR/VI/2027 terlampir", Met: true},
		}
	} else {
		r.ContractValue = s.Amount
		r.Conditions = []Condition{
			{Text: "Daftar kontrak kegiatan", Evidence: "Daftar kontrak senilai Rp941.200.000,00 terlampir", Met: true},
		}
	}
	r.CumulativeRecommended = r.ReceivedSoFar + r.Amount
	r.Left = in.Proposal.AllocatedAmount - r.CumulativeRecommended
}

func sampleTandaTerimaSalur(in *Input, c cast) {
	in.Actor = c.pemda
	in.IssuedAt = wib(2027, time.July, 5, 10, 12)
	stageReport(in)
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
	stageReport(in)
	in.Notes = []Note{
		{"Lampiran — laporan hasil reviu APIP", "LHR APIP yang dilampirkan belum ditandatangani oleh Inspektur daerah."},
		{"Realisasi penyerapan", "Nilai penyerapan pada permohonan berbeda dengan nilai pada laporan realisasi penyerapan dana dan capaian output; samakan keduanya."},
	}
}

func sampleRekomendasi(in *Input, c cast) {
	in.Actor = c.approver
	in.IssuedAt = wib(2027, time.July, 20, 11, 0)
	stageReport(in)
	in.Tembusan = []string{"Kepala Badan Pengelola Keuangan dan Aset Daerah " + in.Proposal.RegionName}
}

func sampleBeritaAcaraPenyaluran(in *Input, c cast) {
	in.Actor = sampleTreasury
	in.IssuedAt = wib(2027, time.July, 28, 15, 40)
	stageReport(in)
	s, _ := sampleStage(in)
	in.Stage.SP2DNumber, in.Stage.SP2DDate = s.SP2DNumber, s.SP2DDate
	in.Stage.CumulativeDisbursed = in.Stage.CumulativeRecommended
	in.Proposal.DisbursedAmount = in.Stage.CumulativeDisbursed
}

func sampleLaporan(in *Input, c cast) {
	in.Actor = c.pemda
	in.IssuedAt = wib(2027, time.December, 15, 10, 0)
	var paid dak.Money
	for _, s := range in.Disbursement.Stages {
		paid += s.Amount
	}
	in.Proposal.DisbursedAmount = paid
	in.Completion = Completion{OutputPercent: 10000, AbsorbedAmount: paid - 17_350_000,
		BASTNumber: "027/BAST/DISPERIN/XII/2027", BASTDate: wib(2027, time.December, 10, 0, 0),
		Left: 17_350_000}
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
	in.Attachments = []Attachment{file("bast", "bast-pekerjaan.pdf", 1_204_332)}
}

func sampleHangus(in *Input, c cast) {
	stages := in.Disbursement.Stages
	last := &stages[len(stages)-1]
	last.State, last.SP2DNumber, last.SP2DDate = StageLapsed, "", time.Time{}
	var paid dak.Money
	for _, s := range stages[:len(stages)-1] {
		paid += s.Amount
	}
	in.IssuedAt = last.Deadline.Add(6 * time.Minute)
	in.Proposal.DisbursedAmount = paid
	in.Stage = StageReport{Number: last.Number, Amount: last.Amount, Basis: last.Basis,
		Deadline: last.Deadline, LegalBasis: in.Disbursement.LegalBasis,
		CumulativeDisbursed: paid, Left: in.Proposal.AllocatedAmount - paid}
}
