-- 0012: observations with provenance. What each source said about each
-- attribute of an asset (os, owner, environment, criticality, exposure,
-- last_patched, arch, kernel, reboot_required, managed, packages), when it
-- said it and which import brought it. The asset's columns hold the
-- effective value, resolved by precedence (docs/inventory.md); nothing a
-- source said is overwritten by another source.

-- One import run of any kind (inventory collect, inventory import, scanner
-- reports, curation).
CREATE TABLE asset_imports (
    id {{id_pk}},
    source TEXT NOT NULL,
    file TEXT,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL
) STRICT;

-- value: the attribute's text ('os': "family|name|version|codename");
-- note: what goes with it (exposure: the evidence). observed_at: the last
-- time the source said so; first_observed: the first time.
CREATE TABLE asset_observations (
    asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    attr TEXT NOT NULL,
    source TEXT NOT NULL,
    source_key TEXT NOT NULL,
    value TEXT NOT NULL,
    note TEXT,
    first_observed INTEGER NOT NULL,
    observed_at INTEGER NOT NULL,
    import_id INTEGER REFERENCES asset_imports (id),
    PRIMARY KEY (asset_id, attr, source, source_key)
) STRICT;
CREATE INDEX asset_observations_source ON asset_observations (source, source_key);

-- A precedence file loaded by `assets precedence FILE`: rank of a source
-- for an attribute (0 first). An attribute without rows uses the default.
CREATE TABLE asset_precedence (
    attr TEXT NOT NULL,
    source TEXT NOT NULL,
    rank INTEGER NOT NULL,
    PRIMARY KEY (attr, source)
) STRICT;

-- Two specific OS values that disagree (debian 12 and ubuntu 22.04): who
-- said what, for `assets --conflicts` and the scan summary; NULL: none.
ALTER TABLE assets ADD COLUMN os_conflict TEXT;

-- Which source the effective package rows came from (NULL: before 0012).
ALTER TABLE packages ADD COLUMN source TEXT;

-- When a port was last seen open, and when a later scan of the same scope
-- did not see it (closed_at).
ALTER TABLE asset_services ADD COLUMN closed_at INTEGER;
-- When the product and version (the banner) were last seen: a scan without
-- version detection keeps them.
ALTER TABLE asset_services ADD COLUMN banner_seen INTEGER;
UPDATE asset_services SET banner_seen = last_seen WHERE product IS NOT NULL OR version IS NOT NULL;

-- What the columns held before 0012 becomes the observation of 'legacy'
-- (ranked below every named source), so a store upgraded keeps its facts.
INSERT INTO asset_observations (asset_id, attr, source, source_key, value, note, first_observed,
    observed_at)
SELECT id, 'os', 'legacy', '', COALESCE(os_family, '') || '|' || COALESCE(os_name, '') || '|' ||
    COALESCE(os_version, '') || '|' || COALESCE(os_codename, ''), NULL, first_seen, last_seen
FROM assets WHERE os_family IS NOT NULL OR os_name IS NOT NULL;
INSERT INTO asset_observations (asset_id, attr, source, source_key, value, note, first_observed,
    observed_at)
SELECT id, 'owner', 'legacy', '', owner, NULL, first_seen, last_seen FROM assets
WHERE owner IS NOT NULL;
INSERT INTO asset_observations (asset_id, attr, source, source_key, value, note, first_observed,
    observed_at)
SELECT id, 'environment', 'legacy', '', environment, NULL, first_seen, last_seen FROM assets
WHERE environment IS NOT NULL;
INSERT INTO asset_observations (asset_id, attr, source, source_key, value, note, first_observed,
    observed_at)
SELECT id, 'criticality', 'legacy', '', criticality, NULL, first_seen, last_seen FROM assets
WHERE criticality IS NOT NULL;
INSERT INTO asset_observations (asset_id, attr, source, source_key, value, note, first_observed,
    observed_at)
SELECT id, 'exposure', 'legacy', '', exposure, exposure_evidence, first_seen, last_seen
FROM assets WHERE exposure <> 'unknown';
INSERT INTO asset_observations (asset_id, attr, source, source_key, value, note, first_observed,
    observed_at)
SELECT id, 'last_patched', 'legacy', '', CAST(last_patched AS TEXT), NULL, first_seen, last_seen
FROM assets WHERE last_patched IS NOT NULL;
INSERT INTO asset_observations (asset_id, attr, source, source_key, value, note, first_observed,
    observed_at)
SELECT id, 'arch', 'legacy', '', arch, NULL, first_seen, last_seen FROM assets
WHERE arch IS NOT NULL;
INSERT INTO asset_observations (asset_id, attr, source, source_key, value, note, first_observed,
    observed_at)
SELECT id, 'kernel', 'legacy', '', kernel, NULL, first_seen, last_seen FROM assets
WHERE kernel IS NOT NULL;
INSERT INTO asset_observations (asset_id, attr, source, source_key, value, note, first_observed,
    observed_at)
SELECT DISTINCT asset_id, 'managed', source, source_key, 'yes', NULL, first_seen, last_seen
FROM asset_sources WHERE source IN ('local', 'agent', 'synthetic', 'aws-ssm', 'intune', 'jamf',
    'sccm', 'ansible', 'eks-nodegroup');
