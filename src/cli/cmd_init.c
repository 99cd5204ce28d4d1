/*
 * cmd_init.c - `patchline init`: create the store or bring its schema up to date.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli_int.h"

static const char init_usage[] =
    "usage: patchline init [--db PATH]\n"
    "Create the store (a SQLite file) or migrate it to this version's schema.\n";

int pl_cmd_init(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    int c;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        if (c == 'h') {
            fputs(init_usage, stdout);
            return PL_EXIT_OK;
        }
        fputs(init_usage, stderr);
        return PL_EXIT_USAGE;
    }
    if (optind != argc)
        return pl_cli_usage(init_usage, "init takes no arguments");
    if (pl_store_audit(cli->store, "store.init", pl_buf_cstr(&cli->db_path), NULL, &err) != PL_OK)
        return pl_cli_fail(cli, "init", &err);
    pl_cli_line(stdout, "store %s ready (schema %d)", pl_buf_cstr(&cli->db_path),
                pl_store_schema_version(cli->store));
    return PL_EXIT_OK;
}
