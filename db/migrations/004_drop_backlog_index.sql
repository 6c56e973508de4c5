-- The backlog counts come from the server's in-memory index (src/store/backlog-index.ts), so this
-- eight-column index only cost every pathway write an extra index update.
DROP INDEX pathways_backlog;
