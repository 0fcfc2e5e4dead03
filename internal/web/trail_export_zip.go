package web

import (
	"archive/zip"
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"dakflow/internal/dak"
	"dakflow/internal/store"
)

// Names inside an export ZIP.
const (
	exportReadme    = "BACA-SAYA.txt"
	exportIndexCSV  = "index.csv"
	exportIndexJSON = "index.json"
	exportTrailDir  = "jejak/"
)

// ExportIndex is index.json of an export: every proposal of the scope,
// the file its trail is in and that file's SHA-256 (index.csv holds the
// same rows for a spreadsheet).
type ExportIndex struct {
	Format      string             `json:"format"`
	ExportID    int64              `json:"export_id"`
	Region      string             `json:"region,omitempty"`
	FiscalYear  int                `json:"fiscal_year,omitempty"`
	RequestedBy string             `json:"requested_by"`
	StartedAt   time.Time          `json:"started_at"`
	FinishedAt  time.Time          `json:"finished_at"`
	Proposals   int                `json:"proposals"`
	Problems    int                `json:"problems"`
	Items       []ExportIndexEntry `json:"items"`
}

// ExportIndexEntry is one proposal of an export. Error is set, and File
// empty, when its trail could not be built.
type ExportIndexEntry struct {
	ProposalID int64  `json:"proposal_id"`
	Number     string `json:"number"`
	RegionCode string `json:"region_code"`
	FiscalYear int    `json:"fiscal_year"`
	State      string `json:"state"`
	File       string `json:"file,omitempty"`
	Size       int64  `json:"size,omitempty"`
	SHA256     string `json:"sha256,omitempty"`
	Error      string `json:"error,omitempty"`
}

// writeExport writes job's ZIP to a file in the export directory, one
// proposal's trail at a time: each trail is built (one read transaction,
// the same code as a single download), stored in the outer ZIP and
// dropped, so memory holds one trail, never the export. Progress goes to
// the database after every proposal; that update also proves the job is
// still this worker's (ErrConflict when it was taken over).
func (s *Server) writeExport(ctx context.Context, job dak.TrailExport) error {
	x := s.exports
	dir := x.cfg.Dir
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("export directory: %w", err)
	}
	removeEarlierAttempts(dir, job.ID, job.Attempts)
	ids, err := s.store.ProposalIDs(ctx, store.ProposalFilter{Region: job.RegionCode, FiscalYear: job.FiscalYear})
	if err != nil {
		return err
	}
	if err := s.store.TrailExportProgress(ctx, job.ID, x.worker, len(ids), 0, 0); err != nil {
		return err
	}
	name := exportFile(job.ID, job.Attempts)
	part := filepath.Join(dir, name+".part")
	f, err := os.OpenFile(part, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o640)
	if err != nil {
		return fmt.Errorf("create export file: %w", err)
	}
	done := false
	defer func() {
		if !done {
			f.Close()
			os.Remove(part)
		}
	}()
	sum := sha256.New()
	count := &countWriter{}
	buf := bufio.NewWriterSize(io.MultiWriter(f, sum, count), 256<<10)
	zw := zip.NewWriter(buf)
	started := s.store.Now()
	index := ExportIndex{Format: "dakflow-trail-export/1", ExportID: job.ID, Region: job.RegionCode, FiscalYear: job.FiscalYear,
		RequestedBy: job.RequestedByName, StartedAt: started, Proposals: len(ids), Items: make([]ExportIndexEntry, 0, len(ids))}
	if err := writeEntry(zw, exportReadme, started, zip.Deflate, []byte(exportReadmeText(job, len(ids), started))); err != nil {
		return err
	}
	for i, id := range ids {
		entry, err := s.exportTrail(ctx, zw, id, started)
		if err != nil {
			return err
		}
		if entry.Error != "" {
			index.Problems++
		}
		index.Items = append(index.Items, entry)
		if err := s.store.TrailExportProgress(ctx, job.ID, x.worker, len(ids), i+1, index.Problems); err != nil {
			return err
		}
	}
	index.FinishedAt = s.store.Now()
	if err := writeIndex(zw, index); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("close export zip: %w", err)
	}
	if err := buf.Flush(); err != nil {
		return fmt.Errorf("write export file: %w", err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync export file: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close export file: %w", err)
	}
	done = true
	final := filepath.Join(dir, name)
	if err := os.Rename(part, final); err != nil {
		os.Remove(part)
		return fmt.Errorf("finish export file: %w", err)
	}
	if err := s.store.FinishTrailExport(ctx, job.ID, x.worker, name, count.n, hex.EncodeToString(sum.Sum(nil))); err != nil {
		os.Remove(final)
		return err
	}
	return nil
}

