-- 0035: asset kind 'cluster': a managed Kubernetes control plane (an Amazon
-- EKS cluster, `inventory import aws-eks`), whose Kubernetes version, node
-- groups and node AMI releases are its software and whose end of standard
-- support is an eol: finding. The kind enters the assets CHECK.
{{sqlite}}
-- SQLite rebuilds the table, as 0020 and 0034 rebuilt findings (foreign key
-- enforcement is off while migrations run; rows keep their ids); columns in
-- the order 0001, 0006 and 0016 gave them.
CREATE TABLE assets_0035 (
    id {{id_pk}},
    name TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'host' CHECK (kind IN ('host', 'container-image', 'k8s-node',
        'k8s-workload', 'database', 'function', 'network-device', 'endpoint', 'cluster')),
    owner TEXT,
    environment TEXT CHECK (environment IN ('prod', 'staging', 'dev')),
    criticality TEXT CHECK (criticality IN ('low', 'medium', 'high', 'critical')),
    exposure TEXT NOT NULL DEFAULT 'unknown' CHECK (exposure IN ('yes', 'no', 'unknown')),
    exposure_evidence TEXT,
    os_family TEXT,
    os_name TEXT,
    os_version TEXT,
    os_codename TEXT,
    arch TEXT,
    kernel TEXT,
    reboot_required INTEGER CHECK (reboot_required IN (0, 1)),
    last_patched INTEGER,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    retired_at INTEGER,
    cloud_account TEXT,
    cloud_region TEXT,
    network_scope TEXT,
    managed INTEGER CHECK (managed IN (0, 1)),
    runtime TEXT,
    runtime_deprecated INTEGER,
    patches_missing INTEGER,
    patches_failed INTEGER,
    patches_installed INTEGER,
    merged_into INTEGER REFERENCES assets (id),
    os_conflict TEXT
) STRICT;
INSERT INTO assets_0035
SELECT id, name, kind, owner, environment, criticality, exposure, exposure_evidence, os_family,
    os_name, os_version, os_codename, arch, kernel, reboot_required, last_patched, first_seen,
    last_seen, retired_at, cloud_account, cloud_region, network_scope, managed, runtime,
    runtime_deprecated, patches_missing, patches_failed, patches_installed, merged_into,
    os_conflict
FROM assets;
DROP TABLE assets;
ALTER TABLE assets_0035 RENAME TO assets;
CREATE INDEX assets_name ON assets (name);
CREATE TRIGGER match_dirty_asset AFTER UPDATE ON assets
WHEN OLD.kind IS DISTINCT FROM NEW.kind OR OLD.environment IS DISTINCT FROM NEW.environment
    OR OLD.criticality IS DISTINCT FROM NEW.criticality OR OLD.exposure IS DISTINCT FROM NEW.exposure
    OR OLD.os_family IS DISTINCT FROM NEW.os_family OR OLD.os_name IS DISTINCT FROM NEW.os_name
    OR OLD.os_version IS DISTINCT FROM NEW.os_version OR OLD.os_codename IS DISTINCT FROM NEW.os_codename
    OR OLD.retired_at IS DISTINCT FROM NEW.retired_at OR OLD.name IS DISTINCT FROM NEW.name BEGIN
    UPDATE match_state SET dirty = 1 WHERE asset_id = NEW.id;
END;
CREATE TRIGGER match_dirty_kernel AFTER UPDATE ON assets
WHEN OLD.kernel IS DISTINCT FROM NEW.kernel BEGIN
    UPDATE match_state SET dirty = 1 WHERE asset_id = NEW.id;
END;
{{postgresql}}
-- PostgreSQL alters the constraint in place (dropping the table would drop
-- the foreign keys that reference it).
ALTER TABLE assets DROP CONSTRAINT assets_kind_check;
ALTER TABLE assets ADD CONSTRAINT assets_kind_check CHECK (kind IN ('host', 'container-image',
    'k8s-node', 'k8s-workload', 'database', 'function', 'network-device', 'endpoint', 'cluster'));
{{end}}
