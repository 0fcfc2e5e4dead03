-- PostgreSQL drops the foreign key notifications.user_id → users here (its
-- check locked each notified verifier's account row at every submission:
-- see migrations/postgres/0027). SQLite keeps it (it locks no row to
-- check it); both refuse to delete an account: accounts are disabled,
-- never deleted, so no notification is left naming one that is gone.
CREATE TRIGGER users_never_deleted BEFORE DELETE ON users
BEGIN
    SELECT RAISE(ABORT, 'dakflow: DELETE on users refused: an account is disabled, never deleted');
END;
