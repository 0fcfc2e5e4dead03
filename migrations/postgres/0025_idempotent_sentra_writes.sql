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
ALTER TABLE idempotency_keys ADD COLUMN sentra_id BIGINT REFERENCES sentra(id);
ALTER TABLE idempotency_keys ADD COLUMN sentra_report_id BIGINT REFERENCES sentra_reports(id);
ALTER TABLE idempotency_keys ADD COLUMN sentra_history_id BIGINT REFERENCES sentra_status_history(id);
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_one_answer;
ALTER TABLE idempotency_keys ADD CONSTRAINT idempotency_keys_one_answer
    CHECK (num_nonnulls(event_id, proposal_id, photo_id, imported_proposal_ids, imported_sentra_ids, trail_export_id,
        sentra_id, sentra_report_id, sentra_history_id) = 1);
