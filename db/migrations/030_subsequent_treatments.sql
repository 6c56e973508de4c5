-- Issue #14: treatments after the first. The first definitive treatment closes the 62-day
-- pathway (status 'closed'), but a pathway may still await a later treatment: its 31-day clock
-- start and breach date are kept here for the 31-day PTL of subsequent treatments (src/store/ptl31.ts).
-- The store recomputes every row from its events on opening (clock rules version 3).
ALTER TABLE pathways ADD COLUMN next_d31_start TEXT;
ALTER TABLE pathways ADD COLUMN next_d31_breach_on TEXT;
CREATE INDEX ptl31_by_breach ON pathways (next_d31_breach_on, pathway_id) WHERE next_d31_start IS NOT NULL;
