/*
 * cmd_audit.c - `patchline audit [--limit N]`: the audit log, newest last.
 */
#include <getopt.h>
#include <stdio.h>

#include "patchline/parse.h"

#include "cli_int.h"

static const char audit_usage[] =
    "usage: patchline audit [--limit N] [--format table|json|csv]\n"
    "List the most recent audit events (default 50). 'simulated' marks events made\n"
    "under --now / PATCHLINE_NOW; 'at_real' is always the wall clock.\n";

static const struct pl_col audit_cols[] = {
    {"id", PL_COL_INT},         {"at", PL_COL_TEXT},     {"at_real", PL_COL_TEXT},
    {"simulated", PL_COL_BOOL}, {"actor", PL_COL_TEXT},  {"action", PL_COL_TEXT},
    {"object", PL_COL_TEXT},    {"detail", PL_COL_TEXT},
};

int pl__cli_cmd_audit(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"limit", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    struct pl_audit_list list = {NULL, 0};
    struct pl_table t;
    int64_t limit = 50;
    int c, rc;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+l:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'l':
            if (pl_parse_i64(optarg, &limit, &err) != PL_OK || limit < 1)
                return pl__cli_usage(audit_usage, "--limit: want a positive number, not '%s'",
                                     optarg);
            break;
        case 'h':
            fputs(audit_usage, stdout);
            return PL_EXIT_OK;
        default:
            fputs(audit_usage, stderr);
            return PL_EXIT_USAGE;
        }
    }
    if (optind != argc)
        return pl__cli_usage(audit_usage, "unexpected argument '%s'", argv[optind]);
    if (pl_store_audit_list(cli->store, (size_t)limit, &list, &err) != PL_OK)
        return pl__cli_fail(cli, "audit", &err);
    pl__cli_table_init(&t, audit_cols, PL_ARRAY_LEN(audit_cols));
    for (size_t i = 0; i < list.n; i++) {
        const struct pl_audit_event *e = &list.items[i];

        pl__cli_table_cell_i64(&t, e->id);
        pl__cli_table_cell_time(&t, e->at, false);
        pl__cli_table_cell_time(&t, e->at_real, false);
        pl__cli_table_cell(&t, e->simulated ? "true" : "false");
        pl__cli_table_cell(&t, e->actor);
        pl__cli_table_cell(&t, e->action);
        pl__cli_table_cell(&t, e->object);
        pl__cli_table_cell(&t, e->detail);
    }
    rc = pl__cli_table_render(&t, pl__cli_format(cli), stdout);
    pl__cli_table_release(&t);
    pl_audit_list_release(&list);
    return rc;
}
