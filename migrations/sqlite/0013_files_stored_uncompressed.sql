-- PostgreSQL only (its TOAST compression of PDFs, uploads and photos is
-- switched off); SQLite never compresses a BLOB. Kept so that both engines
-- list the same migrations.
SELECT 1;
