-- 0009: apply jobs: one job patches one asset (or rolls one back); its
-- packages with the versions before and after and the package file kept for
-- rollback, the findings it verified, and its log (every command's argv,
-- exit and captured output). rollout_id/wave tie a job to a rollout wave
-- (NULL for a direct `patchline apply`). Rollouts keep their progress per
-- (rollout, wave, asset) so that a halted or interrupted rollout resumes where
-- it stopped and a re-run never patches an asset twice in one wave.

CREATE TABLE jobs (
    id {{id_pk}},
    kind TEXT NOT NULL CHECK (kind IN ('apply', 'rollback')),
    asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    executor TEXT NOT NULL,
    root TEXT NOT NULL,
    parent_id INTEGER REFERENCES jobs (id),
    rollout_id INTEGER,
    wave INTEGER,
    status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'rolled-back',
        'rollback-failed')),
    health TEXT CHECK (health IN ('none', 'passed', 'failed', 'timeout')),
    reboot TEXT,
    keep_dir TEXT,
    error TEXT,
    actor TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    finished_at INTEGER
) STRICT;
CREATE INDEX jobs_asset ON jobs (asset_id, id);
CREATE INDEX jobs_rollout ON jobs (rollout_id, wave) WHERE rollout_id IS NOT NULL;

CREATE TABLE job_packages (
    job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    package TEXT NOT NULL,
    arch TEXT NOT NULL DEFAULT '',
    target_version TEXT NOT NULL,
    before_version TEXT,
    after_version TEXT,
    kept_file TEXT,
    kept_how TEXT CHECK (kept_how IN ('cache', 'download', 'repack')),
    PRIMARY KEY (job_id, package)
) STRICT;

-- The findings a job targeted and what verification saw.
CREATE TABLE job_findings (
    job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    finding_id INTEGER NOT NULL REFERENCES findings (id) ON DELETE CASCADE,
    outcome TEXT NOT NULL CHECK (outcome IN ('pending', 'fixed', 'not-fixed', 'reopened')),
    version_seen TEXT,
    PRIMARY KEY (job_id, finding_id)
) STRICT;
CREATE INDEX job_findings_finding ON job_findings (finding_id);

CREATE TABLE job_log (
    id {{id_pk}},
    job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    step TEXT NOT NULL,
    argv TEXT,
    exit_code INTEGER,
    message TEXT
) STRICT;
CREATE INDEX job_log_job ON job_log (job_id, id);

-- A rollout (the run of a plan, same id): running, halted at a wave, completed.
CREATE TABLE rollouts (
    id INTEGER PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ('running', 'halted', 'completed')),
    halted_wave INTEGER,
    reason TEXT,
    started_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

-- Where each asset of each wave stands; 'succeeded' rows are never redone.
CREATE TABLE rollout_assets (
    rollout_id INTEGER NOT NULL REFERENCES rollouts (id) ON DELETE CASCADE,
    wave INTEGER NOT NULL,
    asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    state TEXT NOT NULL CHECK (state IN ('succeeded', 'failed')),
    job_id INTEGER REFERENCES jobs (id),
    attempts INTEGER NOT NULL,
    detail TEXT,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (rollout_id, wave, asset_id)
) STRICT;
