package store

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"dakflow/internal/dak"
)

// The link between a proposal and its sentra (PRODUCT.md §9): a
// revitalisasi names a registered sentra, a pembangunan registers the one
// it builds, and the workflow moves that record's status as the proposal
// goes (workflow actions sentra_*).

// LinkedSentra is a registered sentra as the proposal rules read it.
type LinkedSentra struct {
	ID          int64            `json:"id"`
	Name        string           `json:"name"`
	Commodity   string           `json:"commodity"`
	RegionCode  string           `json:"region_code"`
	VillageCode string           `json:"village_code"`
	Status      dak.SentraStatus `json:"status"`
	StatusDate  string           `json:"status_date"` // YYYY-MM-DD (WIB), the day the status was recorded
	StatusBasis string           `json:"status_basis"`
}

// SentraProposal is one proposal of a sentra, as the rule of one open
// proposal per sentra (guard no_double_funding) reads it. The JSON tags
// are the columns of a transition's locking read (LockReads).
type SentraProposal struct {
	ID              int64     `json:"id"`
	Number          string    `json:"number"`
	FiscalYear      int       `json:"fiscal_year"`
	Menu            dak.Menu  `json:"menu"`
	State           string    `json:"state"`
	Workflow        string    `json:"workflow"`
	AllocatedAmount dak.Money `json:"allocated_amount"`
	DisbursedAmount dak.Money `json:"disbursed_amount"`
}

const linkedColumns = `id, name, commodity, region_code, village_code, status, status_date, status_basis`

// LinkedSentra reads the registered sentra id; ErrNotFound if there is none.
func (tx *Tx) LinkedSentra(id int64) (LinkedSentra, error) {
	var s LinkedSentra
	if err := tx.db.Raw(`SELECT `+linkedColumns+` FROM sentra WHERE id = ?`, id).Scan(&s).Error; err != nil {
		return s, fmt.Errorf("read sentra %d: %w", id, err)
	}
	if s.ID == 0 {
		return s, dak.Errorf(dak.ErrNotFound, "sentra %d tidak terdaftar", id)
	}
	return s, nil
}

// villageSentra lists the sentra registered in a desa, by id.
func (tx *Tx) villageSentra(villageCode string) ([]LinkedSentra, error) {
	var out []LinkedSentra
	if err := tx.db.Raw(`SELECT `+linkedColumns+` FROM sentra WHERE village_code = ? ORDER BY id`, villageCode).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("read sentra of desa %s: %w", villageCode, err)
	}
	return out, nil
}

// SentraNamed reads the sentra registered in the desa under name
// (dak.SameSentraName); ok is false when there is none.
func (tx *Tx) SentraNamed(villageCode, name string) (s LinkedSentra, ok bool, err error) {
	list, err := tx.villageSentra(villageCode)
	for _, s := range list {
		if dak.SameSentraName(s.Name, name) {
			return s, true, nil
		}
	}
	return LinkedSentra{}, false, err
}

// SentraProposals lists every proposal of the sentra, oldest first.
func (tx *Tx) SentraProposals(sentraID int64) ([]SentraProposal, error) {
	var out []SentraProposal
	err := tx.db.Raw(`SELECT id, number, fiscal_year, menu, state, workflow, allocated_amount, disbursed_amount
		FROM proposals WHERE sentra_id = ? ORDER BY fiscal_year, id`, sentraID).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("proposals of sentra %d: %w", sentraID, err)
	}
	return out, nil
}

// linkSentra sets p.SentraID (and its content's) from p's menu: a
// revitalisasi keeps the registered sentra it names (resolved and checked
// by the workflow engine); a pembangunan registers the sentra it builds,
// status usulan, or keeps its own record up to date while it is a
// proposal — unless the desa already holds a living or planned sentra of
// the commodity, or one of the name, which is refused naming it.
// current is the sentra p was linked to before (0 for a new proposal); a
// record p registered and no longer builds is retired (tidak_aktif). p
// has its row: the history lines name it, by its filer.
func (tx *Tx) linkSentra(p *dak.Proposal, current int64) error {
	filer := func() dak.User { return tx.filer(p.CreatedBy) }
	register, err := tx.placeSentra(p, current, filer)
	if err != nil || !register {
		return err
	}
	if err := tx.registerSentra(p); err != nil {
		return err
	}
	return tx.registeredHistory(p, filer())
}

