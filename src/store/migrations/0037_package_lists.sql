-- 0035: one row per source's package list of an asset (docs/inventory.md):
-- when the list was last seen (its open rows no longer each carry it: a
-- list seen again unchanged writes this one row), how many packages it has
-- open, the digest of those packages (an order-free sum of per-package
-- SHA-256, moved by each change alone; NULL until computed from the rows,
-- as for every list of a store made before this migration), and whether the
-- asset's effective packages are this list's (set by each resolve).
CREATE TABLE asset_package_lists (
    asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    ecosystem TEXT NOT NULL,
    last_seen INTEGER NOT NULL,
    n_open INTEGER NOT NULL,
    digest TEXT,
    effective INTEGER NOT NULL DEFAULT 0 CHECK (effective IN (0, 1)),
    PRIMARY KEY (asset_id, source, ecosystem)
) STRICT;

INSERT INTO asset_package_lists (asset_id, source, ecosystem, last_seen, n_open)
SELECT asset_id, source, ecosystem, max(last_seen),
    sum(CASE WHEN closed_at IS NULL THEN 1 ELSE 0 END)
FROM asset_package_obs GROUP BY asset_id, source, ecosystem;
