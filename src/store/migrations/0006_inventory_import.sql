-- 0006: inventory import: facts that discovery sources add to an asset,
-- where each identifier came from, merges that can be explained and undone,
-- and the network services and CPEs that scanners see.

-- Cloud placement, network scope of its private addresses, whether someone
-- patches it (NULL: decided from its sources), runtimes of functions and
-- their end of support, patch compliance counts reported by a patch source.
ALTER TABLE assets ADD COLUMN cloud_account TEXT;
ALTER TABLE assets ADD COLUMN cloud_region TEXT;
ALTER TABLE assets ADD COLUMN network_scope TEXT;
ALTER TABLE assets ADD COLUMN managed INTEGER CHECK (managed IN (0, 1));
ALTER TABLE assets ADD COLUMN runtime TEXT;
ALTER TABLE assets ADD COLUMN runtime_deprecated INTEGER;
ALTER TABLE assets ADD COLUMN patches_missing INTEGER;
ALTER TABLE assets ADD COLUMN patches_failed INTEGER;
ALTER TABLE assets ADD COLUMN patches_installed INTEGER;
ALTER TABLE assets ADD COLUMN merged_into INTEGER REFERENCES assets (id);

-- The source that first reported an identifier (NULL: before 0006).
ALTER TABLE asset_identifiers ADD COLUMN source TEXT;

-- Every merge: an observation of (source, source_key) joined asset_id
-- because identifier (kind, value, scope) matched (automatic), or asset
-- merged_from was merged into asset_id by a person (manual). undone_at is
-- set when `assets split` detaches the source again.
CREATE TABLE asset_merges (
    id {{id_pk}},
    asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    source_key TEXT NOT NULL,
    matched_kind TEXT,
    matched_value TEXT,
    matched_scope TEXT,
    merged_from INTEGER,
    manual INTEGER NOT NULL DEFAULT 0 CHECK (manual IN (0, 1)),
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    undone_at INTEGER
) STRICT;
CREATE INDEX asset_merges_asset ON asset_merges (asset_id);

-- Open ports and the services behind them, as a scanner saw them.
CREATE TABLE asset_services (
    asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    protocol TEXT NOT NULL,
    port INTEGER NOT NULL CHECK (port BETWEEN 0 AND 65535),
    state TEXT NOT NULL,
    service TEXT,
    product TEXT,
    version TEXT,
    extrainfo TEXT,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    PRIMARY KEY (asset_id, protocol, port)
) STRICT;

-- Software known by CPE: of a service (protocol/port set) or of the OS
-- (protocol '' and port 0). The matching stage matches these.
CREATE TABLE asset_cpes (
    asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    cpe TEXT NOT NULL,
    protocol TEXT NOT NULL DEFAULT '',
    port INTEGER NOT NULL DEFAULT 0,
    source TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    PRIMARY KEY (asset_id, cpe, protocol, port)
) STRICT;
CREATE INDEX asset_cpes_cpe ON asset_cpes (cpe);
