/*
 * cmd_gate.c - `patchline gate --trivy REPORT [--fail-on TIER] [--policy
 * NAME|FILE]`: a CI gate. Tiers every finding of each Trivy JSON report,
 * prints a summary per tier and the findings at or above the threshold;
 * exit 3 when a report has any, 0 when none does, 1 on error.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "patchline/escape.h"
#include "patchline/match.h"
#include "patchline/parse.h"
#include "patchline/policy.h"

#include "cli_int.h"

#define MAX_REPORTS 256

static const char gate_usage[] =
    "usage: patchline gate --trivy REPORT [--trivy REPORT...] [--fail-on TIER]\n"
    "                      [--policy NAME|FILE]\n"
    "Tier every vulnerability of Trivy JSON reports with the tiering policy\n"
    "(default: the built-in 'default'); exposure is unknown, so the policy's\n"
    "fail-safe applies. Exit 3 when a report has findings at or above TIER (a\n"
    "number or a tier name, default 1), 0 when none has, 1 on error.\n";

struct gate_args {
    const char *reports[MAX_REPORTS];
    size_t n_reports;
    const char *fail_on, *policy;
};

static int parse_args(int argc, char **argv, struct gate_args *a)
{
    static const struct option longopts[] = {
        {"trivy", required_argument, NULL, 't'},
        {"fail-on", required_argument, NULL, 'f'},
        {"policy", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;

    optind = 0;
    while ((c = getopt_long(argc, argv, "+t:f:p:h", longopts, NULL)) != -1) {
        switch (c) {
        case 't':
            if (a->n_reports == MAX_REPORTS)
                return pl_cli_usage(gate_usage, "gate: at most %d reports", MAX_REPORTS);
            a->reports[a->n_reports++] = optarg;
            break;
        case 'f':
            a->fail_on = optarg;
            break;
        case 'p':
            a->policy = optarg;
            break;
        case 'h':
            fputs(gate_usage, stdout);
            return -1;
        default:
            fputs(gate_usage, stderr);
            return PL_EXIT_USAGE;
        }
    }
    if (optind != argc)
        return pl_cli_usage(gate_usage, "gate: unexpected argument '%s'", argv[optind]);
    if (a->n_reports == 0)
        return pl_cli_usage(gate_usage, "gate: name a report with --trivy REPORT");
    return PL_EXIT_OK;
}

static void print_esc(struct pl_buf *b, const char *s)
{
    pl_buf_reset(b);
    pl_escape_terminal(b, s);
}

static void print_report(const char *path, const struct pl_policy *p,
                         const struct pl_gate_result *r)
{
    struct pl_buf e1 = PL_BUF_INIT(4096), e2 = PL_BUF_INIT(4096), e3 = PL_BUF_INIT(4096);

    print_esc(&e1, path);
    print_esc(&e2, r->artifact);
    printf("%s: %s: %zu finding(s)\n", pl_buf_cstr(&e1), pl_buf_cstr(&e2), r->total);
    for (int t = 0; t < pl_policy_n_tiers(p); t++)
        printf("  tier %d %-10s %zu\n", t, pl_policy_tier_name(p, t), r->per_tier[t]);
    printf("  unscored        %zu\n", r->per_tier[PL_MAX_POLICY_TIERS]);
    for (size_t i = 0; i < r->n_hits; i++) {
        const struct pl_gate_finding *h = &r->hits[i];
        print_esc(&e1, h->id);
        print_esc(&e2, h->pkg);
        print_esc(&e3, h->installed);
        printf("  FAIL tier %d %s: %s in %s %s", h->tier, pl_policy_tier_name(p, h->tier),
               pl_buf_cstr(&e1), pl_buf_cstr(&e2), pl_buf_cstr(&e3));
        print_esc(&e1, h->fixed);
        print_esc(&e2, h->severity);
        print_esc(&e3, h->target);
        printf(" (fixed in %s; %s, score %.1f) [%s]\n", h->fixed[0] ? pl_buf_cstr(&e1) : "-",
               pl_buf_cstr(&e2), h->score, pl_buf_cstr(&e3));
    }
    pl_buf_release(&e1);
    pl_buf_release(&e2);
    pl_buf_release(&e3);
}

int pl_cmd_gate(int argc, char **argv, struct pl_cli *cli)
{
    struct gate_args a = {0};
    struct pl_policy *p = NULL;
    struct pl_error err = PL_ERROR_INIT;
    size_t failing = 0, hits = 0;
    int fail_on, rc = parse_args(argc, argv, &a);

    if (rc != PL_EXIT_OK)
        return rc < 0 ? PL_EXIT_OK : rc;
    if (pl_policy_load(a.policy ? a.policy : "default", &p, &err) != PL_OK)
        return pl_cli_fail(cli, "gate", &err);
    if (pl_policy_tier_parse(p, a.fail_on ? a.fail_on : "1", &fail_on, &err) != PL_OK) {
        rc = pl_cli_usage(gate_usage, "--fail-on: %s", err.msg);
        pl_policy_free(p);
        return rc;
    }
    for (size_t i = 0; i < a.n_reports; i++) {
        struct pl_gate_result r;
        if (pl_gate_trivy(a.reports[i], p, fail_on, &r, &err) != PL_OK) {
            pl_policy_free(p);
            return pl_cli_fail(cli, "gate", &err);
        }
        print_report(a.reports[i], p, &r);
        failing += r.n_hits > 0;
        hits += r.n_hits;
        pl_gate_result_release(&r);
    }
    if (failing)
        printf("gate: FAIL: %zu finding(s) at or above tier %d (%s) in %zu of %zu report(s)\n",
               hits, fail_on, pl_policy_tier_name(p, fail_on), failing, a.n_reports);
    else
        printf("gate: pass: no finding at or above tier %d (%s) in %zu report(s)\n", fail_on,
               pl_policy_tier_name(p, fail_on), a.n_reports);
    pl_policy_free(p);
    return failing ? PL_EXIT_CHECK : PL_EXIT_OK;
}
