package workflow

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"path/filepath"
	"slices"
	"strings"

	"dakflow/internal/dak"
	"dakflow/internal/document"
	"dakflow/internal/region"
	"dakflow/internal/store"
)

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

// CreateProposal files a new draft for u under the current workflow,
// with its sentra (linkInput; a pembangunan registers its own).
func (e *Engine) CreateProposal(ctx context.Context, u dak.User, in dak.ProposalInput) (dak.Proposal, error) {
	p, _, err := e.CreateProposalWithFiles(ctx, u, in, nil, Once{})
	return p, err
}

// Once is a filing's or an upload's optional Idempotency-Key with the hash
// of what the request asked: a retry under the key gets the first
// request's answer (the draft it filed, the files it stored), and the key
// reused for another request is refused.
type Once struct{ Key, RequestHash string }

// filedUnder reads, in tx, the draft a filing of u answered under once's
// key: found is false while the key has no answer; a key that answered
// another request is errKeyReused.
func filedUnder(tx *store.Tx, u dak.User, once Once) (p dak.Proposal, found bool, err error) {
	prev, err := tx.IdempotentReply(u.ID, once.Key)
	if err != nil || prev == nil {
		return p, false, err
	}
	if prev.EventSeq != 0 || prev.Attachments != nil || prev.RequestHash != once.RequestHash {
		return p, false, errKeyReused()
	}
	p, err = tx.ReadProposal(prev.ProposalID)
	return p, err == nil, err
}

// FiledUnderKey is the draft u's filing under Idempotency-Key key filed,
// whatever that request asked: for a page to name it when the key comes
// back with other content (ErrKeyReused).
func (e *Engine) FiledUnderKey(ctx context.Context, u dak.User, key string) (dak.Proposal, bool) {
	var p dak.Proposal
	found := false
	err := e.store.ReadTx(ctx, func(tx *store.Tx) error {
		prev, err := tx.IdempotentReply(u.ID, key)
		if err != nil || prev == nil || prev.EventSeq != 0 || prev.Attachments != nil {
			return err
		}
		p, err = tx.ReadProposal(prev.ProposalID)
		found = err == nil
		return err
	})
	return p, err == nil && found
}

// ErrKeyReused is the kind of the refusal of an Idempotency-Key already
// answered for another request (store.ErrKeyReused: the store refuses the
// keys it answers on its own alike).
var ErrKeyReused = store.ErrKeyReused

func errKeyReused() error {
	return dak.Errorf(ErrKeyReused, "Idempotency-Key sudah dipakai untuk permintaan lain")
}

