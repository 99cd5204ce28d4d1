-- 0012: the SHA-256 of each package file kept for rollback, recorded when it
-- is kept. A rollback installs a kept file only when its content still has
-- this digest (docs/security.md); rows kept before this column existed have
-- none and cannot be rolled back from their files.
ALTER TABLE job_packages ADD COLUMN kept_sha256 TEXT;
