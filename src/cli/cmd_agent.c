/*
 * cmd_agent.c - `patchline agent`: enrolment tokens, the enrolled hosts,
 * their jobs, revocation (docs/agent.md). The rules are the fleet module's.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "patchline/auth.h"
#include "patchline/fleet.h"

#include "cli_int.h"

static const char agent_usage[] =
    "usage: patchline agent token create [--expires DURATION] [--tag KEY=VALUE...]\n"
    "                                     (default 24h, at most 30d; printed once)\n"
    "       patchline agent list\n"
    "       patchline agent jobs\n"
    "       patchline agent revoke HOST\n";

static bool wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(agent_usage, stdout);
            return true;
        }
    return false;
}

int pl__cli_cmd_agent_token(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"expires", required_argument, NULL, 'e'},
        {"tag", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    const char *tags[32];
    size_t n_tags = 0;
    char tok[PL_FLEET_TOKEN_LEN + 1], until[PL_TIME_STR_LEN];
    int64_t life = PL_FLEET_ENROL_DEFAULT, id = 0;
    int c;

    optind = 0;
    while ((c = getopt_long(argc, argv, "e:t:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'e':
            if (pl_auth_token_lifetime(optarg, &life, &err) != PL_OK)
                return pl__cli_usage(agent_usage, "--expires: %s", err.msg);
            break;
        case 't':
            if (n_tags == PL_ARRAY_LEN(tags))
                return pl__cli_usage(agent_usage, "--tag: at most 32");
            tags[n_tags++] = optarg;
            break;
        case 'h':
            fputs(agent_usage, stdout);
            return PL_EXIT_OK;
        default:
            fputs(agent_usage, stderr);
            return PL_EXIT_USAGE;
        }
    }
    if (optind + 1 != argc || strcmp(argv[optind], "create") != 0)
        return pl__cli_usage(agent_usage, "agent token: want 'create'");
    if (pl_fleet_token_create(cli->store, life, tags, n_tags, pl_clock_now(), tok, &id, &err) !=
        PL_OK)
        return pl__cli_fail(cli, "agent token create", &err);
    pl__cli_line(stdout, "enrolment token %lld, single use, expires %s; shown once:", (long long)id,
                 pl_time_format(pl_clock_now() + life, until));
    printf("%s\n", tok);
    memset(tok, 0, sizeof(tok));
    return PL_EXIT_OK;
}

int pl__cli_cmd_agent_list(int argc, char **argv, struct pl_cli *cli)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_agent_row *rows = NULL;
    struct pl_col cols[PL_AGENT_N_COLS];
    struct pl_table t;
    size_t n = 0;
    int rc;

    if (wants_help(argc, argv))
        return PL_EXIT_OK;
    if (argc != 1)
        return pl__cli_usage(agent_usage, "agent list takes no argument");
    if (pl_fleet_list(cli->store, &rows, &n, &err) != PL_OK)
        return pl__cli_fail(cli, "agent list", &err);
    pl__cli_cols_of(cols, pl_agent_col_names, pl_agent_col_types, PL_AGENT_N_COLS);
    pl__cli_table_init(&t, cols, PL_AGENT_N_COLS);
    for (size_t i = 0; i < n; i++) {
        struct pl_agent_cells c;

        pl_agent_cells(&rows[i], &c);
        for (size_t k = 0; k < PL_AGENT_N_COLS; k++)
            pl__cli_table_cell(&t, c.v[k]);
    }
    rc = pl__cli_table_render(&t, pl__cli_format(cli), stdout);
    pl__cli_table_release(&t);
    pl_agent_rows_release(rows, n);
    return rc;
}

int pl__cli_cmd_agent_jobs(int argc, char **argv, struct pl_cli *cli)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_agent_job *jobs = NULL;
    struct pl_col cols[PL_AGENT_JOB_N_COLS];
    struct pl_table t;
    size_t n = 0;
    int rc;

    if (wants_help(argc, argv))
        return PL_EXIT_OK;
    if (argc != 1)
        return pl__cli_usage(agent_usage, "agent jobs takes no argument");
    if (pl_fleet_jobs(cli->store, &jobs, &n, &err) != PL_OK)
        return pl__cli_fail(cli, "agent jobs", &err);
    pl__cli_cols_of(cols, pl_agent_job_col_names, pl_agent_job_col_types, PL_AGENT_JOB_N_COLS);
    pl__cli_table_init(&t, cols, PL_AGENT_JOB_N_COLS);
    for (size_t i = 0; i < n; i++) {
        struct pl_agent_job_cells c;

        pl_agent_job_cells(&jobs[i], &c);
        for (size_t k = 0; k < PL_AGENT_JOB_N_COLS; k++)
            pl__cli_table_cell(&t, c.v[k]);
        pl_agent_job_cells_release(&c);
    }
    rc = pl__cli_table_render(&t, pl__cli_format(cli), stdout);
    pl__cli_table_release(&t);
    pl_agent_jobs_release(jobs, n);
    return rc;
}

int pl__cli_cmd_agent_revoke(int argc, char **argv, struct pl_cli *cli)
{
    struct pl_error err = PL_ERROR_INIT;

    if (wants_help(argc, argv))
        return PL_EXIT_OK;
    if (argc != 2)
        return pl__cli_usage(agent_usage, "agent revoke: want one HOST");
    if (pl_fleet_revoke(cli->store, argv[1], pl_clock_now(), &err) != PL_OK)
        return pl__cli_fail(cli, "agent revoke", &err);
    pl__cli_line(stdout, "agent '%s' revoked: its credential is refused from now on", argv[1]);
    return PL_EXIT_OK;
}
