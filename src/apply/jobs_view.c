/*
 * jobs_view.c - what `jobs` and `jobs show` print, for the CLI and the API
 * alike: a job's row, cell by cell, and a job's detail as text.
 */
#include <stdio.h>
#include <string.h>

#include "patchline/apply.h"

const char *const pl_job_col_names[PL_JOB_N_COLS] = {
    "id", "kind", "asset", "executor", "status", "health", "parent", "created", "finished",
};
const enum pl_cell_type pl_job_col_types[PL_JOB_N_COLS] = {
    PL_CELL_INT,  PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT, PL_CELL_TEXT,
    PL_CELL_TEXT, PL_CELL_INT,  PL_CELL_TEXT, PL_CELL_TEXT,
};

void pl_job_cells(const struct pl_job *j, struct pl_job_cells *c)
{
    memset(c, 0, sizeof(*c));
    snprintf(c->id, sizeof(c->id), "%lld", (long long)j->id);
    snprintf(c->parent, sizeof(c->parent), "%lld", (long long)j->parent_id);
    c->v[0] = c->id;
    c->v[1] = j->kind;
    c->v[2] = j->asset_name;
    c->v[3] = j->executor;
    c->v[4] = j->status;
    c->v[5] = j->health;
    c->v[6] = j->parent_id ? c->parent : NULL;
    c->v[7] = pl_time_format(j->created_at, c->created);
    c->v[8] = j->finished_at ? pl_time_format(j->finished_at, c->finished) : NULL;
}

/* Text indented by four blanks, line by line. */
static void indented(struct pl_buf *b, const char *s)
{
    while (s && *s) {
        size_t n = strcspn(s, "\n");

        pl_buf_addf(b, "    %.*s\n", (int)n, s);
        s += n;
        if (*s == '\n')
            s++;
    }
}

static void head(struct pl_buf *b, const struct pl_job *j)
{
    char a[PL_TIME_STR_LEN], c[PL_TIME_STR_LEN];

    pl_buf_addf(b, "job %lld: %s of asset %lld (%s) with %s, root %s\n", (long long)j->id, j->kind,
                (long long)j->asset_id, j->asset_name, j->executor, j->root);
    if (j->parent_id)
        pl_buf_addf(b, "rolls back: job %lld\n", (long long)j->parent_id);
    pl_buf_addf(b, "status: %s%s%s\n", j->status, j->error ? ": " : "", j->error ? j->error : "");
    pl_buf_addf(b, "health: %s; reboot: %s\n", j->health ? j->health : "-",
                j->reboot ? j->reboot : "-");
    pl_buf_addf(b, "created: %s; finished: %s; by %s\n", pl_time_format(j->created_at, a),
                j->finished_at ? pl_time_format(j->finished_at, c) : "-", j->actor);
    pl_buf_addf(b, "kept files: %s\n", j->keep_dir ? j->keep_dir : "-");
}

void pl_job_detail_text(struct pl_buf *b, const struct pl_job_detail *d)
{
    char at[PL_TIME_STR_LEN];

    head(b, &d->job);
    pl_buf_adds(b, "packages:\n");
    for (size_t i = 0; i < d->n_packages; i++) {
        const struct pl_job_package *p = &d->packages[i];

        pl_buf_addf(b, "  %s: %s -> %s (target %s), kept: %s%s%s\n", p->package,
                    p->before_version ? p->before_version : "-",
                    p->after_version ? p->after_version : "-", p->target_version,
                    p->kept_how ? p->kept_how : "none", p->kept_file ? " " : "",
                    p->kept_file ? p->kept_file : "");
    }
    pl_buf_adds(b, "findings:\n");
    for (size_t i = 0; i < d->n_findings; i++)
        pl_buf_addf(b, "  %lld %s: %s (version seen %s)\n", (long long)d->findings[i].finding_id,
                    d->findings[i].vuln_id, d->findings[i].outcome,
                    d->findings[i].version_seen ? d->findings[i].version_seen : "-");
    pl_buf_adds(b, "log:\n");
    for (size_t i = 0; i < d->n_log; i++) {
        const struct pl_job_log_line *l = &d->log[i];

        pl_buf_addf(b, "  %s %s:%s%s", pl_time_format(l->at, at), l->step, l->argv ? " $ " : "",
                    l->argv ? l->argv : "");
        if (l->has_exit)
            pl_buf_addf(b, " [exit %d]", l->exit_code);
        pl_buf_addch(b, '\n');
        indented(b, l->message);
    }
}
