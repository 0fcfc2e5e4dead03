package store

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"dakflow/internal/dak"
)

type proposalRow struct {
	ID                int64
	Number            string
	FiscalYear        int
	Menu              string
	Title             string
	RegionCode        string
	SentraID          *int64
	State             string
	Version           int64
	Workflow          string
	WorkflowVersion   int
	Content           string
	RKContent         string `gorm:"column:rk_content"`
	Revision          int
	RequestedAmount   int64
	RecommendedAmount int64
	AllocatedAmount   int64
	RKAmount          int64 `gorm:"column:rk_amount"`
	DisbursedAmount   int64
	AbsorbedAmount    int64
	BASTNumber        *string `gorm:"column:bast_number"`
	ReviewerID        *int64
	CreatedBy         int64
	CreatedAt         time.Time
	UpdatedAt         time.Time
	SubmittedAt       *time.Time
	// Not columns: the event chain's tip, read with the row by
	// LockProposalTip and never written.
	TipSeq  int     `gorm:"->"`
	TipHash *string `gorm:"->"`
	// Not a column either: 1 when the proposal has disbursement stages,
	// so that a proposal without any (all until RK approval) costs no
	// second statement.
	StageFlag int `gorm:"->"`
	// Nor this: the accounts LockProposalTip was asked for, a JSON array
	// of usersJSON's rows.
	UsersJSON *string `gorm:"->;column:users_json"`
	// And these: a transition's attachments, sentra and fiscal year
	// (LockReads), on PostgreSQL.
	FilesJSON      *string `gorm:"->;column:files_json"`
	SentraJSON     *string `gorm:"->;column:sentra_json"`
	FiscalYearJSON *string `gorm:"->;column:fiscal_year_json"`
	// And how many attachments it has (LockProposalCountingFiles).
	FileCount int `gorm:"->;column:file_count"`
}

func (proposalRow) TableName() string { return "proposals" }

func (r proposalRow) proposal() (dak.Proposal, error) {
	p := dak.Proposal{ID: r.ID, Number: r.Number, FiscalYear: r.FiscalYear, Menu: dak.Menu(r.Menu), Title: r.Title,
		RegionCode: r.RegionCode, State: r.State, Version: r.Version, Workflow: r.Workflow,
		WorkflowVersion: r.WorkflowVersion, Revision: r.Revision, RequestedAmount: dak.Money(r.RequestedAmount),
		RecommendedAmount: dak.Money(r.RecommendedAmount), AllocatedAmount: dak.Money(r.AllocatedAmount),
		RKAmount: dak.Money(r.RKAmount), DisbursedAmount: dak.Money(r.DisbursedAmount), AbsorbedAmount: dak.Money(r.AbsorbedAmount), CreatedBy: r.CreatedBy,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), SubmittedAt: r.SubmittedAt}
	if r.SentraID != nil {
		p.SentraID = *r.SentraID
	}
	if r.BASTNumber != nil {
		p.BASTNumber = *r.BASTNumber
	}
	if r.ReviewerID != nil {
		p.ReviewerID = *r.ReviewerID
	}
	if err := json.Unmarshal([]byte(r.Content), &p.Content); err != nil {
		return p, fmt.Errorf("proposal %d content: %w", r.ID, err)
	}
	if r.RKContent != "" {
		if err := json.Unmarshal([]byte(r.RKContent), &p.RK); err != nil {
			return p, fmt.Errorf("proposal %d rk: %w", r.ID, err)
		}
	}
	return p, nil
}