// CreateProposalWithFiles is CreateProposal with the draft's attachments
// (AttachMany's checks and rules), filed together: the draft and all its
// files, or nothing. A pemda files in one request what took one and an
// upload, and no draft is ever left without the files it was sent with.
// Under once's key a retry answers the draft filed first, as it is now
// (replayed), and files nothing.
func (e *Engine) CreateProposalWithFiles(ctx context.Context, u dak.User, in dak.ProposalInput, files []Upload, once Once) (p dak.Proposal, replayed bool, err error) {
	if err := checkIdempotencyKey(once.Key); err != nil {
		return dak.Proposal{}, false, err
	}
	sum, err := validateInput(u, &in)
	if err != nil {
		return dak.Proposal{}, false, err
	}
	var (
		as   []dak.Attachment
		data [][]byte
		size int64
	)
	if len(files) > 0 {
		if as, data, size, err = e.checkUploads(u, 0, files); err != nil {
			return dak.Proposal{}, false, err
		}
	}
	// Drafts are numbered from one counter row per year, held from the
	// draw to the commit: filed one transaction each, deadline day's
	// drafts waited for each other's commits; batched, they share them,
	// and the batch draws its drafts' numbers after all their checks and
	// writes (later), so the row is held only while the numbers go in.
	// The sentra named is checked (and the block filled from its record)
	// in the filing's transaction; sentra_alive checks it again at
	// submission.
	file := func(tx *store.Tx, later bool) (partNext, error) {
		replayed = false
		if once.Key != "" {
			// A key answered already: the draft it filed, nothing
			// filed again. One whose first request has not committed
			// yet clashes when this one saves it (below).
			q, found, err := filedUnder(tx, u, once)
			if err != nil || found {
				p, replayed = q, found
				return partNext{}, err
			}
		}
		if err := linkInput(tx, &in, nil); err != nil {
			return partNext{}, err
		}
		q := &dak.Proposal{FiscalYear: in.FiscalYear, Menu: in.Menu, Title: in.Title, RegionCode: in.RegionCode,
			State: e.current.Initial, Workflow: e.current.Name, WorkflowVersion: e.current.Version, Content: in,
			RequestedAmount: sum, CreatedBy: u.ID}
		// The files go in with the draft (store.Tx.CreateProposalUnnumbered).
		if err := e.attachable(u, *q, 0, as); err != nil {
			return partNext{}, err
		}
		var number func(seq int64) error
		var err error
		if later {
			number, err = tx.CreateProposalUnnumbered(q, u, as, data)
		} else {
			err = tx.CreateProposal(q, u, as, data) // alone: drawn after its writes all the same
		}
		if err != nil {
			return partNext{}, err
		}
		if once.Key != "" {
			if err := tx.SaveIdempotentFiling(u.ID, once.Key, once.RequestHash, q.ID); err != nil {
				return partNext{}, err
			}
		}
		if number == nil {
			p = *q
			return partNext{}, nil
		}
		return partNext{kind: "usulan", year: q.FiscalYear, numbered: func(seq int64) (func() error, error) {
			if err := number(seq); err != nil {
				return nil, err
			}
			p = *q
			return nil, nil
		}}, nil
	}
	if size > store.PooledValueLimit {
		// Files this large take a connection of their own (InValueTx),
		// not one of the batches' pool.
		err = e.store.InValueTx(ctx, size, func(tx *store.Tx) error {
			_, err := file(tx, false)
			return err
		})
	} else {
		err = e.inBatchFinishing(ctx, "usulan", 0, file)
	}
	if err != nil && once.Key != "" {
		// A retry that raced its first request (another batch, another
		// instance) may have been refused for what the first one did —
		// its sentra's name taken, its key saved meanwhile — though it
		// asked for the same filing: now that the first has committed,
		// its answer is this one's.
		var q dak.Proposal
		found := false
		if e.store.ReadTx(ctx, func(tx *store.Tx) error {
			var err error
			q, found, err = filedUnder(tx, u, once)
			return err
		}) == nil && found {
			return q, true, nil
		}
	}
	if err != nil {
		return dak.Proposal{}, false, fmt.Errorf("create proposal: %w", err)
	}
	if once.Key != "" && !replayed {
		// The first answer is read back as every replay will be, so
		// that the two are the same (the stored times' precision).
		if p, err = e.store.Proposal(ctx, p.ID); err != nil {
			return dak.Proposal{}, false, fmt.Errorf("create proposal: %w", err)
		}
	}
	return p, replayed, nil
}

// BatchError is a draft of a batch that was refused: its index in the
// batch and why (a *dak.Error naming its fields, or another error).
type BatchError struct {
	Index int
	Err   error
}

func (e *BatchError) Error() string { return fmt.Sprintf("draft %d: %v", e.Index+1, e.Err) }
func (e *BatchError) Unwrap() error { return e.Err }

// CheckProposals checks a batch of drafts for u as CreateProposals would
// file them, without filing: the error of each (nil: it would be filed),
// content and sentra alike, read in one snapshot.
func (e *Engine) CheckProposals(ctx context.Context, u dak.User, ins []dak.ProposalInput) ([]error, error) {
	errs := make([]error, len(ins))
	err := e.store.ReadTx(ctx, func(tx *store.Tx) error {
		for i := range ins {
			in := ins[i]
			if _, err := validateInput(u, &in); err != nil {
				errs[i] = err
				continue
			}
			if err := linkInput(tx, &in, nil); err != nil {
				if _, ok := dak.AsError(err); !ok {
					return err
				}
				errs[i] = err
			}
		}
		return nil
	})
	return errs, err
}

