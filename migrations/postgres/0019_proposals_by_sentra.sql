-- A sentra's proposals (a submission checks that its sentra has no other
-- proposal under way; the registry lists a sentra's history) are read by
-- sentra_id: without an index every such read scanned all proposals, a
-- cost that grew with every year of filings.
CREATE INDEX proposals_sentra ON proposals(sentra_id);
