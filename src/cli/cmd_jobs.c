/*
 * cmd_jobs.c - `patchline jobs [--limit N]` and `patchline jobs show JOB`.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "patchline/apply.h"
#include "patchline/parse.h"
#include "patchline/store_jobs.h"

#include "cli_int.h"

static const char jobs_usage[] =
    "usage: patchline jobs [--limit N] [--format table|json|csv]\n"
    "       patchline jobs show JOB\n"
    "List apply and rollback jobs, newest first (default 50), or show one job with its\n"
    "packages, verified findings and log.\n";

static int list_jobs(struct pl_cli *cli, int64_t limit)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_job_list l = {NULL, 0};
    struct pl_col cols[PL_JOB_N_COLS];
    struct pl_table t;
    int rc;

    if (pl_store_job_list(cli->store, (size_t)limit, &l, &err) != PL_OK)
        return pl__cli_fail(cli, "jobs", &err);
    pl__cli_cols_of(cols, pl_job_col_names, pl_job_col_types, PL_JOB_N_COLS);
    pl__cli_table_init(&t, cols, PL_JOB_N_COLS);
    for (size_t i = 0; i < l.n; i++) {
        struct pl_job_cells c;

        pl_job_cells(&l.items[i], &c);
        for (size_t k = 0; k < PL_JOB_N_COLS; k++)
            pl__cli_table_cell(&t, c.v[k]);
    }
    rc = pl__cli_table_render(&t, pl__cli_format(cli), stdout);
    pl__cli_table_release(&t);
    pl_job_list_release(&l);
    return rc;
}

/* Every line holds text from the store (names, versions, paths, commands): pl__cli_lines. */
static int show_job(struct pl_cli *cli, const char *arg)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_job_detail d;
    struct pl_buf b = PL_BUF_INIT(0);
    int64_t id;

    if (pl_parse_i64(arg, &id, &err) != PL_OK || id < 1)
        return pl__cli_usage(jobs_usage, "'%s' is not a job id", arg);
    if (pl_store_job_get(cli->store, id, &d, &err) != PL_OK)
        return pl__cli_fail(cli, "jobs show", &err);
    pl_job_detail_text(&b, &d);
    pl__cli_lines(stdout, pl_buf_cstr(&b));
    pl_buf_release(&b);
    pl_job_detail_release(&d);
    return PL_EXIT_OK;
}

/* jobs [--limit N] | jobs show JOB: *limit, and *show the job's argument (NULL: the list). */
int pl__cli_jobs_args(int argc, char **argv, int64_t *limit, const char **show)
{
    static const struct option longopts[] = {
        {"limit", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    int c;

    *limit = 50;
    *show = NULL;
    optind = 0;
    while ((c = getopt_long(argc, argv, "+l:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'l':
            if (pl_parse_i64(optarg, limit, &err) != PL_OK || *limit < 1)
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
        *show = argv[optind + 1];
        return -1;
    }
    if (optind != argc)
        return pl__cli_usage(jobs_usage, "unexpected argument '%s'", argv[optind]);
    return -1;
}

int pl__cli_cmd_jobs(int argc, char **argv, struct pl_cli *cli)
{
    const char *show = NULL;
    int64_t limit = 50;
    int rc;

    if ((rc = pl__cli_jobs_args(argc, argv, &limit, &show)) >= 0)
        return rc;
    return show ? show_job(cli, show) : list_jobs(cli, limit);
}