func toRow(p *dak.Proposal) (proposalRow, error) {
	content, err := json.Marshal(p.Content)
	if err != nil {
		return proposalRow{}, err
	}
	r := proposalRow{ID: p.ID, Number: p.Number, FiscalYear: p.FiscalYear, Menu: string(p.Menu), Title: p.Title,
		RegionCode: p.RegionCode, State: p.State, Version: p.Version, Workflow: p.Workflow,
		WorkflowVersion: p.WorkflowVersion, Content: string(content), Revision: p.Revision,
		RequestedAmount: int64(p.RequestedAmount), RecommendedAmount: int64(p.RecommendedAmount),
		AllocatedAmount: int64(p.AllocatedAmount), RKAmount: int64(p.RKAmount), DisbursedAmount: int64(p.DisbursedAmount),
		AbsorbedAmount: int64(p.AbsorbedAmount), CreatedBy: p.CreatedBy, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt, SubmittedAt: p.SubmittedAt}
	if p.BASTNumber != "" {
		bast := p.BASTNumber
		r.BASTNumber = &bast
	}
	if p.RK != nil {
		rk, err := json.Marshal(p.RK)
		if err != nil {
			return r, err
		}
		r.RKContent = string(rk)
	}
	if p.SentraID != 0 {
		r.SentraID = &p.SentraID
	}
	if p.ReviewerID != 0 {
		r.ReviewerID = &p.ReviewerID
	}
	return r, nil
}

// CreateProposal stores a new draft, giving it a gapless number per year
// and linking (or, for a pembangunan, registering) its sentra, all in one
// transaction. A pembangunan in a desa that already holds a sentra of its
// commodity or name is refused (ErrInvalid naming the field and the sentra).
// The status history of a sentra it registers names the user p.CreatedBy.
func (s *Store) CreateProposal(ctx context.Context, p *dak.Proposal) error {
	return s.InTx(ctx, func(tx *Tx) error {
		return tx.CreateProposal(p, dak.User{}, nil, nil)
	})
}

// CreateProposal is Store.CreateProposal inside tx, so that a batch (a
// spreadsheet import) files all its drafts or none; by is the user filing
// it (p.CreatedBy), named in the status history of a sentra it registers.
// It writes the draft first and draws its number last
// (CreateProposalUnnumbered): every filing takes the counter row after
// its other locks, so two filings never wait for each other in a circle.
// A refused filing may have written already: the caller rolls the
// transaction back (or to a savepoint), as every error asks.
func (tx *Tx) CreateProposal(p *dak.Proposal, by dak.User, as []dak.Attachment, data [][]byte) error {
	number, err := tx.CreateProposalUnnumbered(p, by, as, data)
	if err != nil {
		return err
	}
	seq, err := tx.NextNumber("usulan", p.FiscalYear)
	if err != nil {
		return err
	}
	return number(seq)
}

// CreateProposalUnnumbered files p under a provisional number of its own,
// for a caller that draws the number later in the same transaction and
// gives it with number: a batch draws its drafts' numbers after all their
// checks and writes (workflow's runParts), so that the counter row is
// held only while the numbers go in. number also writes the first line of
// the history of a sentra p registers, which names the number (the
// history is append-only, so the line waits for it). A transaction that
// ends without calling number must not commit. The files it is filed with
// (as, their bytes data, as AddAttachments takes them) are stored with it:
// on PostgreSQL in the statement that inserts it, one round trip fewer on
// deadline day, when every draft comes with its files.
func (tx *Tx) CreateProposalUnnumbered(p *dak.Proposal, by dak.User, as []dak.Attachment, data [][]byte) (number func(seq int64) error, err error) {
	if len(as) != len(data) {
		return nil, fmt.Errorf("create proposal: %d attachments, %d files", len(as), len(data))
	}
	filer := func() dak.User { return by }
	if by.ID != p.CreatedBy { // not the filer: read the filer, as Store.CreateProposal does
		filer = func() dak.User { return tx.filer(p.CreatedBy) }
	}
	p.ID, p.SentraID = 0, p.Content.SentraID
	register, err := tx.placeSentra(p, 0, filer)
	if err != nil {
		return nil, err
	}
	if p.Number, err = provisionalNumber(p); err != nil {
		return nil, err
	}
	p.CreatedAt, p.UpdatedAt, p.Version = tx.now, tx.now, 1
	if register {
		if err := tx.registerSentra(p); err != nil {
			return nil, err
		}
	}
	args, err := insertArgs(p)
	if err != nil {
		return nil, err
	}
	if tx.dialect == Postgres && len(as) > 0 {
		err = tx.insertProposalWithFiles(p, args, as, data)
	} else if err = tx.db.Raw(insertProposalSQL, args...).Scan(&p.ID).Error; err == nil {
		for i := range as {
			as[i].ProposalID = p.ID
		}
		err = tx.AddAttachments(as, data)
	}
	if err != nil {
		return nil, translate(err, "usulan")
	}
	return func(seq int64) error { return tx.numberFiled(p, seq, register, filer) }, nil
}

