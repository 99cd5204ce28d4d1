-- 0008: rollout plans (issue 6): plans, their waves, the findings in each
-- wave, and approvals / sign-offs. Times are seconds since the epoch, UTC.

CREATE TABLE plans (
    id {{id_pk}},
    created_at INTEGER NOT NULL,
    requester TEXT NOT NULL,
    source TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    horizon_secs INTEGER NOT NULL,
    n_findings INTEGER NOT NULL,
    n_misses INTEGER NOT NULL
) STRICT;

-- One wave: environment x ring x window at one start time. ring is 0
-- outside production and for the emergency lane (all rings at once).
CREATE TABLE waves (
    id {{id_pk}},
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    lane TEXT NOT NULL CHECK (lane IN ('standard', 'emergency')),
    environment TEXT NOT NULL CHECK (environment IN ('dev', 'staging', 'prod')),
    ring INTEGER NOT NULL CHECK (ring BETWEEN 0 AND 16),
    ring_name TEXT,
    window_name TEXT NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    tier INTEGER NOT NULL CHECK (tier BETWEEN 0 AND 4),
    needs_approval INTEGER NOT NULL CHECK (needs_approval IN (0, 1)),
    sign_off TEXT NOT NULL CHECK (sign_off IN ('none', 'before', 'after-the-fact')),
    watch_secs INTEGER NOT NULL,
    halt_failure_rate REAL,
    max_errors TEXT,
    health_check TEXT,
    regression_test TEXT,
    UNIQUE (plan_id, seq)
) STRICT;

CREATE TABLE wave_items (
    wave_id INTEGER NOT NULL REFERENCES waves (id) ON DELETE CASCADE,
    finding_id INTEGER NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    package TEXT NOT NULL,
    fixed_version TEXT NOT NULL,
    PRIMARY KEY (wave_id, finding_id)
) STRICT;
CREATE INDEX wave_items_finding ON wave_items (finding_id);

-- wave_seq NULL: the whole plan. kind 'approve' comes before a wave runs,
-- 'sign-off' after an emergency wave ran.
CREATE TABLE approvals (
    id {{id_pk}},
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    wave_seq INTEGER,
    kind TEXT NOT NULL CHECK (kind IN ('approve', 'sign-off')),
    actor TEXT NOT NULL,
    at INTEGER NOT NULL,
    at_real INTEGER NOT NULL
) STRICT;
CREATE INDEX approvals_plan ON approvals (plan_id);
