-- 0034: lean findings, first step. A finding's match evidence, its fix proof
-- and the digest of the policy that decided it were text on every row: 222
-- of the 405 bytes of an average row of the demo's store, for a few thousand
-- distinct texts among hundreds of thousands of rows. They are now kept once
-- each in finding_texts and the row holds their id (evidence_ref,
-- fix_proof_ref, policy_ref); readers get the same text back
-- (pl_store_findings_*, docs/store.md "Lean findings").
CREATE TABLE finding_texts (
    id {{id_pk}},
    text TEXT NOT NULL UNIQUE
) STRICT;
INSERT INTO finding_texts (text)
SELECT u.text FROM (SELECT evidence AS text FROM findings WHERE evidence IS NOT NULL
    UNION SELECT fix_proof FROM findings WHERE fix_proof IS NOT NULL
    UNION SELECT policy_digest FROM findings WHERE policy_digest IS NOT NULL) u
ORDER BY u.text;

{{sqlite}}
-- SQLite rebuilds the table, as 0020 did (foreign key enforcement is off while
-- migrations run; rows keep their ids); the new columns come last, as on
-- PostgreSQL, which drops the three columns and adds the references in place.
CREATE TABLE findings_0034 (
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
    vendor_severity TEXT,
    marker TEXT,
    rule TEXT,
    tiered_at INTEGER,
    exception_id INTEGER REFERENCES exceptions (id),
    policy_name TEXT,
    evidence_ref INTEGER REFERENCES finding_texts (id),
    fix_proof_ref INTEGER REFERENCES finding_texts (id),
    policy_ref INTEGER REFERENCES finding_texts (id),
    UNIQUE (asset_id, package, vuln_id)
) STRICT;
INSERT INTO findings_0034
SELECT f.id, f.asset_id, f.vuln_id, f.package, f.source_package, f.installed_version,
    f.fixed_version, f.origin, f.status, f.first_seen, f.resolved_at, f.tier, f.unscored,
    f.due_at, f.provisional, f.kev_added, f.severity, f.disclosed_at, f.mitigated_by,
    f.mitigated_until, f.reopened_count, f.last_seen, f.feed, f.advisory, f.vendor_severity,
    f.marker, f.rule, f.tiered_at, f.exception_id, f.policy_name,
    (SELECT t.id FROM finding_texts t WHERE t.text = f.evidence),
    (SELECT t.id FROM finding_texts t WHERE t.text = f.fix_proof),
    (SELECT t.id FROM finding_texts t WHERE t.text = f.policy_digest)
FROM findings f;
DROP TABLE findings;
ALTER TABLE findings_0034 RENAME TO findings;
CREATE INDEX findings_status ON findings (status, tier);
CREATE INDEX findings_due ON findings (due_at);
CREATE INDEX findings_resolved ON findings (resolved_at);
CREATE INDEX findings_exception ON findings (exception_id);
CREATE INDEX findings_asset_status ON findings (asset_id, status);
CREATE INDEX findings_tiered ON findings (tiered_at);
CREATE INDEX findings_listing ON findings (status, (COALESCE(tier, 2147483647)),
    (COALESCE(due_at, -9223372036854775807)), id);
CREATE TRIGGER match_dirty_finding AFTER UPDATE OF status ON findings
WHEN OLD.status IS DISTINCT FROM NEW.status BEGIN
    UPDATE match_state SET dirty = 1 WHERE asset_id = NEW.asset_id;
END;
{{postgresql}}
ALTER TABLE findings ADD COLUMN evidence_ref INTEGER REFERENCES finding_texts (id);
ALTER TABLE findings ADD COLUMN fix_proof_ref INTEGER REFERENCES finding_texts (id);
ALTER TABLE findings ADD COLUMN policy_ref INTEGER REFERENCES finding_texts (id);
UPDATE findings SET
    evidence_ref = (SELECT t.id FROM finding_texts t WHERE t.text = findings.evidence),
    fix_proof_ref = (SELECT t.id FROM finding_texts t WHERE t.text = findings.fix_proof),
    policy_ref = (SELECT t.id FROM finding_texts t WHERE t.text = findings.policy_digest)
WHERE evidence IS NOT NULL OR fix_proof IS NOT NULL OR policy_digest IS NOT NULL;
DROP INDEX findings_deciding;
ALTER TABLE findings DROP COLUMN evidence;
ALTER TABLE findings DROP COLUMN fix_proof;
ALTER TABLE findings DROP COLUMN policy_digest;
{{end}}
-- 0032's index of the findings that record their policy, on the reference now
CREATE INDEX findings_deciding ON findings (tiered_at, id) WHERE policy_ref IS NOT NULL;
