/*
 * cmd_snapshot.c - `patchline snapshot`: record today's backlog (idempotent).
 */
#include <getopt.h>
#include <stdio.h>

#include "patchline/match.h"
#include "patchline/policy.h"
#include "patchline/report.h"

#include "cli_int.h"

static const char snapshot_usage[] =
    "usage: patchline snapshot\n"
    "Record the backlog of open findings per tier and severity for the UTC day of --now\n"
    "(a second run the same day replaces it). Run it daily: the report's backlog trend\n"
    "and quarter-on-quarter comparison come from these snapshots. It also closes the\n"
    "month and the quarter that ended before --now, once: their figures are recorded as\n"
    "they are then, and the reports' trends read them back (never recomputed).\n";

int pl__cli_cmd_snapshot(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    pl_time_t now = pl_clock_now();
    char day[16];
    struct pl_policy *policy = NULL;
    int64_t open = 0;
    int c, closed = 0;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        if (c == 'h') {
            fputs(snapshot_usage, stdout);
            return PL_EXIT_OK;
        }
        fputs(snapshot_usage, stderr);
        return PL_EXIT_USAGE;
    }
    if (optind != argc)
        return pl__cli_usage(snapshot_usage, "unexpected argument '%s'", argv[optind]);
    if (pl_match_policy_load(cli->store, NULL, &policy, &err) != PL_OK)
        return pl__cli_fail(cli, "snapshot", &err);
    if (pl_report_snapshot_day(cli->store, now, policy, &open, &closed, &err) != PL_OK) {
        pl_policy_free(policy);
        return pl__cli_fail(cli, "snapshot", &err);
    }
    pl_policy_free(policy);
    pl_date_format(now, day);
    if (closed)
        printf("snapshot %s: %lld open findings; %d closed period%s recorded\n", day,
               (long long)open, closed, closed == 1 ? "" : "s");
    else
        printf("snapshot %s: %lld open findings\n", day, (long long)open);
    return PL_EXIT_OK;
}
