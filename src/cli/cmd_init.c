/*
 * cmd_init.c - `patchline init`: create the store or bring its schema up to
 * date, and say whether it is real or simulated (docs/security.md).
 */
#include <getopt.h>
#include <stdio.h>

#include "cli_int.h"

static const char init_usage[] =
    "usage: patchline init [--db PATH] [--simulated]\n"
    "Create the store (a SQLite file) or migrate it to this version's schema.\n"
    "A store is real or simulated for life. A real store records every state\n"
    "change at the real time (--now only serves what-if reads); a simulated one\n"
    "follows --now. A store is simulated when made by 'init --simulated' or by a\n"
    "first command given --now or PATCHLINE_NOW; real otherwise.\n"
    "  --simulated    make a simulated store (refused on an existing real store)\n";

int pl__cli_cmd_init(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"simulated", no_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    bool simulated = false;
    int c, rc;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        if (c == 's') {
            simulated = true;
            continue;
        }
        fputs(init_usage, c == 'h' ? stdout : stderr);
        return c == 'h' ? PL_EXIT_OK : PL_EXIT_USAGE;
    }
    if (optind != argc)
        return pl__cli_usage(init_usage, "init takes no arguments");
    if ((rc = pl__cli_open_store(cli, PL_STORE_CREATE | (simulated ? PL_STORE_SIMULATED : 0),
                                 false)) != PL_EXIT_OK)
        return rc;
    if (simulated && !pl_store_simulated(cli->store)) {
        pl__cli_warn("init: store '%s' is real and stays real: a store is real or "
                     "simulated for life (use another --db for a simulated one)",
                     pl_buf_cstr(&cli->db_path));
        return PL_EXIT_USAGE;
    }
    if ((rc = pl__cli_begin(cli)) != PL_EXIT_OK)
        return rc;
    if (pl_store_audit(cli->store, "store.init", pl_buf_cstr(&cli->db_path),
                       pl_store_mode_name(cli->store), &err) != PL_OK)
        return pl__cli_end(cli, pl__cli_fail(cli, "init", &err));
    if ((rc = pl__cli_end(cli, PL_EXIT_OK)) != PL_EXIT_OK)
        return rc;
    pl__cli_line(stdout, "store %s ready (schema %d)", pl_buf_cstr(&cli->db_path),
                 pl_store_schema_version(cli->store));
    pl__cli_line(stdout, "mode: %s", pl_store_mode_name(cli->store));
    return PL_EXIT_OK;
}