// exportTrail builds one proposal's trail into the export. A trail that
// cannot be built is named in the index with why, and the export goes on,
// unless the database itself is gone or the job was cancelled: then the
// error stops the export.
func (s *Server) exportTrail(ctx context.Context, zw *zip.Writer, id int64, at time.Time) (ExportIndexEntry, error) {
	entry := ExportIndexEntry{ProposalID: id}
	p, body, err := s.trailZIP(ctx, id)
	if err != nil {
		if ctx.Err() != nil {
			return entry, ctx.Err()
		}
		if perr := s.store.Ping(ctx); perr != nil {
			return entry, fmt.Errorf("trail of proposal %d: %w", id, err)
		}
		entry.Error = "jejak tidak dapat dibuat: " + clip(err.Error(), 300)
		if p.ID == 0 {
			if pr, perr := s.store.Proposal(ctx, id); perr == nil {
				p = pr
			}
		}
	}
	entry.Number, entry.RegionCode, entry.FiscalYear, entry.State = p.Number, p.RegionCode, p.FiscalYear, p.State
	if entry.Error != "" {
		return entry, nil
	}
	entry.File = exportTrailDir + trailFileName(p.Number)
	entry.Size, entry.SHA256 = int64(len(body)), dak.SHA256Hex(body)
	// A trail is a ZIP already: stored as it is, so its bytes in the export
	// are exactly the bytes a single download gives and the index hashes.
	return entry, writeEntry(zw, entry.File, at, zip.Store, body)
}

func writeEntry(zw *zip.Writer, name string, at time.Time, method uint16, data []byte) error {
	w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: at})
	if err != nil {
		return fmt.Errorf("export entry %s: %w", name, err)
	}
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("export entry %s: %w", name, err)
	}
	return nil
}

// writeIndex adds index.json and index.csv.
func writeIndex(zw *zip.Writer, index ExportIndex) error {
	j, err := json.MarshalIndent(index, "", "  ")
	if err != nil {
		return err
	}
	if err := writeEntry(zw, exportIndexJSON, index.FinishedAt, zip.Deflate, append(j, '\n')); err != nil {
		return err
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	// A csv.Writer keeps its first error for w.Error, checked after Flush.
	_ = w.Write([]string{"proposal_id", "number", "region_code", "region_name", "fiscal_year", "state", "file", "size", "sha256", "error"})
	for _, e := range index.Items {
		size := ""
		if e.File != "" {
			size = strconv.FormatInt(e.Size, 10)
		}
		_ = w.Write([]string{strconv.FormatInt(e.ProposalID, 10), e.Number, e.RegionCode, regionName(e.RegionCode),
			strconv.Itoa(e.FiscalYear), e.State, e.File, size, e.SHA256, e.Error})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return writeEntry(zw, exportIndexCSV, index.FinishedAt, zip.Deflate, []byte(b.String()))
}

// exportScope names what an export covers, in Indonesian.
func exportScope(regionCode string, year int) string {
	var parts []string
	if regionCode != "" {
		parts = append(parts, "wilayah "+regionCode+" ("+regionName(regionCode)+")")
	}
	if year != 0 {
		parts = append(parts, "tahun anggaran "+strconv.Itoa(year))
	}
	return strings.Join(parts, ", ")
}

// exportReadmeText is BACA-SAYA.txt of an export: what it holds and how to
// check it, in Indonesian.
func exportReadmeText(job dak.TrailExport, n int, at time.Time) string {
	return fmt.Sprintf(`EKSPOR JEJAK AUDIT DAKFLOW

Cakupan   : %s
Usulan    : %d
Dibuat    : %s
Diminta   : %s (ekspor nomor %d)

ISI
- jejak/jejak-<nomor usulan>.zip: jejak audit satu usulan, persis sama
  dengan yang diunduh dari halaman usulan; setiap jejak ditandatangani
  server dan memuat BACA-SAYA.txt sendiri.
- index.csv dan index.json: setiap usulan dalam cakupan, berkas jejaknya,
  ukuran dan SHA-256 berkas itu. Usulan yang jejaknya tidak dapat dibuat
  tercantum dengan kolom "error" terisi dan tanpa berkas.

CARA MEMERIKSA
1. Bandingkan SHA-256 berkas ekspor ini dengan yang tercantum di halaman
   Ekspor jejak (juga dikirim pada header X-Content-SHA256 saat diunduh):
     sha256sum ekspor-jejak-*.zip
2. Ekstrak, lalu cocokkan SHA-256 setiap berkas jejak dengan index.csv:
     sha256sum jejak/*.zip
3. Periksa setiap jejak dengan kunci penanda tangan yang Anda peroleh
   sendiri (lihat README, bagian untuk auditor), misalnya:
     dakflow verify jejak/jejak-USL-….zip --public-key KUNCI
   Hanya hasil "valid" dengan kunci yang dipatok yang membuktikan jejak
   utuh.

Setiap jejak adalah potret satu usulan pada saat jejak itu dibuat; usulan
yang berubah sesudahnya tidak ikut berubah di sini.
`, exportScope(job.RegionCode, job.FiscalYear), n, dak.FormatDateTime(at), job.RequestedByName, job.ID)
}

// countWriter counts the bytes written through it.
type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}
