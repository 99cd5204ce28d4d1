/*
 * cmd_packages.c - `patchline packages ASSET`: the packages of one asset.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli_int.h"

static const char packages_usage[] =
    "usage: patchline packages ASSET [--format table|json|csv]\n"
    "List the installed packages of one asset, given by id or unique name.\n";

int pl__cli_cmd_packages(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    struct pl_package_list list = {NULL, 0, 0};
    struct pl_col cols[PL_PACKAGE_N_COLS];
    struct pl_table t;
    int64_t id;
    int c, rc;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        if (c == 'h') {
            fputs(packages_usage, stdout);
            return PL_EXIT_OK;
        }
        fputs(packages_usage, stderr);
        return PL_EXIT_USAGE;
    }
    if (optind + 1 != argc)
        return pl__cli_usage(packages_usage,
                             optind == argc ? "missing ASSET" : "too many arguments");
    if (pl_store_asset_resolve(cli->store, argv[optind], &id, &err) != PL_OK ||
        pl_store_package_list(cli->store, id, &list, &err) != PL_OK)
        return pl__cli_fail(cli, "packages", &err);
    pl__cli_cols_of(cols, pl_package_col_names, pl_package_col_types, PL_PACKAGE_N_COLS);
    pl__cli_table_init(&t, cols, PL_PACKAGE_N_COLS);
    for (size_t i = 0; i < list.n; i++) {
        const char *v[PL_PACKAGE_N_COLS];

        pl_package_cells(&list.items[i], v);
        for (size_t k = 0; k < PL_PACKAGE_N_COLS; k++)
            pl__cli_table_cell(&t, v[k]);
    }
    rc = pl__cli_table_render(&t, pl__cli_format(cli), stdout);
    pl__cli_table_release(&t);
    pl_package_list_release(&list);
    return rc;
}
