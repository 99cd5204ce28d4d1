-- 0019: where an advisory's fix is published, when not in the distribution's
-- public archive: 'ubuntu-pro' for a fix released only in a pocket of Ubuntu
-- Pro (esm-infra, esm-apps, fips, realtime), which needs a subscription.
-- NULL: the public archive. The matcher carries it into findings.marker.
ALTER TABLE affected ADD COLUMN fix_channel TEXT;
