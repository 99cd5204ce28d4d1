/*
 * cmd_scan.c - `patchline scan`: match every asset (or --asset ones) against
 * the advisories present, tier the open findings, print a summary per tier.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/exception.h"
#include "patchline/match.h"
#include "patchline/parse.h"

#include "cli_int.h"

static const char scan_usage[] =
    "usage: patchline scan [--policy NAME|FILE] [--asset A]... [--fail-on TIER] [--batch N]\n"
    "Match the installed packages of every asset (or of each --asset, by id or\n"
    "name) against the stored advisories, tier every open finding with the policy\n"
    "(default: the built-in 'default'), close findings proven fixed by the\n"
    "inventory and re-open regressions. Missing or stale feeds (older than 7 days\n"
    "at --now) are named on stderr. Exit 3 with --fail-on TIER when open findings\n"
    "at or above that tier (0 is the most urgent) exist.\n"
    "  --batch N   commit after every N assets (and every 2 s), so that other commands\n"
    "              that change the store get in between; a scan that fails keeps the\n"
    "              batches before it (default 100; 0: one transaction)\n"
    "Third-party software is named by the product map: the shipped rules, after\n"
    "those of the file PATCHLINE_PRODUCT_MAP names (docs/third-party.md).\n";

#define SCAN_BATCH_DEFAULT 100

#define MAX_SCAN_ASSETS 1024

struct scan_args {
    const char *policy;
    int64_t ids[MAX_SCAN_ASSETS];
    size_t n_ids;
    int fail_on; /* -1: none */
    int64_t batch;
};

static void print_row(const char *label, const struct pl_match_summary *m, size_t i)
{
    printf("%-14s %6llu %10llu %6llu %9llu %6llu\n", label, (unsigned long long)m->new_.n[i],
           (unsigned long long)m->still_open.n[i], (unsigned long long)m->fixed.n[i],
           (unsigned long long)m->regressed.n[i], (unsigned long long)m->open.n[i]);
}

static void print_summary(const struct pl_match_summary *m, const struct pl_policy *p)
{
    uint64_t open = 0;
    char label[64];

    printf("scanned %llu assets, %llu packages: %llu distinct versions compared against %llu "
           "advisory rows\n",
           (unsigned long long)m->assets, (unsigned long long)m->packages,
           (unsigned long long)m->distinct_versions, (unsigned long long)m->rows);
    if (m->skipped)
        printf("%llu assets unchanged since their last scan (same packages, attributes, feeds "
               "and policy) were not read again\n",
               (unsigned long long)m->skipped);
    printf("%-14s %6s %10s %6s %9s %6s\n", "tier", "new", "still-open", "fixed", "regressed",
           "open");
    for (int t = 0; t < pl_policy_n_tiers(p) && t < PL_MATCH_TIERS; t++) {
        snprintf(label, sizeof(label), "%d %s", t, pl_policy_tier_name(p, t));
        print_row(label, m, (size_t)t);
    }
    print_row("unscored", m, PL_MATCH_TIERS);
    for (size_t i = 0; i <= PL_MATCH_TIERS; i++)
        open += m->open.n[i];
    printf("%llu open findings (%llu provisional); %llu package-removed, %llu asset-retired, "
           "%llu no longer matched but not proven fixed (left open)\n",
           (unsigned long long)open, (unsigned long long)m->provisional,
           (unsigned long long)m->removed, (unsigned long long)m->retired,
           (unsigned long long)m->unproven);
    if (m->disputed || m->not_affected || m->unassessed)
        printf("%llu newly disputed (scanner vs advisory data), %llu newly not-affected (VEX); "
               "%llu assets unassessed\n",
               (unsigned long long)m->disputed, (unsigned long long)m->not_affected,
               (unsigned long long)m->unassessed);
}

