-- A filing (POST /api/v1/proposals) takes an Idempotency-Key too: a
-- pemda's system that lost the answer on deadline day retries without
-- filing the draft twice. Its answer is the proposal it filed, as an
-- event's answer is the event it fired: exactly one of the two.
ALTER TABLE idempotency_keys ALTER COLUMN event_id DROP NOT NULL;
ALTER TABLE idempotency_keys ADD COLUMN proposal_id BIGINT REFERENCES proposals(id);
ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_one_answer
    CHECK ((event_id IS NULL) <> (proposal_id IS NULL));
