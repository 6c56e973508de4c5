-- Workspace (#15): finding a patient by NHS number or name over open and closed pathways. Each
-- referral's NHS number and the words of the patient's name, lower-case, one row each; a search
-- word matches a term by prefix, so the lookup is a range scan of this index.
CREATE TABLE search_terms (
  term       TEXT NOT NULL,
  pathway_id TEXT NOT NULL,
  PRIMARY KEY (term, pathway_id)
) WITHOUT ROWID;
