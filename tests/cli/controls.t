# Controls are temporary and visible (issue 23): a KEV finding under a compensating control for
# more than 7 days is still a KEV incident, in its own column ("mitigated, not patched"), and the
# report lists the controls ending within 14 days. (Per-type, per-tier caps: test_exception.c.)

### controls-1.1: an asset, a KEV finding mitigated for 30 days (control ends in 10), a plain open one
! cp -r "$FIX/inventory/root" "$T/root"
! "$PL" --db "$DB" --now 2026-03-01T00:00:00Z inventory collect --root "$T/root" >/dev/null
! sqlite3 "$DB" "INSERT INTO findings (asset_id, vuln_id, package, installed_version, fixed_version, first_seen, tier, due_at, kev_added, status, mitigated_by, mitigated_until, resolved_at) VALUES (1, 'CVE-2026-7001', 'openssl', '1', '2', 1772323200, 0, 1772409600, 1772323200, 'mitigated', 'waf-rule', 1775779200, 1772409600), (1, 'CVE-2026-7002', 'bash', '1', '2', 1772323200, 2, 1774915200, NULL, 'open', NULL, NULL, NULL)"
$ --db $DB --now 2026-03-31T00:00:00Z --format json report --from 2026-03-01T00:00:00Z --to 2026-03-31T00:00:00Z
>* "kev_incidents":{"total":0,"items":[]}
>* "kev_mitigated_not_patched":{"total":1,"items":[{"asset":"fixhost","env":null,"vuln":"CVE-2026-7001","package":"openssl","owner":null,"tier":0,
>* "controls_expiring":{"total":1,"items":[{"asset":"fixhost","env":null,"vuln":"CVE-2026-7001","package":"openssl","owner":null,"tier":0,"due":"2026-04-10T00:00:00Z","age_s":864000}]}

### controls-1.2: the Markdown report has both lists
$ --db $DB --now 2026-03-31T00:00:00Z --format md report --from 2026-03-01T00:00:00Z --to 2026-03-31T00:00:00Z
>* ## KEV older than 7 days, mitigated, not patched (1)
>* ## Compensating controls expiring within 14 days (1)
>* | fixhost | (no owner) | - | CVE-2026-7001 | openssl | 0 | 10.0 |

### controls-1.3: once the control has ended more than 14 days away it is not listed; a control ending later is not "expiring"
! sqlite3 "$DB" "UPDATE findings SET mitigated_until = 1780000000 WHERE vuln_id = 'CVE-2026-7001'"
$ --db $DB --now 2026-03-31T00:00:00Z --format json report --from 2026-03-01T00:00:00Z --to 2026-03-31T00:00:00Z
>* "controls_expiring":{"total":0,"items":[]}
>* "kev_mitigated_not_patched":{"total":1,
