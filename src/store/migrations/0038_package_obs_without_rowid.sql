-- 0038: lean package history (issue 21, store size). asset_package_obs is
-- looked up and written only by its primary key (asset, source, ecosystem,
-- name, arch): on SQLite a rowid table kept that key twice, in the table and
-- in the key's own index (59 bytes per open finding on bench/lean.sh's
-- estate). A table without a rowid keeps its rows in the key's B-tree alone. Nothing
-- refers to its rowid. PostgreSQL's heap and primary key index are unchanged.
{{sqlite}}
CREATE TABLE asset_package_obs_0038 (
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
) STRICT, WITHOUT ROWID;
INSERT INTO asset_package_obs_0038 (asset_id, source, ecosystem, name, arch, version,
    source_name, source_version, purl, first_seen, last_seen, closed_at)
SELECT asset_id, source, ecosystem, name, arch, version, source_name, source_version, purl,
    first_seen, last_seen, closed_at
FROM asset_package_obs;
DROP TABLE asset_package_obs;
ALTER TABLE asset_package_obs_0038 RENAME TO asset_package_obs;
{{end}}
