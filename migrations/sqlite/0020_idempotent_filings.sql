-- A filing (POST /api/v1/proposals) and an upload (POST
-- /api/v1/proposals/{id}/attachments) take an Idempotency-Key too: a
-- pemda's system that lost the answer on deadline day retries without
-- filing the draft or storing the files twice. A filing's answer is the
-- proposal it filed, as an event's is the event it fired; an upload's is
-- the attachments it stored (their ids, a JSON array) on that proposal.
-- SQLite cannot drop a NOT NULL in place: the table is made anew.
CREATE TABLE idempotency_keys_new (
    user_id        BIGINT NOT NULL,
    key            TEXT NOT NULL,
    request_hash   TEXT NOT NULL,
    event_id       BIGINT REFERENCES events(id),
    proposal_id    BIGINT REFERENCES proposals(id),
    attachment_ids TEXT,
    created_at     DATETIME NOT NULL,
    PRIMARY KEY (user_id, key),
    CONSTRAINT idempotency_keys_one_answer CHECK ((event_id IS NULL) <> (proposal_id IS NULL))
);
INSERT INTO idempotency_keys_new (user_id, key, request_hash, event_id, created_at)
    SELECT user_id, key, request_hash, event_id, created_at FROM idempotency_keys;
DROP TABLE idempotency_keys;
ALTER TABLE idempotency_keys_new RENAME TO idempotency_keys;
