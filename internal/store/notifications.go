package store

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"dakflow/internal/dak"
)

// Notification is one message to one user: an event asked them to act
// (PRODUCT.md §10). ProposalID is nil for one about no proposal.
type Notification struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"-"`
	Kind       string     `json:"kind"`
	ProposalID *int64     `json:"proposal_id"`
	Message    string     `json:"message"`
	CreatedAt  time.Time  `json:"created_at"`
	ReadAt     *time.Time `json:"read_at"`
}

// NewNotification is a notification to write; Email, when not empty, is
// where it is also mailed (the caller decides who wants mail).
type NewNotification struct {
	UserID     int64
	Kind       string
	ProposalID *int64
	Message    string
	Email      string
}

// NotificationTTL is how long a read notification is kept (Prune): it is
// no audit record, the event it tells of is.
const NotificationTTL = 30 * 24 * time.Hour

// notificationRow is the notifications table.
type notificationRow struct {
	ID         int64
	UserID     int64
	Kind       string
	ProposalID *int64
	Message    string
	CreatedAt  time.Time
	ReadAt     *time.Time
}

func (notificationRow) TableName() string { return "notifications" }

func (r notificationRow) notification() Notification {
	n := Notification{ID: r.ID, UserID: r.UserID, Kind: r.Kind, ProposalID: r.ProposalID, Message: r.Message,
		CreatedAt: r.CreatedAt.UTC(), ReadAt: r.ReadAt}
	if n.ReadAt != nil {
		t := n.ReadAt.UTC()
		n.ReadAt = &t
	}
	return n
}

// UsersWithRole lists the enabled accounts of role; for pemda only those
// of region (exactly that code, as dak.User.RegionScope reads it). Who
// is told of an event is chosen from them (workflow/notify.go). The list
// is read once per transaction, which writes no account; the caller must
// not change it.
func (tx *Tx) UsersWithRole(role dak.Role, region string) ([]dak.User, error) {
	key := usersKey(role, region)
	if users, ok := tx.users[key]; ok {
		return users, nil
	}
	q := tx.db.Where("role = ? AND NOT disabled", string(role))
	if !role.SeesAllRegions() {
		q = q.Where("region_code = ?", region)
	}
	var rows []userRow
	if err := q.Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("users with role %s: %w", role, err)
	}
	out := make([]dak.User, len(rows))
	for i, r := range rows {
		out[i] = r.user()
	}
	if tx.users == nil {
		tx.users = map[string][]dak.User{}
	}
	tx.users[key] = out
	return out, nil
}

// usersJSON is the select-list item that reads the enabled accounts of
// roles, as a JSON array of [id, username, full_name, nip, position,
// role, region_code, email, email_notifications (0 or 1)] in the order of
// their ids: an all-region role's every account, another's of the
// proposal's region. It takes no arguments: the roles are written into
// the statement (usersWhere), so that PostgreSQL plans each part by the
// roles it names. As one condition with the roles for parameters, the plan
// a pooled connection keeps could not tell the few verifiers from the
// thousands of pemda accounts of a national deployment and read them all,
// at every transition: PostgreSQL's CPU per transition grew by two thirds
// at 2,000 accounts.
func (tx *Tx) usersJSON(roles []dak.Role) string {
	const cols = `id, username, full_name, nip, position, role, region_code, email,
		CASE WHEN email_notifications THEN 1 ELSE 0 END`
	parts := usersWhere(roles)
	if len(parts) == 0 {
		return `'[]'`
	}
	for i, where := range parts {
		parts[i] = `SELECT id, username, full_name, nip, position, role, region_code, email, email_notifications
			FROM users WHERE ` + where
	}
	from := `FROM (` + strings.Join(parts, ` UNION ALL `) + `) accounts`
	if tx.dialect == Postgres {
		return `COALESCE((SELECT json_agg(json_build_array(` + cols + `) ORDER BY id) ` + from + `), '[]')`
	}
	return `(SELECT json_group_array(json_array(` + cols + `)) ` + from + `)` // rememberUsers sorts them
}

// usersWhere is the conditions of usersJSON's parts, each served by the
// index users_role_region: the all-region roles' accounts, and the
// regional roles' of the proposal's region. A role is written into the
// statement only if it is one of dak.Roles (letters only), never as given.
func usersWhere(roles []dak.Role) []string {
	var all, regional []string
	for _, r := range roles {
		if !slices.Contains(dak.Roles, r) {
			continue // no account holds a role that is not one of them (users_role_check)
		}
		if r.SeesAllRegions() {
			all = append(all, "'"+string(r)+"'")
		} else {
			regional = append(regional, "'"+string(r)+"'")
		}
	}
	var where []string
	if len(all) > 0 {
		where = append(where, `NOT disabled AND role IN (`+strings.Join(all, ", ")+`)`)
	}
	if len(regional) > 0 {
		where = append(where, `NOT disabled AND role IN (`+strings.Join(regional, ", ")+`) AND region_code = proposals.region_code`)
	}
	return where
}

// rememberUsers keeps the accounts of usersJSON, read for roles on a
// proposal of region, for UsersWithRole.
func (tx *Tx) rememberUsers(roles []dak.Role, region, list string) error {
	var rows [][]any
	dec := json.NewDecoder(strings.NewReader(list))
	dec.UseNumber()
	if err := dec.Decode(&rows); err != nil {
		return fmt.Errorf("accounts of roles %v: %w", roles, err)
	}
	if tx.users == nil {
		tx.users = map[string][]dak.User{}
	}
	read := map[string]bool{}
	for _, r := range roles {
		read[usersKey(r, region)] = true
		tx.users[usersKey(r, region)] = []dak.User{}
	}
	for _, c := range rows {
		if len(c) != 9 {
			return fmt.Errorf("accounts of roles %v: a row of %d columns", roles, len(c))
		}
		number := func(i int) int64 { n, _ := c[i].(json.Number); v, _ := n.Int64(); return v }
		text := func(i int) string { s, _ := c[i].(string); return s }
		u := dak.User{ID: number(0), Username: text(1), FullName: text(2), NIP: text(3), Position: text(4), Role: dak.Role(text(5)),
			RegionCode: text(6), Email: text(7), EmailNotifications: number(8) == 1}
		key := usersKey(u.Role, region)
		tx.users[key] = append(tx.users[key], u)
	}
	for key := range read { // SQLite's json_group_array keeps no order
		slices.SortFunc(tx.users[key], func(a, b dak.User) int { return cmp.Compare(a.ID, b.ID) })
	}
	return nil
}

// usersKey is the key of UsersWithRole's memo.
func usersKey(role dak.Role, region string) string {
	if role.SeesAllRegions() {
		region = ""
	}
	return string(role) + "/" + region
}

// AddNotifications writes ns in the caller's transaction, and for each
// with an Email a row of the mail outbox, due now.
func (tx *Tx) AddNotifications(ns []NewNotification) error {
	if len(ns) == 0 {
		return nil
	}
	// One INSERT for all (a transition notifies everyone who acts next),
	// then one for the mails queued with them.
	rows := make([]notificationRow, len(ns))
	for i, n := range ns {
		rows[i] = notificationRow{UserID: n.UserID, Kind: n.Kind, ProposalID: n.ProposalID, Message: n.Message, CreatedAt: tx.now}
	}
	if err := tx.db.Create(&rows).Error; err != nil {
		return fmt.Errorf("add notification: %w", err)
	}
	var outbox []outboxRow
	for i, n := range ns {
		if n.Email != "" {
			outbox = append(outbox, outboxRow{NotificationID: rows[i].ID, ToAddress: n.Email, NextAttemptAt: tx.now})
		}
	}
	if len(outbox) > 0 {
		if err := tx.db.Create(&outbox).Error; err != nil {
			return fmt.Errorf("queue mail: %w", err)
		}
	}
	return nil
}

// outboxRow is a mail_outbox row as AddNotifications queues it.
type outboxRow struct {
	NotificationID int64 `gorm:"primaryKey;autoIncrement:false"`
	ToAddress      string
	Attempts       int
	NextAttemptAt  time.Time
	LastError      string
}

func (outboxRow) TableName() string { return "mail_outbox" }

// Notifications lists userID's notifications, newest first, only the
// unread ones when unread is set, with their total.
func (s *Store) Notifications(ctx context.Context, userID int64, unread bool, page, perPage int) ([]Notification, int64, error) {
	q := s.reader(ctx).Model(&notificationRow{}).Where("user_id = ?", userID)
	if unread {
		q = q.Where("read_at IS NULL")
	}
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count notifications: %w", err)
	}
	page, perPage = max(page, 1), max(perPage, 1)
	var rows []notificationRow
	if err := q.Order("id DESC").Limit(perPage).Offset((page - 1) * perPage).Find(&rows).Error; err != nil {
		return nil, 0, fmt.Errorf("list notifications: %w", err)
	}
	out := make([]Notification, len(rows))
	for i, r := range rows {
		out[i] = r.notification()
	}
	return out, total, nil
}

// UnreadNotifications counts userID's unread notifications (the pages'
// badge).
func (s *Store) UnreadNotifications(ctx context.Context, userID int64) (int64, error) {
	var n int64
	err := s.reader(ctx).Model(&notificationRow{}).Where("user_id = ? AND read_at IS NULL", userID).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("count unread notifications: %w", err)
	}
	return n, nil
}

// ReadNotification marks userID's notification id read (once: a second
// call keeps the first time) and returns it. Another user's is
// ErrNotFound, as one that does not exist.
func (s *Store) ReadNotification(ctx context.Context, userID, id int64) (Notification, error) {
	var row notificationRow
	err := s.InTx(ctx, func(tx *Tx) error {
		if err := tx.db.Exec(`UPDATE notifications SET read_at = ? WHERE id = ? AND user_id = ? AND read_at IS NULL`,
			tx.now, id, userID).Error; err != nil {
			return fmt.Errorf("read notification %d: %w", id, err)
		}
		return translate(tx.db.Where("id = ? AND user_id = ?", id, userID).Take(&row).Error, "pemberitahuan")
	})
	return row.notification(), err
}

// ReadAllNotifications marks every unread notification of userID read
// and returns how many.
func (s *Store) ReadAllNotifications(ctx context.Context, userID int64) (int64, error) {
	res := s.db.WithContext(ctx).Exec(`UPDATE notifications SET read_at = ? WHERE user_id = ? AND read_at IS NULL`, s.Now(), userID)
	if res.Error != nil {
		return 0, fmt.Errorf("read all notifications: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// SetEmailNotifications switches the mailing of userID's notifications on
// or off; off also drops the user's mail not yet sent. ErrNotFound for no
// such user.
func (s *Store) SetEmailNotifications(ctx context.Context, userID int64, on bool) error {
	defer s.sessions.dropAll() // the sessions carry the setting (session_cache.go)
	return s.InTx(ctx, func(tx *Tx) error {
		res := tx.db.Model(&userRow{}).Where("id = ?", userID).Update("email_notifications", on)
		if res.Error != nil {
			return fmt.Errorf("set email notifications of %d: %w", userID, res.Error)
		}
		if res.RowsAffected == 0 {
			return dak.Errorf(dak.ErrNotFound, "pengguna tidak ditemukan")
		}
		if on {
			return nil
		}
		return tx.db.Exec(`DELETE FROM mail_outbox WHERE sent_at IS NULL
			AND notification_id IN (SELECT id FROM notifications WHERE user_id = ?)`, userID).Error
	})
}
