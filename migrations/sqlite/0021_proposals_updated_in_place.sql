-- PostgreSQL only (its indexes kept off the columns a transition writes,
-- so that a transition updates its row in place); SQLite has no such
-- update and keeps its index on (fiscal_year, state). Kept so that both
-- engines list the same migrations.
SELECT 1;
