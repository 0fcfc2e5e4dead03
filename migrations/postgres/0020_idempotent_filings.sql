-- A filing (POST /api/v1/proposals) and an upload (POST
-- /api/v1/proposals/{id}/attachments) take an Idempotency-Key too: a
-- pemda's system that lost the answer on deadline day retries without
-- filing the draft or storing the files twice. A filing's answer is the
-- proposal it filed, as an event's is the event it fired; an upload's is
-- the attachments it stored (their ids, a JSON array) on that proposal.
ALTER TABLE idempotency_keys ALTER COLUMN event_id DROP NOT NULL;
ALTER TABLE idempotency_keys ADD COLUMN proposal_id BIGINT REFERENCES proposals(id);
ALTER TABLE idempotency_keys ADD COLUMN attachment_ids TEXT;
ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_one_answer
    CHECK ((event_id IS NULL) <> (proposal_id IS NULL));
