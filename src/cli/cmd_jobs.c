/*
 * cmd_jobs.c - `patchline jobs [--limit N]` and `patchline jobs show JOB`.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "patchline/parse.h"
#include "patchline/store_jobs.h"

#include "cli_int.h"

static const char jobs_usage[] =
    "usage: patchline jobs [--limit N] [--format table|json|csv]\n"
    "       patchline jobs show JOB\n"
    "List apply and rollback jobs, newest first (default 50), or show one job with its\n"
    "packages, verified findings and log.\n";

static const struct pl_col job_cols[] = {
    {"id", PL_COL_INT},        {"kind", PL_COL_TEXT},    {"asset", PL_COL_TEXT},
    {"executor", PL_COL_TEXT}, {"status", PL_COL_TEXT},  {"health", PL_COL_TEXT},
    {"parent", PL_COL_INT},    {"created", PL_COL_TEXT}, {"finished", PL_COL_TEXT},
};

static int list_jobs(struct pl_cli *cli, int64_t limit)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_job_list l = {NULL, 0};
    struct pl_table t;
    int rc;

    if (pl_store_job_list(cli->store, (size_t)limit, &l, &err) != PL_OK)
        return pl__cli_fail(cli, "jobs", &err);
    pl__cli_table_init(&t, job_cols, PL_ARRAY_LEN(job_cols));
    for (size_t i = 0; i < l.n; i++) {
        const struct pl_job *j = &l.items[i];

        pl__cli_table_cell_i64(&t, j->id);
        pl__cli_table_cell(&t, j->kind);
        pl__cli_table_cell(&t, j->asset_name);
        pl__cli_table_cell(&t, j->executor);
        pl__cli_table_cell(&t, j->status);
        pl__cli_table_cell(&t, j->health);
        if (j->parent_id)
            pl__cli_table_cell_i64(&t, j->parent_id);
        else
            pl__cli_table_cell(&t, NULL);
        pl__cli_table_cell_time(&t, j->created_at, false);
        pl__cli_table_cell_time(&t, j->finished_at, j->finished_at == 0);
    }
    rc = pl__cli_table_render(&t, pl__cli_format(cli), stdout);
    pl__cli_table_release(&t);
    pl_job_list_release(&l);
    return rc;
}

/* Print text indented by four blanks, line by line (each terminal-escaped). */
static void indented(const char *s)
{
    while (s && *s) {
        size_t n = strcspn(s, "\n");

        pl__cli_line(stdout, "    %.*s", (int)n, s);
        s += n;
        if (*s == '\n')
            s++;
    }
}

/* Every line holds text from the store (names, versions, paths, commands): pl__cli_line. */
static void show_head(const struct pl_job *j)
{
    char a[32], b[32];

    pl__cli_line(stdout, "job %lld: %s of asset %lld (%s) with %s, root %s", (long long)j->id,
                 j->kind, (long long)j->asset_id, j->asset_name, j->executor, j->root);
    if (j->parent_id)
        pl__cli_line(stdout, "rolls back: job %lld", (long long)j->parent_id);
    pl__cli_line(stdout, "status: %s%s%s", j->status, j->error ? ": " : "",
                 j->error ? j->error : "");
    pl__cli_line(stdout, "health: %s; reboot: %s", j->health ? j->health : "-",
                 j->reboot ? j->reboot : "-");
    pl__cli_line(stdout, "created: %s; finished: %s; by %s", pl_time_format(j->created_at, a),
                 j->finished_at ? pl_time_format(j->finished_at, b) : "-", j->actor);
    pl__cli_line(stdout, "kept files: %s", j->keep_dir ? j->keep_dir : "-");
}

static void show_detail(const struct pl_job_detail *d)
{
    char at[32], code[24];

    show_head(&d->job);
    printf("packages:\n");
    for (size_t i = 0; i < d->n_packages; i++) {
        const struct pl_job_package *p = &d->packages[i];

        pl__cli_line(stdout, "  %s: %s -> %s (target %s), kept: %s%s%s", p->package,
                     p->before_version ? p->before_version : "-",
                     p->after_version ? p->after_version : "-", p->target_version,
                     p->kept_how ? p->kept_how : "none", p->kept_file ? " " : "",
                     p->kept_file ? p->kept_file : "");
    }
    printf("findings:\n");
    for (size_t i = 0; i < d->n_findings; i++)
        pl__cli_line(stdout, "  %lld %s: %s (version seen %s)",
                     (long long)d->findings[i].finding_id, d->findings[i].vuln_id,
                     d->findings[i].outcome,
                     d->findings[i].version_seen ? d->findings[i].version_seen : "-");
    printf("log:\n");
    for (size_t i = 0; i < d->n_log; i++) {
        const struct pl_job_log_line *l = &d->log[i];

        code[0] = '\0';
        if (l->has_exit && snprintf(code, sizeof(code), " [exit %d]", l->exit_code) < 0)
            code[0] = '\0';
        pl__cli_line(stdout, "  %s %s:%s%s%s", pl_time_format(l->at, at), l->step,
                     l->argv ? " $ " : "", l->argv ? l->argv : "", code);
        indented(l->message);
    }
}

static int show_job(struct pl_cli *cli, const char *arg)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_job_detail d;
    int64_t id;

    if (pl_parse_i64(arg, &id, &err) != PL_OK || id < 1)
        return pl__cli_usage(jobs_usage, "'%s' is not a job id", arg);
    if (pl_store_job_get(cli->store, id, &d, &err) != PL_OK)
        return pl__cli_fail(cli, "jobs show", &err);
    show_detail(&d);
    pl_job_detail_release(&d);
    return PL_EXIT_OK;
}

int pl__cli_cmd_jobs(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"limit", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    int64_t limit = 50;
    int c;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+l:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'l':
            if (pl_parse_i64(optarg, &limit, &err) != PL_OK || limit < 1)
                return pl__cli_usage(jobs_usage, "--limit: want a positive number, not '%s'",
                                     optarg);
            break;
        case 'h':
            fputs(jobs_usage, stdout);
            return PL_EXIT_OK;
        default:
            fputs(jobs_usage, stderr);
            return PL_EXIT_USAGE;
        }
    }
    if (optind < argc && strcmp(argv[optind], "show") == 0) {
        if (optind + 2 != argc)
            return pl__cli_usage(jobs_usage, "jobs show: give one job id");
        return show_job(cli, argv[optind + 1]);
    }
    if (optind != argc)
        return pl__cli_usage(jobs_usage, "unexpected argument '%s'", argv[optind]);
    return list_jobs(cli, limit);
}
