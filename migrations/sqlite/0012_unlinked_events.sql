-- The global chain's linker (store.LinkGlobal) found the events still to
-- link with an anti-join of events against global_chain: a scan of every
-- event ever recorded, run after every transition — 100 ms at 13,000
-- events under load, growing with the trail. Instead each new event is
-- queued here by a trigger, in the transaction that records it (so no code
-- path can record an event without queueing it), and the linker takes the
-- queue in id order and empties what it linked. The queue is no audit
-- record: what is linked lives in global_chain; `audit verify` still checks
-- every event against the chain, so an event dropped from the queue is
-- found as unlinked there. No foreign key: the queue must never stand in
-- the way of what the trail checks would catch.
CREATE TABLE unlinked_events (
    event_id BIGINT PRIMARY KEY
);

INSERT INTO unlinked_events (event_id)
SELECT e.id FROM events e LEFT JOIN global_chain g ON g.event_id = e.id WHERE g.event_id IS NULL;

CREATE TRIGGER events_queue_link AFTER INSERT ON events
BEGIN
    INSERT INTO unlinked_events (event_id) VALUES (NEW.id);
END;
