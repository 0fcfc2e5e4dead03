-- Facts a signed document states and the rules check (issue: documents an
-- official would sign). amount_basis is how a stage's amount was computed
-- when it was recommended (PRODUCT.md §3), so a letter never re-derives it;
-- absorbed_amount is the pemda's last reported absorption; bast_number is
-- the completion's berita acara serah terima, unique across all pemda.
ALTER TABLE disbursement_stages ADD COLUMN amount_basis TEXT NOT NULL DEFAULT '';
ALTER TABLE proposals ADD COLUMN absorbed_amount BIGINT NOT NULL DEFAULT 0 CHECK (absorbed_amount >= 0);
ALTER TABLE proposals ADD COLUMN bast_number TEXT;
CREATE UNIQUE INDEX proposals_bast_number ON proposals (bast_number) WHERE bast_number IS NOT NULL;
