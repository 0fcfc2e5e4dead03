package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"dakflow/internal/dak"
)

// sentraRow is the sentra table (migrations 0001 and 0011).
type sentraRow struct {
	ID              int64
	RegionCode      string
	VillageCode     string
	Name            string
	Commodity       string
	Status          string
	Address         string
	Latitude        *float64
	Longitude       *float64
	IKMUnits        int `gorm:"column:ikm_units"`
	Workers         int
	DecreeNumber    string
	DecreeDate      string
	EstablishedYear *int
	StatusDate      string
	StatusBasis     string
	Version         int64
	CreatedAt       time.Time
	UpdatedAt       *time.Time
}

func (sentraRow) TableName() string { return "sentra" }

func (r sentraRow) sentra() dak.Sentra {
	s := dak.Sentra{ID: r.ID, Name: r.Name, Commodity: r.Commodity, RegionCode: r.RegionCode, VillageCode: r.VillageCode,
		Address: r.Address, Latitude: r.Latitude, Longitude: r.Longitude, IKMUnits: r.IKMUnits, Workers: r.Workers,
		DecreeNumber: r.DecreeNumber, DecreeDate: r.DecreeDate, EstablishedYear: r.EstablishedYear,
		Status: dak.SentraStatus(r.Status), StatusLabel: dak.SentraStatus(r.Status).Label(), StatusDate: r.StatusDate,
		StatusBasis: r.StatusBasis, Version: r.Version, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.CreatedAt.UTC()}
	if r.UpdatedAt != nil {
		s.UpdatedAt = r.UpdatedAt.UTC()
	}
	return s
}

// SentraFilter selects registry records for a list or an export; zero
// fields do not filter.
type SentraFilter struct {
	// Viewer is who reads the list: a pemda sees its own region's sentra
	// only (dak.User.RegionScope), applied in the query.
	Viewer dak.User
	// Region is a region code: sentra of that region or lying inside it
	// (a province's sentra in a kabupaten, a kecamatan's desa).
	Region string
	// Province is a province code: sentra whose desa lies in it.
	Province string
	// Commodity and Query match ignoring case, their % and _ as the
	// characters themselves: Commodity in the commodity, Query in the name
	// or the commodity.
	Commodity, Query string
	Status           []dak.SentraStatus
	Page, PerPage    int
}

// sentraOrder lists the registry by region, then name.
const sentraOrder = "sentra.region_code, LOWER(sentra.name), sentra.id"

func sentraFiltered(q *gorm.DB, f SentraFilter) *gorm.DB {
	if code, scoped := f.Viewer.RegionScope(); scoped {
		q = q.Where("sentra.region_code = ?", code)
	}
	if f.Region != "" {
		inside := likePrefix(f.Region + ".")
		q = q.Where(`(sentra.region_code = ? OR sentra.region_code LIKE ? ESCAPE '\' OR sentra.village_code LIKE ? ESCAPE '\')`,
			f.Region, inside, inside)
	}
	if f.Province != "" {
		q = q.Where(`sentra.village_code LIKE ? ESCAPE '\'`, likePrefix(f.Province+"."))
	}
	if f.Commodity != "" {
		q = q.Where(`LOWER(sentra.commodity) LIKE ? ESCAPE '\'`, "%"+likeEscape(strings.ToLower(f.Commodity))+"%")
	}
	if len(f.Status) > 0 {
		q = q.Where("sentra.status IN ?", f.Status)
	}
	if f.Query != "" {
		like := "%" + likeEscape(strings.ToLower(f.Query)) + "%"
		q = q.Where(`(LOWER(sentra.name) LIKE ? ESCAPE '\' OR LOWER(sentra.commodity) LIKE ? ESCAPE '\')`, like, like)
	}
	return q
}

