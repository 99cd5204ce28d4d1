/*
 * cmd_synth.c - `patchline inventory synthesize`: a deterministic synthetic
 * estate with real Debian 12 package versions, for the demo and benchmarks.
 */
#include <getopt.h>
#include <stdio.h>

#include "patchline/file.h"
#include "patchline/parse.h"
#include "patchline/synth.h"

#include "cli_int.h"

static const char synth_usage[] =
    "usage: patchline inventory synthesize [--assets N] [--seed N] [--behind F]\n"
    "           [--kernel-behind F] [--hosts-only] [--min-packages N --max-packages N]\n"
    "           [--base STATUS] [--security PACKAGES | --index TSV]\n"
    "           [--linux [--sets TSV] [--first N]]\n"
    "Generate a deterministic estate: on-prem hosts, cloud instances, Kubernetes nodes and\n"
    "container images in prod/staging/dev, whose packages are real Debian 12 versions (a\n"
    "real dpkg status file upgraded per asset to the bookworm-security versions; a share F\n"
    "of the updatable packages, and of the kernels, stays behind). Defaults: 2000 assets,\n"
    "seed 1, --behind 0.10, --kernel-behind 0.30, the bundled data files.\n"
    "--index TSV: a binary package index of the release (suite, package, version,\n"
    "architecture, source, source_version, ...; suite 'bookworm' and its '-security' and\n"
    "'-updates'): packages come at their update's version, or one update behind (the\n"
    "release's version) with probability F; hosts asking for more packages than the base\n"
    "set get real ones drawn from the index.\n"
    "--linux: N Amazon Linux 2023 and Ubuntu 22.04/24.04 hosts instead (the bundled\n"
    "linux-estate.tsv.xz, or --sets TSV), their own assets beside the Debian estate;\n"
    "--first N leaves the hosts before the Nth as they are (new hosts N.. joining, or\n"
    "a change to them alone: each host's draws depend on its number only).\n";

static int parse_share(const char *opt, const char *v, double *out)
{
    if (pl_parse_double(v, out, NULL) != PL_OK || *out < 0 || *out > 1)
        return pl__cli_usage(synth_usage, "%s: want a share between 0 and 1, not '%s'", opt, v);
    return PL_EXIT_OK;
}

static int parse_count(const char *opt, const char *v, size_t max, size_t *out)
{
    int64_t n;

    if (pl_parse_i64(v, &n, NULL) != PL_OK || n < 0 || (uint64_t)n > max)
        return pl__cli_usage(synth_usage, "%s: want a number from 0 to %zu, not '%s'", opt, max, v);
    *out = (size_t)n;
    return PL_EXIT_OK;
}

