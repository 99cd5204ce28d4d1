/*
 * cmd_policy.c - `patchline policy check FILE|NAME` and
 * `patchline policy show [NAME|FILE]`: validate a tiering policy, print
 * the effective one. Neither needs a store.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "patchline/parse.h"
#include "patchline/policy.h"

#include "cli_int.h"

static const char check_usage[] =
    "usage: patchline policy check [--samples N] FILE|NAME...\n"
    "Validate tiering policy files (or built-in policies by name: default, ssvc, epss):\n"
    "syntax, keys, values, tiers, and monotonicity (adding a risk fact never lowers a\n"
    "tier) on N sampled facts vectors (default 20000; 0 skips it). Exit 0 when all are\n"
    "valid, 1 otherwise; errors name file, line and column.\n";

static const char show_usage[] = "usage: patchline policy show [NAME|FILE]\n"
                                 "Print the effective policy as YAML (default: the built-in "
                                 "'default').\n";

static int check_one(const char *arg, uint64_t samples)
{
    struct pl_error err = PL_ERROR_INIT;
    struct pl_monotone_violation v;
    struct pl_policy *p = NULL;
    uint64_t tried = 0;
    int rc = PL_EXIT_OK;

    if (pl_policy_load(arg, &p, &err) != PL_OK) {
        pl__cli_line(stderr, "%s", err.msg);
        return PL_EXIT_ERROR;
    }
    if (samples > 0 && !pl_policy_check_monotone(p, samples, 1, &tried, &v)) {
        pl__cli_line(stderr,
                     "%s:%d:%d: rule '%s' (tier %d): not monotone: after '%s' rule '%s' gives tier "
                     "%d (facts before: %s)",
                     arg, v.line, v.col, v.rule_before_name, v.tier_before, v.step,
                     v.rule_after_name, v.tier_after, v.facts);
        rc = PL_EXIT_ERROR;
    } else if (samples > 0) {
        pl__cli_line(stdout, "%s: ok: policy '%s', %d tiers; monotone on %llu sampled risk steps",
                     arg, pl_policy_name(p), pl_policy_n_tiers(p), (unsigned long long)tried);
    } else {
        pl__cli_line(stdout, "%s: ok: policy '%s', %d tiers", arg, pl_policy_name(p),
                     pl_policy_n_tiers(p));
    }
    pl_policy_free(p);
    return rc;
}

int pl__cli_cmd_policy_check(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"samples", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    int64_t samples = 20000;
    int c, rc = PL_EXIT_OK;

    (void)cli;
    optind = 0;
    while ((c = getopt_long(argc, argv, "+s:h", longopts, NULL)) != -1) {
        switch (c) {
        case 's':
            if (pl_parse_i64(optarg, &samples, &err) != PL_OK || samples < 0 || samples > 100000000)
                return pl__cli_usage(check_usage, "--samples: want 0 to 100000000, not '%s'",
                                     optarg);
            break;
        case 'h':
            fputs(check_usage, stdout);
            return PL_EXIT_OK;
        default:
            fputs(check_usage, stderr);
            return PL_EXIT_USAGE;
        }
    }
    if (optind >= argc)
        return pl__cli_usage(check_usage, "policy check: name a policy file");
    for (int i = optind; i < argc; i++)
        if (check_one(argv[i], (uint64_t)samples) != PL_EXIT_OK)
            rc = PL_EXIT_ERROR;
    return rc;
}

int pl__cli_cmd_policy_show(int argc, char **argv, struct pl_cli *cli)
{
    static const struct option longopts[] = {
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct pl_error err = PL_ERROR_INIT;
    struct pl_buf b = PL_BUF_INIT(PL_MAX_POLICY_BYTES * 4);
    struct pl_policy *p = NULL;
    int c;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        if (c == 'h') {
            fputs(show_usage, stdout);
            return PL_EXIT_OK;
        }
        fputs(show_usage, stderr);
        return PL_EXIT_USAGE;
    }
    if (argc - optind > 1)
        return pl__cli_usage(show_usage, "unexpected argument '%s'", argv[optind + 1]);
    if (pl_policy_load(optind < argc ? argv[optind] : "default", &p, &err) != PL_OK)
        return pl__cli_fail(cli, "policy show", &err);
    pl_policy_render_yaml(p, &b);
    pl_policy_free(p);
    if (pl_buf_status(&b) != PL_OK) {
        pl_buf_release(&b);
        err.code = PL_E_TOOBIG;
        return pl__cli_fail(cli, "policy show", &err);
    }
    fputs(pl_buf_cstr(&b), stdout);
    pl_buf_release(&b);
    return PL_EXIT_OK;
}
