/*
 * cmd_assets.c - `patchline assets`: the asset inventory.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli_int.h"

static const char assets_usage[] = "usage: patchline assets [--format table|json|csv]\n"
                                   "List the assets in the inventory with their package counts.\n";

static const struct pl_col asset_cols[] = {
    {"id", PL_COL_INT},         {"name", PL_COL_TEXT},
    {"kind", PL_COL_TEXT},      {"env", PL_COL_TEXT},
    {"owner", PL_COL_TEXT},     {"exposure", PL_COL_TEXT},
    {"os", PL_COL_TEXT},        {"packages", PL_COL_INT},
    {"last_seen", PL_COL_TEXT}, {"last_patched", PL_COL_TEXT},
};

static void os_cell(struct pl_table *t, const struct pl_asset *a)
{
    if (a->os_name && a->os_version)
        pl_table_cellf(t, "%s %s", a->os_name, a->os_version);
    else
        pl_table_cell(t, a->os_name);
}

int pl_cmd_assets(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    struct pl_asset_list list = {NULL, 0};
    struct pl_table t;
    int c, rc;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        if (c == 'h') {
            fputs(assets_usage, stdout);
            return PL_EXIT_OK;
        }
        fputs(assets_usage, stderr);
        return PL_EXIT_USAGE;
    }
    if (optind != argc)
        return pl_cli_usage(assets_usage, "unexpected argument '%s'", argv[optind]);
    if (pl_store_asset_list(cli->store, &list, &err) != PL_OK)
        return pl_cli_fail(cli, "assets", &err);
    pl_table_init(&t, asset_cols, PL_ARRAY_LEN(asset_cols));
    for (size_t i = 0; i < list.n; i++) {
        const struct pl_asset *a = &list.items[i];

        pl_table_cell_i64(&t, a->id);
        pl_table_cell(&t, a->name);
        pl_table_cell(&t, a->kind);
        pl_table_cell(&t, a->environment);
        pl_table_cell(&t, a->owner);
        pl_table_cell(&t, a->exposure);
        os_cell(&t, a);
        pl_table_cell_i64(&t, a->n_packages);
        pl_table_cell_time(&t, a->last_seen, false);
        pl_table_cell_time(&t, a->last_patched, !a->has_last_patched);
    }
    rc = pl_table_render(&t, pl_cli_format(cli), stdout);
    pl_table_release(&t);
    pl_asset_list_release(&list);
    return rc;
}
