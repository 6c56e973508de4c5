-- The 62-day backlog at the end of each day, as it stood then: kept once computed, since a past
-- day's figures never change (later records are not "as at" that day).
CREATE TABLE backlog_daily (
  day     TEXT PRIMARY KEY,
  open    INTEGER NOT NULL,
  over62  INTEGER NOT NULL,
  over104 INTEGER NOT NULL
);
