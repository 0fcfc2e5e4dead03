-- The answer to an Idempotency-Key is kept as the event its request fired
-- (issue 9, debt 9): a retry's reply is rebuilt from that event, its
-- document and the proposal, where the HTTP status and body used to be
-- rendered and stored inside the transaction. Answers stored as bodies
-- cannot be rebuilt and are dropped: they lived a week at most
-- (store.IdempotencyTTL), and a retry of one finds its proposal moved on
-- and is refused like any event fired twice, never carried out again.
DROP TABLE idempotency_keys;

CREATE TABLE idempotency_keys (
    user_id      BIGINT NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    event_id     BIGINT NOT NULL REFERENCES events(id),
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, key)
);
