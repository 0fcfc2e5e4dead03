-- The fiscal-year calendar (issue 12, PRODUCT.md §10): when submission
-- opens (it closes at submission_deadline), the RK deadline and each
-- stage's document deadline, stored per year (defaults come from the
-- workflow file's calendar block when the admin opens a year). NULL: no
-- such limit. stage_deadlines is a JSON object, stage number to instant.
ALTER TABLE fiscal_years ADD COLUMN submission_opens TIMESTAMPTZ;
ALTER TABLE fiscal_years ADD COLUMN rk_deadline TIMESTAMPTZ;
ALTER TABLE fiscal_years ADD COLUMN stage_deadlines TEXT NOT NULL DEFAULT '{}';

-- One row per reminder sent: its unique key is what keeps a rerun of the
-- scheduler, or a second process, from reminding twice of one deadline.
CREATE TABLE reminders (
    kind        TEXT NOT NULL,   -- submission, rk, stage_1, stage_2, ...
    proposal_id BIGINT NOT NULL REFERENCES proposals(id),
    days        INTEGER NOT NULL,
    deadline    TIMESTAMPTZ NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (kind, proposal_id, days)
);
