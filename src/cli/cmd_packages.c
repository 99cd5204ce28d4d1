/*
 * cmd_packages.c - `patchline packages ASSET`: the packages of one asset.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli_int.h"

static const char packages_usage[] =
    "usage: patchline packages ASSET [--format table|json|csv]\n"
    "List the installed packages of one asset, given by id or unique name.\n";

static const struct pl_col package_cols[] = {
    {"name", PL_COL_TEXT},   {"version", PL_COL_TEXT},        {"arch", PL_COL_TEXT},
    {"source", PL_COL_TEXT}, {"source_version", PL_COL_TEXT}, {"ecosystem", PL_COL_TEXT},
};

int pl__cli_cmd_packages(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    struct pl_package_list list = {NULL, 0, 0};
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
    pl__cli_table_init(&t, package_cols, PL_ARRAY_LEN(package_cols));
    for (size_t i = 0; i < list.n; i++) {
        const struct pl_package *p = &list.items[i];

        pl__cli_table_cell(&t, p->name);
        pl__cli_table_cell(&t, p->version);
        pl__cli_table_cell(&t, p->arch);
        pl__cli_table_cell(&t, p->source_name);
        pl__cli_table_cell(&t, p->source_version);
        pl__cli_table_cell(&t, p->ecosystem);
    }
    rc = pl__cli_table_render(&t, pl__cli_format(cli), stdout);
    pl__cli_table_release(&t);
    pl_package_list_release(&list);
    return rc;
}
