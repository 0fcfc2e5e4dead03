-- Login attempts are counted per username and client address (issue: holds
-- under abuse), so that nobody can lock another person's account from
-- elsewhere; and usernames are unique without regard to case, so that
-- "Auditor1" and "auditor1" cannot be two accounts.
ALTER TABLE login_failures ADD COLUMN addr TEXT NOT NULL DEFAULT '';
CREATE INDEX login_failures_user_addr_at ON login_failures (username, addr, at);
CREATE UNIQUE INDEX users_username_lower ON users (LOWER(username));
