-- 0026: the figures of each closed reporting period (a calendar month or
-- quarter) as they were when `patchline snapshot` closed it, under the policy
-- of that day: a later policy change, a late import or a re-tiering does not
-- rewrite them (docs/metrics.md, "Closed periods"). Never updated: a period
-- is closed once.
CREATE TABLE period_reports (
    id INTEGER PRIMARY KEY,
    period TEXT NOT NULL CHECK (period IN ('month', 'quarter')),
    from_at INTEGER NOT NULL,
    to_at INTEGER NOT NULL,
    policy TEXT NOT NULL,
    taken_at INTEGER NOT NULL,
    sla0_due INTEGER NOT NULL,
    sla0_met INTEGER NOT NULL,
    sla2_due INTEGER NOT NULL,
    sla2_met INTEGER NOT NULL,
    kev_due INTEGER NOT NULL,
    kev_met INTEGER NOT NULL,
    mttp1_n INTEGER NOT NULL,
    mttp1_mean_s REAL NOT NULL,
    assets_known INTEGER NOT NULL,
    assets_managed INTEGER NOT NULL,
    backlog_open INTEGER NOT NULL,
    backlog_overdue INTEGER NOT NULL,
    kev_incidents INTEGER NOT NULL,
    exceptions_active INTEGER NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (period, from_at)
) STRICT;
