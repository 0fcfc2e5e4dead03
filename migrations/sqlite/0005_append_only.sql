-- The audit trail is append-only, enforced by the database itself
-- (PRODUCT.md §5, issue 8): UPDATE and DELETE of the tables that hold what
-- happened are refused (SQLite has no TRUNCATE; DELETE FROM t fires the
-- delete trigger). Only dropping a trigger gets past it — and then the
-- hashed records, the chains and `dakflow audit verify` catch the edit.
-- The error text carries "append-only", which the store maps to
-- dak.ErrIntegrity.

CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'dakflow: UPDATE on events refused: the audit trail is append-only');
END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'dakflow: DELETE on events refused: the audit trail is append-only');
END;

CREATE TRIGGER documents_no_update BEFORE UPDATE ON documents
BEGIN
    SELECT RAISE(ABORT, 'dakflow: UPDATE on documents refused: the audit trail is append-only');
END;
CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents
BEGIN
    SELECT RAISE(ABORT, 'dakflow: DELETE on documents refused: the audit trail is append-only');
END;

CREATE TRIGGER proposal_revisions_no_update BEFORE UPDATE ON proposal_revisions
BEGIN
    SELECT RAISE(ABORT, 'dakflow: UPDATE on proposal_revisions refused: the audit trail is append-only');
END;
CREATE TRIGGER proposal_revisions_no_delete BEFORE DELETE ON proposal_revisions
BEGIN
    SELECT RAISE(ABORT, 'dakflow: DELETE on proposal_revisions refused: the audit trail is append-only');
END;

CREATE TRIGGER attachments_no_update BEFORE UPDATE ON attachments
BEGIN
    SELECT RAISE(ABORT, 'dakflow: UPDATE on attachments refused: the audit trail is append-only');
END;
CREATE TRIGGER attachments_no_delete BEFORE DELETE ON attachments
BEGIN
    SELECT RAISE(ABORT, 'dakflow: DELETE on attachments refused: the audit trail is append-only');
END;