// CreateProposals files every draft of a batch for u, as CreateProposal
// does one, in one transaction: all of them, or — one refused — none,
// the refused one named by a *BatchError.
func (e *Engine) CreateProposals(ctx context.Context, u dak.User, ins []dak.ProposalInput) ([]dak.Proposal, error) {
	return e.createProposals(ctx, u, ins, nil)
}

// ImportKey is the Idempotency-Key of an import's commit (PRODUCT.md §10)
// and the hash of what the request asked (the workbook).
type ImportKey struct {
	Key, RequestHash string
}

// CreateProposalsOnce is CreateProposals answering the drafts' ids, under
// u's Idempotency-Key (key.Key "" for none: as CreateProposals): the
// key's answer is looked for first, in the transaction that files the
// drafts, and saved there with their ids, in order. A key answered for this
// request answers its drafts' ids (replayed) and files nothing; one
// answered for another request is ErrInvalid. A retry racing the first
// commit may meet the key or the records it saved (ErrConflict, a refused
// row), which the caller settles by reading the key again
// (store.Store.ImportedUnder).
func (e *Engine) CreateProposalsOnce(ctx context.Context, u dak.User, ins []dak.ProposalInput, key ImportKey) (ids []int64, replayed bool, err error) {
	if key.Key == "" {
		ps, err := e.createProposals(ctx, u, ins, nil)
		if err != nil {
			return nil, false, err
		}
		ids = make([]int64, len(ps))
		for i, p := range ps {
			ids[i] = p.ID
		}
		return ids, false, nil
	}
	_, err = e.createProposals(ctx, u, ins, func(tx *store.Tx, filed []dak.Proposal) (bool, error) {
		if filed == nil { // before any draft
			var err error
			ids, replayed, err = tx.ImportedUnder(u.ID, key.Key, key.RequestHash, store.ImportedProposals)
			return replayed, err
		}
		ids = make([]int64, len(filed))
		for i, p := range filed {
			ids[i] = p.ID
		}
		return false, tx.SaveIdempotentImport(u.ID, key.Key, key.RequestHash, store.ImportedProposals, ids)
	})
	if err != nil {
		return nil, false, err
	}
	return ids, replayed, nil
}

