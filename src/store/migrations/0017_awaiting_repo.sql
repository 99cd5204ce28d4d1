-- 0017: a finding whose fix no version in the host's repositories reaches.
--
-- findings.status gains 'awaiting-repo': apply asked the asset's package
-- manager for the version it would install (apt: the candidate of the
-- configured sources) and it is below the finding's fixed version, so the
-- fix is not yet available from the asset's repositories and no job tries to
-- install it. The finding stays unresolved (resolved_at NULL, due date and
-- SLA unchanged); the next apply asks again and reopens it when the
-- repositories catch up. The table is rebuilt as 0015 did (the CHECK cannot
-- be altered in place); columns keep their order and every row its id.
CREATE TABLE findings_0017 (
    id INTEGER PRIMARY KEY,
    asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    vuln_id TEXT NOT NULL,
    package TEXT NOT NULL,
    source_package TEXT,
    installed_version TEXT,
    fixed_version TEXT,
    origin TEXT NOT NULL DEFAULT 'match',
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'fixed', 'mitigated',
        'accepted', 'false-positive', 'package-removed', 'asset-retired', 'disputed',
        'not-affected', 'awaiting-repo')),
    first_seen INTEGER NOT NULL,
    resolved_at INTEGER,
    tier INTEGER CHECK (tier BETWEEN 0 AND 4),
    unscored INTEGER NOT NULL DEFAULT 0,
    due_at INTEGER,
    provisional INTEGER NOT NULL DEFAULT 0,
    kev_added INTEGER,
    severity TEXT CHECK (severity IN ('critical', 'high', 'medium', 'low', 'none')),
    disclosed_at INTEGER,
    mitigated_by TEXT,
    mitigated_until INTEGER,
    reopened_count INTEGER NOT NULL DEFAULT 0,
    last_seen INTEGER,
    feed TEXT,
    advisory TEXT,
    evidence TEXT,
    fix_proof TEXT,
    vendor_severity TEXT,
    marker TEXT,
    rule TEXT,
    tiered_at INTEGER,
    exception_id INTEGER REFERENCES exceptions (id),
    UNIQUE (asset_id, package, vuln_id)
) STRICT;
INSERT INTO findings_0017 SELECT * FROM findings;
DROP TABLE findings;
ALTER TABLE findings_0017 RENAME TO findings;
CREATE INDEX findings_status ON findings (status, tier);
CREATE INDEX findings_due ON findings (due_at);
CREATE INDEX findings_resolved ON findings (resolved_at);
CREATE INDEX findings_exception ON findings (exception_id);
CREATE INDEX findings_asset_status ON findings (asset_id, status);
CREATE TRIGGER match_dirty_finding AFTER UPDATE OF status ON findings
WHEN OLD.status IS NOT NEW.status BEGIN
    UPDATE match_state SET dirty = 1 WHERE asset_id = NEW.asset_id;
END;

-- The staging soak of one version (package, fixed version) waived: the
-- planner lets production take a version no staging asset runs only after
-- such a waiver (patchline plan waive-soak), with who and when.
CREATE TABLE soak_waivers (
    id INTEGER PRIMARY KEY,
    package TEXT NOT NULL,
    version TEXT NOT NULL,
    reason TEXT NOT NULL,
    waived_by TEXT NOT NULL,
    waived_at INTEGER NOT NULL,
    UNIQUE (package, version)
) STRICT;
