-- Two gaps of the sentra registry (issue 11).
--
-- 1. The photos of a use report (sentra_report_photos) are official files
-- like the documents and attachments: every download of one goes into the
-- access log (PRODUCT.md §5, every download by anyone recorded) as object
-- type sentra_photo, object_id the photo's id, with the sentra it belongs
-- to in sentra_id so that the line stands alone and links to the sentra.
-- SQLite cannot change a CHECK: the table is built anew beside the old one
-- with every row (ids kept), then takes its name, its indexes and its
-- append-only triggers (migration 0007). Nothing references access_log,
-- and dropping a table fires none of its triggers.
CREATE TABLE access_log_new (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    at            DATETIME NOT NULL,
    user_id       BIGINT NOT NULL REFERENCES users(id),
    user_name     TEXT NOT NULL,
    role          TEXT NOT NULL,
    action        TEXT NOT NULL CHECK (action IN ('download','export_request')),
    object_type   TEXT NOT NULL CHECK (object_type IN ('document','attachment','trail','trail_export','sentra_photo')),
    object_id     BIGINT NOT NULL,
    proposal_id   BIGINT REFERENCES proposals(id),
    remote_addr   TEXT NOT NULL DEFAULT '',
    forwarded_for TEXT NOT NULL DEFAULT '',
    request_id    TEXT NOT NULL DEFAULT '',
    sentra_id     BIGINT REFERENCES sentra(id)
);
INSERT INTO access_log_new (id, at, user_id, user_name, role, action, object_type, object_id, proposal_id,
    remote_addr, forwarded_for, request_id)
SELECT id, at, user_id, user_name, role, action, object_type, object_id, proposal_id,
    remote_addr, forwarded_for, request_id FROM access_log ORDER BY id;
DROP TABLE access_log;
ALTER TABLE access_log_new RENAME TO access_log;
CREATE INDEX access_log_at ON access_log(at);
CREATE INDEX access_log_user ON access_log(user_id, at);
CREATE INDEX access_log_proposal ON access_log(proposal_id, at);

CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'dakflow: UPDATE on access_log refused: the audit trail is append-only');
END;
CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'dakflow: DELETE on access_log refused: the audit trail is append-only');
END;

-- 2. One desa holds one sentra of a name, whatever its case (PRODUCT.md
-- §9; dak.SameSentraName): a unique index on (village_code, lower(name)).
-- The key UNIQUE (village_code, name) of migration 0001 is part of the
-- table's definition, which SQLite cannot alter, and sentra is referenced
-- by proposals, its history and its reports: it stays, implied by the new
-- index. SQLite has one writer, so registrations never raced here; the
-- index keeps the rule in the database all the same. SQLite's lower()
-- folds ASCII letters only. A database that already holds two names
-- differing only in case stops the migration with the index's UNIQUE
-- failure.
CREATE UNIQUE INDEX sentra_village_name_key ON sentra (village_code, lower(name));