// createProposals is CreateProposals with once, when set, called in its
// transaction before the first draft (filed nil; done true: answered
// already, file nothing) and after the last is numbered (filed, the drafts).
func (e *Engine) createProposals(ctx context.Context, u dak.User, ins []dak.ProposalInput,
	once func(tx *store.Tx, filed []dak.Proposal) (done bool, err error)) ([]dak.Proposal, error) {
	ps := make([]dak.Proposal, len(ins))
	sums := make([]dak.Money, len(ins))
	for i := range ins {
		var err error
		if sums[i], err = validateInput(u, &ins[i]); err != nil {
			return nil, &BatchError{Index: i, Err: err}
		}
	}
	// Every draft is written before the first number is drawn, as in a
	// batch of filings (CreateProposalWithFiles): the counter row is taken
	// after every other lock, and held only while the numbers go in.
	err := e.store.InTx(ctx, func(tx *store.Tx) error {
		if once != nil {
			if done, err := once(tx, nil); err != nil || done {
				ps = nil
				return err
			}
		}
		numbers := make([]func(seq int64) error, len(ins))
		for i, in := range ins {
			if err := linkInput(tx, &in, nil); err != nil {
				return &BatchError{Index: i, Err: err}
			}
			ps[i] = dak.Proposal{FiscalYear: in.FiscalYear, Menu: in.Menu, Title: in.Title, RegionCode: in.RegionCode,
				State: e.current.Initial, Workflow: e.current.Name, WorkflowVersion: e.current.Version, Content: in,
				RequestedAmount: sums[i], CreatedBy: u.ID}
			var err error
			if numbers[i], err = tx.CreateProposalUnnumbered(&ps[i], u, nil, nil); err != nil {
				return &BatchError{Index: i, Err: err}
			}
		}
		for i, number := range numbers {
			seq, err := tx.NextNumber("usulan", ps[i].FiscalYear)
			if err == nil {
				err = number(seq)
			}
			if err != nil {
				return &BatchError{Index: i, Err: err}
			}
		}
		if once != nil {
			_, err := once(tx, ps)
			return err
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("create %d proposals: %w", len(ins), err)
	}
	return ps, nil
}

// UpdateProposal replaces the content of an editable proposal if it is
// still at version ifMatch (0 skips the check).
func (e *Engine) UpdateProposal(ctx context.Context, u dak.User, id, ifMatch int64, in dak.ProposalInput) (dak.Proposal, error) {
	sum, err := validateInput(u, &in)
	if err != nil {
		return dak.Proposal{}, err
	}
	var p dak.Proposal
	err = e.store.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if p, err = tx.LockProposal(id); err != nil {
			return err
		}
		if !u.ActsFor(p.RegionCode) {
			return dak.Errorf(dak.ErrNotFound, "usulan %d tidak ditemukan", id)
		}
		if d, ok := e.defs[p.Workflow]; !ok || !d.Editable(p.State) {
			return &dak.Error{Kind: dak.ErrConflict, Detail: fmt.Sprintf("usulan berstatus %s tidak dapat diubah", p.State),
				Extra: map[string]any{"state": p.State, "allowed_events": e.AvailableEvents(p, u)}}
		}
		if in.RegionCode != p.RegionCode {
			return &dak.Error{Kind: dak.ErrInvalid, Detail: "wilayah usulan tidak dapat diubah",
				Fields: []dak.FieldError{{Field: "region_code", Message: "wilayah usulan tidak dapat diubah"}}}
		}
		if ifMatch != 0 && p.Version != ifMatch {
			return dak.Errorf(dak.ErrPrecondition, "usulan telah berubah (versi %d, bukan %d); muat ulang", p.Version, ifMatch)
		}
		if err := linkInput(tx, &in, &p); err != nil {
			return err
		}
		return tx.ReplaceContent(&p, in, sum)
	})
	return p, err
}

// DefaultMaxAttachmentBytes is the largest attachment when none is
// configured (DAKFLOW_MAX_UPLOAD_BYTES).
const DefaultMaxAttachmentBytes = 20 << 20

// MaxAttachmentBytes is the largest attachment this engine accepts: the
// web layer bounds upload bodies by it.
func (e *Engine) MaxAttachmentBytes() int64 { return e.maxAttachment }

// FilingsAtOnce is how many new drafts are worth filing at once: the
// drafts' batches take maxBatch each, and one batch commits while the next
// runs its parts and a third gathers its own; a filing beyond these would
// only wait in the queue, holding its request (web's filing turn). At two
// batches' worth the third had nothing to gather and deadline day's
// batches at 200 clients came out smaller.
func (e *Engine) FilingsAtOnce() int64 { return 3 * maxBatch }

// CheckAttachmentSize is ErrTooLarge for a file of n bytes, more than
// MaxAttachmentBytes; the web layer asks before it reads an upload.
func (e *Engine) CheckAttachmentSize(n int64) error {
	switch {
	case n <= e.maxAttachment:
		return nil
	case e.maxAttachment >= 1<<20:
		return dak.Errorf(dak.ErrTooLarge, "berkas melebihi %d MB", e.maxAttachment>>20)
	}
	return dak.Errorf(dak.ErrTooLarge, "berkas melebihi %d KB", e.maxAttachment>>10)
}

