# Soak per patch (issue 23): on a synthetic estate (`inventory synthesize`, real Debian 12
# versions) whose findings share versions across tiers, promotion holds per (package, fixed
# version): no production item starts before the end of its version's staging waves plus the
# soak of its tier (built-in plan: tier 1 1d, tiers 2-3 3d, tier 4 5d), no version reaches
# production unstaged, and the pilot ring is the canary: where a version has pilot assets, no
# other production ring starts before the pilot's end plus its watch (24 h at least).

### soak-1.1: the estate and findings of five tiers on seven packages
! "$PL" --db "$DB" --now 2026-11-29T12:00:00Z inventory synthesize --assets 150 --seed 3 >/dev/null
! sqlite3 "$DB" "INSERT INTO findings (asset_id, vuln_id, package, installed_version, fixed_version, first_seen, tier, due_at) SELECT p.asset_id, 'CVE-2026-9001', p.name, p.version, p.version || '+fix1', 1795000000, 1 + (p.asset_id % 4), 1795000000 + 120 * 86400 FROM packages p WHERE p.name IN ('openssl', 'curl', 'bash', 'libxml2', 'zlib1g', 'tar', 'gzip')"
$ --db $DB --now 2026-11-29T12:00:00Z plan --horizon 90d
>* plan 1:

### soak-1.2: production items exist, in every ring
! test "$(sqlite3 "$DB" "SELECT count(DISTINCT w.ring) FROM wave_items i JOIN waves w ON w.id = i.wave_id WHERE w.environment = 'prod' AND w.lane = 'standard'")" = 3
$ --db $DB plan show 1
>* prod

### soak-1.3: no production item starts before its version's staging end plus its tier's soak
! test "$(sqlite3 "$DB" "SELECT count(*) FROM wave_items i JOIN waves w ON w.id = i.wave_id JOIN findings f ON f.id = i.finding_id WHERE w.environment = 'prod' AND w.lane = 'standard' AND w.starts_at < (SELECT max(w2.ends_at) FROM wave_items i2 JOIN waves w2 ON w2.id = i2.wave_id WHERE w2.environment = 'staging' AND i2.package = i.package AND i2.fixed_version = i.fixed_version) + CASE f.tier WHEN 1 THEN 86400 WHEN 2 THEN 259200 WHEN 3 THEN 259200 ELSE 432000 END")" = 0
$ --db $DB plan show 1
>* staging

### soak-1.4: no version reaches production without staging (none is waived)
! test "$(sqlite3 "$DB" "SELECT count(*) FROM wave_items i JOIN waves w ON w.id = i.wave_id WHERE w.environment = 'prod' AND NOT EXISTS (SELECT 1 FROM wave_items i2 JOIN waves w2 ON w2.id = i2.wave_id WHERE w2.environment = 'staging' AND i2.package = i.package AND i2.fixed_version = i.fixed_version)")" = 0
$ --db $DB plan show 1
>* prod

### soak-1.5: the canary is the pilot ring
! test "$(sqlite3 "$DB" "SELECT count(*) FROM wave_items i JOIN waves w ON w.id = i.wave_id WHERE w.environment = 'prod' AND w.ring > 1 AND EXISTS (SELECT 1 FROM wave_items i2 JOIN waves w2 ON w2.id = i2.wave_id WHERE w2.environment = 'prod' AND w2.ring = 1 AND i2.package = i.package AND i2.fixed_version = i.fixed_version AND w.starts_at < w2.ends_at + 86400)")" = 0
! test "$(sqlite3 "$DB" "SELECT ring_name FROM waves WHERE environment = 'prod' AND ring = 1 LIMIT 1")" = pilot
$ --db $DB plan show 1
>* pilot
