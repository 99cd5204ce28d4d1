/*
 * cmd_audit.c - `patchline audit [--limit N]`: the audit log, newest last.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "patchline/escape.h"
#include "patchline/parse.h"
#include "patchline/store_auth.h"

#include "cli_int.h"

static const char audit_usage[] =
    "usage: patchline audit [--limit N] [--format table|json|csv]\n"
    "       patchline audit verify     check the keyed chain (exit 3 at the first bad event)\n"
    "       patchline audit export     every event as JSON lines, then the chain's head\n"
    "List the most recent audit events (default 50). 'simulated' marks events made\n"
    "under --now / PATCHLINE_NOW; 'at_real' is always the wall clock.\n";

int pl__cli_audit_verdict(const struct pl_audit_verdict *vp)
{
    const struct pl_audit_verdict v = *vp;

    if (!v.intact) {
        pl__cli_line(stdout, "audit chain BROKEN at event %lld: %s", (long long)v.bad_seq, v.why);
        return PL_EXIT_CHECK;
    }
    if (v.pending)
        pl__cli_line(stdout,
                     "%lld event(s) outside the chain wait to be sealed by an account that holds "
                     "the key",
                     (long long)v.pending);
    if (v.checkpoint_count < 0)
        pl__cli_line(stdout, "audit chain intact: %lld events, head %.16s (no checkpoint yet)",
                     (long long)v.count, v.count ? v.head : "-");
    else
        pl__cli_line(stdout, "audit chain intact: %lld events, head %.16s, checkpoint at %lld",
                     (long long)v.count, v.count ? v.head : "-", (long long)v.checkpoint_count);
    return PL_EXIT_OK;
}

static int audit_verify(struct pl_cli *cli)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_audit_verdict v;

    if (pl_store_audit_verify(cli->store, &v, &err) != PL_OK)
        return pl__cli_fail(cli, "audit verify", &err);
    return pl__cli_audit_verdict(&v);
}

static pl_status export_one(const struct pl_audit_full *e, void *arg, struct pl_error *err)
{
    struct pl_buf *b = arg;

    (void)err;
    pl_buf_reset(b);
    pl_audit_export_line(b, e);
    fputs(pl_buf_cstr(b), stdout);
    return PL_OK;
}

static int audit_export(struct pl_cli *cli)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b;
    char mac[2 * PL_AUDIT_MAC_LEN + 1];
    int64_t count = 0;
    int rc = PL_EXIT_OK;

    pl_buf_init(&b, 0);
    if (pl_store_audit_each(cli->store, export_one, &b, &err) != PL_OK ||
        pl_store_audit_head(cli->store, &count, mac, &err) != PL_OK)
        rc = pl__cli_fail(cli, "audit export", &err);
    else {
        pl_buf_reset(&b);
        pl_audit_export_head(&b, count, mac);
        fputs(pl_buf_cstr(&b), stdout);
    }
    pl_buf_release(&b);
    return rc;
}

int pl__cli_cmd_audit(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"limit", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    struct pl_audit_list list = {NULL, 0};
    struct pl_col cols[PL_AUDIT_N_COLS];
    struct pl_table t;
    int64_t limit = 50;
    int c, rc;

    if (argc >= 2 && (strcmp(argv[1], "verify") == 0 || strcmp(argv[1], "export") == 0)) {
        if (argc > 2 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
            fputs(audit_usage, stdout);
            return PL_EXIT_OK;
        }
        if (argc != 2)
            return pl__cli_usage(audit_usage, "audit %s takes no argument", argv[1]);
        return strcmp(argv[1], "verify") == 0 ? audit_verify(cli) : audit_export(cli);
    }
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
    pl__cli_cols_of(cols, pl_audit_col_names, pl_audit_col_types, PL_AUDIT_N_COLS);
    pl__cli_table_init(&t, cols, PL_AUDIT_N_COLS);
    for (size_t i = 0; i < list.n; i++) {
        struct pl_audit_cells cells;

        pl_audit_cells(&list.items[i], &cells);
        for (size_t k = 0; k < PL_AUDIT_N_COLS; k++)
            pl__cli_table_cell(&t, cells.v[k]);
    }
    rc = pl__cli_table_render(&t, pl__cli_format(cli), stdout);
    pl__cli_table_release(&t);
    pl_audit_list_release(&list);
    return rc;
}
