-- A sentra's registration (POST /api/v1/sentra), a use report (POST
-- /api/v1/sentra/{id}/reports), a status change (POST
-- /api/v1/sentra/{id}/status) and a field visit (POST
-- /api/v1/sentra/{id}/visits) take an Idempotency-Key too. A status change
-- and a visit each add a line to the sentra's status history, and a retry
-- (or a form sent twice) added it twice; a registration and a report sent
-- twice were refused the second time (the name taken, the period reported)
-- though the first had succeeded. Their answers are the sentra registered,
-- the report filed and the history line added, so an answer is now exactly
-- one of an event, a proposal, a photo, an import of proposals, an import of
-- sentra, a trail export, a sentra, a report and a history line.
-- SQLite cannot change a CHECK in place: the table is made anew.
CREATE TABLE idempotency_keys_new (
    user_id               BIGINT NOT NULL,
    key                   TEXT NOT NULL,
    request_hash          TEXT NOT NULL,
    event_id              BIGINT REFERENCES events(id),
    proposal_id           BIGINT REFERENCES proposals(id),
    attachment_ids        TEXT,
    created_at            DATETIME NOT NULL,
    photo_id              BIGINT REFERENCES sentra_report_photos(id),
    imported_proposal_ids TEXT,
    imported_sentra_ids   TEXT,
    trail_export_id       BIGINT REFERENCES trail_exports(id),
    sentra_id             BIGINT REFERENCES sentra(id),
    sentra_report_id      BIGINT REFERENCES sentra_reports(id),
    sentra_history_id     BIGINT REFERENCES sentra_status_history(id),
    PRIMARY KEY (user_id, key),
    CONSTRAINT idempotency_keys_one_answer
        CHECK ((event_id IS NOT NULL) + (proposal_id IS NOT NULL) + (photo_id IS NOT NULL)
            + (imported_proposal_ids IS NOT NULL) + (imported_sentra_ids IS NOT NULL)
            + (trail_export_id IS NOT NULL) + (sentra_id IS NOT NULL) + (sentra_report_id IS NOT NULL)
            + (sentra_history_id IS NOT NULL) = 1)
);
INSERT INTO idempotency_keys_new (user_id, key, request_hash, event_id, proposal_id, attachment_ids, created_at, photo_id,
        imported_proposal_ids, imported_sentra_ids, trail_export_id)
    SELECT user_id, key, request_hash, event_id, proposal_id, attachment_ids, created_at, photo_id,
        imported_proposal_ids, imported_sentra_ids, trail_export_id FROM idempotency_keys;
DROP TABLE idempotency_keys;
ALTER TABLE idempotency_keys_new RENAME TO idempotency_keys;