static int parse_args(int argc, char **argv, struct pl_cli *cli, struct scan_args *a,
                      const char **fail_on)
{
    static const struct option longopts[] = {
        {"policy", required_argument, NULL, 'p'},  {"asset", required_argument, NULL, 'a'},
        {"fail-on", required_argument, NULL, 'f'}, {"batch", required_argument, NULL, 'b'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    int c;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+p:a:f:b:h", longopts, NULL)) != -1) {
        if (c == 'p') {
            a->policy = optarg;
        } else if (c == 'a') {
            if (a->n_ids == MAX_SCAN_ASSETS)
                return pl_cli_usage(scan_usage, "--asset: at most %d", MAX_SCAN_ASSETS);
            if (pl_store_asset_resolve(cli->store, optarg, &a->ids[a->n_ids++], &err) != PL_OK)
                return pl_cli_fail(cli, "scan", &err);
        } else if (c == 'f') {
            *fail_on = optarg;
        } else if (c == 'b') {
            if (pl_parse_i64(optarg, &a->batch, &err) != PL_OK || a->batch < 0)
                return pl_cli_usage(scan_usage, "--batch '%s': want a number of assets", optarg);
        } else if (c == 'h') {
            fputs(scan_usage, stdout);
            return PL_EXIT_OK;
        } else {
            fputs(scan_usage, stderr);
            return PL_EXIT_USAGE;
        }
    }
    if (optind != argc)
        return pl_cli_usage(scan_usage, "unexpected argument '%s'", argv[optind]);
    return -1;
}

static char *audit_detail(const struct pl_match_summary *m)
{
    struct pl_buf b = PL_BUF_INIT(4096);
    uint64_t n[5] = {0};

    for (size_t i = 0; i <= PL_MATCH_TIERS; i++) {
        n[0] += m->new_.n[i];
        n[1] += m->open.n[i];
        n[2] += m->fixed.n[i];
        n[3] += m->regressed.n[i];
    }
    pl_buf_addf(&b,
                "%llu assets, %llu new, %llu open, %llu fixed, %llu regressed, %llu removed, "
                "%llu retired, %llu rows written",
                (unsigned long long)m->assets, (unsigned long long)n[0], (unsigned long long)n[1],
                (unsigned long long)n[2], (unsigned long long)n[3], (unsigned long long)m->removed,
                (unsigned long long)m->retired, (unsigned long long)m->written);
    return pl_buf_detach(&b, NULL);
}

int pl_cmd_scan(int argc, char **argv, struct pl_cli *cli)
{
    struct scan_args *a = calloc(1, sizeof(*a));
    struct pl_error err = PL_ERROR_INIT;
    struct pl_match_summary sum;
    struct pl_policy *policy = NULL;
    const char *fail_on = NULL;
    int rc, tier = -1;
    char *detail;

    if (a == NULL)
        return PL_EXIT_ERROR;
    a->policy = "default";
    a->batch = SCAN_BATCH_DEFAULT;
    pl_match_summary_init(&sum);
    if ((rc = parse_args(argc, argv, cli, a, &fail_on)) >= 0)
        goto out;
    if (pl_policy_load(a->policy, &policy, &err) != PL_OK) {
        rc = pl_cli_fail(cli, "scan", &err);
        goto out;
    }
    if (fail_on && pl_policy_tier_parse(policy, fail_on, &tier, &err) != PL_OK) {
        rc = pl_cli_usage(scan_usage, "--fail-on: %s", err.msg);
        goto out;
    }
    {
        struct pl_match_opts o = {policy, a->ids,           a->n_ids, pl_clock_now(),
                                  0,      (size_t)a->batch, NULL};
        struct pl_product_map *products = NULL;

        if (pl_product_map_load(getenv("PATCHLINE_PRODUCT_MAP"), &products, &err) != PL_OK) {
            rc = pl_cli_fail(cli, "scan", &err);
            goto out;
        }
        o.products = products;
        if (pl_match_scan(cli->store, &o, &sum, &err) != PL_OK) {
            pl_product_map_free(products);
            rc = pl_cli_fail(cli, "scan", &err);
            goto out;
        }
        pl_product_map_free(products);
    }
    {
        /* exceptions cover the new findings in their scope, and end at expiry */
        struct pl_exception_apply_summary ex = {0};

        if (pl_exceptions_apply(cli->store, pl_clock_now(), &ex, &err) != PL_OK) {
            rc = pl_cli_fail(cli, "scan", &err);
            goto out;
        }
        if (ex.covered || ex.released || ex.expired || ex.reviewed)
            printf("exceptions: %zu findings newly covered, %zu back on their clock, %zu "
                   "exceptions expired, %zu false positives to review\n",
                   ex.covered, ex.released, ex.expired, ex.reviewed);
    }
    pl_cli_lines(stderr, pl_buf_cstr(&sum.warnings));
    print_summary(&sum, policy);
    detail = audit_detail(&sum);
    if (pl_store_audit(cli->store, "scan", pl_policy_name(policy), detail, &err) != PL_OK)
        rc = pl_cli_fail(cli, "scan", &err);
    else
        rc = PL_EXIT_OK;
    free(detail);
    for (int t = 0; rc == PL_EXIT_OK && t <= tier; t++)
        if (sum.open.n[t])
            rc = PL_EXIT_CHECK;
out:
    pl_match_summary_release(&sum);
    pl_policy_free(policy);
    free(a);
    return rc;
}
