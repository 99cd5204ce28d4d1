/*
 * cmd_scan.c - `patchline scan`: match every asset (or --asset ones) against
 * the advisories present, tier the open findings, print a summary per tier.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "patchline/match.h"
#include "patchline/parse.h"

#include "cli_int.h"

static const char scan_usage[] =
    "usage: patchline scan [--policy NAME|FILE] [--asset A]... [--fail-on TIER] [--batch N]\n"
    "                      [--full]\n"
    "Match the installed packages of every asset (or of each --asset, by id or\n"
    "name) against the stored advisories, tier every open finding with the policy\n"
    "(default: the built-in 'default'), close findings proven fixed by the\n"
    "inventory and re-open regressions. Missing or stale feeds (older than 7 days\n"
    "at --now) are named on stderr. Exit 3 with --fail-on TIER when open findings\n"
    "at or above that tier (0 is the most urgent) exist.\n"
    "  --batch N   commit after every N assets (and every 2 s), so that other commands\n"
    "              that change the store get in between; a scan that fails keeps the\n"
    "              batches before it (default 100; 0: one transaction)\n"
    "  --full      re-match every asset whole; otherwise an unchanged asset is skipped\n"
    "              and, after a feed import, only what the import changed is re-matched\n"
    "Third-party software is named by the product map: the shipped rules, after\n"
    "those of the file PATCHLINE_PRODUCT_MAP names (docs/third-party.md).\n";

#define SCAN_BATCH_DEFAULT 100

struct scan_args {
    const char *policy;
    const char *assets[PL_SCAN_MAX_ASSETS];
    size_t n_assets;
    const char *fail_on;
    int64_t batch;
    bool full;
};

static void print_row(const char *label, const struct pl_match_summary *m, size_t i)
{
    printf("%-14s %6llu %10llu %6llu %9llu %6llu\n", label, (unsigned long long)m->new_.n[i],
           (unsigned long long)m->still_open.n[i], (unsigned long long)m->fixed.n[i],
           (unsigned long long)m->regressed.n[i], (unsigned long long)m->open.n[i]);
}

/* The local command's output: exceptions and the summary on stdout, warnings on stderr. */
void pl__cli_scan_print(const struct pl_scan_result *r, const char *const *tiers, int n_tiers)
{
    const struct pl_match_summary *m = &r->match;
    uint64_t open = 0;
    char label[64];

    if (r->exceptions.covered || r->exceptions.released || r->exceptions.expired ||
        r->exceptions.reviewed)
        printf("exceptions: %zu findings newly covered, %zu back on their clock, %zu "
               "exceptions expired, %zu false positives to review\n",
               r->exceptions.covered, r->exceptions.released, r->exceptions.expired,
               r->exceptions.reviewed);
    pl__cli_lines(stderr, pl_buf_cstr(&m->warnings));
    printf("scanned %llu assets, %llu packages: %llu distinct versions compared against %llu "
           "advisory rows\n",
           (unsigned long long)m->assets, (unsigned long long)m->packages,
           (unsigned long long)m->distinct_versions, (unsigned long long)m->rows);
    if (m->skipped)
        printf("%llu assets unchanged since their last scan (same packages, attributes, feeds "
               "and policy) were not read again\n",
               (unsigned long long)m->skipped);
    if (m->partial)
        printf("%llu assets re-matched only where the feeds imported since their last scan "
               "changed advisories or facts\n",
               (unsigned long long)m->partial);
    if (m->eol_only)
        printf("%llu assets had only their end-of-life software checked again (an end-of-life "
               "date passed since their last scan)\n",
               (unsigned long long)m->eol_only);
    printf("%-14s %6s %10s %6s %9s %6s\n", "tier", "new", "still-open", "fixed", "regressed",
           "open");
    for (int t = 0; t < n_tiers && t < PL_MATCH_TIERS; t++) {
        snprintf(label, sizeof(label), "%d %s", t, tiers[t]);
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

static int parse_args(int argc, char **argv, struct scan_args *a)
{
    static const struct option longopts[] = {
        {"policy", required_argument, NULL, 'p'},
        {"asset", required_argument, NULL, 'a'},
        {"fail-on", required_argument, NULL, 'f'},
        {"batch", required_argument, NULL, 'b'},
        {"full", no_argument, NULL, 'F'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    int c;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+p:a:f:b:Fh", longopts, NULL)) != -1) {
        if (c == 'p') {
            a->policy = optarg;
        } else if (c == 'a') {
            if (a->n_assets == PL_SCAN_MAX_ASSETS)
                return pl__cli_usage(scan_usage, "--asset: at most %d", PL_SCAN_MAX_ASSETS);
            a->assets[a->n_assets++] = optarg;
        } else if (c == 'f') {
            a->fail_on = optarg;
        } else if (c == 'b') {
            if (pl_parse_i64(optarg, &a->batch, &err) != PL_OK || a->batch < 0)
                return pl__cli_usage(scan_usage, "--batch '%s': want a number of assets", optarg);
        } else if (c == 'F') {
            a->full = true;
        } else if (c == 'h') {
            fputs(scan_usage, stdout);
            return PL_EXIT_OK;
        } else {
            fputs(scan_usage, stderr);
            return PL_EXIT_USAGE;
        }
    }
    if (optind != argc)
        return pl__cli_usage(scan_usage, "unexpected argument '%s'", argv[optind]);
    return -1;
}

int pl__cli_cmd_scan(int argc, char **argv, struct pl_cli *cli)
{
    struct scan_args *a = calloc(1, sizeof(*a));
    struct pl_error err = PL_ERROR_INIT;
    struct pl_scan_result r;
    struct pl_policy *policy = NULL;
    int rc, tier = -1;

    if (a == NULL)
        return PL_EXIT_ERROR;
    a->policy = "default";
    a->batch = SCAN_BATCH_DEFAULT;
    pl_scan_result_init(&r);
    if ((rc = parse_args(argc, argv, a)) >= 0)
        goto out;
    if (pl_policy_load(a->policy, &policy, &err) != PL_OK) {
        rc = pl__cli_fail(cli, "scan", &err);
        goto out;
    }
    if (a->fail_on && pl_policy_tier_parse(policy, a->fail_on, &tier, &err) != PL_OK) {
        rc = pl__cli_usage(scan_usage, "--fail-on: %s", err.msg);
        goto out;
    }
    {
        const struct pl_scan_opts o = {
            policy,         a->assets,        a->n_assets,
            pl_clock_now(), (size_t)a->batch, getenv("PATCHLINE_PRODUCT_MAP"),
            tier,           a->full};

        if (pl_scan_run(cli->store, &o, &r, &err) != PL_OK) {
            rc = pl__cli_fail(cli, "scan", &err);
            goto out;
        }
    }
    {
        const char *tiers[PL_MATCH_TIERS];
        int n = 0;

        for (; n < pl_policy_n_tiers(policy) && n < PL_MATCH_TIERS; n++)
            tiers[n] = pl_policy_tier_name(policy, n);
        pl__cli_scan_print(&r, tiers, n);
    }
    rc = r.gate_failed ? PL_EXIT_CHECK : PL_EXIT_OK;
out:
    pl_scan_result_release(&r);
    pl_policy_free(policy);
    free(a);
    return rc;
}
