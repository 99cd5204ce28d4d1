/*
 * rollouts.c - the report's rollouts section: the apply jobs the executor
 * recorded in the period (jobs, job_packages, job_log), each with its
 * rollout and wave, asset, outcome and, for a failed health check, the
 * check's command. Read only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/store_jobs.h"

#include "report_int.h"

/* Every job of the store is read (newest first); far above any estate's history. */
#define JOBS_READ 1000000

static char *dup_or_null(const char *s)
{
    return s ? pl__report_clip(s) : NULL;
}

/* "tar 1.34+dfsg-1.2 → 1.34+dfsg-1.2+deb12u1"; "and N more". */
static char *packages_text(const struct pl_job_detail *d)
{
    struct pl_buf b = PL_BUF_INIT(0);
    char *out;

    for (size_t i = 0; i < d->n_packages && i < 3; i++) {
        const struct pl_job_package *p = &d->packages[i];

        pl_buf_addf(&b, "%s%s %s → %s", i ? "; " : "", p->package ? p->package : "",
                    p->before_version ? p->before_version : "(none)",
                    p->target_version ? p->target_version : "(latest)");
    }
    if (d->n_packages > 3)
        pl_buf_addf(&b, "; and %zu more", d->n_packages - 3);
    out = pl__report_clip(pl_buf_cstr(&b));
    pl_buf_release(&b);
    return out;
}

/* The health check's command (its last log line of step "health"), NULL when none ran. */
static char *health_check(const struct pl_job_detail *d)
{
    for (size_t i = d->n_log; i > 0; i--)
        if (d->log[i - 1].step && strcmp(d->log[i - 1].step, "health") == 0 && d->log[i - 1].argv)
            return pl__report_clip(d->log[i - 1].argv);
    return NULL;
}

pl_status pl__report_load_rollouts(struct pl_store *s, struct pl_report *r, struct pl_error *err)
{
    struct pl_job_list l = {0};
    pl_status rc = pl_store_job_list(s, JOBS_READ, &l, err);

    if (rc != PL_OK)
        return rc;
    for (size_t i = 0; i < l.n && rc == PL_OK; i++) {
        const struct pl_job *j = &l.items[i];
        struct pl_report_rollout *x;
        struct pl_job_detail d;

        if (!j->kind || strcmp(j->kind, "apply") != 0 || j->created_at < r->from ||
            j->created_at >= r->to)
            continue;
        r->jobs_total++;
        if (j->status && strcmp(j->status, "succeeded") == 0)
            r->jobs_succeeded++;
        else if (j->status && strcmp(j->status, "rolled-back") == 0)
            r->jobs_rolled_back++;
        else if (j->status && strcmp(j->status, "running") != 0)
            r->jobs_failed++;
        if (r->n_rollouts == PL_MAX_REPORT_ROWS)
            continue;
        if ((rc = pl_store_job_get(s, j->id, &d, err)) != PL_OK)
            break;
        if (r->rollouts == NULL)
            r->rollouts = pl_xcalloc(PL_MAX_REPORT_ROWS, sizeof(*r->rollouts));
        x = &r->rollouts[r->n_rollouts++];
        x->job = j->id;
        x->rollout = j->rollout_id;
        x->wave = j->wave;
        x->asset = dup_or_null(j->asset_name);
        x->status = dup_or_null(j->status);
        x->health = dup_or_null(j->health);
        x->error = dup_or_null(j->error);
        x->packages = packages_text(&d);
        x->check = health_check(&d);
        x->started = j->created_at;
        x->finished = j->finished_at;
        pl_job_detail_release(&d);
    }
    pl_job_list_release(&l);
    return rc;
}

void pl__report_rollouts_release(struct pl_report *r)
{
    for (size_t i = 0; i < r->n_rollouts; i++) {
        struct pl_report_rollout *x = &r->rollouts[i];

        free(x->asset);
        free(x->status);
        free(x->health);
        free(x->error);
        free(x->packages);
        free(x->check);
    }
    free(r->rollouts);
    r->rollouts = NULL;
    r->n_rollouts = 0;
}

/* "rolled back: the health check failed", "applied", ... */
static const char *outcome(const struct pl_report_rollout *x)
{
    const char *st = x->status ? x->status : "";

    if (strcmp(st, "succeeded") == 0)
        return "applied";
    if (strcmp(st, "rolled-back") == 0)
        return x->health && strcmp(x->health, "failed") == 0
                   ? "rolled back: its health check failed"
                   : "rolled back";
    if (strcmp(st, "rollback-failed") == 0)
        return "failed, and its rollback failed too";
    if (strcmp(st, "running") == 0)
        return "running (or interrupted)";
    return "failed";
}

/* "rollout 1, wave 1" or "direct apply" into buf. */
static const char *where(const struct pl_report_rollout *x, char *buf, size_t size)
{
    if (x->rollout > 0)
        snprintf(buf, size, "rollout %lld, wave %lld", (long long)x->rollout, (long long)x->wave);
    else
        snprintf(buf, size, "direct apply");
    return buf;
}

static const char *summary_text(const struct pl_report *r, char *buf, size_t size)
{
    snprintf(buf, size,
             "%s apply jobs in the period: %s applied, %s rolled back, %s failed otherwise.",
             pl__report_n(r->jobs_total), pl__report_n(r->jobs_succeeded),
             pl__report_n(r->jobs_rolled_back), pl__report_n(r->jobs_failed));
    return buf;
}

