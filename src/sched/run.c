/*
 * run.c - one scheduled run: the same library calls as the CLI command of
 * the same name, in the same transactions, as the system principal
 * "schedule:JOB"; and the audit event that records the run.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/escape.h"
#include "patchline/intel.h"
#include "patchline/log.h"
#include "patchline/match.h"
#include "patchline/notify.h"
#include "patchline/policy.h"
#include "patchline/report.h"
#include "patchline/store_auth.h"

#include "sched_int.h"

/* Assets a scheduled scan commits at a time (as `scan` without --batch). */
#define SCAN_BATCH 100

void pl_sched_principal(enum pl_sched_job j, struct pl_principal *p)
{
    memset(p, 0, sizeof(*p));
    p->kind = PL_PRINCIPAL_USER;
    if (snprintf(p->name, sizeof(p->name), "schedule:%s", pl_sched_job_name(j)) < 0)
        p->name[0] = '\0';
    if (snprintf(p->os_user, sizeof(p->os_user), "%s", pl_store_actor()) < 0)
        p->os_user[0] = '\0';
    p->roles = PL_ROLE_OPERATOR | PL_ROLE_VIEWER;
}

/* Act as who (NULL: j's principal) on s; refused unless it may operate. */
static pl_status act(struct pl_store *s, enum pl_sched_job j, const struct pl_principal *who,
                     struct pl_error *err)
{
    struct pl_principal p;

    if (who)
        p = *who;
    else
        pl_sched_principal(j, &p);
    pl_store_set_principal(s, &p);
    return pl_auth_may(&p, PL_ACT_OPERATE, NULL, err);
}

static void feed_notice(enum pl_feed_notice what, const char *kind, const char *text, void *data)
{
    (void)data;
    if (what == PL_FEED_REMOVED)
        pl_log(PL_LOG_WARN, "schedule", "feed-sync: %s no longer lists %s", kind, text);
    else
        pl_log(PL_LOG_WARN, "schedule", "feed-sync: %s", text);
}

static pl_status feed_sync(struct pl_store *s, const struct pl_sched_config *c, struct pl_buf *sum,
                           struct pl_error *err)
{
    struct pl_sync_opts o = {0};
    struct pl_sync_result *res = pl_xcalloc(1, sizeof(*res));
    const char *const *kinds = NULL;
    const char *list[PL_SCHED_FEED_KINDS_MAX];
    char dir[4096];
    size_t n = 0;
    pl_status rc = PL_OK;

    if (c->n_feed_kinds) {
        for (size_t i = 0; i < c->n_feed_kinds; i++)
            list[i] = c->feed_kinds[i];
        kinds = list;
        n = c->n_feed_kinds;
    } else {
        kinds = pl_feed_sync_default_kinds(&n);
    }
    pl_feed_sync_dir(pl_store_path(s), dir, sizeof(dir));
    o.tmpdir = dir;
    o.import.notice = feed_notice;
    for (size_t i = 0; rc == PL_OK && i < n; i++) {
        memset(res, 0, sizeof(*res));
        if ((rc = pl_feed_sync(s, kinds[i], &o, res, err)) != PL_OK) {
            (void)pl_error_prefix(err, "%s", kinds[i]);
            break;
        }
        if (res->not_modified)
            pl_buf_addf(sum, "%s%s: not modified", i ? "; " : "", kinds[i]);
        else
            pl_buf_addf(sum, "%s%s: %llu records, %llu new, %llu updated", i ? "; " : "", kinds[i],
                        (unsigned long long)res->import.stats.records,
                        (unsigned long long)res->import.stats.inserted,
                        (unsigned long long)res->import.stats.updated);
    }
    free(res);
    return rc;
}

static pl_status scan(struct pl_store *s, const struct pl_sched_config *c, struct pl_buf *sum,
                      struct pl_error *err)
{
    struct pl_policy *policy = NULL;
    struct pl_scan_result r;
    uint64_t open = 0, new_ = 0, fixed = 0;
    pl_status rc;

    if ((rc = pl_policy_load(c->scan_policy[0] ? c->scan_policy : "default", &policy, err)) !=
        PL_OK)
        return rc;
    pl_scan_result_init(&r);
    {
        const struct pl_scan_opts o = {
            policy, NULL, 0, pl_clock_now(), SCAN_BATCH, getenv("PATCHLINE_PRODUCT_MAP"),
            -1,     false};

        rc = pl_scan_run(s, &o, &r, err);
    }
    if (rc == PL_OK) {
        for (size_t i = 0; i <= PL_MATCH_TIERS; i++) {
            open += r.match.open.n[i];
            new_ += r.match.new_.n[i];
            fixed += r.match.fixed.n[i];
        }
        pl_buf_addf(sum, "scanned %llu assets: %llu new, %llu fixed, %llu open findings",
                    (unsigned long long)r.match.assets, (unsigned long long)new_,
                    (unsigned long long)fixed, (unsigned long long)open);
    }
    pl_scan_result_release(&r);
    pl_policy_free(policy);
    return rc;
}

