/*
 * cmd_housekeeping.c - `patchline housekeeping`: record what time alone
 * changes (exceptions reaching their expiry, false positives to review,
 * selector scopes, findings covered or back on their clock) at --now, each
 * change audited by the library. `scan` does the same after matching; the
 * reads (exception list/show, explain, report) never record anything.
 */
#include <getopt.h>
#include <stdio.h>

#include "patchline/exception.h"

#include "cli_int.h"

static const char housekeeping_usage[] =
    "usage: patchline housekeeping\n"
    "Record at --now what time alone changes: exceptions that reached their expiry\n"
    "(their findings back on their clocks), false positives to review after a newer\n"
    "feed import, selector scopes. Each change is audited. `scan` does this too.\n";

int pl__cli_cmd_housekeeping(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    struct pl_exception_apply_summary ex = {0};
    struct pl_error err = PL_ERROR_INIT;
    int c;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        if (c == 'h')
            return fputs(housekeeping_usage, stdout), PL_EXIT_OK;
        return fputs(housekeeping_usage, stderr), PL_EXIT_USAGE;
    }
    if (optind != argc)
        return pl__cli_usage(housekeeping_usage, "unexpected argument '%s'", argv[optind]);
    if (pl_exceptions_apply(cli->store, pl_clock_now(), &ex, &err) != PL_OK)
        return pl__cli_fail(cli, "housekeeping", &err);
    printf("exceptions: %zu expired, %zu false positives to review, %zu scopes changed; %zu "
           "findings newly covered, %zu back on their clock\n",
           ex.expired, ex.reviewed, ex.rescoped, ex.covered, ex.released);
    return PL_EXIT_OK;
}
