package document

import "time"

// sampleExtension is an approver extending the document deadline of the
// stage due next — stage II of the staged sample, the only stage of the
// one-off one — by two weeks, after a failed tender, on a letter of DJPK.
func sampleExtension(in *Input, c cast) {
	stage, _ := sampleStage(in)
	for i := range in.Disbursement.Stages {
		if s := &in.Disbursement.Stages[i]; s.Number >= stage.Number {
			s.State, s.SP2DNumber, s.SP2DDate = StagePlanned, "", time.Time{}
		}
	}
	in.Actor = c.approver
	in.IssuedAt = stage.Deadline.AddDate(0, 0, -6).Add(-7 * time.Hour)
	in.Extension = Extension{Stage: stage.Number, PreviousDeadline: stage.Deadline,
		NewDeadline: stage.Deadline.AddDate(0, 0, 14),
		LegalBasis: "Surat Direktur Jenderal Perimbangan Keuangan Nomor S-214/PK/2027 tentang Perpanjangan " +
			"Batas Waktu Penyampaian Dokumen Persyaratan Penyaluran DAK Fisik"}
	in.Comment = "Pekerjaan gedung produksi dilelang ulang karena tender pertama gagal; kontrak baru ditandatangani 2 Oktober 2027."
	if stage.Number == 1 {
		in.Comment = "Pekerjaan gedung produksi dilelang ulang karena tender pertama gagal; kontrak baru ditandatangani 8 Juli 2027."
	}
}
