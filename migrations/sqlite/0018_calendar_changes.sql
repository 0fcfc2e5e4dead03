-- Every change of a fiscal year's calendar (issue 12, PRODUCT.md §10) as a
-- dated record, as ceiling_changes (0015) keeps those of the ceilings:
-- what changed (submission_opens, submission_closes, rk_deadline, or
-- stage_deadline with its stage number), the old and the new instant (NULL:
-- no limit; old_at NULL on a year's first calendar), how many planned
-- stages took a changed stage deadline, the reason and legal basis, and
-- who — with the name they had then. Append-only like the audit trail
-- (0005): the history is evidence.
CREATE TABLE calendar_changes (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    year            INTEGER NOT NULL REFERENCES fiscal_years(year),
    what            TEXT NOT NULL CHECK (what IN ('submission_opens','submission_closes','rk_deadline','stage_deadline')),
    stage           INTEGER CHECK ((what = 'stage_deadline') = (stage IS NOT NULL)),
    old_at          DATETIME,
    new_at          DATETIME,
    stages_moved    INTEGER CHECK (stages_moved >= 0),
    reason          TEXT NOT NULL DEFAULT '',
    legal_basis     TEXT NOT NULL DEFAULT '',
    changed_by      BIGINT REFERENCES users(id),
    changed_by_name TEXT NOT NULL DEFAULT '',
    changed_at      DATETIME NOT NULL
);
CREATE INDEX calendar_changes_year ON calendar_changes (year, id);

CREATE TRIGGER calendar_changes_no_update BEFORE UPDATE ON calendar_changes
BEGIN
    SELECT RAISE(ABORT, 'dakflow: UPDATE on calendar_changes refused: the audit trail is append-only');
END;
CREATE TRIGGER calendar_changes_no_delete BEFORE DELETE ON calendar_changes
BEGIN
    SELECT RAISE(ABORT, 'dakflow: DELETE on calendar_changes refused: the audit trail is append-only');
END;
