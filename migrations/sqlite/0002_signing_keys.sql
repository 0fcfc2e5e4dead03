-- The server's Ed25519 key that signs audit trail exports. Kept in the
-- database so that every server process signs with the same key.
CREATE TABLE signing_keys (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    private_key TEXT NOT NULL,
    public_key  TEXT NOT NULL,
    created_at  DATETIME NOT NULL
);
