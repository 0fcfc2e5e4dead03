package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"dakflow/internal/dak"
)

// userRow is the users table.
type userRow struct {
	ID           int64
	Username     string
	PasswordHash string
	FullName     string
	NIP          string `gorm:"column:nip"`
	Position     string
	Role         string
	RegionCode   string
	Disabled     bool
	CreatedAt    time.Time
	// Email and EmailNotifications: where and whether notifications are
	// mailed (notifications.go).
	Email              string
	EmailNotifications bool
}

func (userRow) TableName() string { return "users" }

func (r userRow) user() dak.User {
	return dak.User{ID: r.ID, Username: r.Username, FullName: r.FullName, NIP: r.NIP, Position: r.Position,
		Role: dak.Role(r.Role), RegionCode: r.RegionCode, Disabled: r.Disabled,
		Email: r.Email, EmailNotifications: r.EmailNotifications}
}

// NewUser is an account to create; the password is hashed here with bcrypt.
type NewUser struct {
	dak.User
	Password string
}

// DefaultPasswordCost is the bcrypt work factor of a new Store.
const DefaultPasswordCost = 11

// SetPasswordCost changes the bcrypt work factor of the passwords this
// store hashes from now on: tests lower it to keep the suite fast, the
// demo seed to load quickly. Existing hashes keep their own cost.
func (s *Store) SetPasswordCost(cost int) { s.passwordCost.Store(int64(cost)) }

// hashPassword hashes a new password at the store's cost.
func (s *Store) hashPassword(password string) ([]byte, error) {
	hash, err := bcrypt.GenerateFromPassword([]byte(password), int(s.passwordCost.Load()))
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	return hash, nil
}

// CreateUser adds an account. It returns ErrConflict when the username is taken.
func (s *Store) CreateUser(ctx context.Context, u NewUser) (dak.User, error) {
	hash, err := s.hashPassword(u.Password)
	if err != nil {
		return dak.User{}, err
	}
	row := userRow{Username: u.Username, PasswordHash: string(hash), FullName: u.FullName, NIP: u.NIP,
		Position: u.Position, Role: string(u.Role), RegionCode: u.RegionCode, CreatedAt: s.Now(),
		Email: u.Email, EmailNotifications: true} // mail is on until the user switches it off
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		if IsUniqueViolation(err) {
			return dak.User{}, &dak.Error{Kind: dak.ErrConflict, Detail: "nama pengguna sudah dipakai",
				Fields: []dak.FieldError{{Field: "username", Message: "nama pengguna sudah dipakai"}}}
		}
		return dak.User{}, fmt.Errorf("create user %s: %w", u.Username, err)
	}
	return row.user(), nil
}

// UserByID returns an account, or ErrNotFound.
func (s *Store) UserByID(ctx context.Context, id int64) (dak.User, error) {
	var row userRow
	err := s.reader(ctx).Where("id = ?", id).Take(&row).Error
	return row.user(), translate(err, "pengguna")
}

// Users lists every account by username.
func (s *Store) Users(ctx context.Context) ([]dak.User, error) {
	var rows []userRow
	if err := s.reader(ctx).Order("username").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	out := make([]dak.User, len(rows))
	for i, r := range rows {
		out[i] = r.user()
	}
	return out, nil
}

// UpdateUser changes an account's profile, e-mail address, role, region,
// disabled flag and, when password is not empty, its password.
func (s *Store) UpdateUser(ctx context.Context, u dak.User, password string) error {
	fields := map[string]any{"full_name": u.FullName, "nip": u.NIP, "position": u.Position,
		"role": string(u.Role), "region_code": u.RegionCode, "disabled": u.Disabled, "email": u.Email}
	if password != "" {
		hash, err := s.hashPassword(password)
		if err != nil {
			return err
		}
		fields["password_hash"] = string(hash)
	}
	// Its sessions answer with its new role and region, or not at all,
	// from the next request on (session_cache.go).
	defer s.sessions.dropAll()
	return s.InTx(ctx, func(tx *Tx) error {
		res := tx.db.Model(&userRow{}).Where("id = ?", u.ID).Updates(fields)
		if res.Error != nil {
			return fmt.Errorf("update user %d: %w", u.ID, res.Error)
		}
		if res.RowsAffected == 0 {
			return dak.Errorf(dak.ErrNotFound, "pengguna tidak ditemukan")
		}
		if u.Disabled || password != "" {
			return tx.db.Exec(`DELETE FROM sessions WHERE user_id = ?`, u.ID).Error
		}
		return nil
	})
}

