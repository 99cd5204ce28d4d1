-- 0010: matching and findings on an SLA clock. A finding is never deleted:
-- its status moves (open, fixed, package-removed, asset-retired, and back to
-- open on a regression) and every move is a finding_events row.

-- regressions: times the finding came back after it was closed.
-- last_seen: the last scan that matched it.
-- feed, advisory, evidence: what matched (the advisory row and the version
-- comparison, "source glibc 2.36-9+deb12u4 < 2.36-9+deb12u7 (dpkg)").
-- fix_proof: the inventory fact that closed it.
-- vendor_severity, marker: the advisory's severity or urgency, and the
-- Debian no-DSA marker, kept as facts.
-- rule, tiered_at: the policy rule that set the tier, and when.
ALTER TABLE findings ADD COLUMN regressions INTEGER NOT NULL DEFAULT 0;
ALTER TABLE findings ADD COLUMN last_seen INTEGER;
ALTER TABLE findings ADD COLUMN feed TEXT;
ALTER TABLE findings ADD COLUMN advisory TEXT;
ALTER TABLE findings ADD COLUMN evidence TEXT;
ALTER TABLE findings ADD COLUMN fix_proof TEXT;
ALTER TABLE findings ADD COLUMN vendor_severity TEXT;
ALTER TABLE findings ADD COLUMN marker TEXT;
ALTER TABLE findings ADD COLUMN rule TEXT;
ALTER TABLE findings ADD COLUMN tiered_at INTEGER;
CREATE INDEX findings_asset ON findings (asset_id);
CREATE INDEX findings_vuln ON findings (vuln_id);

-- Every change of a finding: opened, fixed, package-removed, asset-retired,
-- regressed, tier (a new tier or due date).
CREATE TABLE finding_events (
    id INTEGER PRIMARY KEY,
    finding_id INTEGER NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    event TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    tier INTEGER,
    due_at INTEGER,
    detail TEXT
) STRICT;
CREATE INDEX finding_events_finding ON finding_events (finding_id);
