-- A trail export (POST /api/v1/trail-exports) takes an Idempotency-Key
-- too: an auditor's script that lost the answer retries without queueing
-- the costly job twice (nor filling its cap of open exports). Its answer
-- is the export it queued, so an answer is now exactly one of an event, a
-- proposal, a photo, an import of proposals, an import of sentra and a
-- trail export.
ALTER TABLE idempotency_keys ADD COLUMN trail_export_id BIGINT REFERENCES trail_exports(id);
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_one_answer;
ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_one_answer
    CHECK (num_nonnulls(event_id, proposal_id, photo_id, imported_proposal_ids, imported_sentra_ids, trail_export_id) = 1);
