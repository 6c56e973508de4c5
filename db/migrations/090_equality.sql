-- Issue #27: who waits longest. The patient's sex, ethnic category and postcode on the pathway row
-- (from the referral, corrected by patient_details_updated); the store rebuilds the projection from
-- the events when it opens (PROJECTION_VERSION 6), which fills them in.
ALTER TABLE pathways ADD COLUMN sex TEXT;
ALTER TABLE pathways ADD COLUMN ethnic_category TEXT;
ALTER TABLE pathways ADD COLUMN postcode TEXT;
-- The PTL's deprivation filter joins the open rows' postcodes to the lookup.
CREATE INDEX pathways_by_postcode ON pathways (postcode) WHERE status = 'open' AND postcode IS NOT NULL;

-- The trust's Index of Multiple Deprivation lookup (`openptl lookup load imd FILE`): a postcode's
-- IMD decile (1 = most deprived 10% of areas in England). Replaced whole by each load; a pathway's
-- decile is read from it when the pathway is read, so a new lookup takes effect without new events.
CREATE TABLE imd_lookup (
  postcode TEXT PRIMARY KEY,
  decile   INTEGER NOT NULL CHECK (decile BETWEEN 1 AND 10)
) WITHOUT ROWID;

-- Which file was loaded, when and by whom (one row).
CREATE TABLE imd_lookup_source (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  file      TEXT NOT NULL,
  postcodes INTEGER NOT NULL,
  loaded_at TEXT NOT NULL,
  loaded_by TEXT NOT NULL
);
