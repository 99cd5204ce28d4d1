/*
 * cmd_snapshot.c - `patchline snapshot`: record today's backlog (idempotent).
 */
#include <getopt.h>
#include <stdio.h>

#include "patchline/report.h"

#include "cli_int.h"

static const char snapshot_usage[] =
    "usage: patchline snapshot\n"
    "Record the backlog of open findings per tier and severity for the UTC day of --now\n"
    "(a second run the same day replaces it). Run it daily: the report's backlog trend\n"
    "and quarter-on-quarter comparison come from these snapshots.\n";

int pl_cmd_snapshot(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    pl_time_t now = pl_clock_now();
    char day[16];
    int64_t open = 0;
    int c;

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
        return pl_cli_usage(snapshot_usage, "unexpected argument '%s'", argv[optind]);
    if (pl_report_snapshot(cli->store, now, &open, &err) != PL_OK)
        return pl_cli_fail(cli, "snapshot", &err);
    pl_date_format(now, day);
    printf("snapshot %s: %lld open findings\n", day, (long long)open);
    return PL_EXIT_OK;
}
