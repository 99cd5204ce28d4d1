/*
 * cmd_inventory.c - `patchline inventory collect [--root DIR] [--name NAME]`:
 * record this host (or an image/chroot) and its packages.
 */
#include <getopt.h>
#include <stdio.h>

#include "patchline/inventory.h"

#include "cli_int.h"

static const char collect_usage[] =
    "usage: patchline inventory collect [--root DIR] [--name NAME]\n"
    "Record this host as an asset with its installed packages (dpkg, rpm or apk),\n"
    "os-release, running kernel, reboot-required flag and last-patched date.\n"
    "  --root DIR   read an image or chroot under DIR instead (kernel unknown)\n"
    "  --name NAME  asset name (default: the hostname)\n";

int pl_cmd_inventory_collect(int argc, char **argv, struct pl_cli *cli)
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
        return pl_cli_usage(collect_usage, "unexpected argument '%s'", argv[optind]);
    if (pl_inventory_collect(cli->store, &opts, &sum, &err) != PL_OK)
        return pl_cli_fail(cli, "inventory collect", &err);
    printf("asset %lld %s: %zu %s packages, %zu added, %zu updated, %zu removed\n",
           (long long)sum.asset_id, sum.created ? "created" : "updated", sum.n_packages,
           sum.ecosystem, sum.sync.added, sum.sync.updated, sum.sync.removed);
    return PL_EXIT_OK;
}