static pl_status snapshot(struct pl_store *s, struct pl_buf *sum, struct pl_error *err)
{
    struct pl_policy *policy = NULL;
    pl_time_t now = pl_clock_now();
    int64_t open = 0;
    int closed = 0;
    char day[PL_TIME_STR_LEN];
    pl_status rc;

    if ((rc = pl_match_policy_load(s, NULL, &policy, err)) != PL_OK)
        return rc;
    rc = pl_report_snapshot_day(s, now, policy, &open, &closed, err);
    pl_policy_free(policy);
    if (rc == PL_OK)
        pl_buf_addf(sum, "snapshot %s: %lld open findings; %d closed periods recorded",
                    pl_date_format(now, day), (long long)open, closed);
    return rc;
}

static pl_status deliver(struct pl_store *s, struct pl_buf *sum, struct pl_error *err)
{
    struct pl_notify_deliver_opts o = {.now = pl_clock_now()};
    struct pl_notify_summary n;
    pl_status rc = pl_notify_deliver(s, &o, &n, err);

    if (rc == PL_OK)
        pl_buf_addf(sum, "%lld events enqueued, %lld delivered, %lld to retry, %lld given up",
                    (long long)n.enqueued, (long long)n.delivered, (long long)n.retrying,
                    (long long)n.dead);
    return rc;
}

pl_status pl_sched_run(struct pl_store *s, enum pl_sched_job j, const struct pl_sched_config *c,
                       struct pl_buf *summary, struct pl_error *err)
{
    return pl_sched_run_as(s, j, c, NULL, summary, err);
}

pl_status pl_sched_job_parse(const char *name, enum pl_sched_job *j, struct pl_error *err)
{
    for (size_t i = 0; i < PL_SCHED_N_JOBS; i++)
        if (strcmp(name, pl_sched_job_name((enum pl_sched_job)i)) == 0) {
            *j = (enum pl_sched_job)i;
            return PL_OK;
        }
    return pl_error_set(err, PL_E_NOTFOUND,
                        "no job '%.64s' (feed-sync, scan, snapshot, notify-deliver)", name);
}

pl_status pl_sched_run_as(struct pl_store *s, enum pl_sched_job j, const struct pl_sched_config *c,
                          const struct pl_principal *who, struct pl_buf *summary,
                          struct pl_error *err)
{
    pl_status rc;

    if ((rc = act(s, j, who, err)) != PL_OK)
        return rc;
    if (j == PL_SCHED_NOTIFY_DELIVER) /* each delivery is recorded in a transaction of its own */
        return deliver(s, summary, err);
    if ((rc = pl_store_begin(s, err)) != PL_OK)
        return rc;
    switch (j) {
    case PL_SCHED_FEED_SYNC:
        rc = feed_sync(s, c, summary, err);
        break;
    case PL_SCHED_SCAN:
        rc = scan(s, c, summary, err);
        break;
    case PL_SCHED_SNAPSHOT:
        rc = snapshot(s, summary, err);
        break;
    default:
        rc = pl_error_set(err, PL_E_INVALID, "no such job");
        break;
    }
    if (rc != PL_OK) {
        pl_store_rollback(s);
        return rc;
    }
    return pl_store_commit(s, err);
}

pl_status pl_sched_audit(struct pl_store *s, enum pl_sched_job j, pl_time_t start, pl_time_t end,
                         bool ok, const char *summary, struct pl_error *err)
{
    return pl_sched_audit_as(s, j, NULL, start, end, ok, summary, err);
}

pl_status pl_sched_audit_as(struct pl_store *s, enum pl_sched_job j, const struct pl_principal *who,
                            pl_time_t start, pl_time_t end, bool ok, const char *summary,
                            struct pl_error *err)
{
    struct pl_buf d = PL_BUF_INIT(0);
    char t0[PL_TIME_STR_LEN], t1[PL_TIME_STR_LEN];
    pl_status rc;

    if ((rc = act(s, j, who, err)) != PL_OK)
        return rc;
    pl_buf_adds(&d, "{\"job\":");
    pl_escape_json_quoted(&d, pl_sched_job_name(j));
    pl_buf_addf(&d, ",\"start\":\"%s\",\"end\":\"%s\",\"outcome\":\"%s\",\"summary\":",
                pl_time_format(start, t0), pl_time_format(end, t1), ok ? "ok" : "failed");
    pl_escape_json_quoted(&d, summary ? summary : "");
    pl_buf_adds(&d, "}");
    if ((rc = pl_store_begin(s, err)) == PL_OK) {
        if ((rc = pl_store_audit(s, "schedule.run", pl_sched_job_name(j), pl_buf_cstr(&d), err)) !=
            PL_OK)
            pl_store_rollback(s);
        else
            rc = pl_store_commit(s, err);
    }
    pl_buf_release(&d);
    return rc;
}

void pl_sched_global_init(void)
{
    /* held for the server's life, so a run's own init and cleanup only count */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        pl_log(PL_LOG_WARN, "schedule", "libcurl did not start: runs that fetch will fail");
}

void pl_sched_global_cleanup(void)
{
    curl_global_cleanup();
}