// acceptedTypes are the content types an attachment may have, each with
// the signature its bytes start with (those of the WHATWG MIME sniffing
// standard, which net/http's DetectContentType follows) and its file
// extensions.
var acceptedTypes = []struct {
	contentType, magic string
	exts               []string
}{
	{"application/pdf", "%PDF-", []string{".pdf"}},
	{"image/jpeg", "\xFF\xD8\xFF", []string{".jpg", ".jpeg"}},
	{"image/png", "\x89PNG\r\n\x1a\n", []string{".png"}},
}

// sniff names the accepted content type of data and its extensions, from
// its bytes; ok is false for anything else.
func sniff(data []byte) (contentType string, exts []string, ok bool) {
	for _, t := range acceptedTypes {
		if bytes.HasPrefix(data, []byte(t.magic)) {
			return t.contentType, t.exts, true
		}
	}
	return "", nil, false
}

// Attach stores an uploaded file for u: AttachMany with one file.
func (e *Engine) Attach(ctx context.Context, u dak.User, id int64, kind, fileName string, data []byte) (dak.Attachment, error) {
	as, err := e.AttachMany(ctx, u, id, []Upload{{Kind: kind, FileName: fileName, Data: data}})
	if err != nil {
		return dak.Attachment{}, err
	}
	return as[0], nil
}

// Upload is one file of an upload: its kind, its name and its bytes.
type Upload struct {
	Kind, FileName string
	Data           []byte
}

// UploadField names field ("file", "kind") of the i-th of n uploaded
// files: the field itself for one file, field[i] (from 0, as the items of
// the answer) for several.
func UploadField(field string, i, n int) string {
	if n == 1 {
		return field
	}
	return fmt.Sprintf("%s[%d]", field, i)
}

// UploadError is err about the i-th of n uploaded files, its fields
// named for that file (UploadField); one without fields names file.
func UploadError(err error, i, n int) error {
	de, ok := dak.AsError(err)
	if !ok || n == 1 {
		return err
	}
	out := *de
	out.Fields = nil
	for _, f := range de.Fields {
		f.Field = UploadField(f.Field, i, n)
		out.Fields = append(out.Fields, f)
	}
	if len(out.Fields) == 0 {
		out.Fields = []dak.FieldError{{Field: UploadField("file", i, n), Message: de.Detail}}
	}
	return &out
}

// checkUpload checks one file and returns its attachment, not yet stored.
// The type is sniffed from the bytes, not trusted from the client:
// ErrUnsupported for anything but PDF, JPEG or PNG; ErrTooLarge above
// MaxAttachmentBytes.
func (e *Engine) checkUpload(u dak.User, id int64, f Upload) (dak.Attachment, error) {
	var errs dak.Fields
	if dak.AttachmentKinds[f.Kind] == "" {
		errs.Add("kind", "jenis lampiran %q tidak dikenal", f.Kind)
	}
	fileName := filepath.Base(strings.TrimSpace(f.FileName))
	if fileName == "" || fileName == "." || len(fileName) > 200 || document.CheckText(fileName) != nil {
		errs.Add("file", "nama berkas tidak valid")
	}
	if err := errs.Err("lampiran tidak valid"); err != nil {
		return dak.Attachment{}, err
	}
	data := f.Data
	if err := e.CheckAttachmentSize(int64(len(data))); err != nil {
		return dak.Attachment{}, err
	}
	if len(data) == 0 {
		return dak.Attachment{}, &dak.Error{Kind: dak.ErrInvalid, Detail: "berkas kosong", Fields: []dak.FieldError{{Field: "file", Message: "berkas kosong"}}}
	}
	ct, exts, ok := sniff(data)
	if !ok {
		return dak.Attachment{}, &dak.Error{Kind: dak.ErrUnsupported, Detail: "Berkas harus PDF, JPEG atau PNG",
			Fields: []dak.FieldError{{Field: "file", Message: "berkas harus PDF, JPEG atau PNG"}}}
	}
	if ext := strings.ToLower(filepath.Ext(fileName)); !slices.Contains(exts, ext) {
		if byExt := mime.TypeByExtension(ext); byExt != ct {
			// The user knows files by their kind, not by a MIME type.
			msg := fmt.Sprintf("isi berkas %s, tetapi namanya berakhiran %s; ganti nama berkas atau pilih berkas yang benar",
				strings.ToUpper(ct[strings.IndexByte(ct, '/')+1:]), ext)
			return dak.Attachment{}, &dak.Error{Kind: dak.ErrUnsupported, Detail: "Nama berkas tidak sesuai dengan isinya",
				Fields: []dak.FieldError{{Field: "file", Message: msg}}}
		}
	}
	return dak.Attachment{ProposalID: id, Kind: f.Kind, FileName: fileName, ContentType: ct, Size: int64(len(data)),
		SHA256: dak.SHA256Hex(data), UploadedBy: u.ID}, nil
}

