# report, metrics and snapshot (issue 8).

### report-1.1: an empty store reports n/a, not a division by zero
! "$PL" --db "$DB" --now 2026-09-30T20:00:00Z init >/dev/null
$ --db $DB --now 2026-11-29T12:00:00Z report --format md
>* # Patchline monthly report, 2026-11-01 to 2026-11-29
>* | Emergency (Tier 0) fixed within 24 h | n/a | 95 % | n/a |

### report-1.2: a bad --period is a usage error naming the value
$ --db $DB report --period week
? 2
2> --period: want month or quarter, not 'week'

### report-1.3: --from without --to is a usage error
$ --db $DB report --from 2026-01-01
? 2
2> --from and --to go together

### report-1.4: an unsupported format is refused
$ --db $DB report --format pdf
? 2
2> unsupported format 'pdf' (supported: html,md,json,csv)

### report-1.5: a snapshot of an empty store records zero
$ --db $DB --now 2026-09-30T20:00:00Z snapshot
> snapshot 2026-09-30: 0 open findings

### report-2.1: snapshot is idempotent for the day
! sqlite3 "$DB" "INSERT INTO assets (id, name, owner, environment, first_seen, last_seen) VALUES (1, '=cmd|'' /C calc''!A0', NULL, 'prod', 1790000000, 1796000000); INSERT INTO findings (asset_id, vuln_id, package, status, first_seen, resolved_at, tier, due_at, severity, mitigated_by) VALUES (1, 'CVE-2026-1', 'openssl', 'open', 1792000000, NULL, 0, 1792086400, 'critical', NULL), (1, 'CVE-2026-2', 'zlib', 'mitigated', 1792000000, 1792500000, 2, 1794592000, 'high', 'waf' || '"$'\x1b'"' || ']0;pwn' || '"$'\x07'"');"
! "$PL" --db "$DB" --now 2026-11-29T08:00:00Z snapshot >/dev/null
$ --db $DB --now 2026-11-29T20:00:00Z snapshot
> snapshot 2026-11-29: 1 open findings

### report-2.2: the table output shows terminal escapes as text
$ --db $DB --now 2026-11-29T20:00:00Z metrics
>* exceptions_active  waf\x1b]0;pwn\x07
>* unmanaged_asset    =cmd|' /C calc'!A0

### report-2.3: Prometheus text with HELP and TYPE; the store is simulated, so is every sample
$ --db $DB --now 2026-11-29T20:00:00Z metrics --format prometheus
>* # TYPE patchline_kev_incidents gauge
>* patchline_backlog_open_findings{simulated="true",tier="0"} 1
>* patchline_exceptions_active{simulated="true",type="waf

### report-2.4: CSV rows keep the formula prefix
$ --db $DB --now 2026-11-29T20:00:00Z report --format csv
>* coverage,unmanaged,'=cmd|' /C calc'!A0,prod

### report-2.5: the HTML report is written to -o with its CSP
! "$PL" --db "$DB" --now 2026-11-29T20:00:00Z report -o "$T/r.html"
$ --db $DB --now 2026-11-29T20:00:00Z report --format json
>* "backlog":{"open":1,"overdue":1,"kev":0,"regressions":0
>* "previous_quarter":{"day":"2026-09-30T00:00:00Z","open":0}

### report-2.6: an unwritable -o is an error naming the file
$ --db $DB report -o /nonexistent/dir/r.html
? 1
2> cannot write '/nonexistent/dir/r.html': No such file or directory

### report-2.7: the written HTML forbids scripts
! grep -q "default-src 'none'; style-src 'unsafe-inline'; img-src data:" "$T/r.html"
$ --db $DB help report
>* usage: patchline report

### report-3.1: a policy of seven tiers: the report shows seven tier rows, named by it
! printf 'policy: seven\ntiers:\n  - {tier: 0, name: Now, sla: 12h}\n  - {tier: 1, name: Urgent, sla: 3d}\n  - {tier: 2, name: Soon, sla: 14d}\n  - {tier: 3, name: Planned, sla: 30d}\n  - {tier: 4, name: Routine, sla: 60d}\n  - {tier: 5, name: Later, sla: 120d}\n  - {tier: 6, name: Someday, sla: 365d}\nrules:\n  - {name: kev, tier: 0, when: {kev: true}}\n' > "$T/seven.yaml"
! sqlite3 "$DB" "INSERT INTO findings (asset_id, vuln_id, package, status, first_seen, tier, due_at) VALUES (1, 'CVE-2026-6', 'bash', 'open', 1792000000, 6, 1823536000), (1, 'CVE-2026-5', 'curl', 'open', 1792000000, 5, 1802368000)"
$ --db $DB --now 2026-11-29T20:00:00Z report --policy $T/seven.yaml --format md
>* | Tier 5 Later (120 d) | 0 | 0 | 0 | 0 | 0 | 0 | n/a | n/a |
>* | Tier 6 Someday (365 d) | 0 | 0 | 0 | 0 | 0 | 0 | n/a | n/a |
>* | Now (Tier 0) fixed within 12 h | n/a | 95 % | n/a |
>* | Tier 6 | 1 |

### report-3.2: and in HTML, JSON and Prometheus
! "$PL" --db "$DB" --now 2026-11-29T20:00:00Z report --policy "$T/seven.yaml" -o "$T/seven.html"
! grep -q '<tr><td>Tier 6 Someday (365 d)</td>' "$T/seven.html"
! "$PL" --db "$DB" --now 2026-11-29T20:00:00Z report --policy "$T/seven.yaml" --format json > "$T/seven.json"
! grep -q '"policy":"seven","tiers":\[{"tier":0,"name":"Now","sla_s":43200}' "$T/seven.json"
! grep -q '"Tier 5":1,"Tier 6":1,"Unscored":0' "$T/seven.json"
$ --db $DB --now 2026-11-29T20:00:00Z metrics --policy $T/seven.yaml --format prometheus
>* patchline_backlog_open_findings{simulated="true",tier="6"} 1
>* patchline_sla_due_findings{simulated="true",tier="6"} 0
>* patchline_tier_sla_seconds{simulated="true",tier="6",name="Someday",policy="seven"} 31536000

### report-3.3: under the default policy the tiers past 4 keep their rows
$ --db $DB --now 2026-11-29T20:00:00Z report --format md
>* | Tier 4 Low (180 d) |
>* | Tier 6 Tier 6 (not in the policy) | 0 |
>* | Tier 5 | 1 |

### report-3.4: findings --tier takes the tiers of the policy given
$ --db $DB findings --tier Someday --policy $T/seven.yaml --format csv
>* CVE-2026-6,bash,

### report-3.5: an unknown policy is an error naming it
$ --db $DB report --policy nope
? 1
2> 'nope' is neither a file nor a built-in policy
