package workflow

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"path/filepath"
	"slices"
	"strings"

	"dakflow/internal/dak"
	"dakflow/internal/document"
	"dakflow/internal/region"
	"dakflow/internal/store"
)

// editableStates are where the pemda may still change a proposal's content.
var editableStates = []string{"draft", "needs_revision"}

// validateInput checks a proposal's content for u, filling the region of a
// pemda user; every problem is reported at once.
func validateInput(u dak.User, in *dak.ProposalInput) (dak.Money, error) {
	err := in.Validate()
	var errs dak.Fields
	if de, ok := dak.AsError(err); ok {
		errs = de.Fields
	} else if err != nil {
		return 0, err
	}
	if u.Role == dak.RolePemda {
		if in.RegionCode == "" {
			in.RegionCode = u.RegionCode
		} else if in.RegionCode != u.RegionCode {
			errs.Add("region_code", "pengguna pemda hanya dapat mengusulkan untuk wilayahnya sendiri (%s)", u.RegionCode)
		}
	}
	if rc, err := region.ParseCode(in.RegionCode); err != nil {
		errs.Add("region_code", "%v", err)
	} else if _, ok := region.Lookup(rc); !ok {
		errs.Add("region_code", "wilayah %s tidak terdaftar", in.RegionCode)
	}
	if vc := in.Sentra.VillageCode; vc != "" {
		code, err := region.ParseCode(vc)
		switch {
		case err != nil || code.Level() != region.Village:
			errs.Add("sentra.village_code", "kode desa/kelurahan harus berformat NN.NN.NN.NNNN")
		case !code.IsWithin(region.Code(in.RegionCode)):
			errs.Add("sentra.village_code", "desa/kelurahan %s tidak berada di wilayah %s", vc, in.RegionCode)
		default:
			if _, ok := region.Lookup(code); !ok {
				errs.Add("sentra.village_code", "desa/kelurahan %s tidak terdaftar", vc)
			}
		}
	}
	in.EachText(func(path, value string) {
		if err := document.CheckText(value); err != nil {
			errs.Add(path, "%v", err)
		}
	})
	sum, sumErrs := dak.SumLines(in.BudgetLines, "budget_lines")
	errs = append(errs, sumErrs...)
	return sum, errs.Err("usulan tidak valid")
}

// CreateProposal files a new draft for u under the current workflow.
func (e *Engine) CreateProposal(ctx context.Context, u dak.User, in dak.ProposalInput) (dak.Proposal, error) {
	sum, err := validateInput(u, &in)
	if err != nil {
		return dak.Proposal{}, err
	}
	p := dak.Proposal{FiscalYear: in.FiscalYear, Menu: in.Menu, Title: in.Title, RegionCode: in.RegionCode,
		State: e.current.Initial, Workflow: e.current.Name, WorkflowVersion: e.current.Version, Content: in,
		RequestedAmount: sum, CreatedBy: u.ID}
	if err := e.store.CreateProposal(ctx, &p); err != nil {
		return dak.Proposal{}, fmt.Errorf("create proposal: %w", err)
	}
	return p, nil
}

// UpdateProposal replaces the content of an editable proposal if it is
// still at version ifMatch (0 skips the check).
func (e *Engine) UpdateProposal(ctx context.Context, u dak.User, id, ifMatch int64, in dak.ProposalInput) (dak.Proposal, error) {
	sum, err := validateInput(u, &in)
	if err != nil {
		return dak.Proposal{}, err
	}
	return e.store.UpdateContent(ctx, id, ifMatch, func(p dak.Proposal) error {
		if !u.CanSee(p.RegionCode) || u.RegionCode != p.RegionCode {
			return dak.Errorf(dak.ErrNotFound, "usulan %d tidak ditemukan", id)
		}
		if !slices.Contains(editableStates, p.State) {
			return &dak.Error{Kind: dak.ErrConflict, Detail: fmt.Sprintf("usulan berstatus %s tidak dapat diubah", p.State),
				Extra: map[string]any{"state": p.State, "allowed_events": e.AvailableEvents(p, u)}}
		}
		if in.RegionCode != p.RegionCode {
			return &dak.Error{Kind: dak.ErrInvalid, Detail: "wilayah usulan tidak dapat diubah",
				Fields: []dak.FieldError{{Field: "region_code", Message: "wilayah usulan tidak dapat diubah"}}}
		}
		return nil
	}, in, sum)
}