// SentraList reads one page of the registry records matching f, by region
// and name, and the count of all that match.
func (s *Store) SentraList(ctx context.Context, f SentraFilter) ([]dak.Sentra, int64, error) {
	var (
		out   []dak.Sentra
		total int64
	)
	err := s.ReadTx(ctx, func(tx *Tx) error {
		q := sentraFiltered(tx.db.Model(&sentraRow{}), f)
		if err := q.Count(&total).Error; err != nil {
			return fmt.Errorf("count sentra: %w", err)
		}
		if f.PerPage <= 0 {
			f.PerPage = 20
		}
		if f.Page <= 0 {
			f.Page = 1
		}
		var rows []sentraRow
		if err := q.Order(sentraOrder).Limit(f.PerPage).Offset((f.Page - 1) * f.PerPage).Find(&rows).Error; err != nil {
			return fmt.Errorf("list sentra: %w", err)
		}
		out = make([]dak.Sentra, len(rows))
		for i, r := range rows {
			out[i] = r.sentra()
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// EachSentra calls fn with every record matching f (paging ignored), in
// the list's order, from one snapshot, reading row by row so that an
// export of the whole registry holds one record at a time. An error from
// fn stops it and is returned.
func (s *Store) EachSentra(ctx context.Context, f SentraFilter, fn func(dak.Sentra) error) error {
	return s.ReadTx(ctx, func(tx *Tx) error {
		rows, err := sentraFiltered(tx.db.Model(&sentraRow{}), f).Order(sentraOrder).Rows()
		if err != nil {
			return fmt.Errorf("export sentra: %w", err)
		}
		defer rows.Close() // read-only; a close error adds nothing to rows.Err
		for rows.Next() {
			var r sentraRow
			if err := tx.db.ScanRows(rows, &r); err != nil {
				return fmt.Errorf("export sentra: %w", err)
			}
			if err := fn(r.sentra()); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

// Sentra returns one record with its status history and its funding
// across all years, as viewer may see them: ErrNotFound for a record of a
// region viewer may not see (PRODUCT.md §1), and a pemda sees only its own
// region's proposals among the funding.
func (s *Store) Sentra(ctx context.Context, viewer dak.User, id int64) (dak.Sentra, error) {
	var out dak.Sentra
	err := s.ReadTx(ctx, func(tx *Tx) error {
		var err error
		out, err = tx.fullSentra(viewer, id, false)
		return err
	})
	return out, err
}

// readSentra reads one row, locked on PostgreSQL when lock is set; a row
// viewer may not see is ErrNotFound.
func (tx *Tx) readSentra(viewer dak.User, id int64, lock bool) (sentraRow, error) {
	q := `SELECT * FROM sentra WHERE id = ?`
	if lock {
		q += tx.forUpdate()
	}
	var r sentraRow
	if err := tx.db.Raw(q, id).Scan(&r).Error; err != nil {
		return r, fmt.Errorf("read sentra %d: %w", id, err)
	}
	if r.ID == 0 || !viewer.Sees(r.RegionCode) {
		return sentraRow{}, dak.Errorf(dak.ErrNotFound, "sentra %d tidak ditemukan", id)
	}
	return r, nil
}

// fullSentra is the record with its history and funding.
func (tx *Tx) fullSentra(viewer dak.User, id int64, lock bool) (dak.Sentra, error) {
	r, err := tx.readSentra(viewer, id, lock)
	if err != nil {
		return dak.Sentra{}, err
	}
	out := r.sentra()
	if out.StatusHistory, err = tx.sentraHistory(id); err != nil {
		return out, err
	}
	out.Funding, err = tx.sentraFunding(viewer, id)
	return out, err
}

// sentraHistory is sentra id's status history, oldest line first.
func (tx *Tx) sentraHistory(id int64) ([]dak.SentraEntry, error) {
	return tx.historyLines(`sentra_id = ?`, id)
}

// historyLine is line of sentra id's status history (ErrNotFound: none).
func (tx *Tx) historyLine(id, line int64) (dak.SentraEntry, error) {
	lines, err := tx.historyLines(`sentra_id = ? AND id = ?`, id, line)
	if err != nil || len(lines) == 0 {
		if err == nil {
			err = dak.Errorf(dak.ErrNotFound, "baris riwayat status %d tidak ditemukan", line)
		}
		return dak.SentraEntry{}, err
	}
	return lines[0], nil
}

// historyLines are the lines of sentra status history where cond holds,
// in the order they were added.
func (tx *Tx) historyLines(cond string, args ...any) ([]dak.SentraEntry, error) {
	var rows []struct {
		Status, Date, Basis, Note, ByName string
		ProposalID                        *int64
		CreatedAt                         time.Time
	}
	err := tx.db.Raw(`SELECT status, date, basis, note, by_name, proposal_id, created_at FROM sentra_status_history
		WHERE `+cond+` ORDER BY id`, args...).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("read sentra status history: %w", err)
	}
	out := make([]dak.SentraEntry, len(rows))
	for i, r := range rows {
		st := dak.SentraStatus(r.Status)
		out[i] = dak.SentraEntry{Status: st, StatusLabel: st.Label(), Date: r.Date, Basis: r.Basis, Note: r.Note, By: r.ByName,
			At: r.CreatedAt.UTC()}
		if r.ProposalID != nil {
			out[i].ProposalID = *r.ProposalID
		}
	}
	return out, nil
}

// sentraFunding lists the proposals of a sentra, every year, oldest first.
func (tx *Tx) sentraFunding(viewer dak.User, id int64) ([]dak.Funding, error) {
	q := tx.db.Table("proposals").Select(`fiscal_year, id AS proposal_id, number, menu, state, workflow,
		allocated_amount, disbursed_amount`).Where("sentra_id = ?", id)
	if code, scoped := viewer.RegionScope(); scoped {
		q = q.Where("region_code = ?", code)
	}
	var rows []struct {
		FiscalYear                       int
		ProposalID                       int64
		Number, Menu, State, Workflow    string
		AllocatedAmount, DisbursedAmount int64
	}
	if err := q.Order("fiscal_year, id").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("read funding of sentra %d: %w", id, err)
	}
	out := make([]dak.Funding, len(rows))
	for i, r := range rows {
		out[i] = dak.Funding{FiscalYear: r.FiscalYear, ProposalID: r.ProposalID, Number: r.Number, Menu: dak.Menu(r.Menu),
			State: r.State, Workflow: r.Workflow, AllocatedAmount: dak.Money(r.AllocatedAmount),
			DisbursedAmount: dak.Money(r.DisbursedAmount)}
	}
	return out, nil
}

// CreateSentra registers a record validated for by, with its first status
// in the history, in one transaction. ErrForbidden when by may not
// register in its region; ErrInvalid naming name when the desa already
// holds a sentra of that name.
func (s *Store) CreateSentra(ctx context.Context, in dak.SentraRecordInput, by dak.User) (dak.Sentra, error) {
	var out dak.Sentra
	err := s.InTx(ctx, func(tx *Tx) error {
		id, err := tx.CreateSentra(in, by)
		if err != nil {
			return err
		}
		out, err = tx.fullSentra(by, id, false)
		return err
	})
	return out, err
}

// RecordError is the failure of one record of ImportSentra, by its index
// (0-based) in the records given; it unwraps to the failure.
type RecordError struct {
	Index int
	Err   error
}

func (e *RecordError) Error() string { return fmt.Sprintf("record %d: %v", e.Index, e.Err) }

// Unwrap gives the record's failure, so that its kind is found.
func (e *RecordError) Unwrap() error { return e.Err }

// ImportSentra registers every record, all or nothing: one transaction, so
// that an imported Direktori Sentra is in the registry whole or not at all.
// A record's failure is a *RecordError naming it.
func (s *Store) ImportSentra(ctx context.Context, ins []dak.SentraRecordInput, by dak.User) ([]int64, error) {
	var ids []int64
	err := s.InTx(ctx, func(tx *Tx) error {
		var err error
		ids, err = tx.importSentra(ins, by)
		return err
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// importSentra registers every record in tx, in order, and returns their
// ids (ImportSentra's rules).
func (tx *Tx) importSentra(ins []dak.SentraRecordInput, by dak.User) ([]int64, error) {
	ids := make([]int64, 0, len(ins))
	for i, in := range ins {
		id, err := tx.CreateSentra(in, by)
		if err != nil {
			return nil, &RecordError{Index: i, Err: err}
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// CreateSentra inserts a record (validated, dak.SentraRecordInput.Validate,
// with creating set) and its first history line, and returns its id.
func (tx *Tx) CreateSentra(in dak.SentraRecordInput, by dak.User) (int64, error) {
	if !by.MayRegisterSentra(in.RegionCode) {
		return 0, dak.Errorf(dak.ErrForbidden, "peran Anda tidak dapat mendaftarkan sentra di wilayah %s", in.RegionCode)
	}
	if err := tx.uniqueSentra(in.VillageCode, in.Name, 0); err != nil {
		return 0, err
	}
	// ON CONFLICT DO NOTHING: a registration that raced past uniqueSentra
	// meets the unique index on (village_code, lower(name)) (migration
	// 0017) and inserts nothing, the transaction still usable to name the
	// sentra that won.
	var id int64
	err := tx.db.Raw(`INSERT INTO sentra (region_code, village_code, name, commodity, status, address, latitude, longitude,
		ikm_units, workers, decree_number, decree_date, established_year, status_date, status_basis, version, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
		in.RegionCode, in.VillageCode, in.Name, in.Commodity, string(in.Status), in.Address, in.Latitude, in.Longitude,
		in.IKMUnits, in.Workers, in.DecreeNumber, in.DecreeDate, in.EstablishedYear, in.StatusDate, in.StatusBasis,
		tx.now, tx.now).Scan(&id).Error
	if err != nil {
		return 0, fmt.Errorf("daftarkan sentra: %w", err)
	}
	if id == 0 {
		return 0, tx.sentraTaken("name", in.VillageCode, in.Name, 0)
	}
	_, err = tx.addSentraHistory(id, in.Status, in.StatusDate, in.StatusBasis, "", by, 0)
	return id, err
}

// uniqueSentra refuses a second sentra of the same name (dak.SameSentraName)
// in one desa, naming the one there; except is a record's own id.
func (tx *Tx) uniqueSentra(village, name string, except int64) error {
	var rows []struct {
		ID   int64
		Name string
	}
	if err := tx.db.Raw(`SELECT id, name FROM sentra WHERE village_code = ? AND id <> ?`, village, except).Scan(&rows).Error; err != nil {
		return fmt.Errorf("read sentra of desa %s: %w", village, err)
	}
	for _, r := range rows {
		if dak.SameSentraName(r.Name, name) {
			return duplicateSentra("name", village, r.Name, r.ID)
		}
	}
	return nil
}

// duplicateSentra is ErrInvalid naming field (the name in the request)
// and the sentra of that name already in the desa.
func duplicateSentra(field, village, name string, id int64) error {
	msg := fmt.Sprintf("desa/kelurahan %s sudah memiliki sentra bernama %q (sentra %d)", village, name, id)
	return &dak.Error{Kind: dak.ErrInvalid, Detail: "sentra sudah terdaftar", Fields: []dak.FieldError{{Field: field, Message: msg}}}
}

// sentraTaken is the answer to a write of name into the desa that the
// unique index on (village_code, lower(name)) refused (migration 0017):
// another registration raced past uniqueSentra and committed first. It
// reads the desa again — that sentra is committed now — and names it as
// uniqueSentra does, on field; except is the written record's own id.
func (tx *Tx) sentraTaken(field, village, name string, except int64) error {
	var rows []struct {
		ID   int64
		Name string
	}
	if err := tx.db.Raw(`SELECT id, name FROM sentra WHERE village_code = ? AND id <> ? ORDER BY id`, village, except).Scan(&rows).Error; err != nil {
		return fmt.Errorf("read sentra of desa %s: %w", village, err)
	}
	for _, r := range rows {
		if dak.SameSentraName(r.Name, name) || strings.EqualFold(r.Name, name) {
			return duplicateSentra(field, village, r.Name, r.ID)
		}
	}
	// The index and dak.SameSentraName fold letters a little differently
	// (the database's lower() against Unicode case folding).
	return &dak.Error{Kind: dak.ErrInvalid, Detail: "sentra sudah terdaftar", Fields: []dak.FieldError{{Field: field,
		Message: fmt.Sprintf("desa/kelurahan %s sudah memiliki sentra dengan nama yang sama", village)}}}
}

// updateSentraName runs an UPDATE that may write a name into a desa
// (sentra id) as one part of the transaction: when the unique index
// refuses it (a registration raced past the check), the part is undone
// and the answer is sentraTaken's, on field.
func (tx *Tx) updateSentraName(id int64, field, village, name string, update func() error) error {
	err := tx.Part("sentra_name", update)
	if IsUniqueViolation(err) {
		return tx.sentraTaken(field, village, name, id)
	}
	return err
}

// SentraDuplicates finds which of the (desa, name) pairs are registered:
// for each index of pairs that names a registered sentra, that sentra's
// id. It reads the desa in batches, for an import's dry run.
func (s *Store) SentraDuplicates(ctx context.Context, pairs [][2]string) (map[int]int64, error) {
	byVillage := map[string][]int{}
	for i, p := range pairs {
		byVillage[p[0]] = append(byVillage[p[0]], i)
	}
	villages := make([]string, 0, len(byVillage))
	for v := range byVillage {
		villages = append(villages, v)
	}
	out := map[int]int64{}
	err := s.ReadTx(ctx, func(tx *Tx) error {
		for len(villages) > 0 {
			batch := villages[:min(len(villages), 500)]
			villages = villages[len(batch):]
			var rows []struct {
				ID                int64
				VillageCode, Name string
			}
			if err := tx.db.Raw(`SELECT id, village_code, name FROM sentra WHERE village_code IN ?`, batch).Scan(&rows).Error; err != nil {
				return fmt.Errorf("read registered sentra: %w", err)
			}
			for _, r := range rows {
				for _, i := range byVillage[r.VillageCode] {
					if dak.SameSentraName(r.Name, pairs[i][1]) {
						out[i] = r.ID
					}
				}
			}
		}
		return nil
	})
	return out, err
}

// UpdateSentra replaces the fields of a record (validated for by, without
// status) if it is still at version ifMatch (0 skips the check): the
// region never changes, the status only through its history. ErrNotFound
// for a record by may not see, ErrForbidden for one it may not edit,
// ErrPrecondition for a stale ifMatch, ErrInvalid for a changed region or
// a name another sentra of the desa has.
func (s *Store) UpdateSentra(ctx context.Context, id, ifMatch int64, in dak.SentraRecordInput, by dak.User) (dak.Sentra, error) {
	var out dak.Sentra
	err := s.InTx(ctx, func(tx *Tx) error {
		r, err := tx.readSentra(by, id, true)
		if err != nil {
			return err
		}
		if !by.MayRegisterSentra(r.RegionCode) {
			return dak.Errorf(dak.ErrForbidden, "peran Anda tidak dapat mengubah sentra ini")
		}
		if ifMatch != 0 && r.Version != ifMatch {
			return dak.Errorf(dak.ErrPrecondition, "sentra telah berubah (versi %d, bukan %d); muat ulang", r.Version, ifMatch)
		}
		if in.RegionCode != r.RegionCode {
			return &dak.Error{Kind: dak.ErrInvalid, Detail: "wilayah sentra tidak dapat diubah",
				Fields: []dak.FieldError{{Field: "region_code", Message: "wilayah sentra tidak dapat diubah (" + r.RegionCode + ")"}}}
		}
		if err := tx.uniqueSentra(in.VillageCode, in.Name, id); err != nil {
			return err
		}
		var res *gorm.DB
		err = tx.updateSentraName(id, "name", in.VillageCode, in.Name, func() error {
			res = tx.db.Exec(`UPDATE sentra SET village_code = ?, name = ?, commodity = ?, address = ?, latitude = ?, longitude = ?,
				ikm_units = ?, workers = ?, decree_number = ?, decree_date = ?, established_year = ?, version = version + 1,
				updated_at = ? WHERE id = ? AND version = ?`,
				in.VillageCode, in.Name, in.Commodity, in.Address, in.Latitude, in.Longitude, in.IKMUnits, in.Workers,
				in.DecreeNumber, in.DecreeDate, in.EstablishedYear, tx.now, id, r.Version)
			return res.Error
		})
		if err != nil {
			return fmt.Errorf("update sentra %d: %w", id, err)
		}
		if res.RowsAffected != 1 {
			return dak.Errorf(dak.ErrConflict, "sentra telah diubah oleh pengguna lain; muat ulang dan coba lagi")
		}
		out, err = tx.fullSentra(by, id, false)
		return err
	})
	return out, err
}

// ChangeSentraStatus records a re-count's or a field visit's status of a
// record (validated, dak.SentraStatusInput.Validate) by by: the history
// line and the record in one transaction. ErrNotFound for a record by may
// not see, ErrForbidden for one it may not record, ErrInvalid naming date
// for a date before the record's current status.
func (s *Store) ChangeSentraStatus(ctx context.Context, id int64, in dak.SentraStatusInput, by dak.User) (dak.Sentra, error) {
	out, _, err := s.ChangeSentraStatusOnce(ctx, id, in, by, "", "")
	return out, err
}

// changeStatus is ChangeSentraStatus in tx, on the record r read locked;
// it returns the id of the history line it added.
func (tx *Tx) changeStatus(r sentraRow, in dak.SentraStatusInput, by dak.User) (int64, error) {
	// Dates are YYYY-MM-DD, so their order is the strings'.
	if in.Date < r.StatusDate {
		return 0, &dak.Error{Kind: dak.ErrInvalid, Detail: "perubahan status sentra tidak valid", Fields: []dak.FieldError{{
			Field: "date", Message: fmt.Sprintf("tanggal sebelum status terakhir sentra (%s)", dak.DateWords(r.StatusDate))}}}
	}
	return tx.setSentraStatus(r.ID, in.Status, in.Date, in.Basis, in.Note, by, 0)
}

// SetSentraStatus moves a sentra to status as of date (YYYY-MM-DD; empty
// is today in WIB), on basis, with a line in its history by byUser (its
// full name, else its username; the zero User is the system) and, when a
// workflow step moved it, the proposal's id (0 for none). It runs in the
// caller's transaction, so that a transition and the status it causes
// commit together. ErrNotFound for no such sentra, ErrInvalid for an
// unknown status.
func (tx *Tx) SetSentraStatus(id int64, status dak.SentraStatus, date, basis, note string, byUser dak.User, proposalID int64) error {
	_, err := tx.setSentraStatus(id, status, date, basis, note, byUser, proposalID)
	return err
}

// setSentraStatus is SetSentraStatus returning the id of the history line
// it added.
func (tx *Tx) setSentraStatus(id int64, status dak.SentraStatus, date, basis, note string, byUser dak.User, proposalID int64) (int64, error) {
	if _, err := dak.ParseSentraStatus(string(status)); err != nil {
		return 0, &dak.Error{Kind: dak.ErrInvalid, Detail: "status sentra tidak valid", Fields: []dak.FieldError{{Field: "status", Message: err.Error()}}}
	}
	if date == "" {
		date = tx.now.In(dak.WIB).Format(time.DateOnly)
	}
	res := tx.db.Exec(`UPDATE sentra SET status = ?, status_date = ?, status_basis = ?, version = version + 1, updated_at = ?
		WHERE id = ?`, string(status), date, basis, tx.now, id)
	if res.Error != nil {
		return 0, fmt.Errorf("set status of sentra %d: %w", id, res.Error)
	}
	if res.RowsAffected != 1 {
		return 0, dak.Errorf(dak.ErrNotFound, "sentra %d tidak ditemukan", id)
	}
	return tx.addSentraHistory(id, status, date, basis, note, byUser, proposalID)
}

// addSentraHistory appends one line to a sentra's status history and
// returns its id.
func (tx *Tx) addSentraHistory(id int64, status dak.SentraStatus, date, basis, note string, by dak.User, proposalID int64) (int64, error) {
	var line int64
	err := tx.db.Raw(`INSERT INTO sentra_status_history `+historyColumns+` VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		tx.historyArgs(id, status, date, basis, note, by, proposalID)...).Scan(&line).Error
	if err != nil {
		return 0, fmt.Errorf("record status of sentra %d: %w", id, err)
	}
	return line, nil
}

// historyColumns are those of a sentra's history line, as historyArgs
// gives their values.
const historyColumns = `(sentra_id, status, date, basis, note, by_user_id, by_name, proposal_id, created_at)`

// historyArgs are the values of a history line of sentra id (historyColumns):
// by named as the line shows them (the system when nobody), proposalID 0
// for none.
func (tx *Tx) historyArgs(id int64, status dak.SentraStatus, date, basis, note string, by dak.User, proposalID int64) []any {
	var userID, proposal *int64
	if by.ID != 0 {
		userID = &by.ID
	}
	if proposalID != 0 {
		proposal = &proposalID
	}
	name := by.FullName
	switch {
	case name == "" && by.Username != "":
		name = by.Username
	case name == "":
		name = dak.RoleSystem.Label()
	}
	return []any{id, string(status), date, basis, note, userID, name, proposal, tx.now}
}
