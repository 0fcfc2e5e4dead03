-- Notifications (issue 12 item 3, PRODUCT.md §10): every event tells the
-- people who must act next. A row per recipient is written in the event's
-- own transaction (internal/workflow/notify.go), so a refused event leaves
-- none and a committed one never loses its own. Read ones are pruned after
-- a while (store.Prune): they are no audit record, the events are.
CREATE TABLE notifications (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     BIGINT NOT NULL REFERENCES users(id),
    kind        TEXT NOT NULL,
    proposal_id BIGINT REFERENCES proposals(id),
    message     TEXT NOT NULL,
    created_at  DATETIME NOT NULL,
    read_at     DATETIME
);
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;

-- The mail outbox: one row per notification to send by e-mail, written
-- beside it only when SMTP is configured and the user wants mail. SQLite
-- has one writer, so the sender's claim needs no row lock there.
CREATE TABLE mail_outbox (
    notification_id BIGINT PRIMARY KEY REFERENCES notifications(id) ON DELETE CASCADE,
    to_address      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at DATETIME NOT NULL,
    sent_at         DATETIME,
    last_error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE sent_at IS NULL;

ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN email_notifications BOOLEAN NOT NULL DEFAULT TRUE;
