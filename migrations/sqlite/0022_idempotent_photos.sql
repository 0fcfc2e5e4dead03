-- A use report's photo (POST /api/v1/sentra/{id}/reports/{rid}/photos)
-- takes an Idempotency-Key too: a pemda's client that lost the answer
-- retries without storing the photo twice. Its answer is the photo it
-- stored, which belongs to no proposal, so an answer is now exactly one of
-- an event, a proposal (a filing's, or an upload's attachments on it) and
-- a photo.
-- SQLite cannot change a CHECK in place: the table is made anew.
CREATE TABLE idempotency_keys_new (
    user_id        BIGINT NOT NULL,
    key            TEXT NOT NULL,
    request_hash   TEXT NOT NULL,
    event_id       BIGINT REFERENCES events(id),
    proposal_id    BIGINT REFERENCES proposals(id),
    attachment_ids TEXT,
    created_at     DATETIME NOT NULL,
    photo_id       BIGINT REFERENCES sentra_report_photos(id),
    PRIMARY KEY (user_id, key),
    CONSTRAINT idempotency_keys_one_answer
        CHECK ((event_id IS NOT NULL) + (proposal_id IS NOT NULL) + (photo_id IS NOT NULL) = 1)
);
INSERT INTO idempotency_keys_new (user_id, key, request_hash, event_id, proposal_id, attachment_ids, created_at)
    SELECT user_id, key, request_hash, event_id, proposal_id, attachment_ids, created_at FROM idempotency_keys;
DROP TABLE idempotency_keys;
ALTER TABLE idempotency_keys_new RENAME TO idempotency_keys;
