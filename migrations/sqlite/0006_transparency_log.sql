-- The global log as a Merkle tree and its signed checkpoints (PRODUCT.md §5,
-- issue 8), in the manner of Certificate Transparency and Go's checksum
-- database (golang.org/x/mod/sumdb/tlog).
--
-- global_chain stays the ordered list of leaves: leaf i (0-based) is the
-- event of seq i+1, and its data is that event's chain hash (64 hex
-- characters). log_hashes holds what tlog needs to prove anything about the
-- tree: the hashes tlog.StoredHashes returns as each leaf is added, at their
-- stored-hash index. The linker (internal/store/chain.go) writes both in
-- one transaction, one linker at a time; a database migrated from before
-- this file has chain rows without hashes, and the linker adds them to the
-- tree first, in order, so nothing already linked is lost.
CREATE TABLE log_hashes (
    idx  BIGINT PRIMARY KEY CHECK (idx >= 0),
    hash BLOB NOT NULL CHECK (typeof(hash) = 'blob' AND length(hash) = 32)
);

-- Every checkpoint the server signed: tree size, root hash and time as a
-- signed note (internal/translog), byte for byte. One per tree size and key.
CREATE TABLE log_checkpoints (
    tree_size  BIGINT NOT NULL CHECK (tree_size > 0),
    key_id     TEXT NOT NULL,
    root_hash  TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    note       TEXT NOT NULL,
    PRIMARY KEY (tree_size, key_id)
);

-- The log and its checkpoints are append-only (SQLite has no TRUNCATE;
-- DELETE FROM t fires the delete trigger).
CREATE TRIGGER global_chain_no_update BEFORE UPDATE ON global_chain
BEGIN
    SELECT RAISE(ABORT, 'dakflow: UPDATE on global_chain refused: the audit trail is append-only');
END;
CREATE TRIGGER global_chain_no_delete BEFORE DELETE ON global_chain
BEGIN
    SELECT RAISE(ABORT, 'dakflow: DELETE on global_chain refused: the audit trail is append-only');
END;
CREATE TRIGGER log_hashes_no_update BEFORE UPDATE ON log_hashes
BEGIN
    SELECT RAISE(ABORT, 'dakflow: UPDATE on log_hashes refused: the audit trail is append-only');
END;
CREATE TRIGGER log_hashes_no_delete BEFORE DELETE ON log_hashes
BEGIN
    SELECT RAISE(ABORT, 'dakflow: DELETE on log_hashes refused: the audit trail is append-only');
END;
CREATE TRIGGER log_checkpoints_no_update BEFORE UPDATE ON log_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'dakflow: UPDATE on log_checkpoints refused: the audit trail is append-only');
END;
CREATE TRIGGER log_checkpoints_no_delete BEFORE DELETE ON log_checkpoints
BEGIN
    SELECT RAISE(ABORT, 'dakflow: DELETE on log_checkpoints refused: the audit trail is append-only');
END;

-- The signing key leaves the database. Its private half was readable by
-- every database operator and every backup, so it is destroyed here, not
-- moved: the server signs with a key file from now on (internal/keyring),
-- and on its first start lists this key's public half as retired, so that
-- trails it signed before still verify, then deletes the row.
ALTER TABLE signing_keys DROP COLUMN private_key;
