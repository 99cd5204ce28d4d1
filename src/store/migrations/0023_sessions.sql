-- 0023: dashboard sessions (docs/server.md). A log-in with a token starts a
-- session: the browser holds a 256-bit random id in a cookie, the store only
-- its SHA-256 (hex). A session ends at log-out (the row is deleted), after
-- 30 minutes without a request (last_seen) or 12 hours after log-in
-- (created_at), whichever comes first.
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    last_seen INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);

-- The findings listings (`findings`, GET /api/v1/findings, the dashboard) in
-- their order: tier (untiered last), due date (none first), id, within a
-- status. With it a page by tier and cursor is a range of the index, not a
-- sort of every open finding (pl_store_findings_each).
CREATE INDEX findings_listing ON findings (status, (COALESCE(tier, 2147483647)),
    (COALESCE(due_at, -9223372036854775807)), id);
