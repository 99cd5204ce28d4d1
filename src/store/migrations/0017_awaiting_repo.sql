-- 0017: a finding whose fix no version in the host's repositories reaches,
-- and the staging soak waivers.
--
-- findings.status gains 'awaiting-repo': apply asked the asset's package
-- manager for the version it would install (apt: the candidate of the
-- configured sources) and it is below the finding's fixed version, so the
-- fix is not yet available from the asset's repositories and no job tries to
-- install it. The finding stays unresolved (resolved_at NULL, due date and
-- SLA unchanged); the next apply asks again and reopens it when the
-- repositories catch up. The status enters the findings CHECK in 0020, which
-- rebuilds that table once for every change of this release (a CHECK cannot
-- be altered in place).

-- The staging soak of one version (package, fixed version) waived: the
-- planner lets production take a version no staging asset runs only after
-- such a waiver (patchline plan waive-soak), with who and when.
CREATE TABLE soak_waivers (
    id {{id_pk}},
    package TEXT NOT NULL,
    version TEXT NOT NULL,
    reason TEXT NOT NULL,
    waived_by TEXT NOT NULL,
    waived_at INTEGER NOT NULL,
    UNIQUE (package, version)
) STRICT;
