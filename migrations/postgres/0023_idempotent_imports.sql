-- A bulk import's commit (POST /api/v1/proposals/import and POST
-- /api/v1/sentra/import with commit=1) takes an Idempotency-Key too: a
-- pemda's client that lost the answer retries without importing the
-- workbook twice. Its answer is what it created, the drafts or the sentra
-- (their ids, a JSON array in the file's order), so an answer is now
-- exactly one of an event, a proposal, a photo, an import of proposals and
-- an import of sentra.
ALTER TABLE idempotency_keys ADD COLUMN imported_proposal_ids TEXT;
ALTER TABLE idempotency_keys ADD COLUMN imported_sentra_ids TEXT;
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_one_answer;
ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_one_answer
    CHECK (num_nonnulls(event_id, proposal_id, photo_id, imported_proposal_ids, imported_sentra_ids) = 1);
