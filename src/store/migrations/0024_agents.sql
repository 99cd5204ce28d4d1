-- 0024: agents (docs/agent.md). One-time enrolment tokens (only a SHA-256
-- of each is kept; used_at is set by one conditional UPDATE, so of two
-- racing enrolments exactly one wins), the enrolled hosts with their own
-- credential (hashed the same way), and the per-host jobs approved plan
-- waves become, each with its lease and its end.

CREATE TABLE agent_enrolments (
    id {{id_pk}},
    lookup TEXT NOT NULL UNIQUE,
    hash TEXT NOT NULL,
    tags TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    used_by TEXT
) STRICT;

-- asset_id: the asset the agent's first accepted inventory became (never
-- one another live agent holds); digest: the SHA-256 of the last accepted
-- package list, the base of the next delta upload.
CREATE TABLE agents (
    id {{id_pk}},
    host TEXT NOT NULL UNIQUE,
    enrolment_id INTEGER NOT NULL REFERENCES agent_enrolments (id),
    lookup TEXT NOT NULL UNIQUE,
    hash TEXT NOT NULL,
    tags TEXT NOT NULL,
    asset_id INTEGER REFERENCES assets (id) ON DELETE SET NULL,
    digest TEXT,
    created_at INTEGER NOT NULL,
    last_seen INTEGER,
    revoked_at INTEGER
) STRICT;

-- One job per (plan, wave, asset): exact "name=version" lines that only
-- raise versions; state moves queued -> claimed -> one end, once.
CREATE TABLE agent_jobs (
    id {{id_pk}},
    agent_id INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    wave INTEGER NOT NULL,
    lane TEXT NOT NULL,
    packages TEXT NOT NULL,
    findings TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    window_end INTEGER NOT NULL,
    reboot INTEGER NOT NULL CHECK (reboot IN (0, 1)),
    state TEXT NOT NULL CHECK (state IN ('queued', 'claimed', 'succeeded', 'failed',
        'rolled-back', 'interrupted', 'refused', 'expired')),
    lease_until INTEGER,
    created_at INTEGER NOT NULL,
    claimed_at INTEGER,
    finished_at INTEGER,
    job_id INTEGER REFERENCES jobs (id),
    detail TEXT,
    log TEXT,
    UNIQUE (plan_id, wave, asset_id)
) STRICT;
CREATE INDEX agent_jobs_agent ON agent_jobs (agent_id, state);
