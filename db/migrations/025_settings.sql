-- Workspace (#15): settings a trust sets once (`openptl settings`), such as the trust's name on
-- printed lists and the nightly report.
CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