void pl__report_html_rollouts(const struct pl_report *r, struct pl_buf *b)
{
    char s[256], w[64], t0[PL_TIME_STR_LEN], t1[PL_TIME_STR_LEN];

    pl_buf_addf(b, "<h2>Rollouts</h2>\n<p>%s", summary_text(r, s, sizeof(s)));
    if (r->jobs_total == 0) {
        pl_buf_adds(b, " No patch was applied through Patchline's executor in this period.</p>\n");
        return;
    }
    pl_buf_adds(b, "</p>\n<table class=\"rollouts\"><tr><th>Job</th><th>Rollout</th><th>Asset"
                   "</th><th>Packages</th><th>Outcome</th><th>Health check</th><th>Started</th>"
                   "<th>Finished</th></tr>\n");
    for (size_t i = 0; i < r->n_rollouts; i++) {
        const struct pl_report_rollout *x = &r->rollouts[i];

        pl_buf_addf(b, "<tr><td>%lld</td><td class=\"t\">%s</td><td class=\"t\">",
                    (long long)x->job, where(x, w, sizeof(w)));
        pl__report_esc(b, x->asset);
        pl_buf_adds(b, "</td><td class=\"t\">");
        pl__report_esc(b, x->packages);
        pl_buf_addf(b, "</td><td class=\"t\">%s</td><td class=\"t\">", outcome(x));
        if (x->check) {
            pl__report_esc(b, x->check);
            pl_buf_adds(b, ": ");
        }
        pl__report_esc(b, x->health ? x->health : "none");
        pl_buf_addf(b, "</td><td class=\"t\">%s</td><td class=\"t\">%s</td></tr>\n",
                    pl_time_format(x->started, t0),
                    x->finished ? pl_time_format(x->finished, t1) : "-");
    }
    pl_buf_adds(b, "</table>\n");
    if (r->jobs_total > (int64_t)r->n_rollouts)
        pl_buf_addf(b, "<p class=\"sub\">and %s more (the latest are listed).</p>\n",
                    pl__report_n(r->jobs_total - (int64_t)r->n_rollouts));
}

void pl__report_md_rollouts(const struct pl_report *r, struct pl_buf *b)
{
    char s[256], w[64], t0[PL_TIME_STR_LEN], t1[PL_TIME_STR_LEN];

    pl_buf_addf(b, "\n## Rollouts\n\n%s\n", summary_text(r, s, sizeof(s)));
    if (r->n_rollouts == 0)
        return;
    pl_buf_adds(b, "\n| Job | Rollout | Asset | Packages | Outcome | Health check | Started | "
                   "Finished |\n|---:|---|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < r->n_rollouts; i++) {
        const struct pl_report_rollout *x = &r->rollouts[i];

        pl_buf_addf(b, "| %lld | %s | ", (long long)x->job, where(x, w, sizeof(w)));
        pl__report_md_text(b, x->asset);
        pl_buf_adds(b, " | ");
        pl__report_md_text(b, x->packages);
        pl_buf_addf(b, " | %s | ", outcome(x));
        if (x->check) {
            pl__report_md_text(b, x->check);
            pl_buf_adds(b, ": ");
        }
        pl__report_md_text(b, x->health ? x->health : "none");
        pl_buf_addf(b, " | %s | %s |\n", pl_time_format(x->started, t0),
                    x->finished ? pl_time_format(x->finished, t1) : "-");
    }
}

static void jstr(struct pl_buf *b, const char *key, const char *s)
{
    pl_buf_addf(b, ",\"%s\":", key);
    if (s)
        pl_escape_json_quoted(b, s);
    else
        pl_buf_adds(b, "null");
}

void pl__report_json_rollouts(const struct pl_report *r, struct pl_buf *b)
{
    char t0[PL_TIME_STR_LEN], t1[PL_TIME_STR_LEN];

    pl_buf_addf(b,
                ",\"rollouts\":{\"jobs\":%lld,\"applied\":%lld,\"rolled_back\":%lld,"
                "\"failed\":%lld,\"latest\":[",
                (long long)r->jobs_total, (long long)r->jobs_succeeded,
                (long long)r->jobs_rolled_back, (long long)r->jobs_failed);
    for (size_t i = 0; i < r->n_rollouts; i++) {
        const struct pl_report_rollout *x = &r->rollouts[i];

        pl_buf_addf(b, "%s{\"job\":%lld", i ? "," : "", (long long)x->job);
        if (x->rollout > 0)
            pl_buf_addf(b, ",\"rollout\":%lld,\"wave\":%lld", (long long)x->rollout,
                        (long long)x->wave);
        else
            pl_buf_adds(b, ",\"rollout\":null,\"wave\":null");
        jstr(b, "asset", x->asset);
        jstr(b, "packages", x->packages);
        jstr(b, "status", x->status);
        jstr(b, "outcome", outcome(x));
        jstr(b, "health", x->health);
        jstr(b, "health_check", x->check);
        jstr(b, "error", x->error);
        pl_buf_addf(b, ",\"started\":\"%s\",\"finished\":", pl_time_format(x->started, t0));
        if (x->finished)
            pl_buf_addf(b, "\"%s\"}", pl_time_format(x->finished, t1));
        else
            pl_buf_adds(b, "null}");
    }
    pl_buf_adds(b, "]}");
}
