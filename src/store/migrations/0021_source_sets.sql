-- 0021: tags, services and installed packages kept per source. What one
-- source lists never deletes what another source listed; what a source no
-- longer lists is closed with the date of the look that missed it
-- (closed_at), and kept. The tables the stages read (packages, asset_tags)
-- hold the effective sets, resolved from these (docs/inventory.md).

-- Every package each source listed for an asset. closed_at: the source's
-- later list did not have it (NULL: still listed).
CREATE TABLE asset_package_obs (
    asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    source TEXT NOT NULL,
    ecosystem TEXT NOT NULL,
    name TEXT NOT NULL,
    arch TEXT NOT NULL DEFAULT '',
    version TEXT NOT NULL,
    source_name TEXT,
    source_version TEXT,
    purl TEXT,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    closed_at INTEGER,
    PRIMARY KEY (asset_id, source, ecosystem, name, arch)
) STRICT;

-- Every tag each source (or a person: 'curated') gave an asset.
CREATE TABLE asset_tag_obs (
    asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    source TEXT NOT NULL,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    closed_at INTEGER,
    PRIMARY KEY (asset_id, tag, source)
) STRICT;

-- What the effective tables held becomes the observation of its source
-- ('legacy' when unknown), so an upgraded store keeps every fact.
INSERT INTO asset_package_obs (asset_id, source, ecosystem, name, arch, version, source_name,
    source_version, purl, first_seen, last_seen)
SELECT p.asset_id, COALESCE(p.source, 'legacy'), p.ecosystem, p.name, p.arch, p.version,
    p.source_name, p.source_version, p.purl, p.first_seen,
    (SELECT a.last_seen FROM assets a WHERE a.id = p.asset_id)
FROM packages p;

INSERT INTO asset_tag_obs (asset_id, tag, source, first_seen, last_seen)
SELECT t.asset_id, t.tag, 'legacy', a.first_seen, a.last_seen
FROM asset_tags t JOIN assets a ON a.id = t.asset_id;

-- Services keyed by source too: two scanners of one port are two rows, and
-- one that no longer sees the port closes only its own.
CREATE TABLE asset_services_new (
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
    closed_at INTEGER,
    banner_seen INTEGER,
    PRIMARY KEY (asset_id, source, protocol, port)
) STRICT;
INSERT INTO asset_services_new (asset_id, source, protocol, port, state, service, product,
    version, extrainfo, first_seen, last_seen, closed_at, banner_seen)
SELECT asset_id, source, protocol, port, state, service, product, version, extrainfo, first_seen,
    last_seen, closed_at, banner_seen
FROM asset_services;
DROP TABLE asset_services;
ALTER TABLE asset_services_new RENAME TO asset_services;