// Upload limits and accepted types of attachments.
const MaxAttachmentBytes = 20 << 20

var acceptedTypes = map[string][]string{
	"application/pdf": {".pdf"},
	"image/jpeg":      {".jpg", ".jpeg"},
	"image/png":       {".png"},
}

// AttachmentStates are where the pemda may upload, and for which stage.
var attachmentStates = map[string]bool{
	"draft": true, "needs_revision": true, "allocated": true, "rk_revision": true,
	"rk_approved": true, "tranche_disbursed": true, "disbursement_returned": true,
}

// Attach stores an uploaded file for u. The type is sniffed from the bytes,
// not trusted from the client: ErrUnsupported for anything but PDF, JPEG
// or PNG; ErrTooLarge above MaxAttachmentBytes. Files uploaded while
// disbursing belong to the next unpaid stage.
func (e *Engine) Attach(ctx context.Context, u dak.User, id int64, kind, fileName string, data []byte) (dak.Attachment, error) {
	var errs dak.Fields
	if dak.AttachmentKinds[kind] == "" {
		errs.Add("kind", "jenis lampiran %q tidak dikenal", kind)
	}
	fileName = filepath.Base(strings.TrimSpace(fileName))
	if fileName == "" || fileName == "." || len(fileName) > 200 || document.CheckText(fileName) != nil {
		errs.Add("file", "nama berkas tidak valid")
	}
	if err := errs.Err("lampiran tidak valid"); err != nil {
		return dak.Attachment{}, err
	}
	if len(data) > MaxAttachmentBytes {
		return dak.Attachment{}, dak.Errorf(dak.ErrTooLarge, "berkas melebihi %d MB", MaxAttachmentBytes>>20)
	}
	if len(data) == 0 {
		return dak.Attachment{}, &dak.Error{Kind: dak.ErrInvalid, Detail: "berkas kosong", Fields: []dak.FieldError{{Field: "file", Message: "berkas kosong"}}}
	}
	ct := http.DetectContentType(data)
	exts, ok := acceptedTypes[ct]
	if !ok {
		return dak.Attachment{}, dak.Errorf(dak.ErrUnsupported, "jenis berkas %s tidak diterima (PDF, JPEG, PNG)", ct)
	}
	if ext := strings.ToLower(filepath.Ext(fileName)); !slices.Contains(exts, ext) {
		if byExt := mime.TypeByExtension(ext); byExt != ct {
			return dak.Attachment{}, dak.Errorf(dak.ErrUnsupported, "ekstensi %q tidak sesuai dengan isi berkas (%s)", ext, ct)
		}
	}
	a := dak.Attachment{ProposalID: id, Kind: kind, FileName: fileName, ContentType: ct, Size: int64(len(data)),
		SHA256: dak.SHA256Hex(data), UploadedBy: u.ID}
	err := e.store.AddAttachment(ctx, &a, data, func(p dak.Proposal, attached int) (int, error) {
		if u.RegionCode != p.RegionCode {
			return 0, dak.Errorf(dak.ErrNotFound, "usulan %d tidak ditemukan", id)
		}
		// A cap per proposal bounds what one account can store.
		if limit := e.current.Parameters.MaxAttachments; attached >= limit {
			return 0, &dak.Error{Kind: dak.ErrRule, Detail: "batas jumlah lampiran tercapai", Fields: []dak.FieldError{{Field: "file",
				Message: fmt.Sprintf("usulan ini sudah memiliki %d lampiran, batasnya %d", attached, limit)}}}
		}
		if !attachmentStates[p.State] {
			return 0, &dak.Error{Kind: dak.ErrConflict, Detail: fmt.Sprintf("lampiran tidak dapat ditambahkan pada status %s", p.State),
				Extra: map[string]any{"state": p.State, "allowed_events": e.AvailableEvents(p, u)}}
		}
		if st := p.NextStage(); st != nil && len(p.Stages) > 0 {
			return st.Number, nil
		}
		if len(p.Stages) > 0 { // all paid: completion documents
			return len(p.Stages), nil
		}
		return 0, nil
	})
	return a, err
}

// Store exposes the store to read-only callers that hold an engine.
func (e *Engine) Store() *store.Store { return e.store }