// insertProposalWithFiles is insertProposalSQL (with args) and
// AddAttachments(as, data) of the proposal in one statement (PostgreSQL):
// it answers the proposal's id and the files', in the order given (their
// VALUES take the sequence in order).
func (tx *Tx) insertProposalWithFiles(p *dak.Proposal, args []any, as []dak.Attachment, data [][]byte) error {
	var q strings.Builder
	q.WriteString("WITH p AS (" + insertProposalSQL + "), a AS (INSERT INTO attachments (proposal_id, kind, stage, file_name, " +
		"content_type, size, sha256, data, uploaded_by, created_at) VALUES ")
	for i, a := range as {
		if i > 0 {
			q.WriteString(", ")
		}
		q.WriteString("((SELECT id FROM p), ?, ?, ?, ?, ?, ?, ?, ?, ?)")
		args = append(args, a.Kind, a.Stage, a.FileName, a.ContentType, a.Size, a.SHA256, data[i], a.UploadedBy, tx.now)
	}
	q.WriteString(" RETURNING id) SELECT (SELECT id FROM p), (SELECT string_agg(id::text, ',' ORDER BY id) FROM a)")
	var ids string
	if err := tx.db.Raw(q.String(), args...).Row().Scan(&p.ID, &ids); err != nil {
		return err
	}
	list := strings.Split(ids, ",")
	if len(list) != len(as) {
		return fmt.Errorf("add attachments: %d ids for %d files", len(list), len(as))
	}
	for i := range as {
		id, err := strconv.ParseInt(list[i], 10, 64)
		if err != nil {
			return fmt.Errorf("add attachments: id %q: %w", list[i], err)
		}
		as[i].ID, as[i].ProposalID, as[i].CreatedAt = id, p.ID, tx.now.UTC()
	}
	return nil
}

// proposalNumber is the number of p, the seq-th draft of its year.
func proposalNumber(p *dak.Proposal, seq int64) string {
	return fmt.Sprintf("USL-%d-%s-%05d", p.FiscalYear, strings.ReplaceAll(p.RegionCode, ".", ""), seq)
}

// provisionalNumber stands for p's number until it is drawn: unique (the
// column is), never committed, and unlike any number drawn.
func provisionalNumber(p *dak.Proposal) (string, error) {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("provisional number: %w", err)
	}
	return fmt.Sprintf("USL-%d-%s-(%x)", p.FiscalYear, strings.ReplaceAll(p.RegionCode, ".", ""), b), nil
}

