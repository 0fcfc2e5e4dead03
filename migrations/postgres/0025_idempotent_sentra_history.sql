-- A sentra's status change (POST /api/v1/sentra/{id}/status) and a field
-- visit (POST /api/v1/sentra/{id}/visits) take an Idempotency-Key too: each
-- adds a line to the sentra's status history, and a retry (or a form sent
-- twice) added it twice. Their answer is the history line they added, so an
-- answer is now exactly one of an event, a proposal, a photo, an import of
-- proposals, an import of sentra, a trail export and a history line.
ALTER TABLE idempotency_keys ADD COLUMN sentra_history_id BIGINT REFERENCES sentra_status_history(id);
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_one_answer;
ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_one_answer
    CHECK (num_nonnulls(event_id, proposal_id, photo_id, imported_proposal_ids, imported_sentra_ids, trail_export_id,
        sentra_history_id) = 1);
