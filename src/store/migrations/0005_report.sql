-- 0005: what the measure stage needs beyond the foundation schema.
-- Times are seconds since the Unix epoch, UTC.

-- Facts about a finding that the metrics read. The matching/tiering stage
-- fills kev_added, severity and (when it knows better than the
-- vulnerabilities table) disclosed_at; the exceptions stage fills
-- mitigated_by and mitigated_until; whoever reopens a fixed finding
-- increments reopened_count (see docs/metrics.md).
ALTER TABLE findings ADD COLUMN kev_added INTEGER;
ALTER TABLE findings ADD COLUMN severity TEXT CHECK (severity IN ('critical', 'high', 'medium',
    'low', 'none'));
ALTER TABLE findings ADD COLUMN disclosed_at INTEGER;
ALTER TABLE findings ADD COLUMN mitigated_by TEXT;
ALTER TABLE findings ADD COLUMN mitigated_until INTEGER;
ALTER TABLE findings ADD COLUMN reopened_count INTEGER NOT NULL DEFAULT 0;
CREATE INDEX findings_due ON findings (due_at);
CREATE INDEX findings_resolved ON findings (resolved_at);

-- One row per (UTC day, tier, severity): the backlog as it stood that day.
-- tier -1 holds unscored findings, -2 findings not tiered yet; severity
-- 'unknown' stands for NULL. Written by `patchline snapshot` (idempotent:
-- a second snapshot of the same day replaces the first).
CREATE TABLE finding_snapshots (
    day INTEGER NOT NULL,
    tier INTEGER NOT NULL CHECK (tier BETWEEN -2 AND 4),
    severity TEXT NOT NULL,
    open_count INTEGER NOT NULL,
    overdue_count INTEGER NOT NULL,
    kev_count INTEGER NOT NULL,
    taken_at INTEGER NOT NULL,
    PRIMARY KEY (day, tier, severity)
) STRICT;
