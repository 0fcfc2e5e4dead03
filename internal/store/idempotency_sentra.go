package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"dakflow/internal/dak"
)

// A sentra's registration, a use report, a status change and a field visit
// take an Idempotency-Key (migration 0025). Their answer — the sentra, the
// report, the line the change or the visit added to the sentra's status
// history — is saved in the transaction that writes it, so that a retry, or
// the page's form sent twice, writes nothing more: no second history line,
// and no refusal of a registration or a report that had succeeded.

// ChangeSentraStatusOnce is ChangeSentraStatus under by's Idempotency-Key
// (key, "" for none, with requestHash, what the request asked): a retry
// answers the record as it is now (replayed) and records nothing; the key
// answered for another request is ErrInvalid (ErrKeyReused). The record is
// locked before the stored answer is looked for, so a retry sent while the
// first request still runs waits for it and replays.
func (s *Store) ChangeSentraStatusOnce(ctx context.Context, id int64, in dak.SentraStatusInput, by dak.User,
	key, requestHash string) (out dak.Sentra, replayed bool, err error) {
	err = s.InTx(ctx, func(tx *Tx) error {
		r, err := tx.readSentra(by, id, true)
		if err != nil {
			return err
		}
		if !by.MayRecordSentraStatus(r.RegionCode) {
			return dak.Errorf(dak.ErrForbidden, "peran Anda tidak dapat mencatat status sentra ini")
		}
		_, found, err := tx.historyUnder(by.ID, key, requestHash, id)
		if err != nil {
			return err
		}
		if !found {
			line, err := tx.changeStatus(r, in, by)
			if err != nil {
				return err
			}
			if err := tx.saveAnswer(by.ID, key, requestHash, "sentra_history_id", line); err != nil {
				return err
			}
		}
		out, err = tx.fullSentra(by, id, false)
		replayed = found
		return err
	})
	return out, replayed && err == nil, err
}

// RecordSentraVisitOnce is RecordSentraVisit under u's Idempotency-Key
// (ChangeSentraStatusOnce's rules): a retry answers the line the first
// request added (replayed) and records nothing.
func (s *Store) RecordSentraVisitOnce(ctx context.Context, u dak.User, sentraID int64, in dak.SentraVisitInput, day time.Time,
	key, requestHash string) (out dak.SentraEntry, replayed bool, err error) {
	err = s.InTx(ctx, func(tx *Tx) error {
		r, err := tx.readSentra(u, sentraID, true)
		if err != nil {
			return err
		}
		if u.Role != dak.RoleVerifier {
			return dak.Errorf(dak.ErrForbidden, "kunjungan lapangan dicatat oleh verifikator Ditjen IKMA")
		}
		line, found, err := tx.historyUnder(u.ID, key, requestHash, sentraID)
		if err != nil {
			return err
		}
		if !found {
			if line, err = tx.recordVisit(u, r, in, day); err != nil {
				return err
			}
			if err := tx.saveAnswer(u.ID, key, requestHash, "sentra_history_id", line); err != nil {
				return err
			}
		}
		// The first answer is read back from its row as every replay will
		// be, so that the two are the same.
		out, err = tx.historyLine(sentraID, line)
		replayed = found
		return err
	})
	return out, replayed && err == nil, err
}

// historyUnder reads the history line of sentra sentraID that user
// userID's request under key added (found false: no key, or none answered
// yet); a key answered for anything else — another request, another
// sentra — is ErrKeyReused.
func (tx *Tx) historyUnder(userID int64, key, requestHash string, sentraID int64) (line int64, found bool, err error) {
	line, found, err = tx.answerUnder(userID, key, requestHash, func(r *IdempotentReply) int64 { return r.SentraHistory })
	if err != nil || !found {
		return 0, false, err
	}
	var n int64
	if err := tx.db.Raw(`SELECT count(*) FROM sentra_status_history WHERE id = ? AND sentra_id = ?`,
		line, sentraID).Scan(&n).Error; err != nil {
		return 0, false, fmt.Errorf("idempotency key: %w", err)
	}
	if n == 0 {
		return 0, false, keyReused()
	}
	return line, true, nil
}

// answerUnder is the id of what user userID's request under key made, as
// answer reads it from the key's reply (0: the key answered something
// else); found is false for no key, or none answered yet. A key answered
// for another request, or with something else, is ErrKeyReused.
func (tx *Tx) answerUnder(userID int64, key, requestHash string, answer func(*IdempotentReply) int64) (id int64, found bool, err error) {
	if key == "" {
		return 0, false, nil
	}
	prev, err := tx.IdempotentReply(userID, key)
	if err != nil || prev == nil {
		return 0, false, err
	}
	if id = answer(prev); id == 0 || prev.RequestHash != requestHash {
		return 0, false, keyReused()
	}
	return id, true, nil
}

