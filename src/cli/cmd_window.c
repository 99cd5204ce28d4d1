/*
 * cmd_window.c - `patchline window next --cron EXPR [--tz TZ] [--after TIME]
 * [--count N] [--offset DAYS]`: the next start times of a maintenance
 * window, one UTC timestamp per line. Needs no store.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "patchline/cron.h"
#include "patchline/parse.h"
#include "patchline/tz.h"

#include "cli_int.h"

static const char window_next_usage[] =
    "usage: patchline window next --cron EXPR [--tz ZONE] [--after TIME] [--count N]\n"
    "                             [--offset DAYS]\n"
    "Print the next N (default 1, at most 10000) start times strictly after TIME\n"
    "(default: now, or --now) as YYYY-MM-DDTHH:MM:SSZ, one per line. EXPR is a\n"
    "five-field cron expression, an AWS 'cron(m h dom mon dow year)' or\n"
    "'rate(N minutes|hours|days)', evaluated in ZONE (an IANA name, default UTC).\n"
    "--offset moves each start DAYS local days later (AWS ScheduleOffset).\n"
    "See docs/windows.md for the syntax and the daylight-saving policy.\n";

struct next_opts {
    const char *cron, *tz;
    pl_time_t after;
    int64_t count, offset;
};

static int parse_opts(int argc, char **argv, struct next_opts *o)
{
    static const struct option longopts[] = {
        {"cron", required_argument, NULL, 'c'},
        {"tz", required_argument, NULL, 'z'},
        {"after", required_argument, NULL, 'a'},
        {"count", required_argument, NULL, 'n'},
        {"offset", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    int c;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+c:z:a:n:o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            o->cron = optarg;
            break;
        case 'z':
            o->tz = optarg;
            break;
        case 'a':
            if (pl_time_parse(optarg, &o->after, &err) != PL_OK)
                return pl_cli_usage(window_next_usage, "--after: %s", err.msg);
            break;
        case 'n':
            if (pl_parse_i64(optarg, &o->count, &err) != PL_OK || o->count < 1 ||
                o->count > PL_MAX_WINDOW_COUNT)
                return pl_cli_usage(window_next_usage,
                                    "--count: want a number from 1 to %d, not '%s'",
                                    PL_MAX_WINDOW_COUNT, optarg);
            break;
        case 'o':
            if (pl_parse_i64(optarg, &o->offset, &err) != PL_OK || o->offset < 0 || o->offset > 365)
                return pl_cli_usage(window_next_usage,
                                    "--offset: want a number of days from 0 to 365, not '%s'",
                                    optarg);
            break;
        case 'h':
            fputs(window_next_usage, stdout);
            return -1;
        default:
            fputs(window_next_usage, stderr);
            return PL_EXIT_USAGE;
        }
    }
    if (optind != argc)
        return pl_cli_usage(window_next_usage,
                            "named windows ('%s') need a plan file (not yet supported); use --cron",
                            argv[optind]);
    if (!o->cron)
        return pl_cli_usage(window_next_usage, "--cron is required");
    return PL_EXIT_OK;
}

int pl_cmd_window_next(int argc, char **argv, struct pl_cli *cli)
{
    struct next_opts o = {NULL, "UTC", pl_clock_now(), 1, 0};
    struct pl_error err = PL_ERROR_INIT;
    struct pl_window w = {0};
    struct pl_tz *tz = NULL;
    pl_time_t *starts;
    size_t n = 0;
    pl_status rc;
    int exit_code = parse_opts(argc, argv, &o);

    if (exit_code != PL_EXIT_OK)
        return exit_code < 0 ? PL_EXIT_OK : exit_code;
    if (pl_cron_parse(o.cron, &w.cron, &err) != PL_OK) {
        (void)pl_cli_fail(cli, "window next", &err);
        return PL_EXIT_USAGE;
    }
    if (pl_tz_load(o.tz, &tz, &err) != PL_OK) {
        exit_code = pl_cli_fail(cli, "window next", &err);
        return err.code == PL_E_NOTFOUND ? PL_EXIT_USAGE : exit_code;
    }
    w.tz = tz;
    w.offset_days = (int)o.offset;
    if (!(starts = calloc((size_t)o.count, sizeof(*starts)))) {
        pl_tz_free(tz);
        return PL_EXIT_ERROR;
    }
    rc = pl_window_next(&w, o.after, (size_t)o.count, starts, &n, &err);
    for (size_t i = 0; i < n; i++) {
        char buf[PL_TIME_STR_LEN];

        printf("%s\n", pl_time_format(starts[i], buf));
    }
    exit_code = rc == PL_OK ? PL_EXIT_OK : pl_cli_fail(cli, "window next", &err);
    free(starts);
    pl_tz_free(tz);
    return exit_code;
}
