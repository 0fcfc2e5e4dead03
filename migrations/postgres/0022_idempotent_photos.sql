-- A use report's photo (POST /api/v1/sentra/{id}/reports/{rid}/photos)
-- takes an Idempotency-Key too: a pemda's client that lost the answer
-- retries without storing the photo twice. Its answer is the photo it
-- stored, which belongs to no proposal, so an answer is now exactly one of
-- an event, a proposal (a filing's, or an upload's attachments on it) and
-- a photo.
ALTER TABLE idempotency_keys ADD COLUMN photo_id BIGINT REFERENCES sentra_report_photos(id);
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_one_answer;
ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_one_answer
    CHECK (num_nonnulls(event_id, proposal_id, photo_id) = 1);
