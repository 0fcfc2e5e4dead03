-- Indicative ceilings per region inside a fiscal year (issue 12 item 1,
-- PRODUCT.md §10): a province or a kabupaten/kota. Like the national and
-- menu ceilings, committed moves only through a conditional UPDATE in the
-- allocation's transaction, and the CHECK makes an overspend impossible.
CREATE TABLE region_ceilings (
    year        INTEGER NOT NULL REFERENCES fiscal_years(year),
    region_code TEXT NOT NULL,
    ceiling     BIGINT NOT NULL CHECK (ceiling >= 0),
    committed   BIGINT NOT NULL DEFAULT 0 CHECK (committed >= 0),
    PRIMARY KEY (year, region_code),
    CHECK (committed <= ceiling)
);

-- Every change of a ceiling (national, menu, region) as a dated record
-- with its reason and legal basis. old_ceiling is NULL on the first setting
-- and new_ceiling 0 when a menu's or region's ceiling is removed.
-- Append-only like the audit trail (0005): the history is evidence.
CREATE TABLE ceiling_changes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    year          INTEGER NOT NULL REFERENCES fiscal_years(year),
    scope         TEXT NOT NULL CHECK (scope IN ('national','menu','region')),
    scope_key     TEXT NOT NULL DEFAULT '',
    old_ceiling   BIGINT,
    new_ceiling   BIGINT NOT NULL CHECK (new_ceiling >= 0),
    change_reason TEXT NOT NULL DEFAULT '',
    legal_basis   TEXT NOT NULL DEFAULT '',
    changed_by    BIGINT REFERENCES users(id),
    changed_at    DATETIME NOT NULL
);
CREATE INDEX ceiling_changes_year ON ceiling_changes (year, id);

CREATE TRIGGER ceiling_changes_no_update BEFORE UPDATE ON ceiling_changes
BEGIN
    SELECT RAISE(ABORT, 'dakflow: UPDATE on ceiling_changes refused: the audit trail is append-only');
END;
CREATE TRIGGER ceiling_changes_no_delete BEFORE DELETE ON ceiling_changes
BEGIN
    SELECT RAISE(ABORT, 'dakflow: DELETE on ceiling_changes refused: the audit trail is append-only');
END;