// saveAnswer records that the answer to (user, key) is the row id of
// column (sentra_id, sentra_report_id or sentra_history_id), written in
// this transaction (SaveIdempotentReply's rules); nothing for no key.
func (tx *Tx) saveAnswer(userID int64, key, requestHash, column string, id int64) error {
	if key == "" {
		return nil
	}
	return savedKey(tx.db.Exec(`INSERT INTO idempotency_keys (user_id, key, request_hash, `+column+`, created_at)
		VALUES (?, ?, ?, ?, ?)`, userID, key, requestHash, id, tx.now).Error)
}

// CreateSentraOnce is CreateSentra under by's Idempotency-Key (key, "" for
// none, with requestHash, what the request asked): a retry answers the
// record the first request registered, as it is now (replayed), and
// registers nothing — where without a key it would be refused, its name
// taken in its desa; the key answered for another request is ErrKeyReused.
// A retry that raced the first request (on PostgreSQL it meets the name or
// the key the first one saved) reads the key again and replays when it was
// answered for this request.
func (s *Store) CreateSentraOnce(ctx context.Context, in dak.SentraRecordInput, by dak.User, key, requestHash string) (out dak.Sentra, replayed bool, err error) {
	err = s.InTx(ctx, func(tx *Tx) error {
		id, found, err := tx.sentraUnder(by.ID, key, requestHash)
		if err != nil {
			return err
		}
		if !found {
			if id, err = tx.CreateSentra(in, by); err != nil {
				return err
			}
			if err := tx.saveAnswer(by.ID, key, requestHash, "sentra_id", id); err != nil {
				return err
			}
		}
		out, err = tx.fullSentra(by, id, false)
		replayed = found
		return err
	})
	if err != nil && key != "" && !errors.Is(err, ErrKeyReused) {
		// A retry that raced the first request: that answer is this one's.
		if rerr := s.ReadTx(ctx, func(tx *Tx) error {
			id, found, rerr := tx.sentraUnder(by.ID, key, requestHash)
			if rerr != nil || !found {
				return errors.Join(rerr, errNotAnswered)
			}
			out, rerr = tx.fullSentra(by, id, false)
			return rerr
		}); rerr == nil {
			return out, true, nil
		}
	}
	return out, replayed && err == nil, err
}

// errNotAnswered ends a read of a key that has no answer yet.
var errNotAnswered = errors.New("idempotency key not answered")

// sentraUnder is the sentra user userID's registration under key made
// (answerUnder's rules).
func (tx *Tx) sentraUnder(userID int64, key, requestHash string) (id int64, found bool, err error) {
	return tx.answerUnder(userID, key, requestHash, func(r *IdempotentReply) int64 { return r.Sentra })
}

// FileSentraReportOnce is FileSentraReport under u's Idempotency-Key
// (ChangeSentraStatusOnce's rules): a retry answers the report the first
// request filed (replayed) — where without a key it would be refused, its
// period reported — and files nothing.
func (s *Store) FileSentraReportOnce(ctx context.Context, u dak.User, sentraID int64, in dak.SentraReportInput, period dak.Period,
	m dak.MonitoringParams, key, requestHash string) (out dak.SentraReport, replayed bool, err error) {
	err = s.InTx(ctx, func(tx *Tx) error {
		r, err := tx.readSentra(u, sentraID, true) // one filing at a time per sentra
		if err != nil {
			return err
		}
		if !u.ActsFor(r.RegionCode) {
			return dak.Errorf(dak.ErrForbidden, "hanya pemda wilayah sentra yang menyampaikan laporan pemanfaatan")
		}
		id, found, err := tx.answerUnder(u.ID, key, requestHash, func(r *IdempotentReply) int64 { return r.SentraReport })
		if err != nil {
			return err
		}
		if !found {
			row, err := tx.fileReport(u, r, in, period, m)
			if err != nil {
				return err
			}
			id = row.ID
			if err := tx.saveAnswer(u.ID, key, requestHash, "sentra_report_id", id); err != nil {
				return err
			}
		}
		replayed = found
		// The answer is read back from its row, the first as every replay,
		// so that the two are the same.
		var row sentraReportRow
		if err := tx.db.Where("id = ? AND sentra_id = ?", id, sentraID).Limit(1).Find(&row).Error; err != nil {
			return fmt.Errorf("read report %d: %w", id, err)
		}
		if row.ID == 0 { // the key answered a report of another sentra
			return keyReused()
		}
		row.FiledByName = nameOf(u) // the key is u's: u filed it
		out = row.report(m)
		return nil
	})
	return out, replayed && err == nil, err
}
