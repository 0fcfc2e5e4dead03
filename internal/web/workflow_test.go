package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"dakflow/internal/web/apitest"
)

// pdfText extracts a PDF's text with pdftotext, as an auditor's tools would.
func pdfText(t *testing.T, pdf []byte) string { return apitest.PDFText(t, pdf) }

// TestWalkToCompletion drives a revitalisasi proposal (bertahap, three
// stages) and a pembangunan proposal (sekaligus) from draft to completed
// through the HTTP API, and reads every PDF back.
func TestWalkToCompletion(t *testing.T) {
	e := apitest.NewEnv(t)
	cases := []struct {
		menu   string
		big    bool
		mode   string
		stages int
		kinds  []string
	}{
		{"revitalisasi", true, "bertahap", 3, []string{"tanda_terima_usulan", "berita_acara_penilaian", "surat_penetapan_alokasi",
			"tanda_terima_rk", "surat_persetujuan_rk", "tanda_terima_permohonan_salur", "rekomendasi_penyaluran", "berita_acara_penyaluran",
			"tanda_terima_permohonan_salur", "rekomendasi_penyaluran", "berita_acara_penyaluran",
			"tanda_terima_permohonan_salur", "rekomendasi_penyaluran", "berita_acara_penyaluran", "laporan_penyelesaian"}},
		{"pembangunan", false, "sekaligus", 1, []string{"tanda_terima_usulan", "berita_acara_penilaian", "surat_penetapan_alokasi",
			"tanda_terima_rk", "surat_persetujuan_rk", "tanda_terima_permohonan_salur", "rekomendasi_penyaluran", "berita_acara_penyaluran",
			"laporan_penyelesaian"}},
	}
	for _, tc := range cases {
		t.Run(tc.menu, func(t *testing.T) {
			e := e.For(t)
			id := e.Create(t, tc.menu, tc.big)
			e.WalkTo(t, id, tc.big, "completed")
			p := e.Get(t, id)
			if p["state"] != "completed" {
				t.Fatalf("state = %v, want completed", p["state"])
			}
			dis := p["disbursement"].(map[string]any)
			if dis["mode"] != tc.mode || len(dis["stages"].([]any)) != tc.stages {
				t.Errorf("disbursement = %v, want mode %s with %d stages", dis, tc.mode, tc.stages)
			}
			if p["disbursed_amount"].(float64) > p["allocated_amount"].(float64) {
				t.Errorf("disbursed %v > allocated %v", p["disbursed_amount"], p["allocated_amount"])
			}
			var docs struct {
				Items []struct {
					ID     int64  `json:"id"`
					Kind   string `json:"kind"`
					Number string `json:"number"`
					SHA256 string `json:"sha256"`
				} `json:"items"`
			}
			e.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/documents", id), nil, nil).Decode(t, &docs)
			var kinds []string
			for _, d := range docs.Items {
				kinds = append(kinds, d.Kind)
			}
			if strings.Join(kinds, ",") != strings.Join(tc.kinds, ",") {
				t.Fatalf("documents = %v\nwant %v", kinds, tc.kinds)
			}
			number := p["number"].(string)
			for _, d := range docs.Items {
				r := e.Pemda.Do("GET", fmt.Sprintf("/api/v1/documents/%d/pdf", d.ID), nil, nil)
				if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "application/pdf" {
					t.Fatalf("pdf %d = %d %s", d.ID, r.Status, r.Header.Get("Content-Type"))
				}
				text := pdfText(t, r.Body)
				flat := strings.Join(strings.Fields(text), " ")
				for _, want := range []string{number, d.Number, "Bandar Lampung", "Ditandatangani secara elektronik oleh", "Halaman 1 dari"} {
					if !strings.Contains(flat, want) {
						t.Errorf("%s (%s): text lacks %q:\n%s", d.Kind, d.Number, want, text)
					}
				}
				if strings.Contains(flat, "BSrE") {
					t.Errorf("%s claims a BSrE signature", d.Kind)
				}
			}
			// The allocation letter states the amount in figures and words.
			alloc := map[bool]string{true: "Rp3.200.000.000,00 (tiga miliar dua ratus juta rupiah)", false: "Rp800.000.000,00 (delapan ratus juta rupiah)"}[tc.big]
			letter := pdfText(t, e.Auditor.Do("GET", fmt.Sprintf("/api/v1/documents/%d/pdf", docs.Items[2].ID), nil, nil).Body)
			if !strings.Contains(strings.Join(strings.Fields(letter), " "), alloc) {
				t.Errorf("surat_penetapan_alokasi lacks %q:\n%s", alloc, letter)
			}
			var events struct {
				Items []struct {
					Seq      int    `json:"seq"`
					PrevHash string `json:"prev_hash"`
					Hash     string `json:"hash"`
				} `json:"items"`
			}
			e.Auditor.Do("GET", fmt.Sprintf("/api/v1/proposals/%d/events", id), nil, nil).Decode(t, &events)
			for i := 1; i < len(events.Items); i++ {
				if events.Items[i].PrevHash != events.Items[i-1].Hash {
					t.Errorf("event %d prev_hash does not chain to event %d", events.Items[i].Seq, events.Items[i-1].Seq)
				}
			}
		})
	}
}