// numberFiled gives p, filed under its provisional number
// (CreateProposalUnnumbered), its number seq, and a sentra it registered
// that number in its record and the first line of its history.
func (tx *Tx) numberFiled(p *dak.Proposal, seq int64, register bool, filer func() dak.User) error {
	p.Number = proposalNumber(p, seq)
	if !register {
		return translate(tx.db.Exec(`UPDATE proposals SET number = ? WHERE id = ?`, p.Number, p.ID).Error, "usulan")
	}
	basis, today := tx.registeredBasis(p)
	if tx.dialect == Postgres {
		hist := tx.historyArgs(p.SentraID, dak.SentraUsulan, today, basis, "", filer(), p.ID)
		err := tx.db.Exec(`WITH p AS (UPDATE proposals SET number = ? WHERE id = ?),
			s AS (UPDATE sentra SET status_basis = ? WHERE id = ?)
			INSERT INTO sentra_status_history `+historyColumns+` VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			append([]any{p.Number, p.ID, basis, p.SentraID}, hist...)...).Error
		return translate(err, "usulan")
	}
	if err := tx.db.Exec(`UPDATE proposals SET number = ? WHERE id = ?`, p.Number, p.ID).Error; err != nil {
		return translate(err, "usulan")
	}
	if err := tx.db.Exec(`UPDATE sentra SET status_basis = ? WHERE id = ?`, basis, p.SentraID).Error; err != nil {
		return fmt.Errorf("register sentra: %w", err)
	}
	return tx.registeredHistory(p, filer())
}

// insertProposalSQL files a proposal: every column but its id, written out
// rather than reflected by gorm (TestInsertProposalColumns keeps the list
// whole): deadline day's filings pay for no reflection.
const insertProposalSQL = `INSERT INTO proposals (number, fiscal_year, menu, title, region_code, sentra_id, state, version,
	workflow, workflow_version, content, rk_content, revision, requested_amount, recommended_amount, allocated_amount,
	rk_amount, disbursed_amount, absorbed_amount, bast_number, reviewer_id, created_by, created_at, updated_at, submitted_at)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`

// insertArgs are the values of insertProposalSQL for p.
func insertArgs(p *dak.Proposal) ([]any, error) {
	row, err := toRow(p)
	if err != nil {
		return nil, err
	}
	return []any{row.Number, row.FiscalYear, row.Menu, row.Title, row.RegionCode, row.SentraID, row.State, row.Version,
		row.Workflow, row.WorkflowVersion, row.Content, row.RKContent, row.Revision, row.RequestedAmount, row.RecommendedAmount,
		row.AllocatedAmount, row.RKAmount, row.DisbursedAmount, row.AbsorbedAmount, row.BASTNumber, row.ReviewerID,
		row.CreatedBy, row.CreatedAt, row.UpdatedAt, row.SubmittedAt}, nil
}

// Proposal returns one proposal with its stages, or ErrNotFound.
func (s *Store) Proposal(ctx context.Context, id int64) (dak.Proposal, error) {
	var p dak.Proposal
	err := s.ReadTx(ctx, func(tx *Tx) error {
		var err error
		p, _, err = tx.proposal(id, false, false)
		return err
	})
	return p, err
}

// ReadProposal is one proposal with its stages, read inside tx without
// locking it, or ErrNotFound.
func (tx *Tx) ReadProposal(id int64) (dak.Proposal, error) {
	p, _, err := tx.proposal(id, false, false)
	return p, err
}

// LockProposal reads a proposal for change: on PostgreSQL the row stays
// locked until the transaction ends; every update also checks the version.
func (tx *Tx) LockProposal(id int64) (dak.Proposal, error) {
	p, _, err := tx.proposal(id, true, false)
	return p, err
}

// LockProposalTip is LockProposal with the tip of the proposal's event
// chain (Tip), read in the same statement: a transition needs both, and
// each statement is a round trip. So are the enabled accounts of roles
// (those the transition will notify): UsersWithRole then answers them,
// for the proposal's region, without a statement of its own.
func (tx *Tx) LockProposalTip(id int64, roles ...dak.Role) (dak.Proposal, ChainTip, error) {
	l, err := tx.LockForTransition(id, LockReads{Roles: roles})
	return l.Proposal, l.Tip, err
}

// LockReads is what a transition reads along with its proposal's lock
// (LockForTransition). Each statement is a round trip: on PostgreSQL they
// come back as JSON columns of the locking read itself; SQLite, in
// process, reads them after it with the statements any other caller uses.
type LockReads struct {
	Roles  []dak.Role // the enabled accounts of these roles, for UsersWithRole
	Files  bool       // the proposal's attachments, as Attachments reads them
	Sentra bool       // its registered sentra and the sentra's proposals, as SentraAndProposals
	// FiscalYear is its fiscal year with the ceilings, as FiscalYear reads
	// it, but of the regions' only those that bind the proposal (its
	// kabupaten/kota's and its province's, CeilingRegions): a national
	// deployment sets hundreds, and a submission needs two.
	FiscalYear bool
	// FileCount is how many attachments it has (Locked.FileCount), on
	// both engines, without the tip (LockProposalCountingFiles).
	FileCount bool
}

// Locked is a proposal locked for a transition, with its chain's tip and
// what LockReads asked for (FilesRead, SentraRead, FiscalYearRead: whether
// it was asked).
type Locked struct {
	Proposal dak.Proposal
	Tip      ChainTip

	FilesRead bool
	Files     []dak.Attachment

	SentraRead      bool
	Sentra          *LinkedSentra // nil: the proposal names none, or none is registered under its id
	SentraProposals []SentraProposal

	FiscalYearRead bool
	FiscalYear     *dak.FiscalYear // nil: no such fiscal year

	FileCount int
}

// LockProposalCountingFiles is LockProposal with how many attachments the
// proposal has, in the same statement: an upload's cap needs the count,
// not the list.
func (tx *Tx) LockProposalCountingFiles(id int64) (dak.Proposal, int, error) {
	l, err := tx.proposalWith(id, true, false, LockReads{FileCount: true})
	return l.Proposal, l.FileCount, err
}

// LockForTransition is LockProposalTip with the reads of r.
func (tx *Tx) LockForTransition(id int64, r LockReads) (Locked, error) {
	l, err := tx.proposalWith(id, true, true, r)
	if err != nil || tx.dialect == Postgres {
		return l, err
	}
	if r.Files {
		if l.Files, err = tx.Attachments(id); err != nil {
			return l, err
		}
		l.FilesRead = true
	}
	if r.Sentra {
		if sid := l.Proposal.SentraID; sid != 0 {
			s, props, err := tx.SentraAndProposals(sid)
			switch {
			case err == nil:
				l.Sentra, l.SentraProposals = &s, props
			case !errors.Is(err, dak.ErrNotFound):
				return l, err
			}
		}
		l.SentraRead = true
	}
	if r.FiscalYear {
		fy, err := tx.FiscalYear(l.Proposal.FiscalYear)
		switch {
		case err == nil:
			fy.Regions = bindingCeilings(fy.Regions, l.Proposal.RegionCode)
			l.FiscalYear = &fy
		case !errors.Is(err, dak.ErrNotFound):
			return l, err
		}
		l.FiscalYearRead = true
	}
	return l, nil
}

func (tx *Tx) proposal(id int64, lock, withTip bool) (dak.Proposal, ChainTip, error) {
	l, err := tx.proposalWith(id, lock, withTip, LockReads{})
	return l.Proposal, l.Tip, err
}

// Columns a transition's locking read adds on PostgreSQL (LockReads): a
// proposal's attachments and its sentra with the sentra's proposals, as
// JSON with the columns of Attachments and SentraAndProposals for keys
// (its fiscal year's, with fiscalYears' ceilings, is built in proposalWith).
const (
	filesJSON = `COALESCE((SELECT json_agg(a ORDER BY a.id) FROM (SELECT id, proposal_id, kind, stage, file_name,
		content_type, size, sha256, uploaded_by, created_at FROM attachments WHERE proposal_id = proposals.id) a), '[]')`
	sentraJSON = `(SELECT json_build_object('sentra', row_to_json(s), 'proposals',
		COALESCE((SELECT json_agg(sp ORDER BY sp.fiscal_year, sp.id) FROM (SELECT id, number, fiscal_year, menu, state,
			workflow, allocated_amount, disbursed_amount FROM proposals other WHERE other.sentra_id = s.id) sp), '[]'))
		FROM (SELECT ` + linkedColumns + ` FROM sentra WHERE id = proposals.sentra_id) s)`
)

func (tx *Tx) proposalWith(id int64, lock, withTip bool, reads LockReads) (Locked, error) {
	var row proposalRow
	q := `SELECT proposals.*, ` + stageFlag + ` FROM proposals WHERE id = ?`
	if reads.FileCount {
		q = `SELECT proposals.*, ` + stageFlag + `, (SELECT count(*) FROM attachments WHERE proposal_id = proposals.id) AS file_count
			FROM proposals WHERE id = ?`
	}
	args := []any{id}
	if withTip {
		users := "NULL"
		if len(reads.Roles) > 0 {
			users = tx.usersJSON(reads.Roles)
		}
		files, sentra, fy := "NULL", "NULL", "NULL"
		if tx.dialect == Postgres && reads.Files {
			files = filesJSON
		}
		if tx.dialect == Postgres && reads.Sentra {
			sentra = sentraJSON
		}
		if tx.dialect == Postgres && reads.FiscalYear {
			menus, regions := tx.ceilingsJSON("proposals.region_code")
			fy = `(SELECT json_build_object('row', row_to_json(fiscal_years), 'menus', ` + menus + `, 'regions', ` + regions + `)
				FROM fiscal_years WHERE fiscal_years.year = proposals.fiscal_year)`
		}
		q = `SELECT proposals.*, ` + stageFlag + `,
			COALESCE((SELECT seq FROM events WHERE proposal_id = proposals.id ORDER BY seq DESC LIMIT 1), 0) AS tip_seq,
			(SELECT hash FROM events WHERE proposal_id = proposals.id ORDER BY seq DESC LIMIT 1) AS tip_hash,
			` + users + ` AS users_json, ` + files + ` AS files_json, ` + sentra + ` AS sentra_json, ` + fy + ` AS fiscal_year_json
			FROM proposals WHERE id = ?`
	}
	if lock {
		q += tx.forUpdate()
	}
	res := tx.db.Raw(q, args...).Scan(&row)
	if res.Error != nil {
		return Locked{}, fmt.Errorf("read proposal %d: %w", id, res.Error)
	}
	if row.ID == 0 {
		return Locked{}, dak.Errorf(dak.ErrNotFound, "usulan %d tidak ditemukan", id)
	}
	l := Locked{Tip: ChainTip{Seq: row.TipSeq, Hash: dak.GenesisHash}, FileCount: row.FileCount}
	if row.TipHash != nil && row.TipSeq > 0 {
		l.Tip.Hash = *row.TipHash
	}
	if row.UsersJSON != nil {
		if err := tx.rememberUsers(reads.Roles, row.RegionCode, *row.UsersJSON); err != nil {
			return Locked{}, err
		}
	}
	if withTip && tx.dialect == Postgres {
		l.FilesRead, l.SentraRead, l.FiscalYearRead = reads.Files, reads.Sentra, reads.FiscalYear
		if err := l.readJSON(row); err != nil {
			return Locked{}, fmt.Errorf("read proposal %d: %w", id, err)
		}
	}
	var err error
	if l.Proposal, err = row.proposal(); err != nil {
		return l, err
	}
	if row.StageFlag != 0 {
		l.Proposal.Stages, err = tx.stages(id)
	}
	return l, err
}

// readJSON decodes the files, the sentra and the fiscal year a PostgreSQL
// locking read brought as Attachments, SentraAndProposals and FiscalYear
// would have answered them.
func (l *Locked) readJSON(row proposalRow) error {
	if row.FilesJSON != nil {
		var rows []attachmentRow
		if err := json.Unmarshal([]byte(*row.FilesJSON), &rows); err != nil {
			return fmt.Errorf("attachments: %w", err)
		}
		l.Files = make([]dak.Attachment, len(rows))
		for i, r := range rows {
			l.Files[i] = r.attachment()
		}
	}
	if row.SentraJSON != nil { // NULL: the proposal names no registered sentra
		var v struct {
			Sentra    *LinkedSentra
			Proposals []SentraProposal
		}
		if err := json.Unmarshal([]byte(*row.SentraJSON), &v); err != nil {
			return fmt.Errorf("sentra: %w", err)
		}
		l.Sentra, l.SentraProposals = v.Sentra, v.Proposals
	}
	if row.FiscalYearJSON != nil { // NULL: no such fiscal year
		var v struct {
			Row            fiscalYearRow
			Menus, Regions json.RawMessage
		}
		if err := json.Unmarshal([]byte(*row.FiscalYearJSON), &v); err != nil {
			return fmt.Errorf("fiscal year: %w", err)
		}
		fy, err := v.Row.withCeilings(string(v.Menus), string(v.Regions))
		if err != nil {
			return err
		}
		l.FiscalYear = &fy
	}
	return nil
}

// stageFlag is the select-list item that fills proposalRow.StageFlag.
const stageFlag = `CASE WHEN EXISTS (SELECT 1 FROM disbursement_stages WHERE proposal_id = proposals.id) THEN 1 ELSE 0 END AS stage_flag`

// saveProposalSQL writes every column of a proposal but its id and what
// it was filed with (number, created_at, created_by), written out rather
// than reflected by gorm on every transition; TestSaveProposalColumns
// keeps the list whole when a column is added.
const saveProposalSQL = `UPDATE proposals SET fiscal_year = ?, menu = ?, title = ?, region_code = ?, sentra_id = ?,
	state = ?, version = ?, workflow = ?, workflow_version = ?, content = ?, rk_content = ?, revision = ?,
	requested_amount = ?, recommended_amount = ?, allocated_amount = ?, rk_amount = ?, disbursed_amount = ?,
	absorbed_amount = ?, bast_number = ?, reviewer_id = ?, updated_at = ?, submitted_at = ?
	WHERE id = ? AND version = ?`

// SaveProposal writes p if it still has version expected, and bumps its
// version. A concurrent change answers ErrConflict: nothing is half-done
// because the caller's transaction then rolls back.
func (tx *Tx) SaveProposal(p *dak.Proposal, expected int64) error {
	args, err := tx.saveArgs(p, expected)
	if err != nil {
		return err
	}
	q, args := tx.withPending(saveProposalSQL, args)
	res := tx.db.Exec(q, args...)
	if res.Error != nil {
		return fmt.Errorf("save proposal %d: %w", p.ID, res.Error)
	}
	if res.RowsAffected != 1 {
		return errChangedMeanwhile()
	}
	return nil
}

// errChangedMeanwhile is SaveProposal's answer to a version that moved.
func errChangedMeanwhile() error {
	return dak.Errorf(dak.ErrConflict, "usulan telah diubah oleh pengguna lain; muat ulang dan coba lagi")
}

// saveArgs bumps p's version and time and returns saveProposalSQL's
// arguments for it.
func (tx *Tx) saveArgs(p *dak.Proposal, expected int64) ([]any, error) {
	p.Version = expected + 1
	p.UpdatedAt = tx.now
	row, err := toRow(p)
	if err != nil {
		return nil, err
	}
	return []any{row.FiscalYear, row.Menu, row.Title, row.RegionCode, row.SentraID, row.State,
		row.Version, row.Workflow, row.WorkflowVersion, row.Content, row.RKContent, row.Revision, row.RequestedAmount,
		row.RecommendedAmount, row.AllocatedAmount, row.RKAmount, row.DisbursedAmount, row.AbsorbedAmount, row.BASTNumber,
		row.ReviewerID, row.UpdatedAt, row.SubmittedAt, p.ID, expected}, nil
}

// SaveProposalNumbered is SaveProposal(p, expected) then NextNumber(kind,
// year), for a transition that has nothing to read between the two: on
// PostgreSQL one statement, which draws no number when the save finds the
// version moved.
func (tx *Tx) SaveProposalNumbered(p *dak.Proposal, expected int64, kind string, year int) (int64, error) {
	if tx.dialect != Postgres {
		if err := tx.SaveProposal(p, expected); err != nil {
			return 0, err
		}
		return tx.NextNumber(kind, year)
	}
	args, err := tx.saveArgs(p, expected)
	if err != nil {
		return 0, err
	}
	var last []int64
	tx.drawn = true
	q, args := tx.withPending(`WITH saved AS (`+saveProposalSQL+` RETURNING id)
		INSERT INTO counters (kind, year, last) SELECT ?, ?, 1 FROM saved
		ON CONFLICT (kind, year) DO UPDATE SET last = counters.last + 1 RETURNING last`, append(args, kind, year))
	err = tx.db.Raw(q, args...).Scan(&last).Error
	if err != nil {
		return 0, fmt.Errorf("save proposal %d and draw %s/%d: %w", p.ID, kind, year, err)
	}
	if len(last) != 1 {
		return 0, errChangedMeanwhile()
	}
	return last[0], nil
}

// ReplaceContent puts a pemda's edit into p, a proposal locked in this
// transaction: the content and what is derived from it (title, menu, year,
// the requested amount), its sentra linked or registered (linkSentra), saved at
// the version p was read at (ErrConflict if it changed since). Whether the
// edit is allowed is the caller's rule, checked before.
func (tx *Tx) ReplaceContent(p *dak.Proposal, content dak.ProposalInput, requested dak.Money) error {
	current := p.SentraID
	p.Content, p.Title, p.Menu, p.FiscalYear, p.RequestedAmount = content, content.Title, content.Menu, content.FiscalYear, requested
	if err := tx.linkSentra(p, current); err != nil {
		return err
	}
	return tx.SaveProposal(p, p.Version)
}