// Login limits. Attempts are counted per username and client address, so
// that nobody can lock another person out from elsewhere; a much higher cap
// per username bounds guessing spread over many addresses.
const (
	maxFailures        = 5   // per username and address, in failureWindow
	maxFailuresPerName = 100 // per username from all addresses, in failureWindow
	failureWindow      = 15 * time.Minute
)

// Login checks a password from client address addr and opens a session
// that lasts ttl. It returns the secret token (shown once; only its hash is
// stored), ErrUnauthenticated for a wrong username or password, or
// ErrTooMany after repeated failures. Usernames match without regard to
// case. The attempt is written down before the password is checked, so
// that parallel guesses count against each other: the sixth in a window is
// refused without any bcrypt work.
func (s *Store) Login(ctx context.Context, username, password, addr string, ttl time.Duration) (Session, error) {
	now := s.Now()
	if !plausibleUsername(username) || !utf8.ValidString(addr) || len(addr) > 100 {
		// Never a username (a NUL, invalid UTF-8, a megabyte): refused
		// after the same bcrypt work as a wrong password, so the answer
		// tells nothing, and never sent to the database.
		_ = bcrypt.CompareHashAndPassword(s.dummyHash(), []byte(password))
		return Session{}, dak.Errorf(dak.ErrUnauthenticated, "nama pengguna atau kata sandi salah")
	}
	name := strings.ToLower(username)
	db := s.db.WithContext(ctx)
	attempt := struct {
		ID       int64 `gorm:"primaryKey"`
		Username string
		Addr     string
		At       time.Time
	}{Username: name, Addr: addr, At: now}
	if err := db.Table("login_failures").Create(&attempt).Error; err != nil {
		return Session{}, fmt.Errorf("login: %w", err)
	}
	var here, everywhere int64
	since := now.Add(-failureWindow)
	if err := db.Raw(`SELECT COUNT(*) FROM login_failures WHERE username = ? AND addr = ? AND at > ? AND id <= ?`,
		name, addr, since, attempt.ID).Scan(&here).Error; err != nil {
		return Session{}, fmt.Errorf("login: %w", err)
	}
	if err := db.Raw(`SELECT COUNT(*) FROM login_failures WHERE username = ? AND at > ? AND id <= ?`,
		name, since, attempt.ID).Scan(&everywhere).Error; err != nil {
		return Session{}, fmt.Errorf("login: %w", err)
	}
	if here > maxFailures || everywhere > maxFailuresPerName {
		return Session{}, dak.Errorf(dak.ErrTooMany, "terlalu banyak percobaan masuk; coba lagi dalam 15 menit")
	}
	var row userRow
	err := db.Where("LOWER(username) = ?", name).Take(&row).Error
	hash := []byte(row.PasswordHash)
	if err != nil {
		// An unknown name costs the same bcrypt as a known one, so that
		// names cannot be told apart by the time the answer takes.
		hash = s.dummyHash()
	}
	if bcrypt.CompareHashAndPassword(hash, []byte(password)) == nil && err == nil && !row.Disabled {
		// A success is not a failure: its attempt is struck out.
		if err := db.Exec(`DELETE FROM login_failures WHERE id = ?`, attempt.ID).Error; err != nil {
			return Session{}, fmt.Errorf("login: %w", err)
		}
		return s.openSession(ctx, row.user(), ttl)
	}
	return Session{}, dak.Errorf(dak.ErrUnauthenticated, "nama pengguna atau kata sandi salah")
}

