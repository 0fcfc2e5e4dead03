-- The access log (PRODUCT.md §5, "every download by anyone recorded (who,
-- what, when) and visible to auditors"; issue 8): one row per download of
-- a document PDF, an attachment, a trail or a trail export, and per export
-- requested, written in the same request before the bytes go out. It is
-- append-only like the trail itself: UPDATE, DELETE and TRUNCATE are
-- refused for every role by dakflow_append_only() (migration 0005), so an
-- operator cannot quietly remove a line about who read what.
-- user_name and role are copied at the time: the line stands alone even if
-- the account is later renamed or disabled. remote_addr is the peer of the
-- connection; forwarded_for is what X-Forwarded-For claimed, kept apart.
CREATE TABLE access_log (
    id            BIGSERIAL PRIMARY KEY,
    at            TIMESTAMPTZ NOT NULL,
    user_id       BIGINT NOT NULL REFERENCES users(id),
    user_name     TEXT NOT NULL,
    role          TEXT NOT NULL,
    action        TEXT NOT NULL CHECK (action IN ('download','export_request')),
    object_type   TEXT NOT NULL CHECK (object_type IN ('document','attachment','trail','trail_export')),
    object_id     BIGINT NOT NULL,
    proposal_id   BIGINT REFERENCES proposals(id),
    remote_addr   TEXT NOT NULL DEFAULT '',
    forwarded_for TEXT NOT NULL DEFAULT '',
    request_id    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX access_log_at ON access_log(at);
CREATE INDEX access_log_user ON access_log(user_id, at);
CREATE INDEX access_log_proposal ON access_log(proposal_id, at);

CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log
    FOR EACH ROW EXECUTE FUNCTION dakflow_append_only();
CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log
    FOR EACH STATEMENT EXECUTE FUNCTION dakflow_append_only();
