-- The sentra registry (issue 11, PRODUCT.md §9): a sentra is a record with
-- its own life — registered, built, used or abandoned — not only a name on
-- a proposal. Rows created by earlier versions (one per desa and name, from
-- proposals) keep their ids; their registry columns are filled from the
-- latest proposal that names them, and their status history starts with
-- the status they have.
ALTER TABLE sentra ADD COLUMN address          TEXT NOT NULL DEFAULT '';
ALTER TABLE sentra ADD COLUMN latitude         DOUBLE PRECISION;
ALTER TABLE sentra ADD COLUMN longitude        DOUBLE PRECISION;
ALTER TABLE sentra ADD COLUMN ikm_units        INTEGER NOT NULL DEFAULT 0 CHECK (ikm_units >= 0);
ALTER TABLE sentra ADD COLUMN workers          INTEGER NOT NULL DEFAULT 0 CHECK (workers >= 0);
ALTER TABLE sentra ADD COLUMN decree_number    TEXT NOT NULL DEFAULT '';
ALTER TABLE sentra ADD COLUMN decree_date      TEXT NOT NULL DEFAULT '';
ALTER TABLE sentra ADD COLUMN established_year INTEGER;
ALTER TABLE sentra ADD COLUMN status_date      TEXT NOT NULL DEFAULT '';
ALTER TABLE sentra ADD COLUMN status_basis     TEXT NOT NULL DEFAULT '';
ALTER TABLE sentra ADD COLUMN version          BIGINT NOT NULL DEFAULT 1;
ALTER TABLE sentra ADD COLUMN updated_at       TIMESTAMPTZ;
ALTER TABLE sentra ADD CONSTRAINT sentra_status CHECK
    (status IN ('usulan','dalam_pembangunan','aktif','kurang_aktif','tidak_aktif'));
CREATE INDEX sentra_region ON sentra(region_code);

UPDATE sentra s SET
    address       = COALESCE(p.content::json -> 'sentra' ->> 'address', ''),
    latitude      = (p.content::json -> 'sentra' ->> 'latitude')::double precision,
    longitude     = (p.content::json -> 'sentra' ->> 'longitude')::double precision,
    ikm_units     = COALESCE((p.content::json -> 'sentra' ->> 'ikm_units')::integer, 0),
    workers       = COALESCE((p.content::json -> 'sentra' ->> 'workers')::integer, 0),
    decree_number = COALESCE(p.content::json -> 'sentra' ->> 'decree_number', ''),
    decree_date   = COALESCE(p.content::json -> 'sentra' ->> 'decree_date', '')
FROM (SELECT DISTINCT ON (sentra_id) sentra_id, content FROM proposals
      WHERE sentra_id IS NOT NULL ORDER BY sentra_id, id DESC) p
WHERE p.sentra_id = s.id;
UPDATE sentra SET status_date = to_char(created_at AT TIME ZONE 'Asia/Jakarta', 'YYYY-MM-DD'),
    status_basis = 'Pendaftaran dari usulan', updated_at = created_at;
ALTER TABLE sentra ALTER COLUMN updated_at SET NOT NULL;

-- Every status a sentra has had, with its date and basis (a re-count, a
-- field visit, a step of the workflow): append-only, like the trail.
CREATE TABLE sentra_status_history (
    id          BIGSERIAL PRIMARY KEY,
    sentra_id   BIGINT NOT NULL REFERENCES sentra(id),
    status      TEXT NOT NULL CHECK (status IN ('usulan','dalam_pembangunan','aktif','kurang_aktif','tidak_aktif')),
    date        TEXT NOT NULL,
    basis       TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    by_user_id  BIGINT REFERENCES users(id),
    by_name     TEXT NOT NULL DEFAULT '',
    proposal_id BIGINT REFERENCES proposals(id),
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX sentra_status_history_sentra ON sentra_status_history(sentra_id, id);
INSERT INTO sentra_status_history (sentra_id, status, date, basis, note, by_name, created_at)
SELECT id, status, status_date, status_basis, '', '', created_at FROM sentra ORDER BY id;

-- Use after completion (pemanfaatan): one report per sentra and semester,
-- filed by the pemda for monitoring_years after its proposal completed.
CREATE TABLE sentra_reports (
    id                BIGSERIAL PRIMARY KEY,
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
    created_at        TIMESTAMPTZ NOT NULL,
    UNIQUE (sentra_id, period)
);

-- Photos of a report (attachment kind foto_pemanfaatan), with where they
-- were taken.
CREATE TABLE sentra_report_photos (
    id           BIGSERIAL PRIMARY KEY,
    report_id    BIGINT NOT NULL REFERENCES sentra_reports(id),
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    latitude     DOUBLE PRECISION,
    longitude    DOUBLE PRECISION,
    data         BYTEA NOT NULL,
    uploaded_by  BIGINT NOT NULL REFERENCES users(id),
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX sentra_report_photos_report ON sentra_report_photos(report_id);

CREATE TRIGGER sentra_status_history_append_only BEFORE UPDATE OR DELETE ON sentra_status_history
    FOR EACH ROW EXECUTE FUNCTION dakflow_append_only();
CREATE TRIGGER sentra_status_history_no_truncate BEFORE TRUNCATE ON sentra_status_history
    FOR EACH STATEMENT EXECUTE FUNCTION dakflow_append_only();

CREATE TRIGGER sentra_reports_append_only BEFORE UPDATE OR DELETE ON sentra_reports
    FOR EACH ROW EXECUTE FUNCTION dakflow_append_only();
CREATE TRIGGER sentra_reports_no_truncate BEFORE TRUNCATE ON sentra_reports
    FOR EACH STATEMENT EXECUTE FUNCTION dakflow_append_only();

CREATE TRIGGER sentra_report_photos_append_only BEFORE UPDATE OR DELETE ON sentra_report_photos
    FOR EACH ROW EXECUTE FUNCTION dakflow_append_only();
CREATE TRIGGER sentra_report_photos_no_truncate BEFORE TRUNCATE ON sentra_report_photos
    FOR EACH STATEMENT EXECUTE FUNCTION dakflow_append_only();
