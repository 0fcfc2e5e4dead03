-- PDFs, uploads and photos are compressed already: PostgreSQL's TOAST
-- tried to compress each one again on every insert (pglz over 8 KiB to
-- 32 MiB, for nothing), inside the window in which a document kind's
-- counter row is held. EXTERNAL keeps them out of line, uncompressed.
-- Existing rows are untouched; new ones are stored this way.
ALTER TABLE documents ALTER COLUMN pdf SET STORAGE EXTERNAL;
ALTER TABLE attachments ALTER COLUMN data SET STORAGE EXTERNAL;
ALTER TABLE sentra_report_photos ALTER COLUMN data SET STORAGE EXTERNAL;
