-- The audit trail is append-only, enforced by the database itself
-- (PRODUCT.md §5, issue 8): UPDATE, DELETE and TRUNCATE of the tables that
-- hold what happened are refused for every role, the tables' owner
-- included (row triggers fire for the owner; only disabling or dropping the
-- trigger, which needs the owner's DDL rights, gets past them — and then
-- the hashed records, the chains and `dakflow audit verify` catch the edit).
-- events: the hashed records; documents: the issued PDFs they hash;
-- proposal_revisions: content frozen at each submission; attachments:
-- uploaded evidence. The error text carries "append-only", which the store
-- maps to dak.ErrIntegrity.

CREATE FUNCTION dakflow_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'dakflow: % on % refused: the audit trail is append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION dakflow_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION dakflow_append_only();

CREATE TRIGGER documents_append_only BEFORE UPDATE OR DELETE ON documents
    FOR EACH ROW EXECUTE FUNCTION dakflow_append_only();
CREATE TRIGGER documents_no_truncate BEFORE TRUNCATE ON documents
    FOR EACH STATEMENT EXECUTE FUNCTION dakflow_append_only();

CREATE TRIGGER proposal_revisions_append_only BEFORE UPDATE OR DELETE ON proposal_revisions
    FOR EACH ROW EXECUTE FUNCTION dakflow_append_only();
CREATE TRIGGER proposal_revisions_no_truncate BEFORE TRUNCATE ON proposal_revisions
    FOR EACH STATEMENT EXECUTE FUNCTION dakflow_append_only();

CREATE TRIGGER attachments_append_only BEFORE UPDATE OR DELETE ON attachments
    FOR EACH ROW EXECUTE FUNCTION dakflow_append_only();
CREATE TRIGGER attachments_no_truncate BEFORE TRUNCATE ON attachments
    FOR EACH STATEMENT EXECUTE FUNCTION dakflow_append_only();
