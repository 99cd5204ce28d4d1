-- 0012: the entries every catalogue feed (kev, epss) has ever listed, and
-- every removal with its time, so that a catalogue drained in small steps
-- (each import under the 1 % shrink limit) is still noticed: removals over
-- the last 30 days are held to the same limit. See docs/feeds.md.

-- One row per (kind, entry) ever listed; listed = 0 once a later import
-- no longer lists it.
CREATE TABLE feed_entries (
    kind TEXT NOT NULL,
    entry TEXT NOT NULL,
    first_feed INTEGER REFERENCES feeds (id),
    first_seen INTEGER NOT NULL,
    listed INTEGER NOT NULL DEFAULT 1 CHECK (listed IN (0, 1)),
    PRIMARY KEY (kind, entry)
);

-- One row per entry an import stopped listing; forced = 1 when the import
-- was accepted with --force (such removals no longer count against the limit).
CREATE TABLE feed_removals (
    id {{id_pk}},
    kind TEXT NOT NULL,
    entry TEXT NOT NULL,
    feed_id INTEGER NOT NULL REFERENCES feeds (id),
    removed_at INTEGER NOT NULL,
    forced INTEGER NOT NULL DEFAULT 0 CHECK (forced IN (0, 1))
);
CREATE INDEX feed_removals_kind ON feed_removals (kind, removed_at);

-- What existing stores already hold counts as seen.
INSERT INTO feed_entries (kind, entry, first_feed, first_seen, listed)
SELECT 'kev', k.vuln_id, k.feed_id, f.imported_at, 1 FROM kev k JOIN feeds f ON f.id = k.feed_id;
INSERT INTO feed_entries (kind, entry, first_feed, first_seen, listed)
SELECT 'epss', e.vuln_id, e.feed_id, f.imported_at, 1 FROM epss e JOIN feeds f ON f.id = e.feed_id;
