/*
 * cmd_software.c - `patchline software [ASSET] [--unmapped]`: the
 * third-party software of the assets with the product each is matched as.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "patchline/match.h"

#include "cli_int.h"

static const char software_usage[] =
    "usage: patchline software [ASSET] [--unmapped] [--format table|json|csv]\n"
    "List the third-party software of every asset (or of ASSET, by id or unique\n"
    "name): packages of non-OS ecosystems (MDM applications, SBOM components)\n"
    "with the CPE and class the product map gives them, and the CPEs the asset\n"
    "is known by (scanners, appliances). 'compared' says whether its versions\n"
    "are matched against NVD configurations. --unmapped lists instead the\n"
    "names no rule maps, most frequent first. The product map is the shipped\n"
    "rules after those of the file PATCHLINE_PRODUCT_MAP names\n"
    "(docs/third-party.md).\n";

static pl_status on_software(void *ctx, const struct pl_software *sw, struct pl_error *err)
{
    struct pl_table *t = ctx;

    const char *v[PL_SOFTWARE_N_COLS];

    (void)err;
    pl_software_cells(sw, v);
    for (size_t i = 0; i < PL_SOFTWARE_N_COLS; i++)
        pl__cli_table_cell(t, v[i]);
    return PL_OK;
}

static pl_status on_unmapped(void *ctx, const char *ecosystem, const char *name, uint64_t count,
                             struct pl_error *err)
{
    struct pl_table *t = ctx;

    (void)err;
    pl__cli_table_cell_i64(t, (int64_t)count);
    pl__cli_table_cell(t, ecosystem);
    pl__cli_table_cell(t, name);
    return PL_OK;
}

int pl__cli_cmd_software(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"unmapped", no_argument, NULL, 'u'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    struct pl_product_map *map = NULL;
    struct pl_col cols[PL_SOFTWARE_N_COLS];
    struct pl_table t;
    bool unmapped = false;
    int64_t id = 0;
    pl_status st;
    int c, rc;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        if (c == 'h') {
            fputs(software_usage, stdout);
            return PL_EXIT_OK;
        }
        if (c == 'u') {
            unmapped = true;
            continue;
        }
        fputs(software_usage, stderr);
        return PL_EXIT_USAGE;
    }
    if (optind + 1 < argc || (unmapped && optind < argc))
        return pl__cli_usage(software_usage,
                             unmapped ? "--unmapped takes no ASSET" : "too many arguments");
    if ((optind < argc && pl_store_asset_resolve(cli->store, argv[optind], &id, &err) != PL_OK) ||
        pl_product_map_load(getenv("PATCHLINE_PRODUCT_MAP"), &map, &err) != PL_OK)
        return pl__cli_fail(cli, "software", &err);
    if (unmapped) {
        pl__cli_cols_of(cols, pl_unmapped_col_names, pl_unmapped_col_types, PL_UNMAPPED_N_COLS);
        pl__cli_table_stream(&t, cols, PL_UNMAPPED_N_COLS, pl__cli_format(cli), stdout);
        st = pl_match_software_unmapped(cli->store, map, on_unmapped, &t, &err);
    } else {
        pl__cli_cols_of(cols, pl_software_col_names, pl_software_col_types, PL_SOFTWARE_N_COLS);
        pl__cli_table_stream(&t, cols, PL_SOFTWARE_N_COLS, pl__cli_format(cli), stdout);
        st = pl_match_software_each(cli->store, map, id, on_software, &t, &err);
    }
    rc = pl__cli_table_finish(&t);
    pl_product_map_free(map);
    if (st != PL_OK)
        return pl__cli_fail(cli, "software", &err);
    return rc;
}
