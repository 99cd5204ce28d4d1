-- 0009: apply jobs: one job patches one asset (or rolls one back); its
-- packages with the versions before and after and the package file kept for
-- rollback, the findings it verified, and its log (every command's argv,
-- exit and captured output). rollout_id/wave tie a job to a rollout wave
-- (NULL for a direct `patchline apply`); one apply job per asset per wave.

CREATE TABLE jobs (
    id INTEGER PRIMARY KEY,
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
CREATE UNIQUE INDEX jobs_rollout_wave_asset ON jobs (rollout_id, wave, asset_id)
    WHERE rollout_id IS NOT NULL AND kind = 'apply';

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
    id INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    step TEXT NOT NULL,
    argv TEXT,
    exit_code INTEGER,
    message TEXT
) STRICT;
CREATE INDEX job_log_job ON job_log (job_id, id);
