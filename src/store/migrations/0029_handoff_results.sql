-- 0029: the health results the hand-off tools report (Ansible's json
-- callback, AWX job host summaries, SSM command invocations), imported by
-- `patchline handoff results import` and read by the release gate of the
-- next ring: one row per (plan, wave, asset), the latest import wins.
CREATE TABLE handoff_results (
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    wave INTEGER NOT NULL,
    asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    tool TEXT NOT NULL CHECK (tool IN ('ansible', 'awx', 'ssm')),
    outcome TEXT NOT NULL CHECK (outcome IN ('healthy', 'failed', 'unreachable')),
    detail TEXT,
    source TEXT NOT NULL,
    imported_at INTEGER NOT NULL,
    PRIMARY KEY (plan_id, wave, asset_id)
) STRICT;