// placeSentra is linkSentra up to the registration of a new record: it
// sets p's link, retires or updates p's own record, and reports whether p
// is a pembangunan to register its sentra for (the desa checked, the
// record not written yet; registerSentra writes it). filer is who filed p,
// asked only when a history line is written.
func (tx *Tx) placeSentra(p *dak.Proposal, current int64, filer func() dak.User) (register bool, err error) {
	own, err := tx.ownSentra(p, current)
	if err != nil {
		return false, err
	}
	s := p.Content.Sentra
	if p.Menu != dak.MenuPembangunan {
		if own != 0 {
			basis := fmt.Sprintf("Usulan %s diubah menjadi menu %s; sentra ini tidak lagi diusulkan untuk dibangun", p.Number, p.Menu)
			if err := tx.SetSentraStatus(own, dak.SentraTidakAktif, "", basis, "", filer(), p.ID); err != nil {
				return false, err
			}
		}
		p.SentraID = p.Content.SentraID
		return false, nil
	}
	if s.VillageCode == "" || s.Name == "" { // not placed yet: its record, if any, waits for the desa and name
		p.SentraID, p.Content.SentraID = own, own
		return false, nil
	}
	if err := tx.refuseTaken(p, own); err != nil {
		return false, err
	}
	if own == 0 {
		return true, nil
	}
	err = tx.updateSentraName(own, "sentra.name", s.VillageCode, s.Name, func() error {
		return tx.db.Exec(`UPDATE sentra SET region_code = ?, village_code = ?, name = ?, commodity = ?, address = ?,
			latitude = ?, longitude = ?, ikm_units = ?, workers = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			p.RegionCode, s.VillageCode, s.Name, s.Commodity, s.Address, s.Latitude, s.Longitude, s.IKMUnits, s.Workers,
			tx.now, own).Error
	})
	if err != nil {
		return false, fmt.Errorf("update sentra %d: %w", own, err)
	}
	p.SentraID, p.Content.SentraID = own, own
	return false, nil
}

// registeredBasis is the basis and date (WIB) of the status usulan of a
// sentra registered by p.
func (tx *Tx) registeredBasis(p *dak.Proposal) (basis, date string) {
	return "Didaftarkan dari usulan " + p.Number, tx.now.In(dak.WIB).Format(time.DateOnly)
}

// registerSentra writes the record of the sentra p builds, as placeSentra
// found it to be registered, status usulan, and links p to it. p has its
// number (the record's basis names it) but need not have its row yet:
// registeredHistory writes the record's first history line, which names
// p's row.
func (tx *Tx) registerSentra(p *dak.Proposal) error {
	s := p.Content.Sentra
	// ON CONFLICT DO NOTHING: see Tx.CreateSentra.
	var id int64
	basis, today := tx.registeredBasis(p)
	err := tx.db.Raw(`INSERT INTO sentra (region_code, village_code, name, commodity, address, latitude, longitude,
		ikm_units, workers, status, status_date, status_basis, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
		p.RegionCode, s.VillageCode, s.Name, s.Commodity, s.Address, s.Latitude, s.Longitude, s.IKMUnits, s.Workers,
		string(dak.SentraUsulan), today, basis, tx.now, tx.now).Scan(&id).Error
	if err != nil {
		return fmt.Errorf("register sentra: %w", err)
	}
	if id == 0 {
		return tx.sentraTaken("sentra.name", s.VillageCode, s.Name, 0)
	}
	p.SentraID, p.Content.SentraID = id, id
	return nil
}

// registeredHistory writes the first history line of the sentra p
// registered (registerSentra), by its filer, naming p's row.
func (tx *Tx) registeredHistory(p *dak.Proposal, filer dak.User) error {
	basis, today := tx.registeredBasis(p)
	_, err := tx.addSentraHistory(p.SentraID, dak.SentraUsulan, today, basis, "", filer, p.ID)
	return err
}

// filer is the user who filed a proposal, named in the status history of
// the sentra it registers; the zero User (the system) if unknown. The
// filing itself knows its user (Tx.CreateProposal): this reads it for an
// edit, or for a proposal stored without one.
func (tx *Tx) filer(id int64) dak.User {
	var r userRow
	if err := tx.db.Raw(`SELECT * FROM users WHERE id = ?`, id).Scan(&r).Error; err != nil || r.ID == 0 {
		return dak.User{}
	}
	return r.user()
}

// ownSentra is current if it is the record p registered as a pembangunan
// and that is still only p's plan (status usulan, no other proposal), else 0.
func (tx *Tx) ownSentra(p *dak.Proposal, current int64) (int64, error) {
	if current == 0 {
		return 0, nil
	}
	var n struct {
		Status string
		Others int64
	}
	err := tx.db.Raw(`SELECT status, (SELECT COUNT(*) FROM proposals WHERE sentra_id = s.id AND id <> ?) AS others
		FROM sentra s WHERE id = ?`, p.ID, current).Scan(&n).Error
	if err != nil {
		return 0, fmt.Errorf("read sentra %d: %w", current, err)
	}
	if dak.SentraStatus(n.Status) != dak.SentraUsulan || n.Others > 0 {
		return 0, nil
	}
	return current, nil
}

// refuseTaken refuses a pembangunan in a desa that already holds a
// registered sentra of its commodity (one that is not tidak_aktif: living,
// being built or proposed), or of its name, other than its own record:
// PRODUCT.md §9, a living sentra is revitalised, not built again.
func (tx *Tx) refuseTaken(p *dak.Proposal, own int64) error {
	list, err := tx.villageSentra(p.Content.Sentra.VillageCode)
	if err != nil {
		return err
	}
	s := p.Content.Sentra
	var errs dak.Fields
	for _, t := range list {
		named := fmt.Sprintf("%s (sentra %d, status %s)", t.Name, t.ID, strings.ToLower(t.Status.Label()))
		switch {
		case t.ID == own:
		case dak.SameSentraName(t.Name, s.Name):
			errs.Add("sentra.name", "desa/kelurahan %s sudah memiliki sentra terdaftar bernama %s; gunakan nama lain, atau menu revitalisasi untuk sentra itu", s.VillageCode, named)
		case t.Status == dak.SentraTidakAktif || strings.TrimSpace(s.Commodity) == "" || !dak.SameSentraName(t.Commodity, s.Commodity):
		case t.Status == dak.SentraAktif || t.Status == dak.SentraKurangAktif:
			errs.Add("sentra.commodity", "desa/kelurahan %s sudah memiliki sentra terdaftar dengan komoditas %s: %s; gunakan menu revitalisasi", s.VillageCode, t.Commodity, named)
		default:
			errs.Add("sentra.commodity", "desa/kelurahan %s sudah memiliki sentra dengan komoditas %s yang sedang diusulkan atau dibangun: %s", s.VillageCode, t.Commodity, named)
		}
	}
	return errs.Err("sentra sudah terdaftar di desa/kelurahan ini")
}

// MoveProposalSentra moves the status of p's sentra to status, dated
// today (WIB), on basis, with note, by the user who fired the event, if
// its status now is one of from: a status the registry has set otherwise
// since (a re-count, a field visit) is left as it is. It reports whether
// it moved.
func (tx *Tx) MoveProposalSentra(p *dak.Proposal, from []dak.SentraStatus, status dak.SentraStatus, basis, note string, by dak.User) (bool, error) {
	if p.SentraID == 0 {
		return false, nil
	}
	s, err := tx.LinkedSentra(p.SentraID)
	if err != nil {
		return false, err
	}
	if !slices.Contains(from, s.Status) {
		return false, nil
	}
	return true, tx.SetSentraStatus(s.ID, status, "", basis, note, by, p.ID)
}