static int parse_args(int argc, char **argv, struct pl_synth_opts *o)
{
    static const struct option longopts[] = {
        {"assets", required_argument, NULL, 'a'},
        {"seed", required_argument, NULL, 's'},
        {"behind", required_argument, NULL, 'b'},
        {"kernel-behind", required_argument, NULL, 'k'},
        {"hosts-only", no_argument, NULL, 'H'},
        {"min-packages", required_argument, NULL, 'm'},
        {"max-packages", required_argument, NULL, 'M'},
        {"base", required_argument, NULL, 'B'},
        {"security", required_argument, NULL, 'S'},
        {"index", required_argument, NULL, 'I'},
        {"linux", no_argument, NULL, 'L'},
        {"sets", required_argument, NULL, 'T'},
        {"first", required_argument, NULL, 'F'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    size_t seed = 0;
    int c, rc = PL_EXIT_OK;

    optind = 0;
    while (rc == PL_EXIT_OK && (c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        switch (c) {
        case 'a':
            rc = parse_count("--assets", optarg, 1000000, &o->n_assets);
            break;
        case 's':
            rc = parse_count("--seed", optarg, SIZE_MAX, &seed);
            o->seed = seed;
            break;
        case 'b':
            rc = parse_share("--behind", optarg, &o->share_behind);
            break;
        case 'k':
            rc = parse_share("--kernel-behind", optarg, &o->share_kernel_behind);
            break;
        case 'H':
            o->hosts_only = true;
            break;
        case 'm':
            rc = parse_count("--min-packages", optarg, 100000, &o->min_packages);
            break;
        case 'M':
            rc = parse_count("--max-packages", optarg, 100000, &o->max_packages);
            break;
        case 'B':
            o->base_status = optarg;
            break;
        case 'S':
            o->security_packages = optarg;
            break;
        case 'I':
            o->index = optarg;
            break;
        case 'L':
            o->linux_sets = o->linux_sets ? o->linux_sets : "";
            break;
        case 'T':
            o->linux_sets = optarg;
            break;
        case 'F':
            rc = parse_count("--first", optarg, 1000000, &o->first);
            break;
        case 'h':
            fputs(synth_usage, stdout);
            return -1;
        default:
            fputs(synth_usage, stderr);
            return PL_EXIT_USAGE;
        }
    }
    if (rc == PL_EXIT_OK && optind != argc)
        return pl__cli_usage(synth_usage, "unexpected argument '%s'", argv[optind]);
    if (rc == PL_EXIT_OK && o->first && o->linux_sets == NULL)
        return pl__cli_usage(synth_usage, "--first is for --linux hosts");
    if (rc == PL_EXIT_OK && o->index && o->security_packages)
        return pl__cli_usage(synth_usage, "--index and --security exclude each other");
    return rc;
}

/* --linux: the Amazon Linux and Ubuntu hosts. */
static int synth_linux(struct pl_cli *cli, struct pl_synth_opts *o)
{
    struct pl_buf sets = PL_BUF_INIT(4096);
    struct pl_error err = PL_ERROR_INIT;
    struct pl_synth_summary sum;
    int rc = PL_EXIT_OK;

    if (o->linux_sets[0] == '\0') {
        if (pl_data_path("linux-estate.tsv.xz", &sets, &err) != PL_OK) {
            rc = pl__cli_fail(cli, "inventory synthesize", &err);
            goto out;
        }
        o->linux_sets = pl_buf_cstr(&sets);
    }
    if (pl_synth_linux(cli->store, o, &sum, &err) != PL_OK) {
        rc = pl__cli_fail(cli, "inventory synthesize", &err);
        goto out;
    }
    printf("synthetic Linux hosts: %zu assets (%zu on-prem, %zu EC2), %zu packages, %zu behind on "
           "a security update, %zu kernels behind or not rebooted\n",
           sum.assets, sum.by_kind[0], sum.by_kind[1], sum.packages, sum.behind,
           sum.kernels_behind);
out:
    pl_buf_release(&sets);
    return rc;
}

int pl__cli_cmd_inventory_synthesize(int argc, char **argv, struct pl_cli *cli)
{
    struct pl_buf base = PL_BUF_INIT(4096), sec = PL_BUF_INIT(4096);
    struct pl_error err = PL_ERROR_INIT;
    struct pl_synth_summary sum;
    struct pl_synth_opts o;
    int rc;

    pl_synth_opts_init(&o);
    rc = parse_args(argc, argv, &o);
    if (rc != PL_EXIT_OK)
        return rc < 0 ? PL_EXIT_OK : rc;
    if (o.linux_sets)
        return synth_linux(cli, &o);
    if ((o.base_status == NULL &&
         pl_data_path("dpkg-status-debian12.txt.xz", &base, &err) != PL_OK) ||
        (o.security_packages == NULL && o.index == NULL &&
         pl_data_path("bookworm-security-Packages.xz", &sec, &err) != PL_OK)) {
        rc = pl__cli_fail(cli, "inventory synthesize", &err);
        goto out;
    }
    if (o.base_status == NULL)
        o.base_status = pl_buf_cstr(&base);
    if (o.security_packages == NULL && o.index == NULL)
        o.security_packages = pl_buf_cstr(&sec);
    if (pl_synth_estate(cli->store, &o, &sum, &err) != PL_OK) {
        rc = pl__cli_fail(cli, "inventory synthesize", &err);
        goto out;
    }
    printf(
        "synthetic estate: %zu assets (%zu hosts, %zu cloud instances, %zu Kubernetes nodes, "
        "%zu container images), %zu packages, %zu behind on a security update, %zu kernels behind\n",
        sum.assets, sum.by_kind[0], sum.by_kind[1], sum.by_kind[2], sum.by_kind[3], sum.packages,
        sum.behind, sum.kernels_behind);
out:
    pl_buf_release(&base);
    pl_buf_release(&sec);
    return rc;
}
