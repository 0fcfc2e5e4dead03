-- A region's or a fiscal year's trails as one ZIP, built in the background
-- (PRODUCT.md §5, issue 8). The job lives here, not in a server process:
-- any `dakflow serve` claims a queued job with one conditional UPDATE,
-- says it still holds it by moving heartbeat_at, and a job whose heartbeat
-- is older than the lease (its process died) is claimed again from the
-- start, or failed after too many attempts. The finished ZIP is a file
-- under the data directory: file_name, its size and SHA-256 are here.
CREATE TABLE trail_exports (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    region_code  TEXT NOT NULL DEFAULT '',
    fiscal_year  INTEGER NOT NULL DEFAULT 0,
    state        TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued','running','done','failed')),
    total        INTEGER NOT NULL DEFAULT 0 CHECK (total >= 0),
    done         INTEGER NOT NULL DEFAULT 0 CHECK (done >= 0),
    problems     INTEGER NOT NULL DEFAULT 0 CHECK (problems >= 0),
    attempts     INTEGER NOT NULL DEFAULT 0,
    requested_by BIGINT NOT NULL REFERENCES users(id),
    created_at   DATETIME NOT NULL,
    started_at   DATETIME,
    finished_at  DATETIME,
    worker       TEXT NOT NULL DEFAULT '',
    heartbeat_at DATETIME,
    file_name    TEXT NOT NULL DEFAULT '',
    size         BIGINT NOT NULL DEFAULT 0,
    sha256       TEXT NOT NULL DEFAULT '',
    error        TEXT NOT NULL DEFAULT '',
    CHECK (region_code <> '' OR fiscal_year <> 0),
    CHECK (done <= total)
);
CREATE INDEX trail_exports_state ON trail_exports(state, id);
CREATE INDEX trail_exports_requested_by ON trail_exports(requested_by, state);

-- The auditor's search (proposals by who fired an event on them and when)
-- reads events by actor and by time.
CREATE INDEX events_actor ON events(actor_id);
CREATE INDEX events_at ON events(at);