// AttachMany stores uploaded files for u, all or none, in the order given
// (checkUploads). Every file is checked before anything is stored: a bad
// one is named (UploadField), every bad one when several are; the status
// is the first one's. They are stored in one transaction, one INSERT, and
// count together against the proposal's cap. Files uploaded while
// disbursing belong to the next unpaid stage.
func (e *Engine) AttachMany(ctx context.Context, u dak.User, id int64, files []Upload) ([]dak.Attachment, error) {
	as, _, err := e.AttachOnce(ctx, u, id, files, Once{})
	return as, err
}

// AttachOnce is AttachMany under once's Idempotency-Key: a retry answers
// the attachments the first request stored (replayed), and stores nothing.
// The proposal is locked before the stored answer is looked for, so a
// retry sent while the first request still runs waits for it and replays.
func (e *Engine) AttachOnce(ctx context.Context, u dak.User, id int64, files []Upload, once Once) (as []dak.Attachment, replayed bool, err error) {
	if err := checkIdempotencyKey(once.Key); err != nil {
		return nil, false, err
	}
	as, data, size, err := e.checkUploads(u, id, files)
	if err != nil {
		return nil, false, err
	}
	err = e.store.InValueTx(ctx, size, func(tx *store.Tx) error {
		// The cap needs only how many there are, not the list: they are
		// counted by the locking read.
		p, attached, err := tx.LockProposalCountingFiles(id)
		if err != nil {
			return err
		}
		if !u.ActsFor(p.RegionCode) {
			return dak.Errorf(dak.ErrNotFound, "usulan %d tidak ditemukan", id)
		}
		if once.Key != "" {
			prev, err := tx.IdempotentReply(u.ID, once.Key)
			if err != nil {
				return err
			}
			if prev != nil {
				if prev.Attachments == nil || prev.ProposalID != id || prev.RequestHash != once.RequestHash {
					return errKeyReused()
				}
				as, err = storedAttachments(tx, id, prev.Attachments)
				replayed = err == nil
				return err
			}
		}
		if err := e.attachIn(tx, u, p, attached, as, data); err != nil {
			return err
		}
		if once.Key == "" {
			return nil
		}
		if err := tx.SaveIdempotentUpload(u.ID, once.Key, once.RequestHash, id, as); err != nil {
			return err
		}
		// The first answer is read back from the rows as every replay
		// will be, so that the two are the same.
		ids := make([]int64, len(as))
		for i, a := range as {
			ids[i] = a.ID
		}
		as, err = storedAttachments(tx, id, ids)
		return err
	})
	if err != nil {
		return nil, false, err
	}
	return as, replayed, nil
}

