/*
 * cmd_inventory.c - `patchline inventory collect [--root DIR] [--name NAME]`:
 * record this host (or an image/chroot) and its packages; `inventory import`
 * of discovery sources and `inventory export` as a CMDB CSV.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "patchline/inventory.h"

#include "cli_int.h"

static const char collect_usage[] =
    "usage: patchline inventory collect [--root DIR] [--name NAME]\n"
    "Record this host as an asset with its installed packages (dpkg, rpm or apk),\n"
    "os-release, running kernel, reboot-required flag and last-patched date.\n"
    "  --root DIR   read an image or chroot under DIR instead (kernel unknown)\n"
    "  --name NAME  asset name (default: the hostname)\n";

int pl__cli_cmd_inventory_collect(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"root", required_argument, NULL, 'r'},
        {"name", required_argument, NULL, 'N'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_collect_opts opts = {NULL, NULL};
    struct pl_collect_summary sum;
    struct pl_error err = PL_ERROR_INIT;
    int c;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+r:N:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'r':
            opts.root = optarg;
            break;
        case 'N':
            opts.name = optarg;
            break;
        case 'h':
            fputs(collect_usage, stdout);
            return PL_EXIT_OK;
        default:
            fputs(collect_usage, stderr);
            return PL_EXIT_USAGE;
        }
    }
    if (optind != argc)
        return pl__cli_usage(collect_usage, "unexpected argument '%s'", argv[optind]);
    if (pl_inventory_collect(cli->store, &opts, &sum, &err) != PL_OK)
        return pl__cli_fail(cli, "inventory collect", &err);
    pl__cli_line(stdout, "asset %lld %s: %zu %s packages, %zu added, %zu updated, %zu removed",
                 (long long)sum.asset_id, sum.created ? "created" : "updated", sum.n_packages,
                 sum.ecosystem, sum.sync.added, sum.sync.updated, sum.sync.removed);
    return PL_EXIT_OK;
}

static void print_kind(const char *name, const char *summary, void *data)
{
    fprintf(data, "  %-17s %s\n", name, summary);
}

static const char import_usage[] =
    "usage: patchline inventory import [--scope SCOPE] [--map COLUMN=FIELD]...\n"
    "                                  [--query EXPR | --columns LIST] [KIND] FILE\n"
    "Record the assets a discovery source saw (FILE may be gzip or xz; '-' is standard\n"
    "input and needs KIND). Without KIND the kind is detected from the first bytes.\n"
    "Importing the same file again changes nothing but last-seen times.\n"
    "  --scope SCOPE      network scope of private addresses (e.g. the VPC id an Nmap\n"
    "                     scan ran in), so that they match the cloud's view; default\n"
    "                     'default'\n"
    "  --map COLUMN=FIELD CSV only: read COLUMN as FIELD (name, key, owner, environment,\n"
    "                     criticality, exposure, os, os_version, os_family, ip, mac,\n"
    "                     fqdn, hostname, tags, kind, cloud_id, serial, scope, ignore)\n"
    "  --query EXPR       aws-ec2, aws-rds, aws-lambda: the --query the AWS CLI ran; its\n"
    "                     final list [a,b,...] names the columns of json, text or table\n"
    "                     output (default: the commands in docs/inventory-import.md)\n"
    "  --columns LIST     the same columns as a comma-separated list of fields\n"
    "Kinds:\n";

int pl__cli_cmd_inventory_import(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"scope", required_argument, NULL, 's'}, {"map", required_argument, NULL, 'm'},
        {"query", required_argument, NULL, 'q'}, {"columns", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
    };
    const char *maps[64];
    struct pl_inv_import_opts opts = {NULL, false, maps, 0, NULL, NULL};
    struct pl_inv_import_stats st;
    struct pl_error err = PL_ERROR_INIT;
    const char *kind = NULL, *path, *used = NULL;
    int c;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+s:m:q:c:h", longopts, NULL)) != -1) {
        if (c == 's') {
            opts.scope = optarg;
        } else if (c == 'q') {
            opts.query = optarg;
        } else if (c == 'c') {
            opts.columns = optarg;
        } else if (c == 'm') {
            if (opts.n_map == PL_ARRAY_LEN(maps))
                return pl__cli_usage(import_usage, "more than %zu --map options",
                                     PL_ARRAY_LEN(maps));
            maps[opts.n_map++] = optarg;
        } else if (c == 'h') {
            fputs(import_usage, stdout);
            pl_inventory_import_kinds(print_kind, stdout);
            return PL_EXIT_OK;
        } else {
            fputs(import_usage, stderr);
            return PL_EXIT_USAGE;
        }
    }
    if (argc - optind < 1 || argc - optind > 2)
        return pl__cli_usage(import_usage, "want [KIND] FILE");
    if (argc - optind == 2)
        kind = argv[optind++];
    path = argv[optind];
    if (pl_inventory_import(cli->store, kind, path, &opts, &st, &used, &err) != PL_OK)
        return pl__cli_fail(cli, "inventory import", &err);
    pl__cli_line(stdout, "%s %s: %llu records, %llu assets created, %llu merged, %llu skipped",
                 used, path, (unsigned long long)st.records, (unsigned long long)st.created,
                 (unsigned long long)st.merged, (unsigned long long)st.skipped);
    return PL_EXIT_OK;
}

static const char export_usage[] =
    "usage: patchline inventory export [--format csv|json] [--select SELECTOR]\n"
    "Write the assets as a CMDB CSV that 'inventory import csv' reads back: name, kind,\n"
    "owner, environment, criticality, exposure, OS, identifiers (fqdn, hostname, ip,\n"
    "mac, cloud_id, serial), network scope, tags, last patched, and the outstanding\n"
    "vulnerabilities: open findings per tier (tier0..tier4, unscored) and overdue (at --now).\n";

struct export
{
    struct pl_store *s;
    struct pl_table t;
};

static pl_status export_row(void *ctx, const struct pl_asset_info *x, struct pl_error *err)
{
    struct export *e = ctx;
    struct pl_asset_export_cells c;
    pl_status rc;

    if ((rc = pl_asset_export_cells(e->s, x, &c, err)) == PL_OK)
        for (size_t i = 0; i < PL_ASSET_EXPORT_N_COLS; i++)
            pl__cli_table_cell(&e->t, c.v[i]);
    pl_asset_export_cells_release(&c);
    return rc;
}

int pl__cli_cmd_inventory_export(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"select", required_argument, NULL, 'S'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_asset_selector sel = {0};
    struct pl_asset_query q = {0};
    struct pl_error err = PL_ERROR_INIT;
    struct export e = {cli->store, {0}};
    struct pl_col cols[PL_ASSET_EXPORT_N_COLS];
    int c, rc;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+S:h", longopts, NULL)) != -1) {
        if (c == 'S' && !sel.text) {
            if (pl_asset_selector_parse(optarg, &sel, &err) != PL_OK)
                return pl__cli_fail(cli, "inventory export", &err);
            q.select = &sel;
        } else if (c == 'h') {
            fputs(export_usage, stdout);
            return PL_EXIT_OK;
        } else {
            pl_asset_selector_release(&sel);
            fputs(export_usage, stderr);
            return PL_EXIT_USAGE;
        }
    }
    if (optind != argc) {
        pl_asset_selector_release(&sel);
        return pl__cli_usage(export_usage, "unexpected argument '%s'", argv[optind]);
    }
    q.now = pl_clock_now();
    /* row by row: the export of a million assets holds one */
    pl__cli_cols_of(cols, pl_asset_export_col_names, pl_asset_export_col_types,
                    PL_ASSET_EXPORT_N_COLS);
    pl__cli_table_stream(&e.t, cols, PL_ASSET_EXPORT_N_COLS, pl__cli_format(cli), stdout);
    if (pl_store_asset_each(cli->store, &q, export_row, &e, &err) != PL_OK) {
        pl__cli_table_release(&e.t);
        rc = pl__cli_fail(cli, "inventory export", &err);
    } else {
        rc = pl__cli_table_finish(&e.t);
    }
    pl_asset_selector_release(&sel);
    return rc;
}
