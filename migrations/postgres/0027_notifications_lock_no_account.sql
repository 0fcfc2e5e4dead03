-- A submission tells every enabled verifier (PRODUCT.md §10, the
-- verifiers' pool) with a notification row of its own, in the submission's
-- own statement. The foreign key notifications.user_id → users checked
-- each row by locking the verifier's account row (FOR KEY SHARE): every
-- concurrent submission locked the same accounts, so each lock wrote a WAL
-- record, dirtied the account's page and, with other submissions holding
-- it, made a new multixact. With 30 verifiers on deadline day (200
-- clients) that cost PostgreSQL half a millisecond of CPU per submission
-- (3.70 against 3.19 ms on average) and 14 % of the submissions a second;
-- a trigger checking the account without the lock cost more than the key.
--
-- Notifications are no audit record (the events are), and the accounts
-- they name are read in the same transaction. What the key guarded after
-- the insert — an account deleted under its notifications — cannot happen:
-- accounts are disabled, never deleted, and the database now refuses to
-- delete one. SQLite keeps the key: it locks no row to check it.
ALTER TABLE notifications DROP CONSTRAINT notifications_user_id_fkey;

CREATE FUNCTION dakflow_accounts_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'dakflow: % on users refused: an account is disabled, never deleted', TG_OP
        USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER users_never_deleted BEFORE DELETE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION dakflow_accounts_kept();
CREATE TRIGGER users_no_truncate BEFORE TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION dakflow_accounts_kept();
