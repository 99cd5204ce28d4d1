# The report's rollouts section (issue 22): the apply jobs the executor recorded in the
# period, read from jobs, job_packages and job_log (a crafted store).

### report-rollouts-1.1: a canary whose health check failed shows as rolled back, with the check
! "$PL" --db "$DB" --now 2026-09-30T20:00:00Z init >/dev/null
! sqlite3 "$DB" "INSERT INTO assets (id, name, owner, environment, first_seen, last_seen) VALUES (1, 'canary-01', 'platform', 'prod', 1790000000, 1796000000), (2, 'web<b>-02', 'web', 'prod', 1790000000, 1796000000); INSERT INTO jobs (id, kind, asset_id, executor, root, rollout_id, wave, status, health, error, actor, created_at, finished_at) VALUES (1, 'apply', 2, 'apt', '/', NULL, NULL, 'succeeded', 'passed', NULL, 'root', 1792465200, 1792465300), (2, 'apply', 1, 'apt', '/srv/canary', 1, 1, 'rolled-back', 'failed', 'the health check failed', 'root', 1794276000, 1794276300), (3, 'apply', 2, 'apt', '/', NULL, NULL, 'succeeded', 'passed', NULL, 'root', 1794452400, 1794452520), (4, 'rollback', 2, 'apt', '/', NULL, NULL, 'succeeded', 'none', NULL, 'root', 1794452500, 1794452520); INSERT INTO job_packages (job_id, package, target_version, before_version, after_version) VALUES (2, 'tar', '1.34+dfsg-1.2+deb12u1', '1.34+dfsg-1.2', '1.34+dfsg-1.2'), (3, 'zlib1g', '1:1.2.13.dfsg-1+deb12u1', '1:1.2.13.dfsg-1', '1:1.2.13.dfsg-1+deb12u1'); INSERT INTO job_log (job_id, at, step, argv, exit_code, message) VALUES (2, 1794276180, 'health', '[\"/usr/bin/test\",\"-e\",\"/run/app-healthy\"]', 1, NULL);"
$ --db $DB --now 2026-11-29T12:00:00Z report --format md
>* ## Rollouts
>* 2 apply jobs in the period: 1 applied, 1 rolled back, 0 failed otherwise.
>* | 3 | direct apply | web&lt;b&gt;-02 | zlib1g 1:1.2.13.dfsg-1 → 1:1.2.13.dfsg-1+deb12u1 | applied | passed | 2026-11-12T03:00:00Z | 2026-11-12T03:02:00Z |
>* | 2 | rollout 1, wave 1 | canary-01 | tar 1.34+dfsg-1.2 → 1.34+dfsg-1.2+deb12u1 | rolled back: its health check failed | \["/usr/bin/test","-e","/run/app-healthy"\]: failed | 2026-11-10T02:00:00Z | 2026-11-10T02:05:00Z |

### report-rollouts-1.2: the same in JSON (the job of October is outside the month)
$ --db $DB --now 2026-11-29T12:00:00Z report --format json
>* "rollouts":{"jobs":2,"applied":1,"rolled_back":1,"failed":0,"latest":[{"job":3,
>* {"job":2,"rollout":1,"wave":1,"asset":"canary-01","packages":"tar 1.34+dfsg-1.2 → 1.34+dfsg-1.2+deb12u1","status":"rolled-back","outcome":"rolled back: its health check failed","health":"failed","health_check":"[\"/usr/bin/test\",\"-e\",\"/run/app-healthy\"]","error":"the health check failed","started":"2026-11-10T02:00:00Z","finished":"2026-11-10T02:05:00Z"}

### report-rollouts-1.3: the quarter's HTML lists all three, text escaped
$ --db $DB --now 2026-11-29T12:00:00Z report --period quarter --format html
>* <h2>Rollouts</h2>
>* <p>3 apply jobs in the period: 2 applied, 1 rolled back, 0 failed otherwise.</p>
>* <td class="t">web&lt;b&gt;-02</td>
>* <td class="t">rolled back: its health check failed</td><td class="t">[&quot;/usr/bin/test&quot;,&quot;-e&quot;,&quot;/run/app-healthy&quot;]: failed</td>

### report-rollouts-1.4: no jobs in the period: said so
$ --db $DB --now 2026-09-30T20:00:00Z report --format html
>* <h2>Rollouts</h2>
>* <p>0 apply jobs in the period: 0 applied, 0 rolled back, 0 failed otherwise. No patch was applied through Patchline's executor in this period.</p>

### report-rollouts-1.5: CSV carries the counts and each listed job's status
$ --db $DB --now 2026-11-29T12:00:00Z report --format csv
>* rollouts,jobs,,2
>* rollouts,rolled_back,,1
>* rollouts,job_status,2,rolled-back

### report-rollouts-1.6: reading the rollouts writes nothing: every report above left the store as it was
! cp "$DB" "$T/before"
! for f in md json csv html; do for p in month quarter; do "$PL" --db "$DB" --now 2026-11-29T12:00:00Z report --period $p --format $f >/dev/null || exit 1; done; done
! cmp "$DB" "$T/before"
$ --db $DB --now 2026-11-29T12:00:00Z report --format csv
>* rollouts,applied,,1
