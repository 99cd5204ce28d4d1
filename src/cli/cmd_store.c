/*
 * cmd_store.c - `patchline store copy --from SRC --to DST`: move a store to
 * another backend (SQLite to PostgreSQL and back; docs/store.md).
 */
#include <getopt.h>
#include <stdio.h>

#include "cli_int.h"

static const char copy_usage[] =
    "usage: patchline store copy [--from SRC] --to DST\n"
    "Copy every row of the store SRC (default: --db, else PATCHLINE_DB, else the default\n"
    "store) into DST, a new or empty store: a file path or a postgresql:// URL. Ids,\n"
    "the mode (real or simulated) and the audit chain are kept; the audit key and\n"
    "checkpoint files are copied beside DST. One transaction: each table's rows are\n"
    "counted and digested in DST before the commit, and a copy that differs changes\n"
    "nothing. Prints each table that has rows, with their count and digest.\n";

int pl__cli_cmd_store_copy(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"from", required_argument, NULL, 'f'},
        {"to", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    struct pl_store_copy_result res;
    const char *from = NULL, *to = NULL;
    int64_t rows = 0;
    int c;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        if (c == 'f') {
            from = optarg;
        } else if (c == 't') {
            to = optarg;
        } else {
            fputs(copy_usage, c == 'h' ? stdout : stderr);
            return c == 'h' ? PL_EXIT_OK : PL_EXIT_USAGE;
        }
    }
    if (optind != argc)
        return pl__cli_usage(copy_usage, "store copy takes no arguments");
    if (to == NULL)
        return pl__cli_usage(copy_usage, "store copy needs --to DST");
    if (from == NULL) {
        if (pl_store_default_path(cli->db_opt, &cli->db_path, &err) != PL_OK)
            return pl__cli_fail(cli, "store copy", &err);
        from = pl_buf_cstr(&cli->db_path);
    }
    if (pl_store_copy(from, to, &res, &err) != PL_OK) {
        pl_store_copy_result_free(&res);
        return pl__cli_fail(cli, "store copy", &err);
    }
    for (size_t i = 0; i < res.n_tables; i++) {
        if (res.tables[i].rows == 0)
            continue;
        pl__cli_line(stdout, "%-24s %10lld  %.16s", res.tables[i].name,
                     (long long)res.tables[i].rows, res.tables[i].digest_hex);
        rows += res.tables[i].rows;
    }
    pl__cli_line(stdout, "copied %zu tables, %lld rows", res.n_tables, (long long)rows);
    pl_store_copy_result_free(&res);
    return PL_EXIT_OK;
}
