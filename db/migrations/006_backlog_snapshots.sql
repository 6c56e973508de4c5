-- The backlog of each past day as it stood at the end of that day (src/store/backlog.ts): the
-- whole count (bands, sites, stages), not three numbers. A cache of what the events say: it is
-- made again whenever it is missing, so the old three-number table goes.
DROP TABLE backlog_daily;
CREATE TABLE backlog_snapshots (
  day    TEXT PRIMARY KEY,
  counts TEXT NOT NULL
);
