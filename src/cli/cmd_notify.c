/*
 * cmd_notify.c - `patchline notify add|list|remove|deliver`: signed
 * webhooks (docs/identity.md, "Webhooks"). The rules, the signature and the
 * delivery are in the notify module.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "patchline/notify.h"
#include "patchline/parse.h"

#include "cli_int.h"

static const char notify_usage[] =
    "usage: patchline notify add URL --secret-file FILE [--event EVENT,...] [--expiring-days N]\n"
    "       patchline notify list\n"
    "       patchline notify remove ID\n"
    "       patchline notify deliver [--max N]\n"
    "Events: tier0-opened, sla-breached, approval-waiting, exception-expiring (default: all).\n"
    "The secret (16 to 256 bytes) is read from FILE ('-': standard input), never from the\n"
    "command line. URL: https, or plain http to a loopback address. deliver sends the\n"
    "events due, signed (X-Patchline-Signature), and retries failures with back-off.\n";

static bool wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(notify_usage, stdout);
            return true;
        }
    return false;
}

int pl__cli_cmd_notify_add(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"secret-file", required_argument, NULL, 's'},
        {"event", required_argument, NULL, 'e'},
        {"expiring-days", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_notify_add a = {0};
    struct pl_error err = PL_ERROR_INIT;
    char names[96];
    int64_t id = 0, days;
    int c;

    optind = 0;
    while ((c = getopt_long(argc, argv, "s:e:d:h", longopts, NULL)) != -1) {
        switch (c) {
        case 's':
            a.secret_path = optarg;
            break;
        case 'e':
            if (pl_notify_events_parse(optarg, &a.events, &err) != PL_OK)
                return pl__cli_usage(notify_usage, "%s", err.msg);
            break;
        case 'd':
            if (pl_parse_i64(optarg, &days, &err) != PL_OK || days < 1 || days > 365)
                return pl__cli_usage(notify_usage, "--expiring-days: want 1 to 365");
            a.expiring_days = (int)days;
            break;
        case 'h':
            fputs(notify_usage, stdout);
            return PL_EXIT_OK;
        default:
            fputs(notify_usage, stderr);
            return PL_EXIT_USAGE;
        }
    }
    if (optind + 1 != argc)
        return pl__cli_usage(notify_usage, "notify add: want one URL");
    if (a.secret_path == NULL)
        return pl__cli_usage(notify_usage, "notify add: want --secret-file FILE");
    a.url = argv[optind];
    if (pl_notify_add(cli->store, &a, pl_clock_now(), &id, &err) != PL_OK)
        return pl__cli_fail(cli, "notify add", &err);
    pl__cli_line(
        stdout, "notifier %lld added: %s", (long long)id,
        pl_notify_events_format(a.events ? a.events : PL_NOTIFY_EV_ALL, names, sizeof(names)));
    return PL_EXIT_OK;
}

int pl__cli_cmd_notify_list(int argc, char **argv, struct pl_cli *cli)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_notifier_row *rows = NULL;
    struct pl_col cols[PL_NOTIFIER_N_COLS];
    struct pl_table t;
    size_t n = 0;
    int rc;

    if (wants_help(argc, argv))
        return PL_EXIT_OK;
    if (argc != 1)
        return pl__cli_usage(notify_usage, "notify list takes no argument");
    if (pl_notify_list(cli->store, &rows, &n, &err) != PL_OK)
        return pl__cli_fail(cli, "notify list", &err);
    pl__cli_cols_of(cols, pl_notifier_col_names, pl_notifier_col_types, PL_NOTIFIER_N_COLS);
    pl__cli_table_init(&t, cols, PL_NOTIFIER_N_COLS);
    for (size_t i = 0; i < n; i++) {
        struct pl_notifier_cells c;

        pl_notifier_cells(&rows[i], &c);
        for (size_t k = 0; k < PL_NOTIFIER_N_COLS; k++)
            pl__cli_table_cell(&t, c.v[k]);
    }
    rc = pl__cli_table_render(&t, pl__cli_format(cli), stdout);
    pl__cli_table_release(&t);
    pl_notifier_rows_release(rows, n);
    return rc;
}

int pl__cli_cmd_notify_remove(int argc, char **argv, struct pl_cli *cli)
{
    struct pl_error err = PL_ERROR_INIT;
    int64_t id = 0;

    if (wants_help(argc, argv))
        return PL_EXIT_OK;
    if (argc != 2 || pl_parse_i64(argv[1], &id, &err) != PL_OK || id < 1)
        return pl__cli_usage(notify_usage, "notify remove: want one notifier ID (a number)");
    if (pl_notify_remove(cli->store, id, pl_clock_now(), &err) != PL_OK)
        return pl__cli_fail(cli, "notify remove", &err);
    pl__cli_line(stdout, "notifier %lld removed", (long long)id);
    return PL_EXIT_OK;
}

int pl__cli_cmd_notify_deliver(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"max", required_argument, NULL, 'm'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_notify_deliver_opts o = {.now = pl_clock_now()};
    struct pl_notify_summary sum;
    struct pl_error err = PL_ERROR_INIT;
    int64_t max;
    int c, rc;

    optind = 0;
    while ((c = getopt_long(argc, argv, "m:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'm':
            if (pl_parse_i64(optarg, &max, &err) != PL_OK || max < 1 || max > 10000)
                return pl__cli_usage(notify_usage, "--max: want 1 to 10000");
            o.max = (size_t)max;
            break;
        case 'h':
            fputs(notify_usage, stdout);
            return PL_EXIT_OK;
        default:
            fputs(notify_usage, stderr);
            return PL_EXIT_USAGE;
        }
    }
    if (optind != argc)
        return pl__cli_usage(notify_usage, "notify deliver takes no argument");
    if ((rc = pl__cli_act(cli)) != PL_EXIT_OK)
        return rc;
    if (pl_notify_deliver(cli->store, &o, &sum, &err) != PL_OK)
        return pl__cli_fail(cli, "notify deliver", &err);
    pl__cli_line(stdout, "%lld events enqueued, %lld delivered, %lld to retry, %lld given up",
                 (long long)sum.enqueued, (long long)sum.delivered, (long long)sum.retrying,
                 (long long)sum.dead);
    return PL_EXIT_OK;
}
