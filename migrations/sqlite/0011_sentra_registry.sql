-- The sentra registry (issue 11, PRODUCT.md §9): a sentra is a record with
-- its own life — registered, built, used or abandoned — not only a name on
-- a proposal. Rows created by earlier versions (one per desa and name, from
-- proposals) keep their ids; their registry columns are filled from the
-- latest proposal that names them, and their status history starts with
-- the status they have.
ALTER TABLE sentra ADD COLUMN address          TEXT NOT NULL DEFAULT '';
ALTER TABLE sentra ADD COLUMN latitude         REAL;
ALTER TABLE sentra ADD COLUMN longitude        REAL;
ALTER TABLE sentra ADD COLUMN ikm_units        INTEGER NOT NULL DEFAULT 0 CHECK (ikm_units >= 0);
ALTER TABLE sentra ADD COLUMN workers          INTEGER NOT NULL DEFAULT 0 CHECK (workers >= 0);
ALTER TABLE sentra ADD COLUMN decree_number    TEXT NOT NULL DEFAULT '';
ALTER TABLE sentra ADD COLUMN decree_date      TEXT NOT NULL DEFAULT '';
ALTER TABLE sentra ADD COLUMN established_year INTEGER;
ALTER TABLE sentra ADD COLUMN status_date      TEXT NOT NULL DEFAULT '';
ALTER TABLE sentra ADD COLUMN status_basis     TEXT NOT NULL DEFAULT '';
ALTER TABLE sentra ADD COLUMN version          BIGINT NOT NULL DEFAULT 1;
ALTER TABLE sentra ADD COLUMN updated_at       DATETIME;
-- SQLite cannot add a table constraint to an existing table: triggers keep
-- the status to the five of PRODUCT.md §9.
CREATE TRIGGER sentra_status_insert BEFORE INSERT ON sentra
WHEN NEW.status NOT IN ('usulan','dalam_pembangunan','aktif','kurang_aktif','tidak_aktif')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: sentra_status'); END;
CREATE TRIGGER sentra_status_update BEFORE UPDATE OF status ON sentra
WHEN NEW.status NOT IN ('usulan','dalam_pembangunan','aktif','kurang_aktif','tidak_aktif')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: sentra_status'); END;
CREATE INDEX sentra_region ON sentra(region_code);

UPDATE sentra SET (address, latitude, longitude, ikm_units, workers, decree_number, decree_date) = (
    SELECT COALESCE(json_extract(p.content, '$.sentra.address'), ''),
           json_extract(p.content, '$.sentra.latitude'),
           json_extract(p.content, '$.sentra.longitude'),
           COALESCE(json_extract(p.content, '$.sentra.ikm_units'), 0),
           COALESCE(json_extract(p.content, '$.sentra.workers'), 0),
           COALESCE(json_extract(p.content, '$.sentra.decree_number'), ''),
           COALESCE(json_extract(p.content, '$.sentra.decree_date'), '')
    FROM proposals p WHERE p.sentra_id = sentra.id ORDER BY p.id DESC LIMIT 1)
WHERE EXISTS (SELECT 1 FROM proposals p WHERE p.sentra_id = sentra.id);
-- SQLite cannot make a column NOT NULL afterwards: every row gets its time here
-- and the store always writes it.
UPDATE sentra SET status_date = date(created_at, '+7 hours'),
    status_basis = 'Pendaftaran dari usulan', updated_at = created_at;

-- Every status a sentra has had, with its date and basis (a re-count, a
-- field visit, a step of the workflow): append-only, like the trail.
CREATE TABLE sentra_status_history (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    sentra_id   BIGINT NOT NULL REFERENCES sentra(id),
    status      TEXT NOT NULL CHECK (status IN ('usulan','dalam_pembangunan','aktif','kurang_aktif','tidak_aktif')),
    date        TEXT NOT NULL,
    basis       TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    by_user_id  BIGINT REFERENCES users(id),
    by_name     TEXT NOT NULL DEFAULT '',
    proposal_id BIGINT REFERENCES proposals(id),
    created_at  DATETIME NOT NULL
);
CREATE INDEX sentra_status_history_sentra ON sentra_status_history(sentra_id, id);
INSERT INTO sentra_status_history (sentra_id, status, date, basis, note, by_name, created_at)
SELECT id, status, status_date, status_basis, '', '', created_at FROM sentra ORDER BY id;

-- Use after completion (pemanfaatan): one report per sentra and semester,
-- filed by the pemda for monitoring_years after its proposal completed.
CREATE TABLE sentra_reports (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    sentra_id         BIGINT NOT NULL REFERENCES sentra(id),
    period            TEXT NOT NULL,
    ikm_using         INTEGER NOT NULL CHECK (ikm_using >= 0),
    workers           INTEGER NOT NULL CHECK (workers >= 0),
    production_value  BIGINT NOT NULL CHECK (production_value >= 0),
    occupancy_percent INTEGER NOT NULL CHECK (occupancy_percent BETWEEN 0 AND 100),
    condition         TEXT NOT NULL CHECK (condition IN ('baik','rusak_ringan','rusak_berat')),
    operating_budget  BIGINT NOT NULL CHECK (operating_budget >= 0),
    issues            TEXT NOT NULL DEFAULT '',
    filed_by          BIGINT NOT NULL REFERENCES users(id),
    created_at        DATETIME NOT NULL,
    UNIQUE (sentra_id, period)
);

-- Photos of a report (attachment kind foto_pemanfaatan), with where they
-- were taken.
CREATE TABLE sentra_report_photos (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id    BIGINT NOT NULL REFERENCES sentra_reports(id),
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    latitude     REAL,
    longitude    REAL,
    data         BLOB NOT NULL,
    uploaded_by  BIGINT NOT NULL REFERENCES users(id),
    created_at   DATETIME NOT NULL
);
CREATE INDEX sentra_report_photos_report ON sentra_report_photos(report_id);

CREATE TRIGGER sentra_status_history_no_update BEFORE UPDATE ON sentra_status_history
BEGIN
    SELECT RAISE(ABORT, 'dakflow: UPDATE on sentra_status_history refused: the audit trail is append-only');
END;
CREATE TRIGGER sentra_status_history_no_delete BEFORE DELETE ON sentra_status_history
BEGIN
    SELECT RAISE(ABORT, 'dakflow: DELETE on sentra_status_history refused: the audit trail is append-only');
END;

CREATE TRIGGER sentra_reports_no_update BEFORE UPDATE ON sentra_reports
BEGIN
    SELECT RAISE(ABORT, 'dakflow: UPDATE on sentra_reports refused: the audit trail is append-only');
END;
CREATE TRIGGER sentra_reports_no_delete BEFORE DELETE ON sentra_reports
BEGIN
    SELECT RAISE(ABORT, 'dakflow: DELETE on sentra_reports refused: the audit trail is append-only');
END;

CREATE TRIGGER sentra_report_photos_no_update BEFORE UPDATE ON sentra_report_photos
BEGIN
    SELECT RAISE(ABORT, 'dakflow: UPDATE on sentra_report_photos refused: the audit trail is append-only');
END;
CREATE TRIGGER sentra_report_photos_no_delete BEFORE DELETE ON sentra_report_photos
BEGIN
    SELECT RAISE(ABORT, 'dakflow: DELETE on sentra_report_photos refused: the audit trail is append-only');
END;
