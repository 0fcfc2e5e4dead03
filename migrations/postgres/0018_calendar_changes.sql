-- Every change of a fiscal year's calendar (issue 12, PRODUCT.md §10) as a
-- dated record, as ceiling_changes (0015) keeps those of the ceilings:
-- what changed (submission_opens, submission_closes, rk_deadline, or
-- stage_deadline with its stage number), the old and the new instant (NULL:
-- no limit; old_at NULL on a year's first calendar), how many planned
-- stages took a changed stage deadline, the reason and legal basis, and
-- who — with the name they had then. Append-only like the audit trail
-- (0005): the history is evidence.
CREATE TABLE calendar_changes (
    id              BIGSERIAL PRIMARY KEY,
    year            INTEGER NOT NULL REFERENCES fiscal_years(year),
    what            TEXT NOT NULL CHECK (what IN ('submission_opens','submission_closes','rk_deadline','stage_deadline')),
    stage           INTEGER CHECK ((what = 'stage_deadline') = (stage IS NOT NULL)),
    old_at          TIMESTAMPTZ,
    new_at          TIMESTAMPTZ,
    stages_moved    INTEGER CHECK (stages_moved >= 0),
    reason          TEXT NOT NULL DEFAULT '',
    legal_basis     TEXT NOT NULL DEFAULT '',
    changed_by      BIGINT REFERENCES users(id),
    changed_by_name TEXT NOT NULL DEFAULT '',
    changed_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX calendar_changes_year ON calendar_changes (year, id);

CREATE TRIGGER calendar_changes_append_only BEFORE UPDATE OR DELETE ON calendar_changes
    FOR EACH ROW EXECUTE FUNCTION dakflow_append_only();
CREATE TRIGGER calendar_changes_no_truncate BEFORE TRUNCATE ON calendar_changes
    FOR EACH STATEMENT EXECUTE FUNCTION dakflow_append_only();