// Session is an open login: a bearer token or a browser cookie.
type Session struct {
	Token     string    `json:"token"`
	CSRF      string    `json:"-"`
	ExpiresAt time.Time `json:"expires_at"`
	User      dak.User  `json:"user"`
}

func (s *Store) openSession(ctx context.Context, u dak.User, ttl time.Duration) (Session, error) {
	token, csrf := randomToken(), randomToken()
	now := s.Now()
	sess := Session{Token: token, CSRF: csrf, ExpiresAt: now.Add(ttl), User: u}
	err := s.db.WithContext(ctx).Exec(`INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at, created_at) VALUES (?, ?, ?, ?, ?)`,
		hashToken(token), u.ID, csrf, sess.ExpiresAt, now).Error
	if err != nil {
		return Session{}, fmt.Errorf("open session: %w", err)
	}
	return sess, nil
}

// SessionByToken resolves a token to its live session, or ErrUnauthenticated.
// It runs on every request: a read kept for a second (session_cache.go),
// else one query, on database/sql directly (gorm's statement building and
// reflection were a twentieth of a transition's server time, for a row of
// fixed columns).
func (s *Store) SessionByToken(ctx context.Context, token string) (Session, error) {
	hash, now := hashToken(token), s.Now()
	if sess, ok := s.sessions.get(hash, now); ok {
		sess.Token = token
		return sess, nil
	}
	gen, readAt := s.sessions.generation(), time.Now()
	var (
		u    dak.User
		role string
		sess Session
	)
	err := s.readPool().QueryRowContext(ctx, sessionQuery, hash, now).Scan(&u.ID, &u.Username, &u.FullName, &u.NIP,
		&u.Position, &role, &u.RegionCode, &u.Email, &u.EmailNotifications, &sess.CSRF, &sess.ExpiresAt)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, dak.Errorf(dak.ErrUnauthenticated, "sesi tidak berlaku atau telah berakhir; silakan masuk kembali")
	}
	if err != nil {
		return Session{}, fmt.Errorf("session: %w", err)
	}
	u.Role = dak.Role(role)
	sess.User = u
	s.sessions.put(hash, sess, gen, readAt)
	sess.Token = token
	return sess, nil
}

// sessionQuery is SessionByToken's statement. Its placeholders are
// PostgreSQL's, which the SQLite driver binds by their ordinals as well.
const sessionQuery = `SELECT u.id, u.username, u.full_name, u.nip, u.position, u.role,
	u.region_code, u.email, u.email_notifications, s.csrf_token, s.expires_at
	FROM sessions s JOIN users u ON u.id = s.user_id
	WHERE s.token_hash = $1 AND s.expires_at > $2 AND NOT u.disabled`

// Logout ends a session.
func (s *Store) Logout(ctx context.Context, token string) error {
	hash := hashToken(token)
	defer s.sessions.drop(hash) // after the delete, so that no read in between keeps it
	return s.db.WithContext(ctx).Exec(`DELETE FROM sessions WHERE token_hash = ?`, hash).Error
}

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// plausibleUsername reports whether s could be a username at all: valid
// UTF-8 without control characters, of a sane length.
func plausibleUsername(s string) bool {
	if len(s) == 0 || len(s) > 200 || !utf8.ValidString(s) {
		return false
	}
	return strings.IndexFunc(s, unicode.IsControl) < 0
}

// dummyHash is a bcrypt hash at the store's cost that no password matches,
// compared against when no account's hash is at hand.
func (s *Store) dummyHash() []byte {
	s.dummyOnce.Do(func() {
		random := make([]byte, 32)
		_, _ = rand.Read(random)
		// bcrypt refuses only passwords over 72 bytes; this one has 64.
		s.dummy, _ = s.hashPassword(hex.EncodeToString(random))
	})
	return s.dummy
}