// storedAttachments are the attachments ids of proposal id, in the order
// of ids: an upload's answer, read back for its retry.
func storedAttachments(tx *store.Tx, id int64, ids []int64) ([]dak.Attachment, error) {
	all, err := tx.Attachments(id)
	if err != nil {
		return nil, err
	}
	out := make([]dak.Attachment, 0, len(ids))
	for _, want := range ids {
		i := slices.IndexFunc(all, func(a dak.Attachment) bool { return a.ID == want })
		if i < 0 {
			return nil, fmt.Errorf("attachment %d of proposal %d, an upload's answer, not found", want, id)
		}
		out = append(out, all[i])
	}
	return out, nil
}

// checkUploads checks every file for proposal id (0: one being filed with
// them) before anything is stored (checkUpload), and answers them as
// attachments with their bytes and their total size.
func (e *Engine) checkUploads(u dak.User, id int64, files []Upload) ([]dak.Attachment, [][]byte, int64, error) {
	n := len(files)
	if n == 0 {
		return nil, nil, 0, &dak.Error{Kind: dak.ErrInvalid, Detail: "tidak ada berkas", Fields: []dak.FieldError{{Field: "file", Message: "berkas wajib diunggah"}}}
	}
	as := make([]dak.Attachment, n)
	data := make([][]byte, n)
	var (
		first *dak.Error
		bad   dak.Fields
		nbad  int
		size  int64
	)
	for i, f := range files {
		a, err := e.checkUpload(u, id, f)
		if err != nil {
			de, ok := dak.AsError(UploadError(err, i, n))
			if !ok {
				return nil, nil, 0, err
			}
			if first == nil {
				first = de
			}
			bad = append(bad, de.Fields...)
			nbad++
			continue
		}
		as[i], data[i] = a, f.Data
		size += a.Size
	}
	if first != nil {
		out := *first
		out.Fields = bad
		if nbad > 1 {
			out.Detail = fmt.Sprintf("%d dari %d berkas ditolak; tidak ada yang disimpan", nbad, n)
		}
		return nil, nil, 0, &out
	}
	return as, data, size, nil
}

// attachIn stores the checked files as of proposal p (locked, with
// attached files already), inside the caller's transaction (attachable).
func (e *Engine) attachIn(tx *store.Tx, u dak.User, p dak.Proposal, attached int, as []dak.Attachment, data [][]byte) error {
	if err := e.attachable(u, p, attached, as); err != nil {
		return err
	}
	return tx.AddAttachments(as, data)
}

// attachable checks that proposal p, with attached files already, takes
// the files as, and makes them p's: the cap, the state that takes uploads,
// the stage they belong to.
func (e *Engine) attachable(u dak.User, p dak.Proposal, attached int, as []dak.Attachment) error {
	n := len(as)
	// A cap per proposal bounds what one account can store; the files
	// of one upload count together.
	if limit := e.current.Parameters.MaxAttachments; attached+n > limit {
		msg := fmt.Sprintf("usulan ini sudah memiliki %d lampiran, batasnya %d", attached, limit)
		if n > 1 {
			msg = fmt.Sprintf("usulan ini sudah memiliki %d lampiran; %d berkas lagi melampaui batasnya, %d", attached, n, limit)
		}
		return &dak.Error{Kind: dak.ErrRule, Detail: "batas jumlah lampiran tercapai", Fields: []dak.FieldError{{Field: "file", Message: msg}}}
	}
	if d, ok := e.defs[p.Workflow]; !ok || !d.Uploads(p.State) {
		return &dak.Error{Kind: dak.ErrConflict, Detail: fmt.Sprintf("lampiran tidak dapat ditambahkan pada status %s", p.State),
			Extra: map[string]any{"state": p.State, "allowed_events": e.AvailableEvents(p, u)}}
	}
	stage := 0
	switch st := p.NextStage(); {
	case st != nil && len(p.Stages) > 0:
		stage = st.Number
	case len(p.Stages) > 0: // all paid: completion documents
		stage = len(p.Stages)
	}
	for i := range as {
		as[i].ProposalID, as[i].Stage = p.ID, stage
	}
	return nil
}

// Store exposes the store to read-only callers that hold an engine.
func (e *Engine) Store() *store.Store { return e.store }
