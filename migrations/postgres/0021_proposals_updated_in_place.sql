-- Every transition updates its proposal's row: state, version, amounts,
-- content. With state in an index (proposals_year_state), PostgreSQL could
-- never update the row in place on its page (a HOT update): each
-- transition wrote a new entry into all six indexes of proposals, in the
-- window in which a document kind's counter row is held. With no index on
-- a column a transition changes, and room left on each page for the new
-- version (fillfactor 70; existing pages get it as they are rewritten),
-- almost every transition is a HOT update. Lists by fiscal year and state
-- read the year's rows through proposals_year and filter them by state:
-- a few thousand a year. TestTransitionsUpdateInPlace keeps the indexes
-- off the columns a transition writes.
DROP INDEX proposals_year_state;
CREATE INDEX proposals_year ON proposals (fiscal_year);
ALTER TABLE proposals SET (fillfactor = 70);
