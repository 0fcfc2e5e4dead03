-- dakflow schema, version 1. Same file name for both engines; a test checks it.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    full_name     TEXT NOT NULL DEFAULT '',
    nip           TEXT NOT NULL DEFAULT '',
    position      TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL CHECK (role IN ('pemda','verifier','approver','treasury','auditor','admin')),
    region_code   TEXT NOT NULL DEFAULT '',
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    DATETIME NOT NULL,
    CHECK (role <> 'pemda' OR region_code <> '')
);

-- Bearer tokens and browser sessions, stored only as SHA-256 of the secret.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id),
    csrf_token TEXT NOT NULL DEFAULT '',
    expires_at DATETIME NOT NULL,
    created_at DATETIME NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_failures (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL,
    at       DATETIME NOT NULL
);
CREATE INDEX login_failures_user_at ON login_failures(username, at);

-- The ceiling is enforced by the database: committed moves only through one
-- conditional UPDATE, and the CHECK makes an overspend impossible.
CREATE TABLE fiscal_years (
    year                INTEGER PRIMARY KEY,
    ceiling             BIGINT NOT NULL CHECK (ceiling >= 0),
    committed           BIGINT NOT NULL DEFAULT 0 CHECK (committed >= 0),
    submission_deadline DATETIME,
    updated_at          DATETIME NOT NULL,
    CHECK (committed <= ceiling)
);

CREATE TABLE sentra (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    region_code  TEXT NOT NULL,
    village_code TEXT NOT NULL,
    name         TEXT NOT NULL,
    commodity    TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'usulan',
    created_at   DATETIME NOT NULL,
    UNIQUE (village_code, name)
);

CREATE TABLE proposals (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    number             TEXT NOT NULL UNIQUE,
    fiscal_year        INTEGER NOT NULL,
    menu               TEXT NOT NULL CHECK (menu IN ('pembangunan','revitalisasi')),
    title              TEXT NOT NULL,
    region_code        TEXT NOT NULL,
    sentra_id          BIGINT REFERENCES sentra(id),
    state              TEXT NOT NULL,
    version            BIGINT NOT NULL DEFAULT 1,
    workflow           TEXT NOT NULL,
    workflow_version   INTEGER NOT NULL,
    content            TEXT NOT NULL,
    rk_content         TEXT NOT NULL DEFAULT '',
    revision           INTEGER NOT NULL DEFAULT 0,
    requested_amount   BIGINT NOT NULL DEFAULT 0 CHECK (requested_amount >= 0),
    recommended_amount BIGINT NOT NULL DEFAULT 0 CHECK (recommended_amount >= 0),
    allocated_amount   BIGINT NOT NULL DEFAULT 0 CHECK (allocated_amount >= 0),
    rk_amount          BIGINT NOT NULL DEFAULT 0 CHECK (rk_amount >= 0),
    disbursed_amount   BIGINT NOT NULL DEFAULT 0 CHECK (disbursed_amount >= 0),
    reviewer_id        BIGINT REFERENCES users(id),
    created_by         BIGINT NOT NULL REFERENCES users(id),
    created_at         DATETIME NOT NULL,
    updated_at         DATETIME NOT NULL,
    submitted_at       DATETIME,
    CHECK (disbursed_amount <= allocated_amount)
);
CREATE INDEX proposals_year_state ON proposals(fiscal_year, state);
CREATE INDEX proposals_region ON proposals(region_code);

-- Immutable snapshots frozen at each submission.
CREATE TABLE proposal_revisions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    proposal_id BIGINT NOT NULL REFERENCES proposals(id),
    number      INTEGER NOT NULL,
    content     TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    created_by  BIGINT NOT NULL REFERENCES users(id),
    created_at  DATETIME NOT NULL,
    UNIQUE (proposal_id, number)
);

CREATE TABLE disbursement_stages (
    proposal_id        BIGINT NOT NULL REFERENCES proposals(id),
    number             INTEGER NOT NULL,
    basis              TEXT NOT NULL,
    percent_bp         BIGINT NOT NULL DEFAULT 0,
    planned_amount     BIGINT NOT NULL DEFAULT 0,
    amount             BIGINT NOT NULL DEFAULT 0,
    state              TEXT NOT NULL DEFAULT 'pending',
    deadline           DATETIME NOT NULL,
    report             TEXT NOT NULL DEFAULT '',
    sp2d_number        TEXT UNIQUE,
    sp2d_date          DATETIME,
    paid_amount        BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (proposal_id, number)
);

CREATE TABLE attachments (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    proposal_id  BIGINT NOT NULL REFERENCES proposals(id),
    kind         TEXT NOT NULL,
    stage        INTEGER NOT NULL DEFAULT 0,
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    data         BLOB NOT NULL,
    uploaded_by  BIGINT NOT NULL REFERENCES users(id),
    created_at   DATETIME NOT NULL
);
CREATE INDEX attachments_proposal ON attachments(proposal_id);

CREATE TABLE documents (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    proposal_id BIGINT NOT NULL REFERENCES proposals(id),
    kind        TEXT NOT NULL,
    number      TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    size        BIGINT NOT NULL,
    verify_code TEXT NOT NULL UNIQUE,
    event_seq   INTEGER NOT NULL,
    issuer      TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL,
    pdf         BLOB NOT NULL
);
CREATE INDEX documents_proposal ON documents(proposal_id);

-- Gapless numbers: one counter row per kind and year, bumped inside the
-- business transaction (a sequence would leave gaps on rollback).
CREATE TABLE counters (
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    last BIGINT NOT NULL,
    PRIMARY KEY (kind, year)
);

-- Append-only audit trail; record holds the exact bytes that were hashed.
CREATE TABLE events (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    proposal_id      BIGINT NOT NULL REFERENCES proposals(id),
    seq              INTEGER NOT NULL,
    event            TEXT NOT NULL,
    from_state       TEXT NOT NULL,
    to_state         TEXT NOT NULL,
    actor_id         BIGINT,
    actor_name       TEXT NOT NULL,
    role             TEXT NOT NULL,
    at               DATETIME NOT NULL,
    comment          TEXT NOT NULL DEFAULT '',
    data             TEXT NOT NULL DEFAULT '{}',
    document_id      BIGINT REFERENCES documents(id),
    document_sha256  TEXT NOT NULL DEFAULT '',
    record           TEXT NOT NULL,
    prev_hash        TEXT NOT NULL,
    hash             TEXT NOT NULL,
    UNIQUE (proposal_id, seq)
);

-- The global chain links every event of every proposal in the order they
-- are linked after commit, so that no transition waits on one shared row.
CREATE TABLE global_chain (
    seq       BIGINT PRIMARY KEY,
    event_id  BIGINT NOT NULL UNIQUE REFERENCES events(id),
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL,
    linked_at DATETIME NOT NULL
);

CREATE TABLE idempotency_keys (
    user_id      BIGINT NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    body         TEXT NOT NULL,
    created_at   DATETIME NOT NULL,
    PRIMARY KEY (user_id, key)
);
