-- 0020: tiers as the policy defines them, and the policy that decided.
--
-- A policy defines up to 10 tiers (PL_MAX_POLICY_TIERS): findings and the
-- daily backlog snapshots accept tiers 0..9 (they stopped at 4). A CHECK
-- constraint cannot be altered in place, so both tables are rebuilt as in
-- 0015 (foreign key enforcement is off while migrations run; columns keep
-- their order and rows their ids). The findings CHECK also takes 0017's
-- 'awaiting-repo' status.
--
-- Every tiered finding records the policy that decided it: its name and the
-- SHA-256 of its effective YAML (`patchline policy show`), and the policies
-- table keeps that YAML, so that `explain` and the report use the very
-- policy that decided, whatever file it came from.
CREATE TABLE policies (
    digest TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    yaml TEXT NOT NULL,
    first_used INTEGER NOT NULL
) STRICT;

{{sqlite}}
CREATE TABLE findings_0020 (
    id {{id_pk}},
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
    tier INTEGER CHECK (tier BETWEEN 0 AND 9),
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
    policy_name TEXT,
    policy_digest TEXT REFERENCES policies (digest),
    UNIQUE (asset_id, package, vuln_id)
) STRICT;
INSERT INTO findings_0020 SELECT *, NULL, NULL FROM findings;
DROP TABLE findings;
ALTER TABLE findings_0020 RENAME TO findings;
CREATE INDEX findings_status ON findings (status, tier);
CREATE INDEX findings_due ON findings (due_at);
CREATE INDEX findings_resolved ON findings (resolved_at);
CREATE INDEX findings_exception ON findings (exception_id);
CREATE INDEX findings_asset_status ON findings (asset_id, status);
CREATE INDEX findings_tiered ON findings (tiered_at);
CREATE TRIGGER match_dirty_finding AFTER UPDATE OF status ON findings
WHEN OLD.status IS DISTINCT FROM NEW.status BEGIN
    UPDATE match_state SET dirty = 1 WHERE asset_id = NEW.asset_id;
END;
{{postgresql}}
-- PostgreSQL alters findings in place (dropping the table would drop the
-- foreign keys that reference it); the new columns come last, as above.
ALTER TABLE findings ADD COLUMN policy_name TEXT;
ALTER TABLE findings ADD COLUMN policy_digest TEXT REFERENCES policies (digest);
ALTER TABLE findings DROP CONSTRAINT findings_status_check;
ALTER TABLE findings ADD CONSTRAINT findings_status_check CHECK (status IN ('open', 'fixed',
    'mitigated', 'accepted', 'false-positive', 'package-removed', 'asset-retired', 'disputed',
    'not-affected', 'awaiting-repo'));
ALTER TABLE findings DROP CONSTRAINT findings_tier_check;
ALTER TABLE findings ADD CONSTRAINT findings_tier_check CHECK (tier BETWEEN 0 AND 9);
CREATE INDEX findings_tiered ON findings (tiered_at);
{{end}}

CREATE TABLE finding_snapshots_0020 (
    day INTEGER NOT NULL,
    tier INTEGER NOT NULL CHECK (tier BETWEEN -2 AND 9),
    severity TEXT NOT NULL,
    open_count INTEGER NOT NULL,
    overdue_count INTEGER NOT NULL,
    kev_count INTEGER NOT NULL,
    taken_at INTEGER NOT NULL,
    PRIMARY KEY (day, tier, severity)
) STRICT;
INSERT INTO finding_snapshots_0020 SELECT * FROM finding_snapshots;
DROP TABLE finding_snapshots;
ALTER TABLE finding_snapshots_0020 RENAME TO finding_snapshots;
